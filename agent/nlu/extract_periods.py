"""Dates and periods into a tool's own fields, whatever they are called.

A period mentioned in the request ("last month", "Q3 2025", "since March 1", "the last 90 days")
becomes, in order of preference: a named period its enum accepts (`period=last_month`), a calendar
month (`month=2026-10`), a pair of range bounds (`start_date`/`end_date`, `created_after`/
`created_before` — an exclusive bound is written as the day after), or a trailing window
(`period=90d`). A single day for a standalone date field ("push the close date to December 20")
is read with the same calendar rules, or by dateparser with the model's clock as its base.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

import dateparser
from dateutil.relativedelta import relativedelta

from agent.nlu.dates import MONTHS, parse_day
from agent.nlu.periods import PeriodRef, month_ref, named_ref, period_mentions, range_ref
from agent.nlu.shifts import calendar_unit, period_from_call
from agent.nlu.slots import Slot, ToolSlots
from agent.nlu.text import not_wanted
from agent.nlu.utterance import Utterance

MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
DAY_MENTION = re.compile(
    r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
    r"|\b(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:" + MONTH_NAMES + r")\b\.?(?:,?\s+\d{4})?"
    r"|\b(?:" + MONTH_NAMES + r")\b\.?\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+\d{4})?"
    r"|\b(?:today|tomorrow|yesterday)\b"
)
RELATIVE_DAY = re.compile(
    r"\b(?:(?:the\s+)?end of (?:the |this |next )?(?:week|month|quarter|year"
    r"|(?:" + MONTH_NAMES + r")(?:,?\s+\d{4})?)"
    r"|next (?:week|month|monday|tuesday|wednesday|thursday|friday)"
    r"|in \d+ (?:days|weeks|months))\b"
)
FORWARD_RE = re.compile(
    r"\b(?P<when>this|next|current|coming)\s+(?P<unit>week|month|quarter|year)\b"
    r"|\b(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(?P<end>week|month|quarter|year)\b"
    r"|\b(?:the\s+)?(?:next|coming|upcoming|following)\s+(?P<n>\d{1,3})\s+(?P<nunit>days?|weeks?|months?)\b"
    r"|\b(?P<ahead>\d{1,3})\s+(?P<aunit>days?|weeks?|months?)\s+"
    r"(?:ahead|out|forward|from now|into the future)\b"
    r"|\b(?:in|during|for)\s+(?P<month>" + MONTH_NAMES + r")\b(?!\.?\s*,?\s*\d)"
    r"(?!\.?\s*(?:to|through|thru|till|until|and|-|–)\s*(?:" + MONTH_NAMES + r")\b)"  # "for January to March"
    r"|\b(?P<dside>before|by|until|till|no later than)\s+(?:the\s+)?(?P<day>" + DAY_MENTION.pattern + r")"
    r"|\b(?P<side>before|after)\s+(?P<bound>" + MONTH_NAMES + r")\b"
    r"(?:\.?,?\s*(?P<year>\d{4})\b|(?!\.?\s*,?\s*\d))"
)
"""A window ahead of today, for fields about when something is expected to happen: "closing this
month" (the whole month, not month-to-date), "next week", "by the end of the quarter", "in
December" (the coming December), "the next 6 months" or "90 days out" (from today); "before
February" bounds one side only (the coming February), and so
does "before 1 Feb 2027" or "by March 15" (that day)."""
START_WORDS = ("start", "after", "from", "since", "begin")
END_WORDS = ("end", "before", "until", "to", "through")


def bounds_of(tool: ToolSlots) -> tuple[Slot | None, Slot | None]:
    """The tool's range-bound date fields (first day, last or day-after-last), if it has them."""
    dates = tool.of_kind("date")
    start = next((s for s in dates if any(w in s.name.split("_") for w in START_WORDS)), None)
    end = next((s for s in dates if s is not start and any(w in s.name.split("_") for w in END_WORDS)), None)
    return (start, end) if start and end else (None, None)


def forward_bounds(tool: ToolSlots) -> tuple[Slot | None, Slot | None]:
    """The range bounds when they are about an expected, future date (a deal's expected close)."""
    start, end = bounds_of(tool)
    if start and end and "expected" in f"{start.name} {start.description}".lower():
        return start, end
    return None, None


def forward_args(u: Utterance, tool: ToolSlots, today: date) -> dict[str, str]:
    """Bounds on an expected date from a window ahead ("closing next week": the whole week, where
    a past period would stop at today); nothing when the tool has no such bounds."""
    after, before = forward_bounds(tool)
    if not (after and before) or (window := read_forward(u, today)) is None:
        return {}
    first, stop = window
    args = {after.name: first.isoformat()} if first else {}
    if stop:
        args[before.name] = (stop if _exclusive(before) else stop - timedelta(days=1)).isoformat()
    return args


def read_forward(u: Utterance, today: date) -> tuple[date | None, date | None] | None:
    """The first forward window in unclaimed text as (first day, day after the last); claimed."""
    for m in u.find(FORWARD_RE):
        window = _forward_window(m, today)
        if window is not None:
            u.take(m.start(), m.end())
            return window
    return None


def _forward_window(m: re.Match[str], today: date) -> tuple[date | None, date | None] | None:
    if m.group("day"):  # "before 1 Feb 2027" stops the day before; "by March 15" takes it in
        day = parse_day(m.group("day"), today, future=True)
        if day is None:
            return None
        return None, (day if m.group("dside") == "before" else day + timedelta(days=1))
    if m.group("bound"):
        month = MONTHS[m.group("bound")]
        year = int(m.group("year")) if m.group("year") else today.year + (month < today.month)
        first = date(year, month, 1)
        return (None, first) if m.group("side") == "before" else (first + relativedelta(months=1), None)
    if m.group("n") or m.group("ahead"):  # "the next 3 weeks", "6 months ahead": from today
        n = int(m.group("n") or m.group("ahead"))
        unit = (m.group("nunit") or m.group("aunit")).rstrip("s") + "s"
        if unit == "months":
            return today, today + relativedelta(months=n)
        return today, today + timedelta(days=n * (7 if unit == "weeks" else 1))
    if m.group("month"):
        month = MONTHS[m.group("month")]
        first = date(today.year + (month < today.month), month, 1)
        return first, first + relativedelta(months=1)
    unit = m.group("unit") or m.group("end")
    if unit == "week":
        first = today - timedelta(days=today.weekday())
        step = relativedelta(weeks=1)
    elif unit == "month":
        first, step = today.replace(day=1), relativedelta(months=1)
    elif unit == "quarter":
        first, step = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), relativedelta(months=3)
    else:
        first, step = date(today.year, 1, 1), relativedelta(years=1)
    if m.group("when") in ("next", "coming"):
        first += step
    return (today if m.group("end") else first), first + step


def _exclusive(slot: Slot) -> bool:
    return "exclusive" in slot.description.lower()


def takes_periods(tool: ToolSlots) -> bool:
    return bool(period_slot(tool) or tool.get("month") or bounds_of(tool)[0] or tool.of_kind("window"))


def period_slot(tool: ToolSlots) -> Slot | None:
    """An enum field of named periods ("last_month", ...)."""
    return next(
        (s for s in tool.of_kind("enum") if "last_month" in s.values or "this_year" in s.values), None
    )


def period_args(ref: PeriodRef, tool: ToolSlots, today: date) -> dict[str, Any]:
    """The period in the fields this tool has."""
    named, month = period_slot(tool), tool.get("month")
    if named and ref.args.get("period") in named.values:
        return {named.name: ref.args["period"]}
    if month is not None and month.kind == "month" and "month" in ref.args:
        return {"month": ref.args["month"]}
    start, end = bounds_of(tool)
    if start and end:
        args = {start.name: ref.start.isoformat()}
        if ref.end < today or ref.start > today or not _exclusive(end):  # only a current period is open
            last = ref.end + timedelta(days=1) if _exclusive(end) else ref.end
            args[end.name] = last.isoformat()
        return args
    window = tool.of_kind("window")
    if window:
        return {window[0].name: ref.trailing_window()}
    if named:
        guess = _nearest_named(ref, named.values)
        return {named.name: guess} if guess else {}
    return {}


def _nearest_named(ref: PeriodRef, values: tuple[str, ...]) -> str | None:
    """A named period for a tool that only takes names: "the last 3 months" -> last_90_days."""
    days = ref.days
    for name, length in (
        ("last_7_days", 7),
        ("last_30_days", 30),
        ("last_90_days", 90),
        ("last_365_days", 365),
    ):
        if days <= length * 1.1 and name in values:
            return name
    return None


def read_periods(u: Utterance, today: date) -> list[PeriodRef]:
    """Every distinct period in unclaimed text, in order; their text is claimed."""
    found: list[PeriodRef] = []
    for ref in period_mentions(u.norm, today):
        if not u.is_free(ref.pos, ref.stop):
            continue
        u.take(ref.pos, ref.stop)
        if not_wanted(u.norm, ref.pos):
            continue  # "the whole past week, not only the last 24h": the period not asked for
        if all(ref.args != f.args for f in found):
            found.append(ref)
    return found


def ref_from_args(
    args: dict[str, Any], tool: ToolSlots, result: dict[str, Any] | None, today: date
) -> PeriodRef | None:
    """The period an earlier call covered (for "and the month before?")."""
    named = period_slot(tool)
    if (
        named
        and args.get(named.name) in named.values
        and not any(args.get(k) for k in ("month", "start_date", "end_date"))
    ):
        return named_ref(str(args[named.name]), today)
    start, end = bounds_of(tool)
    if start and args.get(start.name):
        first = date.fromisoformat(str(args[start.name]))
        last = date.fromisoformat(str(args[end.name])) if end and args.get(end.name) else today
        if end and args.get(end.name) and _exclusive(end):
            last -= timedelta(days=1)
        if start.name != "start_date":
            return range_ref(first, last, unit=calendar_unit(first, last))
    if args.get("month") and not args.get("start_date"):
        year, month = (int(p) for p in str(args["month"]).split("-"))
        return month_ref(year, month)
    window = tool.of_kind("window")
    if window and args.get(window[0].name):
        return None
    return period_from_call(dict(args), result, today)


def read_day(u: Utterance, today: date) -> date | None:
    """One day (a close date): the next such day when no year is given."""
    for m in u.find(DAY_MENTION):
        day = parse_day(re.sub(r"^the\s+", "", m.group(0)), today, future=True)
        if day:
            u.take(m.start(), m.end())
            return day
    for m in u.find(RELATIVE_DAY):
        base = datetime.combine(today, time(12))
        parsed = dateparser.parse(
            m.group(0).removeprefix("the "),
            languages=["en"],
            settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future", "PREFER_DAY_OF_MONTH": "last"},
        )
        if parsed is None and m.group(0).startswith(("end of", "the end of")):
            parsed = _end_of(m.group(0), today)
        if parsed is not None:
            u.take(m.start(), m.end())
            return parsed.date() if isinstance(parsed, datetime) else parsed
    return None


def _end_of(phrase: str, today: date) -> datetime | None:
    """The last day of the unit named: "end of January" is the coming January's."""
    named = re.search(r"(" + MONTH_NAMES + r")(?:,?\s+(\d{4}))?$", phrase)
    if named is not None:
        last = parse_day(f"{named.group(1)} {named.group(2) or ''}", today, end=True, future=True)
        return datetime.combine(last, time(12)) if last else None
    if "month" in phrase:
        first = today.replace(day=1) + relativedelta(months=2 if "next" in phrase else 1)
        return datetime.combine(first - timedelta(days=1), time(12))
    if "year" in phrase:
        return datetime(today.year + (1 if "next" in phrase else 0), 12, 31, 12)
    if "week" in phrase:
        return datetime.combine(today + timedelta(days=6 - today.weekday()), time(12))
    return None
