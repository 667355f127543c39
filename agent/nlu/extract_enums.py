"""Enum values by their value and by the synonyms a tool declares for them.

"which deals have we won?" -> status=won; "mark it as won" -> stage=closed_won; "show me the
biggest deals" -> sort_by=value and sort_order=desc. A value said as itself beats a synonym, a
longer phrase beats a shorter one, and a filter (a field without a default) claims its words so
that one word never sets two filters; modifiers with a default (sort order, bucket size) may share
a word. A value that is also a field of the tool's result ("email", "value", "name") counts only
through a declared synonym: "what's his email" is not a request to sort by email.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from agent.nlu.slots import Slot, ToolSlots
from agent.nlu.text import canonical
from agent.nlu.utterance import Utterance


@dataclass(frozen=True)
class Mention:
    slot: Slot
    value: str
    start: int
    end: int
    exact: bool


@lru_cache(maxsize=4096)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A declared phrase as a pattern: any spacing, dashes or underscores between its words, and
    a plural ending on a one-word phrase."""
    words = [re.escape(w) for w in re.split(r"[\s_-]+", canonical(phrase).lower()) if w]
    tail = r"(?:s|es)?" if len(words) == 1 and words[0].isalpha() else ""
    after = r"(?!\w|-(?!" + COMPOUND_TAILS + r"\b))"
    return re.compile(r"(?<![\w-])" + r"[\s_-]+".join(words) + tail + after)


COMPOUND_TAILS = r"(?:stage|status|type|entry|only|ones?|level|source|priority|kind|tagged)"
""""qualified-stage deals", "manual-entry source": a value joined by a dash to the word it
qualifies is still said; any other dashed word ("non-vip") is another word."""


_FIELDS: dict[str, frozenset[str]] = {}


def field_names(tool: ToolSlots) -> frozenset[str]:
    """Every field name of the tool's output model (nested ones too): the values of a "sort by"
    field, not words with a meaning of their own."""
    if tool.name in _FIELDS:
        return _FIELDS[tool.name]
    names: set[str] = set()

    def walk(schema: Any) -> None:
        if isinstance(schema, dict):
            for key, value in schema.items():
                if key == "properties" and isinstance(value, dict):
                    names.update(value)
                walk(value)
        elif isinstance(schema, list):
            for item in schema:
                walk(item)

    walk(tool.spec.output_schema())
    found = _FIELDS[tool.name] = frozenset(n.lower() for n in names)
    return found


def mentions(u: Utterance, tool: ToolSlots, slots: list[Slot]) -> list[Mention]:
    found = []
    fields = field_names(tool)
    for slot in slots:
        for value in slot.values:
            phrases = [(p, False) for p in slot.synonyms.get(value, ())]
            if not re.search(r"\d", value) and value.lower() not in fields:
                phrases.append((value.replace("_", " "), "_" not in value))
            for phrase, exact in phrases:
                for m in u.find(phrase_pattern(phrase)):
                    found.append(Mention(slot, value, m.start(), m.end(), exact))
    return found


SPAN_BEFORE = re.compile(r"\b(?:coming|next|following|few|several|couple of|last|past|\d+|many)\s+$")


def _a_span(u: Utterance, m: Mention, found: list[Mention]) -> bool:
    """"over the coming months, week by week": a plural unit after "coming" or "last 3" is a span
    of time, not the value "month", when the same field's other value is said too."""
    return m.exact and u.norm[m.start:m.end].endswith("s") and SPAN_BEFORE.search(
        u.norm[max(0, m.start - 25):m.start]) is not None and any(
        n.slot is m.slot and n.value != m.value for n in found)


def _inside(m: Mention, other: Mention) -> bool:
    """A value said inside a longer phrase for the same field is part of that phrase: "phone
    number" is the phone, not the value "number" said as itself."""
    return (other.slot is m.slot and other.start <= m.start and m.end <= other.end
            and other.end - other.start > m.end - m.start)


NEGATED = re.compile(
    r"\b(?:(?:not|never)(?:\s+(?:been|be|being|get|got|gotten|yet|ever|really|actually|just|fully))*"
    r"|(?:nobody|no one|no-one|none of us)(?:\s+(?:has|have|had|did|is|was|ever|yet|really|actually))*"
    r"|no|except|excluding|without|apart from|other than|skip|skipping|ignore|ignoring|leave out|leaving out"
    r"|minus)\s+(?:the\s+|any\s+|an?\s+)?$")
"""A value said to be left out ("just the connectors, *not the* manual stuff", "problems that have
*not been* fixed", "she's *not just a* lead") is not the value."""


def _unless_negated(u: Utterance, found: list[Mention]) -> list[Mention]:
    """A value said negated is not that value; when all of a field's values but one are, it is
    that one ("incidents that haven't been fixed": open; "deals that aren't won or lost yet":
    open; "deals not yet won" leaves two). A value joined to a negated one by "or", "nor", "and"
    or a comma is negated with it."""
    kept: list[Mention] = []
    negated: dict[str, tuple[Mention, set[str]]] = {}
    last: dict[str, tuple[Mention, bool]] = {}  # per field: its mention before, and if denied
    for m in sorted(found, key=lambda m: m.start):
        before, was = last.get(m.slot.name, (None, False))
        if before is not None and (before.start, before.end) == (m.start, m.end):
            denied = was  # the same words read twice (exactly and loosely)
        else:
            denied = NEGATED.search(u.norm[max(0, m.start - 40):m.start]) is not None or (
                before is not None and was and m.start >= before.end
                and re.fullmatch(r"\s*(?:,|or|nor|and)\s*", u.norm[before.end:m.start]) is not None)
        if denied:
            negated.setdefault(m.slot.name, (m, set()))[1].add(m.value)
        else:
            kept.append(m)
        last[m.slot.name] = (m, denied)
    for first, values in negated.values():
        rest = [v for v in first.slot.values if v not in values]
        if len(rest) == 1:
            kept.append(Mention(first.slot, rest[0], first.start, first.end, False))
    return kept


LEFT = re.compile(r"\bfrom\s+(?:the\s+|an?\s+|being\s+(?:an?\s+)?)?$")


def _left_behind(u: Utterance, m: Mention, found: list[Mention]) -> bool:
    """"switch her from prospect to an active customer": the value it changes from is not the
    value asked for when the same field's value follows."""
    return LEFT.search(u.norm[max(0, m.start - 20):m.start]) is not None and any(
        n.slot is m.slot and n.start >= m.end and n.value != m.value for n in found)


def read_enums(u: Utterance, tool: ToolSlots, skip: set[str]) -> dict[str, Any]:
    """One value per field; every value named for a list field ("deal won and deal lost events")."""
    slots = [s for s in tool.of_kind("enum", "window") if s.name not in skip]
    chosen: dict[str, Any] = {}
    spans: list[tuple[int, int, bool]] = []
    found = mentions(u, tool, slots)
    found = [m for m in found if not any(_inside(m, other) for other in found)]
    found = _unless_negated(u, found)
    found = [m for m in found if not _left_behind(u, m, found) and not _a_span(u, m, found)]
    elsewhere = {(m.slot.name, n.start) for m in found for n in found
                 if n.slot.name == m.slot.name and (n.end <= m.start or n.start >= m.end)}
    # words two fields could take go to the field that has no other words ("email ..., remind
    # them to pay": "remind" is the template's; the action is said by "email")
    said_at: dict[Any, int] = {}
    order = sorted(found, key=lambda m: (not m.exact, m.start - m.end, (m.slot.name, m.start) in elsewhere,
                                         len(m.slot.values), m.start))
    for m in order:
        many = m.slot.json_type == "array"
        if m.slot.name in chosen and not many:
            continue
        modifier = m.slot.default is not None
        if any(not (m.end <= a or m.start >= b) and not (modifier and shared) for a, b, shared in spans):
            continue
        if many:
            values = chosen.setdefault(m.slot.name, [])
            if m.value not in values:
                values.append(m.value)
                said_at[m.value] = m.start
        else:
            chosen[m.slot.name] = m.value
        spans.append((m.start, m.end, modifier))
    for a, b, _ in spans:
        u.take(a, b)
    for value in chosen.values():  # a list in the order it was said ("for deal.won and deal.lost")
        if isinstance(value, list):
            value.sort(key=lambda v: said_at.get(v, 0))
    return chosen
