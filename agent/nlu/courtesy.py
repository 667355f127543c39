"""Courtesy around a request: an acknowledgement before it ("ok delete it") is not the request,
and a question is never a thank-you."""

from __future__ import annotations

import re
from collections.abc import Callable

from agent.nlu.training import THANKS

ACKNOWLEDGEMENT = re.compile(
    r"^\s*(?:ok(?:ay)?|great|thanks?|thank you|cheers|cool|right|alright|sure|perfect|nice|good|"
    r"got it|brilliant|awesome)\b[\s,.!:;-]*", re.I)


def without_acknowledgement(text: str) -> str:
    """"ok delete it", "thanks, now show me the pipeline": the request after a courtesy word (a
    courtesy alone stays one: "thanks!")."""
    m = ACKNOWLEDGEMENT.match(text)
    if m is None:
        return text
    rest = text[m.end():]
    return rest if len(re.findall(r"\w+", rest)) >= 2 else text


QUESTION = re.compile(r"\?\s*$|^(?:are|is|was|were|do|does|did|how|what|which|when|who|why|can|could|will)\b",
                      re.I)


def not_thanks_if_asked(text: str, ranked: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """A thank-you is never a question: "are my integrations ok?" had been thanked for ("ok")."""
    if ranked and ranked[0][0] == THANKS and QUESTION.search(text.strip()):
        return [(label, score) for label, score in ranked if label != THANKS]
    return ranked


ASKED_WHETHER = re.compile(
    r"^(?:did|didn['’]?t|has|hasn['’]?t|haven['’]?t)\b|^have\b[^?]*\?"
    r"|^(?:which|who|when)\b[^?]{0,40}\b(?:set|changed|updated|created|added|moved|deleted|removed)\b[^?]*\?",
    re.I)
"""Asked whether something happened (a clause split off a message has lost its question mark; "have"
alone may open a request, "have the deal moved to won", so it needs one), or who or what made a
change ("which system set her status to what it is now?")."""


def no_change_if_asked_whether(text: str, ranked: list[tuple[str, float]],
                               reads: Callable[[str], bool]) -> list[tuple[str, float]]:
    """"did shopify pull in the new orders today?" asks whether something happened: a tool that
    changes something (a sync) would not answer it, so only tools that read (and declines) stay."""
    if ASKED_WHETHER.match(text.strip()) is None:
        return ranked
    return [(label, score) for label, score in ranked if reads(label)]


SIGN_OFF = re.compile(r"\s*(?:(?:many\s+)?thanks?(?:\s+(?:so|very)\s+much)?"
                      r"|thank\s+you(?:\s+(?:so|very)\s+much)?|cheers|ta|thx|ty|much\s+appreciated|appreciated)"
                      r"(?:\s+(?:again|mate|love|x+))?[\s!.]*", re.I)
"""A part that only thanks ("... so I can compare them side by side? Thanks!"): no step."""
