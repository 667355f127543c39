"""A tool's arguments from a request: each field is filled by the extractor for its kind of value,
in an order where the most specific values claim their words first (contact details, dates,
percentages, counts, money, enum values, then names).

Reference fields (ids named by name) are not filled here: their text is returned for the model
to resolve with a lookup call, or a pronoun ("move *it* to proposal") for the conversation to
resolve. Required fields that stay empty are reported missing, for the tool's question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta

from agent.nlu import extract_ids as written
from agent.nlu import extract_numbers as numbers
from agent.nlu.dates import MONTH_ALT
from agent.nlu.extract_enums import read_enums
from agent.nlu.extract_periods import (
    bounds_of,
    forward_args,
    period_args,
    read_day,
    read_periods,
    takes_periods,
)
from agent.nlu.extract_tags import read_tag_filter, read_tags
from agent.nlu.fill_references import read_references
from agent.nlu.fill_text import (
    read_name,
    read_record_filter,
    read_search,
    read_texts,
    read_title,
)
from agent.nlu.periods import PeriodRef, month_ref, quarter_ref, range_ref
from agent.nlu.slots import Slot, ToolSlots
from agent.nlu.utterance import Utterance

if TYPE_CHECKING:
    from agent.nlu.catalog import Catalog


@dataclass
class Filled:
    tool: str
    args: dict[str, Any] = field(default_factory=dict)
    references: dict[str, str] = field(default_factory=dict)
    """reference field -> the name to look up"""
    pronouns: dict[str, str] = field(default_factory=dict)
    """reference field -> the record kind a pronoun stands for ("move *it* to proposal")"""
    missing: list[str] = field(default_factory=list)
    periods: list[PeriodRef] = field(default_factory=list)
    fallbacks: dict[str, str] = field(default_factory=dict)
    """reference field -> the words a pronoun's record is also called by ("the event sponsorship
    one ... mark *it* won"): looked up when the conversation has no record for the pronoun"""


def _limit_slot(tool: ToolSlots) -> Slot | None:
    return next(
        (s for s in tool.of_kind("integer") if s.name == "limit" or "how many" in s.description.lower()), None
    )


def _percent_slot(tool: ToolSlots) -> Slot | None:
    return next(
        (
            s
            for s in tool.of_kind("integer", "number")
            if s.maximum is not None and 99 <= s.maximum <= 100
            and ("percent" in s.description.lower() or s.name == "confidence")
        ),
        None,
    )


NAMED_NUMBER = (r"\b{words}\b(?:\s+(?:to|of|at|is|=|:)|\s+(?:on|of|for)\s+[^,.;:\d]{{1,40}}?\s+(?:to|at))?"
                r"\s*(?P<n>\d{{1,3}}(?:\.\d+)?)\s*(?:%|percent)?"
                r"(?![\d,.]*\s*(?:k|m|bn|grand|thousand|dollars?|bucks|usd|eur|gbp)\b)(?![\w.,]*\d)")


def _named_numbers(u: Utterance, tool: ToolSlots, args: dict[str, Any]) -> None:
    """"bump the probability to 40", "probability 80", "the probability on the Globex deal to 80":
    a plain number right after a whole-number field's name (or after "to" past the record it is
    of) is that field's, with or without a percent sign."""
    for slot in tool.of_kind("integer"):
        if slot.name in args or slot.name in ("page", "limit"):
            continue
        for m in u.find(NAMED_NUMBER.format(words=r"\s+".join(map(re.escape, slot.words.split())))):
            value = float(m.group("n"))
            if value == int(value) and (slot.maximum is None or value <= slot.maximum) and (
                    slot.minimum is None or value >= slot.minimum):
                args[slot.name] = int(value)
                u.take(m.start("n"), m.end())
                break


CHANCE = re.compile(r"\b(?:chance|probability|likelihood)\b")
"""A percentage that is a chance: odds give it too ("one in five")."""


def _numbers(u: Utterance, tool: ToolSlots, args: dict[str, Any]) -> None:
    _named_numbers(u, tool, args)
    slot = _percent_slot(tool)
    odds = slot is not None and CHANCE.search(slot.description.lower()) is not None
    if slot is not None and slot.name not in args and (value := numbers.percent(u, odds)) is not None:
        args[slot.name] = abs(value) if slot.minimum is not None and slot.minimum >= 0 else value
    slot = _limit_slot(tool)
    if slot is not None and (value := numbers.count(u)) is not None:
        args[slot.name] = value
    money = [s for s in tool.of_kind("number") if s.name not in args]
    low = next((s for s in money if s.name.startswith("min")), None)
    high = next((s for s in money if s.name.startswith("max")), None)
    if low or high:
        lo, hi = numbers.bounds(u)
        if low and lo is not None:
            args[low.name] = lo
        if high and hi is not None:
            args[high.name] = hi
    for slot in money:  # a field named beside its amount first, then the rest in order
        words = tool.language.field_words.get(slot.name, ())
        if slot not in (low, high) and (worth := numbers.cued_money(u, words, slot.required)) is not None:
            args[slot.name] = worth.value
    money = [s for s in money if s.name not in args]
    for slot in money:
        if slot not in (low, high) and (worth := numbers.money(u, loose=slot.required)) is not None:
            args[slot.name] = worth.value
            currency = tool.get("currency")
            if worth.currency and currency is not None and "currency" not in args:
                args["currency"] = worth.currency  # "£4,500", "15000 EUR"


def _dates(u: Utterance, tool: ToolSlots, args: dict[str, Any], today: date) -> list[PeriodRef]:
    refs: list[PeriodRef] = []
    args.update(forward_args(u, tool, today))
    if takes_periods(tool):
        refs = read_periods(u, today)
        if tool.language.looks_ahead:
            refs = [_ahead(u, ref, today) for ref in refs]
        if refs:
            args.update(period_args(refs[0], tool, today))
    ranged = bounds_of(tool)
    for slot in tool.of_kind("date"):
        if slot not in ranged and slot.name not in args and (day := read_day(u, today)) is not None:
            if day <= today and tool.verb == "update" and not _date_field_named(u, tool, slot):
                continue  # "sent the quote over today": when it happened, not a date to set
            args[slot.name] = day.isoformat()
            _claim_date_cue(u, slot)
    return refs


BARE_MONTH = re.compile(rf"(?:(?:in|for|during|of|over)\s+)?(?:{MONTH_ALT})\.?")
BARE_MONTHS = re.compile(rf"(?:(?:between|from|for|over)\s+)?(?:{MONTH_ALT})\.?\s*"
                         rf"(?:and|to|through|thru|till|until|-|–)\s*(?:{MONTH_ALT})\.?")
DAYS_OF_A_MONTH = re.compile(rf"(?:(?:from|between)\s+)?(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s*"
                             rf"(?:to|and|until|till|through|thru|-|–)\s*(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?"
                             rf"\s+(?:of\s+)?(?:{MONTH_ALT})\.?")
"""Days of a month named without its year ("14th to 31st Dec"): to a tool that forecasts, the next ones."""
BARE_QUARTER = re.compile(r"(?:(?:in|for|during|of|over)\s+)?(?:the\s+)?"
                          r"(?:q[1-4]|(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter)")


def _ahead(u: Utterance, ref: PeriodRef, today: date) -> PeriodRef:
    """"revenue projection for january" asks about the January ahead: a month named without its
    year, to a tool that forecasts, is its next one (to one that reports, its last)."""
    said = u.norm[ref.pos:ref.stop].strip()
    if ref.end > today:
        return ref
    if ref.unit == "quarter" and BARE_QUARTER.fullmatch(said):  # "in Q1": the next one
        quarter = quarter_ref(ref.start.year + 1, (ref.start.month - 1) // 3 + 1)
        return replace(quarter, pos=ref.pos, stop=ref.stop)
    if ref.unit == "range" and (BARE_MONTHS.fullmatch(said) or DAYS_OF_A_MONTH.fullmatch(said)):
        shifted = range_ref(ref.start + relativedelta(years=1), ref.end + relativedelta(years=1))
        return replace(shifted, pos=ref.pos, stop=ref.stop)
    if ref.unit != "month" or not BARE_MONTH.fullmatch(said):
        return ref
    return replace(month_ref(ref.start.year + 1, ref.start.month), pos=ref.pos, stop=ref.stop)


def _date_field_named(u: Utterance, tool: ToolSlots, slot: Slot) -> bool:
    """Whether a change names the date field it sets ("set the *close* date to today", or a word
    the tool declares for the field): today or a day past, alone in a change, is when something
    happened more often than a date to set."""
    words = [w for w in slot.words.split() if w not in ("expected", "day")]
    declared = tool.language.field_words.get(slot.name, ())
    stems = [re.escape(w[:5]) for w in words] + [re.escape(w) for w in declared]
    return bool(stems) and re.search(rf"\b(?:{'|'.join(stems)})", u.norm) is not None


def _claim_date_cue(u: Utterance, slot: Slot) -> None:
    """"they want it *closed by* 31/01/2027": the field's own word right before its date belongs
    to the date, so it is not read again as a value ("closed" is also a deal stage)."""
    start, _ = u.taken[-1]
    words = [w for w in slot.words.split() if w not in ("date", "expected", "day")]
    if not words:
        return
    stems = "|".join(re.escape(w[:5]) for w in words)
    cue = re.search(rf"\b(?:{stems})\w*\s+(?:by|on|before|around|for)?\s*$", u.norm[:start])
    if cue is not None and u.is_free(cue.start(), cue.end()):
        u.take(cue.start(), cue.end())


def _named_changes(u: Utterance, tool: ToolSlots, filled: Filled) -> None:
    """"set the probability on the Blue Sun deal": a change that names its field but gives no
    value is missing that value (the tool's question asks for it), not a call that changes
    nothing."""
    for slot in tool.slots:
        if slot.required or slot.kind in ("reference", "list", "other") or slot.name in filled.args:
            continue
        words = slot.words.removesuffix(" id").split()
        said = " ".join(words[-2:]) if len(words) > 1 else words[0]
        other = tool.language.field_words.get(slot.name, ())
        if any(len(w) >= 4 and any(u.is_free(m.start(), m.end())  # not inside a note's text
                                     for m in re.finditer(rf"\b{re.escape(w)}\b", u.norm))
               for w in (said, *other)):
            filled.missing.append(slot.name)


def _typed(tool: ToolSlots, values: dict[str, Any]) -> dict[str, Any]:
    """Declared values in the field's own type: a yes/no field's are booleans ("including
    disconnected" -> True), a number field's numbers ("over 60 days" -> 60)."""
    out = dict(values)
    for name, value in values.items():
        slot = tool.get(name)
        if slot is None or not isinstance(value, str):
            continue
        if slot.json_type == "boolean" and value in ("true", "false"):
            out[name] = value == "true"
        elif slot.json_type in ("integer", "number") and re.fullmatch(r"-?\d+(?:\.\d+)?", value):
            out[name] = int(value) if slot.json_type == "integer" else float(value)
    return out


def _included(u: Utterance, tool: ToolSlots, args: dict[str, Any]) -> None:
    """A yes/no field named `include_<what>` is asked for when the request names what
    ("show my api keys, revoked ones too", "even disconnected ones"): the field's own name is
    its phrase, as a field's words are for a change."""
    for slot in tool.slots:
        what = slot.name.removeprefix("include_").replace("_", " ")
        if (slot.json_type == "boolean" and slot.name.startswith("include_") and slot.name not in args
                and len(what) >= 4 and re.search(rf"\b{re.escape(what)}", u.norm)):
            args[slot.name] = True


def _kind_of_record(tool: ToolSlots, filled: Filled) -> None:
    """A field that says what kind of record the call is about (entity_lineage's entity_type) is
    the kind of the one record named: "the stage on the Stark Supplies wholesale
    order deal" is about a deal, whatever other kind its title mentions."""
    named = {tool.language.references.get(n) for n in filled.references} - {None}
    if len(named) != 1:
        return
    kind = named.pop()
    for slot in tool.of_kind("enum"):
        if slot.name.endswith("_type") and kind in slot.values and kind != slot.default:
            filled.args[slot.name] = kind


def fill(u: Utterance, tool: ToolSlots, common: frozenset[str], today: date) -> Filled:
    filled = Filled(tool.name)
    args = filled.args
    slots = list(tool.slots)
    written.read_urls(u, slots, args)
    written.read_ids(u, slots, args)
    read_tag_filter(u, tool, args)  # before the texts: "with tag b2b" names no company
    read_texts(u, tool, args, common)
    filled.periods = _dates(u, tool, args, today)
    written.read_durations(u, slots, args)
    _numbers(u, tool, args)
    args.update(_typed(tool, read_enums(u, tool, skip=set(args))))
    _included(u, tool, args)
    read_references(u, tool, filled, common)
    _kind_of_record(tool, filled)
    untold = read_tags(u, tool, args)
    read_title(u, tool, args, common)
    read_name(u, tool, args, common)
    read_search(u, tool, args, common)
    read_record_filter(u, tool, args, common)
    if tool.name.startswith("update_"):
        _named_changes(u, tool, filled)
    if tool.language.read is not None:
        for name, value in tool.language.read(u.raw, args).items():  # the tool's own reading knows better
            if value is None:
                args.pop(name, None)
            else:
                args[name] = value
    if tool.language.needs is not None:  # a name gives a value; a pronoun may point at none
        given = {**args, **dict.fromkeys(filled.references, True)}
        filled.missing += [n for n in tool.language.needs(given) if n not in filled.missing]
    if untold is not None and untold not in args:
        filled.missing.append(untold)  # "tag Sofia Khan": which tag?
    for slot in tool.slots:
        if (
            slot.required
            and slot.name not in args
            and slot.name not in filled.references
            and slot.name not in filled.pronouns
            and slot.name not in filled.missing
        ):
            filled.missing.append(slot.name)
    return filled


def read(text: str, tool: str, catalog: Catalog, today: date) -> Filled:
    """The arguments a text gives one tool of the catalog."""
    return fill(
        Utterance(text, catalog.training.vocabulary), catalog.tools[tool], catalog.command_words, today
    )
