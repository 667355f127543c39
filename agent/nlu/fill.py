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
from typing import Any

from agent.nlu import extract_ids as written
from agent.nlu import extract_numbers as numbers
from agent.nlu import extract_text as text
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
from agent.nlu.fill_text import (
    SEARCH_NAMES,
    read_name,
    read_record_filter,
    read_search,
    read_texts,
    read_title,
)
from agent.nlu.periods import PeriodRef, month_ref, quarter_ref
from agent.nlu.slots import Slot, ToolSlots
from agent.nlu.utterance import Utterance
from agent.nlu.words import PRONOUNS
from core.ids import UUID

LINK_CUE = re.compile(r"\b(?:for|with|from|at|to)\s+(?:the\s+)?$")
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


def _references(u: Utterance, tool: ToolSlots, filled: Filled, common: frozenset[str]) -> None:
    """The record acted on (a required reference) is the name in the request, or a pronoun; an
    optional link ("a deal *for Acme*") only where nothing else takes the name: a tool that acts
    on another record, or filters by text, links only after the link's own cue ("customer to
    Acme")."""
    targets = [s for s in tool.references if s.required]
    has_search = any(s.name in SEARCH_NAMES for s in tool.of_kind("text"))
    pronoun = PRONOUNS.search(u.norm)
    cued = [s for s in tool.references if not s.required and tool.language.field_words.get(s.name)]
    for slot in cued if targets else []:
        # "hand the wonka rental fleet deal *over to* Marco": a name after a link's own declared
        # words is that link's before the record acted on takes any name
        span = text.read_cued(u, _link_cue(slot, tool.language.field_words[slot.name]), common)
        if span is not None:
            filled.references[slot.name] = span.text
            u.take(span.start, span.end)
    for slot in targets:
        uuid = next(iter(u.find(UUID)), None)
        if uuid is not None:  # "pull up customer 5b8d2f10-...": its id, not a name to look up
            filled.args[slot.name] = u.cased[uuid.start():uuid.end()]
            u.take(uuid.start(), uuid.end())
            continue
        spans = text.name_spans(u, common)
        span = text.best_span(spans)
        if span is not None and not span.capitalised and slot.reference:  # the first that runs on to it
            span = next((run for s in spans if (run := text.through_noun(u, s, slot.reference))), span)
        said = pronoun.group(0).lower() if pronoun is not None else ""
        fits = pronoun is not None and pronoun_fits(said, slot.reference)
        dropped: text.Span | None = None
        if (span is not None and pronoun is not None and fits and not span.capitalised
                and (" " not in span.text.strip() or (said in ONE_PERSON and span.start > pronoun.start()))):
            # "great news, they signed. move it to won": "it", not a deal called "news"; "take the
            # tag off *him*, he doesn't want special treatment": words after the person pointed
            # at are no name of theirs ("grace wilson - how much she spent" names her first)
            thing = said.split()[0] not in PERSONAL  # a person named in lowercase is capitalised already
            dropped, span = (_named_before(u, spans, pronoun.start()) if thing else None), None
        if span is None and not fits and slot.reference:
            span = text.the_words_before(u, slot.reference, _value_words(tool))
        if span is not None:
            filled.references[slot.name] = span.text
            u.take(span.start, span.end)
        elif fits:
            filled.pronouns[slot.name] = slot.reference or ""
            called = text.the_words_before(u, slot.reference, _value_words(tool)) if slot.reference else None
            fallback = called or dropped  # "hooli annual supply contract, make it qualified": those
            if fallback is not None:  # words' record, when the conversation has none before
                filled.fallbacks[slot.name] = fallback.text
        else:
            filled.missing.append(slot.name)
    linked = False
    for slot in _named_kind_first([s for s in tool.references
                                   if not s.required and s.name not in filled.references], u):
        span = text.read_cued(u, _link_cue(slot, tool.language.field_words.get(slot.name, ())), common)
        if span is None and not targets and not has_search and not linked:  # one uncued link
            found = [
                s for s in text.name_spans(u, common) if s.capitalised or LINK_CUE.search(u.norm[: s.start])
            ]  # a name after its cue before a bare capitalised one: "deal: Trade fair stand w/ Wei Li"
            found.sort(key=lambda s: (not s.capitalised and " " not in s.text.strip(),  # "come from
                                      LINK_CUE.search(u.norm[: s.start]) is None))   # originally"
            span = found[0] if found else None
        if span is not None:
            filled.references[slot.name] = span.text
            u.take(span.start, span.end)
            linked = True
        elif (pronoun is not None and not targets and not filled.pronouns and not filled.references
              and (not has_search or pronoun.group(0).lower() in ONE_PERSON)
              and pronoun_fits(pronoun.group(0), slot.reference)):
            filled.pronouns[slot.name] = slot.reference or ""  # "open a deal for *him*"
    _pointed_filter(u, tool, filled, pronoun)


def _named_before(u: Utterance, spans: list[text.Span], before: int) -> text.Span | None:
    """The words from the first name-like span before a pronoun to the last one ("hooli annual
    supply"), when none of them is everyday: what the pronoun's record may be called."""
    named = [s for s in spans if s.end <= before and not text.everyday(s)]
    if not named:
        return None
    start, end = named[0].start, named[-1].end
    return text.Span(u.cased[start:end], start, end, False)


def _pointed_filter(u: Utterance, tool: ToolSlots, filled: Filled, pronoun: re.Match[str] | None) -> None:
    """"how have *its* runs gone?" after an automation was shown: an optional field that names a
    record (ToolLanguage.names_record) is that record, when nothing else points anywhere."""
    if pronoun is None or filled.pronouns or filled.references or tool.spec.kind != "read":
        return
    for slot in tool.slots:
        if (not slot.required and slot.names and slot.name not in filled.args
                and pronoun.group(0).lower().split()[0] in ("it", "its", "that", "this")
                and pronoun_fits(pronoun.group(0), slot.names)):
            filled.pronouns[slot.name] = slot.names
            return


def _value_words(tool: ToolSlots) -> frozenset[str]:
    """The words of the tool's declared values ("open", "won", "proposal"): never a title."""
    return frozenset(w for slot in tool.slots for value in slot.values for w in value.split("_"))


def _named_kind_first(links: list[Slot], u: Utterance) -> list[Slot]:
    """Optional links, the one whose kind of record the request names first: "the lineage of the
    Acme *deal*" links the deal called Acme, not the customer."""

    def named(slot: Slot) -> bool:
        noun = re.escape(str(slot.reference or ""))
        return bool(noun) and re.search(rf"\b{noun}s?\b", u.norm) is not None

    return sorted(links, key=lambda s: not named(s))


PERSONAL = frozenset(("him", "her", "them", "his", "their", "he", "she"))
PEOPLE = frozenset(("customer", "member", "user", "contact"))
ONE_PERSON = frozenset(("him", "her", "his", "he", "she"))
"""Pronouns that name one person even where a text filter could read a name ("what deals does
*she* have open?"); "them" there is more often the rows just listed."""
NOT_IT = frozenset(("member", "user"))


def pronoun_fits(pronoun: str, kind: str | None) -> bool:
    """"him" stands for a person (a customer or a team member), "it" for a thing or a company
    (never a team member: "add *it* as a deal" is not the person to assign it to), "that deal"
    only for a deal."""
    words = pronoun.lower().split()
    if words[0] in PERSONAL:
        return kind is None or kind in PEOPLE
    if words[0] in ("it", "its"):
        return kind not in NOT_IT
    noun = words[-1].removesuffix("s")
    return noun == "one" or kind is None or noun == kind or noun not in {"deal", "customer", "member",
                                                                           "automation", "workflow",
                                                                           "webhook", "integration"}


def _link_cue(slot: Slot, other: tuple[str, ...] = ()) -> re.Pattern[str]:
    """What introduces an optional link: "customer to Acme", "assign (the deal) to Ben" for a
    field named `assigned_to`, or the other words the tool declares for the field ("owned by
    Marco")."""
    words = slot.words.removesuffix(" id")
    said = "|".join(re.escape(w) for w in other)
    if words.endswith(" to"):
        verb = words[:-3].removesuffix("ed")
        pattern = rf"\b{re.escape(verb)}(?:ed)?\b.{{0,40}}?\bto\s+"
        return re.compile(pattern + (rf"|\b(?:{said})(?:\s+(?:is|=|:))?\s+" if said else ""), re.I)
    names = "|".join(re.escape(w) for w in {words, slot.reference or slot.name, *other})
    return re.compile(rf"\b(?:{names})(?:\s+(?:to|is|=|:))?\s+", re.I)


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
    _references(u, tool, filled, common)
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
