"""A message about the record the last answer was about, when the words alone point elsewhere.

"create a deal 'Monarch tent rental' for 6k" then "actually make that 7.5k": the classifier sees
an amount and "make", not a deal; the deal just created is what "that" is, so the call is the
tool that changes that kind of record. "who were my top customers this year" then "tell me more
about the number one": the first record of that list, for the tool that tells about one such
record, chosen with the earlier request in view ("who's most likely to leave us" then "the top
one" asks about that customer's churn risk, not their orders).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

from agent.nlu.catalog import Catalog
from agent.nlu.conversation import Step
from agent.nlu.fill import read
from agent.nlu.plan import Intent
from agent.nlu.references import Entity, entities_of
from agent.nlu.words import POINTS_BACK

ORDINAL = re.compile(
    r"\b(?:(?:the\s+)?(?:number|no\.?|#)\s*(?P<num>one|two|three|four|five|[1-5])\b"
    r"|(?:the\s+)?(?P<word>first|second|third|fourth|fifth|top|1st|2nd|3rd|4th|5th|last|newest|latest"
    r"|most recent|oldest)"
    r"\s+(?:one|entry|on (?:the|that) list|customer|deal|record|person))"
)
ABOUT = re.compile(r"\bthe (?:one|ones?) (?:about|on|for|regarding|re|saying|that says) (?P<words>[^,.?!;]+)")
ABOUT_MATCH, ABOUT_MARGIN = 60, 10
"""How well the words must match a row's label (rapidfuzz's token-set ratio), and by how much
better than every other row's."""
AMEND_MARGIN = 0.25
"""How close to the best tool's score a tool acting on the record pointed at must be, when the
words give it no value, for the message to be about that record."""
POSITIONS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "first": 1, "1st": 1, "top": 1,
             "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5, "5th": 5,
             "last": -1, "newest": 1, "latest": 1, "most recent": 1, "oldest": -1}
"""Lists are shown newest first: the newest is the first row."""


@dataclass(frozen=True)
class Target:
    """The record meant and the tools that could act on it, best first."""

    entity: Entity
    tools: list[str]


def _acting_on(catalog: Catalog, kind: str, available: Collection[str]) -> list[str]:
    return [name for name, slots in catalog.tools.items()
            if name in available and any(s.identifies and s.record_kind == kind for s in slots.slots)]


def _links_to(catalog: Catalog, tool: str, kind: str, text: str, today: date) -> bool:
    """"now open a 6k deal for *her*": the best tool for the words links a new record to that
    kind of record, and the pronoun is that link, not a change to the record."""
    if catalog.tools[tool].spec.kind == "read":
        return False
    return kind in read(text, tool, catalog, today).pronouns.values()


def _intent(catalog: Catalog, tool: str, text: str, entity: Entity, today: date) -> Intent:
    filled = read(text, tool, catalog, today)
    slot = next(s for s in catalog.tools[tool].slots if s.identifies and s.record_kind == entity.kind)
    intent = Intent.of(filled, text)
    intent.references.pop(slot.name, None)
    intent.pronouns.pop(slot.name, None)
    intent.args.pop(slot.name, None)  # a name read from the words is no change: the record is pointed at
    intent.ids[slot.name] = entity.id
    intent.missing = [m for m in intent.missing if m != slot.name]
    return intent


def amend(catalog: Catalog, text: str, last: Step | None, ranked: list[tuple[str, float]],
          available: Collection[str], today: date) -> Intent | None:
    """A change to the one record the last call made or showed, pointed at with "it"/"that",
    when the best tool for the words does not act on that kind of record."""
    if last is None or not POINTS_BACK.search(text.lower()):
        return None
    entities = entities_of(last, catalog.record_kinds)
    if not entities:
        return None
    entity = entities[0]
    acting = _acting_on(catalog, entity.kind, available)
    top = next((label for label, _ in ranked if label in available), None)
    if top in acting or (top is not None and _links_to(catalog, top, entity.kind, text, today)):
        return None
    if top is not None and catalog.tools[top].verb == "create" and catalog.tools[top].noun == entity.kind:
        return None  # "open one for her then: Aperture Labs - Trail backpacks" after her deals: a new one
    scores = dict(ranked)
    for tool in _in_order(ranked, [t for t in acting if catalog.tools[t].spec.kind != "read"]):
        if tool not in scores:
            continue  # ruled out: "which system set her status?" asks who changed it, not for a change
        intent = _intent(catalog, tool, text, entity, today)
        # "ok delete it" after a deal was shown: the words chose deleting another kind of record,
        # the record pointed at says which (delete_deal for delete_webhook); "switch it back on"
        # after an automation was paused fits resuming it almost as well as the webhook's change
        same_verb = top is not None and catalog.tools[tool].verb == catalog.tools[top].verb
        close = top is not None and scores[tool] > scores[top] - AMEND_MARGIN
        if (intent.args or same_verb or close) and not intent.references and not intent.missing:
            return intent
    return None


def ordinal(catalog: Catalog, text: str, earlier: str, calls: Iterable[Step],
            available: Collection[str], today: date) -> Intent | None:
    """"tell me more about the number one": the record at that place in the last list shown (a
    call that showed one record since, "pause it", does not replace the list), for the tool about
    one such record that best fits both requests together."""
    low = text.lower()
    if ORDINAL.search(low) is None and ABOUT.search(low) is None:
        return None  # earlier turns are read (and counted as read) only when pointed at
    shown, lister = _last_list(catalog, calls)
    entity = placed(text, shown)
    if entity is None:
        return None
    tools = _acting_on(catalog, entity.kind, available)
    if not tools:
        return None
    now = _first(catalog.classifier.ranked(text), tools)
    if catalog.tools[now].spec.kind != "read":  # "move the second one to won": a change of its own
        intent = _intent(catalog, now, text, entity, today)
        if intent.args or (not intent.missing and catalog.tools[now].verb != "update"):
            return intent  # "delete the first one" needs nothing more; "update the first one" does
    readers = [t for t in tools if catalog.tools[t].spec.kind == "read"] or tools
    same = _same_topic(lister, readers, entity.kind)
    if same is not None:  # "who's most likely to leave us", "the top one": that customer's churn risk
        return _intent(catalog, same, text, entity, today)
    both = catalog.classifier.ranked(f"{earlier} {text}")
    return _intent(catalog, _first(both, readers), text, entity, today)


def _same_topic(lister: str | None, readers: list[str], kind: str) -> str | None:
    """The one tool about a single record whose name shares the most words with the tool that
    listed it, besides the record's kind (churn_risk -> customer_churn_risk); None on a tie."""
    if lister is None:
        return None
    words = set(lister.split("_")) - {kind, f"{kind}s", "list", "get", "top"}
    shared = sorted(((len(words & set(t.split("_"))), t) for t in readers), reverse=True)
    if not shared or shared[0][0] == 0 or (len(shared) > 1 and shared[1][0] == shared[0][0]):
        return None
    return shared[0][1]


def placed(text: str, listed: list[Entity]) -> Entity | None:
    """The record of the list a request points at: by its place ("the second one") or by what it
    is about ("dismiss the one about stuck deals": the row whose label those words match best,
    clearly better than any other)."""
    if not listed:
        return None
    found = ORDINAL.search(text.lower())
    if found is not None:
        position = POSITIONS[found.group("num") or found.group("word")]
        return listed[position - 1 if position > 0 else -1] if position <= len(listed) else None
    about = ABOUT.search(text.lower())
    if about is None:
        return None
    scores = sorted(((fuzz.token_set_ratio(about.group("words"), e.label.lower()), i)
                     for i, e in enumerate(listed)), reverse=True)
    best, runner_up = scores[0][0], scores[1][0] if len(scores) > 1 else 0
    return listed[scores[0][1]] if best >= ABOUT_MATCH and best - runner_up >= ABOUT_MARGIN else None


def _last_list(catalog: Catalog, calls: Iterable[Step]) -> tuple[list[Entity], str | None]:
    """The records of the newest call that showed several, else of the newest that showed any,
    with the tool that showed them."""
    first: tuple[list[Entity], str | None] = ([], None)
    for step in calls:
        rows = _listed(entities_of(step, catalog.record_kinds, every=True))
        if len(rows) > 1:
            return rows, step.name
        if rows and not first[0]:
            first = (rows, step.name)
    return first


def _in_order(ranked: list[tuple[str, float]], tools: list[str]) -> list[str]:
    """These tools, best scored first (unscored ones last)."""
    order = {label: i for i, (label, _) in enumerate(ranked)}
    return sorted(tools, key=lambda t: order.get(t, len(order)))


def _first(ranked: list[tuple[str, float]], tools: list[str]) -> str:
    return _in_order(ranked, tools)[0]


def _listed(entities: Iterable[Entity]) -> list[Entity]:
    """The records of the kind a list is about (each row names its own record before the ones it
    links to: a deal, then its customer), once each, in the order shown."""
    entities = list(entities)
    if not entities:
        return []
    kind = entities[0].kind
    seen: dict[str, Entity] = {}
    for e in entities:
        if e.kind == kind:
            seen.setdefault(e.id, e)
    return list(seen.values())
