"""When what looks like several steps is one request: sentences that say the same request twice,
and a request followed by a colon and what it should cover (agent.nlu.plan.split_request)."""

from __future__ import annotations

import re

from agent.nlu.catalog import Catalog
from agent.nlu.clauses import COMMAND, SOFT_BREAK, sentences_only
from agent.nlu.routing import Route, route

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
