"""How the parts of a request of several steps are told apart from what only frames them: a
record named by id in each part, a range said with "between", a statement or lead-in before the
steps that gives them nothing, and "and" followed by a verb of another step (agent.nlu.plan)."""

from __future__ import annotations

import re
from datetime import date

from agent.nlu.catalog import Catalog
from agent.nlu.fill import read
from agent.nlu.openers import NOT_VERBS
from agent.nlu.periods import period_mentions
from agent.nlu.routing import SPLIT_SURE, route
from agent.nlu.words import PERSON_BACK, POINTS_BACK, RECORD_NOUNS

MIN_STEP_WORDS = 3
"""Words a part needs to be a step (or a lead-in to be a sentence) of its own."""


RECORD_ID = re.compile(r"\b(?:[a-z]{2,8}_[0-9a-z]{3,}"
                       r"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b", re.I)


def own_ids(parts: list[str]) -> bool:
    """"mark insight ins_8c21 as actioned and dismiss ins_8c22": each part names a record of its
    own by id, so each is a step, even for the same tool."""
    ids = [RECORD_ID.findall(p) for p in parts]
    return all(ids) and len({i for found in ids for i in found}) == sum(map(len, ids))


BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?[\w'-]+(?:\s+[\w'-]+)?$", re.I)


def between_joined(parts: list[str]) -> list[str]:
    """"between January and March" is one range, not two requests."""
    out: list[str] = []
    for part in parts:
        if out and BETWEEN.search(out[-1]):
            out[-1] = f"{out[-1]} and {part}"
        else:
            out.append(part)
    return out


def whole_without(context: str, part: str, catalog: Catalog, available: set[str], today: date) -> bool:
    """Whether the first request after a statement chooses its tool surely on its own and the
    statement gives that tool no value ("it costs 30k up front ... Is it worth it?" gives two)."""
    first = route(catalog.classifier.ranked(part), available)
    if first.action != "act" or first.score < SPLIT_SURE or first.tool is None:
        return False
    told = route(catalog.classifier.ranked(f"{context}. {part}"), available)
    if told.tool != first.tool and told.score > first.score:
        return False  # "Our insurer wants to know about security. Give me the overall score, ...": which
    alone = read(part, first.tool, catalog, today)
    joined = read(f"{context}. {part}", first.tool, catalog, today)
    return (not alone.missing and not alone.pronouns and set(joined.args) <= set(alone.args)
            and joined.references.keys() <= alone.references.keys())


ABOUT_LEAD = re.compile(r"(?:for|about|regarding|concerning|re|as for|as to|with)\b", re.I)
LEAD_IN = re.compile(r"^[^:?]{3,80}:\s+(?P<rest>(?P<verb>[a-z]+)\b.*)$", re.I | re.S)


def without_lead_in(part: str, catalog: Catalog, today: date) -> str:
    """"Just doing a bit of housekeeping: list my API keys": what is asked after a colon that
    opens with a verb a tool's examples open with."""
    m = LEAD_IN.match(part)
    verb = m.group("verb").lower() if m else ""
    if m is None or verb not in catalog.openers or verb in NOT_VERBS or ABOUT_LEAD.match(part):
        return part  # "for olivia walker: show me her whole history": whom it is about
    rest = m.group("rest")
    lead = part[:len(part) - len(rest)].lower()
    if len(re.findall(r"[a-z]+", lead)) < MIN_STEP_WORDS or period_mentions(lead, today) or re.search(
            r"\d", lead):
        return part  # "november: total revenue first, ...": the lead-in is the period asked about
    return part if POINTS_BACK.search(rest.lower()) or PERSON_BACK.search(rest) else rest


def and_another_verb(request: str, catalog: Catalog) -> bool:
    """"Move it to closed won and tag Arjun as vip": a verb a tool's examples open with, after
    "and" and a step of its own before it (not "Go ahead and disconnect Stripe")."""
    joined = re.search(r"\s+and\s+([a-z]+)\b", request.lower())
    return (joined is not None and joined.group(1) in catalog.openers and joined.group(1) not in NOT_VERBS
            and len(re.findall(r"\w+", request[:joined.start()])) >= MIN_STEP_WORDS)


def what_it_is(words: list[str]) -> str:
    """What "it" in a later step stands for: the last record the step before names, with the word
    before it when that is no article ("a webhook to https://... for deal.won": the webhook; "a
    shopify sync": the shopify sync), else its last two words."""
    last = next((i for i in range(len(words) - 1, -1, -1) if words[i].lower() in NOUNS_POINTED_AT), None)
    if last is None and words[0].lower() in SYNCS:
        return f"{' '.join(words[1:])} sync"
    if last is None:
        return " ".join(words[-2:])
    first = last - 1 if last > 0 and words[last - 1].lower() not in DETERMINERS else last
    return " ".join(words[first:last + 1])


NOUNS_POINTED_AT = RECORD_NOUNS | {"sync", "prediction", "simulation", "job", "forecast", "key", "session",
                                   "reminder", "automation", "workflow", "campaign", "webhook", "connector",
                                   "integration", "insight", "initiative"}
SYNCS = frozenset({"sync", "resync", "re-sync", "refresh"})
"""A step that opens with one of these names a sync ("resync hubspot then tell me where it's at")."""
DETERMINERS = frozenset({"a", "an", "the", "my", "our", "new", "that", "this", "to", "for", "of", "up"})
IT = re.compile(r"\b(?:it['’]s|it|its)\b", re.I)
AFTERWORDS = frozenset({"now", "please", "pls", "asap", "today", "first", "too", "again", "quickly",
                        "straight", "away", "immediately", "back", "on", "off"})
"""Words a step may end with that say when or how, not what."""
