"""Periods relative to the one asked before: "and the month before?", "the previous quarter",
"same month last year", and forward: "and the quarter after?" (after a forecast). The previous
period is read back from the earlier call (its arguments and the dates its result reports), so a
follow-up continues from what was shown."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from agent.nlu.dates import quarter_of
from agent.nlu.periods import (
    NAMED_UNITS,
    PeriodRef,
    month_ref,
    named_ref,
    quarter_ref,
    range_ref,
    year_ref,
)

_UNIT = r"(?P<u{n}>month|quarter|year|week|day|period|one|time)"
SHIFT_RES = [
    re.compile(r"\b(?:the\s+)?" + _UNIT.format(n=1) + r"\s+(?:before|prior|earlier)\b"),
    re.compile(r"\b(?:the\s+)?(?:previous|prior|preceding)\s+" + _UNIT.format(n=2) + r"\b"),
    re.compile(r"\b(?:a|one)\s+" + _UNIT.format(n=3) + r"\s+(?:earlier|before)\b"),
    re.compile(r"\bbefore that\b|\bthe one before\b|\bprior to that\b"),
]
FORWARD_RES = [
    re.compile(r"\b(?:the\s+)?" + _UNIT.format(n=1) + r"\s+(?:after|following|later)\b"),
    re.compile(r"\b(?:the\s+)?following\s+" + _UNIT.format(n=2) + r"\b"),
    re.compile(r"\bafter that\b|\bthe one after\b"),
]
"""Shifts forward. Not "next month": after a request that alone is the month after today."""
SAME_LAST_YEAR = re.compile(
    r"\bsame\s+(?:month|quarter|period|time|week|day)\s+(?:last|a|the previous|previous|the)\s+year\b|"
    r"\ba year (?:earlier|before|ago)\b|\byear over year\b|\byoy\b"
    r"|\b(?:compares?|compared|vs\.?|versus|against)\s+(?:to\s+|with\s+)?(?:the same time\s+)?last year\b"
)
THIS_TO_LAST = {
    "today": "yesterday",
    "this_week": "last_week",
    "this_month": "last_month",
    "this_quarter": "last_quarter",
    "this_year": "last_year",
}


@dataclass(frozen=True)
class Shift:
    unit: str | None  # month, quarter, year, week, day; None = same kind as before
    year_back: bool = False
    forward: bool = False
    phrase: str = ""
    """The words that ask for the shift ("the quarter after"): no other value is read from them."""


def relative_shift(norm: str) -> Shift | None:
    """The shift a normalized follow-up asks for, if any."""
    if SAME_LAST_YEAR.search(norm):
        return Shift(None, year_back=True)
    for patterns, forward in ((SHIFT_RES, False), (FORWARD_RES, True)):
        for pattern in patterns:
            m = pattern.search(norm)
            if m:
                unit = next((v for k, v in m.groupdict().items() if v), None)
                unit = None if unit in (None, "period", "one", "time") else unit
                return Shift(unit, forward=forward, phrase=m.group(0))
    return None


def calendar_unit(start: date, end: date) -> str:
    if start.day == 1 and end == start + relativedelta(months=1) - timedelta(days=1):
        return "month"
    if start.day == 1 and start.month % 3 == 1 and end == start + relativedelta(months=3) - timedelta(days=1):
        return "quarter"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return "year"
    return "range"


def period_from_call(args: dict[str, Any], data: dict[str, Any] | None, today: date) -> PeriodRef | None:
    """The period an earlier call covered, from its arguments and the dates its result reports."""
    name = args.get("period")
    if name and not (args.get("start_date") or args.get("month")):
        try:
            return named_ref(str(name), today)
        except ValueError:
            return None
    try:
        start = date.fromisoformat(str((data or {}).get("start_date") or args.get("start_date")))
        end = date.fromisoformat(str((data or {}).get("end_date") or args.get("end_date")))
    except ValueError:
        if args.get("month"):
            year, month = (int(p) for p in str(args["month"]).split("-"))
            return month_ref(year, month)
        return None
    unit = "month" if args.get("month") else calendar_unit(start, end)
    return PeriodRef(dict(args), start, end, unit)


def _year_back(prev: PeriodRef, today: date) -> PeriodRef:
    if prev.unit in ("month", "quarter") and calendar_unit(prev.start, prev.end) != prev.unit:
        # this month so far: the same days a year before, not the whole month
        return range_ref(prev.start - relativedelta(years=1), prev.end - relativedelta(years=1))
    if prev.unit == "month":
        return month_ref(prev.start.year - 1, prev.start.month)
    if prev.unit == "quarter":
        return quarter_ref(prev.start.year - 1, quarter_of(prev.start))
    calendar_year = (prev.start.month, prev.start.day, prev.end.month) == (1, 1, 12)
    if prev.unit == "year" and calendar_year and prev.end.year == prev.start.year:
        return year_ref(prev.start.year - 1, today)
    return range_ref(prev.start - relativedelta(years=1), prev.end - relativedelta(years=1))


def shift_period(prev: PeriodRef, shift: Shift, today: date) -> PeriodRef:
    """The period `shift` points to, counted back (or forward) from `prev`."""
    unit = shift.unit or prev.unit
    if not shift.forward and (shift.year_back or (unit == "year" and prev.unit in ("month", "quarter"))):
        return _year_back(prev, today)
    named = prev.args.get("period")
    if not shift.forward and named in THIS_TO_LAST and NAMED_UNITS.get(str(named)) == unit:
        return named_ref(THIS_TO_LAST[str(named)], today)
    # counted from the end going forward: the month after a quarter follows its last month
    step, edge = (1, prev.end) if shift.forward else (-1, prev.start)
    if unit == "month":
        first = edge.replace(day=1) + relativedelta(months=step)
        return month_ref(first.year, first.month)
    if unit == "quarter":
        first = date(edge.year, 3 * (quarter_of(edge) - 1) + 1, 1) + relativedelta(months=3 * step)
        return quarter_ref(first.year, quarter_of(first))
    if unit == "year":
        return year_ref(edge.year + step, today)
    if unit == "week" and not (prev.unit != "week" and prev.days == 7):  # "1 to 7 November", then
        monday = edge - timedelta(days=edge.weekday()) + timedelta(days=7 * step)
        return range_ref(monday, monday + timedelta(days=6), unit="week")
    if unit == "day":
        return range_ref(edge + timedelta(days=step), edge + timedelta(days=step), unit="day")
    if shift.forward:  # "the week after that": the seven days after it, not the calendar week
        return range_ref(prev.end + timedelta(days=1), prev.end + timedelta(days=prev.days), unit=prev.unit)
    return range_ref(prev.start - timedelta(days=prev.days), prev.start - timedelta(days=1), unit=prev.unit)
