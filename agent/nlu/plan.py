"""A request as a plan: the tool calls it needs, in order, each with the arguments read from its
words, the names still to be looked up and the fields still missing; or a plain reply (a
greeting, a decline, a question about which tool was meant).

Several steps in one request ("add Bob Lee as a lead, then open a 12,500 deal for him") are
planned one per clause; a comparison ("sales this week vs last week") is one call per period.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import Any

from agent.nlu.catalog import Catalog
from agent.nlu.clauses import (
    COMMAND,
    CONDITION,
    JOINER,
    OWN_REQUEST,
    SOFT_BREAK,
    STRONG_BREAK,
    clauses,
    counts_joined,
    only_grain,
    only_modifies,
)
from agent.nlu.courtesy import SIGN_OFF, no_change_if_asked_whether
from agent.nlu.details import OWN_PLAN, STATEMENT, TELLING, details_joined
from agent.nlu.elided import each_shown, elided_parts
from agent.nlu.extract_periods import period_args
from agent.nlu.fill import Filled, read
from agent.nlu.one_request import (
    ABOUT_HEAD,
    WORK_IT_OUT,
    afterthought,
    context_then_consequence,
    listed_with,
    lists_what_it_covers,
    said_twice,
)
from agent.nlu.openers import removal_unasked
from agent.nlu.periods import PeriodRef
from agent.nlu.routing import SPLIT_SURE, Route, route
from agent.nlu.shifts import relative_shift, shift_period
from agent.nlu.step_parts import (
    AFTERWORDS,
    IT,
    MIN_STEP_WORDS,
    and_another_verb,
    between_joined,
    own_ids,
    what_it_is,
    whole_without,
    without_lead_in,
)

COMPARISON = re.compile(r"\b(?:vs|versus|compare|compared|comparison|against|and|or"
                        r"|next to|alongside|beside|side by side)\b")
SPLIT_MARGIN = 0.4
"""How far below its surest sentence the whole text may score and still be one request."""
@dataclass
class Intent:
    tool: str
    args: dict[str, Any] = field(default_factory=dict)
    references: dict[str, str] = field(default_factory=dict)
    pronouns: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    periods: list[PeriodRef] = field(default_factory=list)
    text: str = ""
    """The request (or the part of it) this call was read from: it tells apart the records a
    name matches ("Stark Supplies ... the store fit-out")."""
    fallbacks: dict[str, str] = field(default_factory=dict)
    """Names to look up for pronouns that point at no earlier record (Filled.fallbacks)."""

    @classmethod
    def of(cls, filled: Filled, text: str = "") -> Intent:
        return cls(
            filled.tool,
            dict(filled.args),
            dict(filled.references),
            dict(filled.pronouns),
            {},
            list(filled.missing),
            list(filled.periods),
            text,
            dict(filled.fallbacks),
        )

    def copy(self) -> Intent:
        return copy.deepcopy(self)


@dataclass
class Plan:
    intents: list[Intent] = field(default_factory=list)
    route: Route | None = None
    reply: str | None = None
    """Set for a plan that calls no tool: chat, decline, bulk refusal, ask-which-tool."""


def reads_values(intents: list[Intent]) -> bool:
    """Whether the request gave these calls anything: a value or a record."""
    return any(i.args or i.references or i.pronouns or i.ids for i in intents)


def intents_for(text: str, tool: str, catalog: Catalog, today: date) -> list[Intent]:
    """One call, or one per period when the request compares periods."""
    intent = Intent.of(read(text, tool, catalog, today), text)
    slots = catalog.tools[tool]
    norm = text.lower()
    if not intent.periods:
        return [intent]
    others: list[PeriodRef] = []
    shift = relative_shift(norm)
    if shift is not None and shift.year_back:  # "vs the same month last year"
        others = [shift_period(intent.periods[0], shift, today)]
    elif len(intent.periods) >= 2 and COMPARISON.search(norm):
        others = intent.periods[1:]
    own = set(period_args(intent.periods[0], slots, today))
    intents = [intent]
    for ref in others:
        other = intent.copy()
        other.args = {k: v for k, v in other.args.items() if k not in own} | period_args(ref, slots, today)
        if all(other.args != i.args for i in intents):  # "last month ... in November": one period
            intents.append(other)
    return intents


def split_request(
    text: str, catalog: Catalog, available: set[str], today: date
) -> list[tuple[str, Route]] | None:
    """The clauses of a request of several steps with the route of each, or None."""
    parts = clauses(text)
    if len(parts) == 1:
        if lists_what_it_covers(text, catalog, available):
            return None
        parts = between_joined([JOINER.sub("", p.strip(" ,.")) for p in SOFT_BREAK.split(text)
                                 if p.strip(" ,.")])
        if len(parts) == 1 or any(only_modifies(p) for p in parts[1:]) or any(map(only_grain, parts)):
            return None
        if ABOUT_HEAD.match(parts[0]):
            parts = [f"{parts[0]}, {parts[1]}", *parts[2:]]  # "For Diego Wilson's record, tell me ..."
            if len(parts) == 1:
                return None
        if any(listed_with(before, part) for before, part in pairwise(parts)):
            return None  # "only paused webhooks pls, list": the verb of the same request
        parts = [p for i, p in enumerate(parts) if i == 0 or not OWN_PLAN.match(p)]
        if len(parts) == 1:  # "put the reminder on hold; I'll switch it back on in January"
            chosen = route(_in_context(parts, 0, catalog, available), available)
            return [(parts[0], chosen)] if chosen.action == "act" else None
        ranked = [_in_context(parts, i, catalog, available) for i in range(len(parts))]
        routes = [route(r, available) for r in ranked]
        elided = elided_parts(parts, routes, catalog, today) or each_shown(parts, catalog, available)
        if elided is not None:
            return elided
        later = zip(parts[1:], routes[1:], strict=True)
        told = CONDITION.match(parts[0]) or TELLING.match(parts[0])  # "Spoke to Hooli about ..., move it"
        if told or context_then_consequence(parts, catalog) or any(
                _names_nothing(p, r.tool, catalog, today, parts[0], routes[0].tool) for p, r in later):
            return None
        tools = [r.tool for r in routes]
        own = all(OWN_REQUEST.match(p) for p in parts) or own_ids(parts)
        unsure = any(r.action != "act" or not (_sure(r, s, catalog, opens=i == 0)
                                                or (i > 0 and _writes_text(parts[i], r, catalog, today)))
                     for i, (r, s) in enumerate(zip(routes, ranked, strict=True)))
        if unsure or (
                len(set(tools)) < len(tools) and not own):
            return None
        scores = dict(zip(parts, ranked, strict=True))
        return _repeats_merged(list(zip(parts, routes, strict=True)), catalog, today, scores)
    first_break = STRONG_BREAK.search(text)
    told = STATEMENT.match(parts[0]) or TELLING.match(parts[0])
    if told and first_break is not None and first_break.group(0).strip()[:1] in ".!?":
        told_to = next((j for j in range(1, len(parts)) if not (STATEMENT.match(parts[j]) or TELLING.match(
            parts[j]))), len(parts) - 1)  # "A walk-in left her number. I didn't catch her name. Add her ..."
        context = ". ".join(parts[:told_to])
        if len(parts) == told_to + 1:
            return _after_context(context, parts[told_to], catalog, available, today)
        if whole_without(context, parts[told_to], catalog, available, today):  # "... stale credentials.
            parts = parts[told_to:]  # Show me my API keys, then revoke ...": it says all it asks without it
        else:
            parts = [f"{context}. {parts[told_to]}", *parts[told_to + 1:]]  # with the context
    elif len(parts) > 2 and "?" not in parts[0] and _tells(parts[0], catalog, available):
        parts = [f"{parts[0]}. {parts[1]}", *parts[2:]]  # "Payments are missing. Fetch ..., and then ..."
    if len(parts) >= 2 and ABOUT_HEAD.match(parts[0]):
        parts = [f"{parts[0]}, {parts[1]}", *parts[2:]]  # "For Diego Wilson's record, tell me ..."
    parts = [p for i, p in enumerate(counts_joined(details_joined(parts)))
             if i == 0 or not SIGN_OFF.fullmatch(p)]
    parts[0] = without_lead_in(parts[0], catalog, today)
    if len(parts) == 1 or any(map(only_grain, parts[1:])):
        return None  # "... this year or am I imagining things? Break it down month by month for me."
    scores = {p: _in_context(parts, i, catalog, available) for i, p in enumerate(parts)}
    routes = [route(scores[p], available) for p in parts]
    if any(r.action != "act" for r in routes) or said_twice(text, routes, catalog, available):
        return None
    if len(parts) == 2 and WORK_IT_OUT.fullmatch(parts[1].strip(" .!?").lower()):
        return None  # "would a second shop pay for itself? run the numbers on it": one question
    kept = [(p, r) for i, (p, r) in enumerate(zip(parts, routes, strict=True))
            if i == 0 or not afterthought(p, r)]
    if len(kept) == 1 and any(OWN_PLAN.match(p) for p in parts[1:]):
        return kept  # "Put the reminder on hold; I'll switch it back on in January."
    return _repeats_merged(kept, catalog, today, scores)


def _tells(part: str, catalog: Catalog, available: set[str]) -> bool:
    """A sentence that chooses no tool: it tells why, before the requests."""
    return route(catalog.classifier.ranked(part), available).action == "decline"


def _after_context(context: str, request: str, catalog: Catalog, available: set[str],
                   today: date) -> list[tuple[str, Route]] | None:
    """"I'm a bit worried about Chloe King. How likely is she to leave, and what will she spend?":
    the request after a statement, of several steps itself, with the statement read with its
    first step (where the name is)."""
    several = "?" in request or STRONG_BREAK.search(request) is not None or re.search(
        rf",\s+and\s+|\s+and\s+{COMMAND}", request, re.I) or and_another_verb(request, catalog)
    steps = split_request(request, catalog, available, today) if several else None
    if steps is None or any(len(re.findall(r"\w+", part)) < MIN_STEP_WORDS for part, _ in steps[1:]):
        chosen = route(catalog.classifier.ranked(request), available)  # one request ("... for the last
        whole = [label for label, _ in catalog.classifier.ranked(f"{context}. {request}")  # 7 days, money,
                 if label in catalog.tools]  # customers and deals?"), when its words and all the words agree
        if chosen.action == "act" and chosen.score >= SPLIT_SURE and whole[:1] == [chosen.tool] and not (
                chosen.tool and catalog.tools[chosen.tool].spec.destructive):  # a removal: read whole
            return [(f"{context}. {request}", chosen)]  # the statement names whom it is about
        return None
    (first, chosen), *rest = steps
    return [(f"{context}. {first}", chosen), *rest]


def _in_context(parts: list[str], index: int, catalog: Catalog,
                available: set[str]) -> list[tuple[str, float]]:
    """A part's ranking; for a later part that points back ("kick off a Stripe sync and tell me
    how far along *it* is") and that alone chooses no tool, the ranking with the pronoun read as
    what the part before ends with ("... how far along the Stripe sync is")."""
    ranked = removal_unasked(catalog, parts[index], no_change_if_asked_whether(
        parts[index], catalog.classifier.ranked(parts[index]), catalog.reads))
    chosen = route(ranked, available)
    if index == 0 or (chosen.action == "act" and chosen.score >= SPLIT_SURE):
        return ranked
    pointer = IT.search(parts[index])
    words = re.findall(r"[\w'-]+", parts[index - 1])
    while words and words[-1].lower() in AFTERWORDS:
        words.pop()  # "kick off a shopify sync now": what it points at is the sync, not "now"
    if pointer is None or len(words) < 2:
        return ranked
    said = what_it_is(words)
    verb = " is" if "'" in pointer.group(0).replace("’", "'") else ""  # "where it's at": "the sync is"
    instead = f"{parts[index][:pointer.start()]}the {said}{verb}{parts[index][pointer.end():]}"
    other = catalog.classifier.ranked(instead)
    read = route(other, available)
    return other if read.action == "act" and (chosen.action != "act" or read.score > chosen.score) else ranked


def _repeats_merged(steps: list[tuple[str, Route]], catalog: Catalog, today: date,
                    scores: dict[str, list[tuple[str, float]]]) -> list[tuple[str, Route]] | None:
    """A part for the same tool as the part before it, naming no record of its own, says more
    about the same call ("Am I still logged in on my old laptop? Show me all the places I'm
    signed in"; "rotate wh_6's secret. Let the old one keep working for a day"): read with it,
    not run twice. A part that gives a field another value than the part before ("count active
    customers, and count churned ones") is a call of its own; one that names the record the part
    before left out ("lifetime spend + order count for Sam Allen") completes it. None when one step
    is left (the request is then read whole). `scores`: each part's ranking, already made."""
    steps = _pointed_kind(steps, catalog, scores)
    merged: list[tuple[str, Route]] = []
    for part, chosen in steps:
        if merged and _completes_creation(catalog, merged[-1][1].tool, chosen.tool, part):
            merged[-1] = (f"{merged[-1][0]}. {part}", merged[-1][1])
            continue
        if merged and chosen.tool == merged[-1][1].tool and chosen.tool is not None:
            own = read(part, chosen.tool, catalog, today)
            earlier = read(merged[-1][0], chosen.tool, catalog, today)
            before = earlier.args
            if any(name in own.references or name in own.args for name in earlier.missing):
                merged[-1] = (f"{merged[-1][0]}. {part}", merged[-1][1])
                continue
            if not (own.references or any(name.endswith("_id") for name in own.args)
                    or any(name in before and before[name] != value for name, value in own.args.items())
                    or (QUESTION.match(JOINER.sub("", part)) and own.args and _asks(merged[-1][0]))):
                merged[-1] = (f"{merged[-1][0]}. {part}", merged[-1][1])
                continue
        merged.append((part, chosen))
    return merged if len(merged) > 1 else None


def _completes_creation(catalog: Catalog, before: str | None, tool: str | None, part: str) -> bool:
    """"save a new lead, Rafael Soto ... oh and give *him* the newsletter tag": a change of the
    record the step before creates, pointed back to, is part of the creation, not an update of a
    record that does not exist yet."""
    if before is None or tool is None or POINTER.search(part) is None:
        return False
    made, changed = catalog.tools[before], catalog.tools[tool]
    return made.verb == "create" and changed.verb == "update" and made.noun == changed.noun


def _asks(part: str) -> bool:
    """A question, not a wish or a story ("I want to send gifts to our best customers this year.
    Who are the top 15?": the question says more about the same call)."""
    return "?" in part or QUESTION.match(JOINER.sub("", part).strip()) is not None


POINTER = re.compile(r"\b(?:it|its|them|they|their|him|his|her|he|she)\b", re.I)
QUESTION = re.compile(r"(?:how|what|which|who|when|where)\b", re.I)
"""A later part asking its own question with values of its own ("what's in negotiation? and how many
deals have we lost") is a call of its own, not more about the call before."""
KIND_WINDOW = 1.0
"""How far below a later step's best tool one about the record it points back to may score."""


def _kinds(catalog: Catalog, tool: str | None) -> frozenset[str]:
    """The kinds of record a tool is about: those it identifies or links to (create_deal's
    customer), and one its name says (create_webhook makes a webhook, webhook_health tells of
    webhooks)."""
    if not tool:
        return frozenset()
    slots = catalog.tools[tool]
    named = frozenset(tool.split("_")) & catalog.record_kinds
    linked = frozenset(s.reference for s in slots.references if s.reference)
    return slots.kinds | named | linked


def _pointed_kind(steps: list[tuple[str, Route]], catalog: Catalog,
                  scores: dict[str, list[tuple[str, float]]]) -> list[tuple[str, Route]]:
    """"find the webhook that points at zapier and pause *it*": a later step that points back
    acts on the record the step before acts on, so of its close tools the one that takes that
    kind of record (update_webhook), not the best-scored one that cannot (pause_automation)."""
    out = list(steps[:1])
    for part, chosen in steps[1:]:
        before = _kinds(catalog, out[-1][1].tool)
        if before and POINTER.search(part) and not before & _kinds(catalog, chosen.tool):
            ranked = [(label, score) for label, score in scores[part] if label in catalog.tools]
            better = next((label for label, score in ranked[1:4]
                           if ranked[0][1] - score <= KIND_WINDOW and before & _kinds(catalog, label)), None)
            if better is not None:
                chosen = Route("act", better, dict(ranked)[better], tool=better, nearest=chosen.nearest)
        out.append((part, chosen))
    return out


def _names_nothing(part: str, tool: str | None, catalog: Catalog, today: date, first: str,
                   first_tool: str | None) -> bool:
    """"open prediction pred_7 and show the results": a later part whose tool needs a record it
    neither names nor points back to says how to answer the part before, not what else to do;
    unless another tool asks it about the customer or deal the first part names ("Leila Martin:
    how much she spend this year, and forecast next 3 months spend")."""
    if tool is None or catalog.tools[tool].spec.kind != "read":
        return False  # "... and add a note: ..." writes on the record the step before acted on
    filled = read(part, tool, catalog, today)
    slots = catalog.tools[tool]
    needed = [slot for name in filled.missing if (slot := slots.get(name)) is not None and slot.identifies]
    if not needed or filled.references or filled.pronouns or POINTER.search(part) is not None:
        return False
    if first_tool is None or first_tool == tool:
        return True
    named = read(first, first_tool, catalog, today).references
    kinds = {catalog.tools[first_tool].get(name).record_kind for name in named  # type: ignore[union-attr]
             if catalog.tools[first_tool].get(name) is not None}
    return not any(slot.record_kind in kinds for slot in needed)


def _sure(chosen: Route, ranked: list[tuple[str, float]], catalog: Catalog, opens: bool) -> bool:
    """A part is a step of its own when its tool scores well; or, when it opens the request,
    asks for a change and scores far above any other tool ("close the umbrella outdoor expedition
    kit out as lost, and delete ...": -0.2, the next tool -0.89; a decline scoring between them
    was already beaten by the route). A later part is held to the
    score: after a statement ("Mia hasn't ordered in ages and won't return calls - park her as
    inactive") it is the consequence, not a second step."""
    if chosen.score >= SPLIT_SURE:
        return True
    if not opens:
        return False
    others = [score for label, score in ranked if label in catalog.tools and label != chosen.tool]
    runner_up = others[0] if others else chosen.score - SPLIT_MARGIN  # the route already beat the declines
    changes = chosen.tool is not None and catalog.tools[chosen.tool].spec.kind != "read"
    return changes and chosen.score - runner_up >= SPLIT_MARGIN


def _writes_text(part: str, chosen: Route, catalog: Catalog, today: date) -> bool:
    """"... and add a note: went with a cheaper supplier": a part that writes a text into a field
    its tool declares words for (the words, a colon, the text) is a step of its own, however its
    other words score."""
    if chosen.tool is None or ":" not in part:
        return False
    declared = catalog.tools[chosen.tool].language.field_words
    args = read(part, chosen.tool, catalog, today).args
    return any(isinstance(args.get(name), str) and part.rstrip(" .").endswith(str(args[name]))
               for name in declared)
