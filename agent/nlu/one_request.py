"""When what looks like several steps is one request: sentences that say the same request twice,
and a request followed by a colon and what it should cover (agent.nlu.plan.split_request)."""

from __future__ import annotations

import re

from agent.nlu.catalog import Catalog
from agent.nlu.clauses import COMMAND, SOFT_BREAK, sentences_only
from agent.nlu.details import OWN_PLAN
from agent.nlu.openers import first_word
from agent.nlu.routing import SPLIT_SURE, Route, route

SAID_TWICE = 0.1
"""How far below its surest sentence the whole text may score and still be one request."""
COVERING_HEAD = 5
"""Words before a colon that make a request of their own, not a heading."""


def said_twice(text: str, routes: list[Route], catalog: Catalog, available: set[str]) -> bool:
    """Sentences side by side that the whole text chooses one of their tools for, as surely as any
    sentence alone ("What has sales@... been doing in here? I want every action on record."): one
    request said twice. Two requests split the words: each sentence alone is surer than the whole."""
    whole = route(catalog.classifier.ranked(text), available)
    return (sentences_only(text) and whole.action == "act" and whole.tool in {r.tool for r in routes}
            and whole.score >= max(r.score for r in routes) - SAID_TWICE)


def lists_what_it_covers(text: str, catalog: Catalog, available: set[str]) -> bool:
    """A request, a colon, and what it should cover ("Give me the top-line health of the business
    over the past 90 days: money in ..., customers gained and lost, deals open and won"): one
    request. A heading before the colon ("quick report: revenue ... and how many customers")
    asks nothing itself, nor is a head of two steps one ("mark it lost and add a note: ..."),
    and what follows may be several requests."""
    head, colon, _rest = text.partition(": ")
    return (bool(colon) and len(re.findall(r"\w+", head)) >= COVERING_HEAD
            and route(catalog.classifier.ranked(head), available).action == "act"
            and len(SOFT_BREAK.split(head)) == 1  # "mark it lost and add a note: ..."
            and not TELLS.match(head))  # "Olivia Khan is a real customer now: flip her to ... and ..."


TELLS = re.compile(r"^(?!(?:how|what|who|which|when|where|why|is|are|do|does|can|could)\b)"
                   r"[^?]*\b(?:is|are)\b", re.I)
"""A head that tells how things stand asks for nothing: the requests are what follows it."""


WITH_LIST = re.compile(r"\b(?:with|including|showing)\s+(?:its|their|his|her|the)\b[^,;:]*$", re.I)
LISTED_WORDS = 3


def listed_with(before: str, part: str) -> bool:
    """"... the manual-entry source, with its record count and quality score": what follows "and"
    after a "with ..." list is one more thing to show, not a request."""
    words = re.findall(r"[\w'-]+", part)
    return (WITH_LIST.search(before) is not None and len(words) <= LISTED_WORDS
            and re.match(COMMAND, part, re.I) is None
            and not re.search(r"\b(?:it|them|him|her|those|these)\b", part, re.I))  # "tag them vip" acts


ABOUT_HEAD = re.compile(r"^(?:for|about|regarding|concerning|re:?|as for|as to|out of|of|among|across|from)"
                        r"\s[^,;:]*$", re.I)
"""A part that only says what the request after it is about ("Out of all the deals we closed, what
percent did we win?"): one request with it."""
WORK_IT_OUT = re.compile(
    r"(?:(?:can|could|would|will) you |please |pls |just |and )*"
    r"(?:(?:run|crunch|do|work out|figure out) (?:the |some )?(?:numbers|figures|math|maths|sums)"
    r"|work (?:it|that|this) out|figure (?:it|that|this) out|look into (?:it|that|this))"
    r"(?: (?:on|for) (?:it|that|this|me))*(?: please| pls| thanks)?")
"""A part that only asks for the question before it to be answered: one request, read whole."""


AFTERTHOUGHT_WORDS = 3
COURTESY = frozenset({"please", "pls", "plz", "now", "thanks", "thx", "ok", "okay", "kindly", "asap",
                      "go", "ahead"})
"""Words that add no request of their own after one ("... Please create.", "... Go ahead.")."""
GENERIC_CHANGE = frozenset({"update", "change", "do", "fix", "sort", "handle", "save", "apply", "record",
                            "log"})
ASKING = frozenset({"can", "could", "would", "will", "you", "u", "pls", "please"})
POINTING = frozenset({"it", "that", "this", "them"})
""""... I'd put it at 80% now. Can you update that?": a verb that names no change of its own, on
what was just said, asks for that change; it is no step of its own."""


def afterthought(part: str, chosen: Route) -> bool:
    """"who deleted the acme deal? check the log": a few words after a request, about which the
    classifier is unsure, say how to answer it rather than ask for something else; so does a verb
    alone ("... the win back one. Please create."), which names nothing to act on."""
    if OWN_PLAN.match(part.strip()):
        return True  # "...; I'll switch it back on in January": what the owner will do, not ask
    words = [w.lower() for w in re.findall(r"\w+", part)]
    bare = [w for w in words if w not in COURTESY and w not in ASKING]
    if any(w in GENERIC_CHANGE for w in bare) and all(w in GENERIC_CHANGE | POINTING for w in bare):
        return True  # "Can you update that?"
    if len(words) > AFTERTHOUGHT_WORDS:
        return False
    return chosen.score < SPLIT_SURE or len(bare) <= 1


SOMEONE_BACK = re.compile(r"\b(?:him|her|he|she)\b", re.I)


def context_then_consequence(parts: list[str], catalog: Catalog) -> bool:
    """"Mia Miller hasn't ordered in ages and won't return calls - park her as inactive": an
    opening statement (neither a question nor a command) about someone a later part points back
    to ("her") is why the change is asked, not a request of its own."""
    opening = parts[0].strip()
    commands = re.search(rf"(?:^|[-–—,:;]\s*){COMMAND}", opening, re.I) or opens_a_request(catalog, opening)
    head, *said = re.split(r"[:;]\s", opening)
    if not commands and said and TELLS.match(head):  # "Olivia Khan is a real customer now: flip her ..."
        chosen = route(catalog.classifier.ranked(said[-1]), set(catalog.tools))
        commands = chosen.action == "act" and chosen.score >= SPLIT_SURE
    return "?" not in opening and not commands and any(SOMEONE_BACK.search(p) for p in parts[1:])


def opens_a_request(catalog: Catalog, text: str) -> bool:
    """"forecast hannah lopez's spend ...": a verb some tool's requests open with, not a name."""
    word = first_word(text)
    return word is not None and word not in catalog.training.proper_nouns and word in catalog.openers
