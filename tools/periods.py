"""Named reporting periods ("last_month", "this_quarter", ...) resolved against the clock.

Every period is a half-open UTC interval [start, end) of whole days, paired with the previous
period it is compared with. One rule, so that "last month" means the same thing however it is
asked for (period=last_month or month=2026-11):

- a whole calendar period (yesterday, last_week, last_month, last_quarter, last_year, a month)
  is compared with the whole calendar period of the same kind before it: November with October
  in full, Q3 with Q2;
- a period to date (today, this_week, this_month, this_quarter, this_year) is compared with the
  same number of days from the start of the previous period of the same kind (December 1-5 with
  November 1-5), cut at that period's end (March 1-31 with February 1-28, not into March);
- a rolling window (last_30_days, the dashboard's 7d, a date range that is not exactly a
  calendar month, quarter or year) is compared with as many days just before it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from dateutil.relativedelta import relativedelta

PeriodName = Literal[
    "today", "yesterday", "this_week", "last_week", "this_month", "last_month",
    "this_quarter", "last_quarter", "this_year", "last_year",
    "last_7_days", "last_30_days", "last_90_days", "last_365_days",
]
PERIOD_NAMES: tuple[str, ...] = PeriodName.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Window:
    start: date
    end: date  # exclusive
    label: str

    @property
    def start_dt(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=UTC)

    @property
    def end_dt(self) -> datetime:
        return datetime.combine(self.end, time.min, tzinfo=UTC)

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)


def _quarter_start(d: date) -> date:
    return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)


@dataclass(frozen=True)
class CalendarUnit:
    """A kind of calendar period: where the one holding a day starts, how long it is, and how
    one is called in an answer."""

    start_of: Callable[[date], date]
    step: relativedelta
    name: Callable[[date], str]


UNITS: dict[str, CalendarUnit] = {
    "day": CalendarUnit(lambda d: d, relativedelta(days=1), lambda s: s.isoformat()),
    "week": CalendarUnit(lambda d: d - timedelta(days=d.weekday()), relativedelta(weeks=1),
                         lambda s: f"week of {s.isoformat()}"),
    "month": CalendarUnit(lambda d: d.replace(day=1), relativedelta(months=1),
                          lambda s: s.strftime("%B %Y")),
    "quarter": CalendarUnit(_quarter_start, relativedelta(months=3),
                            lambda s: f"Q{(s.month - 1) // 3 + 1} {s.year}"),
    "year": CalendarUnit(lambda d: date(d.year, 1, 1), relativedelta(years=1), lambda s: str(s.year)),
}

# name -> (unit, to date?): a "this"/"today" period runs to today; a "last" one is whole.
CALENDAR: dict[str, tuple[str, bool]] = {
    "today": ("day", True), "yesterday": ("day", False),
    "this_week": ("week", True), "last_week": ("week", False),
    "this_month": ("month", True), "last_month": ("month", False),
    "this_quarter": ("quarter", True), "last_quarter": ("quarter", False),
    "this_year": ("year", True), "last_year": ("year", False),
}


def calendar(unit_name: str, start: date) -> tuple[Window, Window]:
    """The whole calendar period starting at `start` and the whole one before it."""
    unit = UNITS[unit_name]
    prev = start - unit.step
    return Window(start, start + unit.step, unit.name(start)), Window(prev, start, unit.name(prev))


def to_date(unit_name: str, today: date, label: str) -> tuple[Window, Window]:
    """The current calendar period up to and including today, and as many days from the start
    of the previous period, never running past that period's end."""
    unit = UNITS[unit_name]
    start, end = unit.start_of(today), today + timedelta(days=1)
    prev = start - unit.step
    prev_end = min(prev + (end - start), start)
    return Window(start, end, label), Window(prev, prev_end, _to_date_name(unit_name, prev, prev_end))


def _to_date_name(unit_name: str, prev: date, prev_end: date) -> str:
    """"October 2026" when the comparison covers all of it, "November 2026 (2026-11-01 to
    2026-11-05)" when only its first days: an answer never passes part of a period off as all."""
    name = UNITS[unit_name].name(prev)
    if prev_end == prev + UNITS[unit_name].step:
        return name
    return f"{name} ({prev.isoformat()} to {(prev_end - timedelta(days=1)).isoformat()})"


def rolling(days: int, today: date, label: str | None = None) -> tuple[Window, Window]:
    """The `days` days ending today, and the `days` days before them."""
    end = today + timedelta(days=1)
    current = Window(end - timedelta(days=days), end, label or f"last {days} days")
    return current, Window(current.start - timedelta(days=days), current.start, f"prior {days} days")


def named(name: str, today: date) -> tuple[Window, Window]:
    """A named period and the period it is compared with (see the module's rule)."""
    label = name.replace("_", " ")
    if name in CALENDAR:
        unit_name, running = CALENDAR[name]
        if running:
            return to_date(unit_name, today, label)
        unit = UNITS[unit_name]
        current, prev = calendar(unit_name, unit.start_of(today) - unit.step)
        return Window(current.start, current.end, label), prev
    if name.startswith("last_") and name.endswith("_days"):
        return rolling(int(name.split("_")[1]), today, label)
    raise ValueError(f"unknown period {name}")


def explicit(start: date, end_inclusive: date) -> tuple[Window, Window]:
    """A date range. One that is exactly a calendar month, quarter or year (as the assistant
    writes "Q3 2026") is compared like that calendar period; any other range is a rolling window,
    compared with as many days just before it."""
    end = end_inclusive + timedelta(days=1)
    current = Window(start, end, f"{start} to {end_inclusive}")
    unit_name = whole_unit(start, end)
    if unit_name is not None:
        return current, calendar(unit_name, start)[1]
    length = (end - start).days
    return current, Window(start - timedelta(days=length), start, f"prior {length} days")


def whole_unit(start: date, end: date) -> str | None:
    """The calendar kind (year, quarter, month) that [start, end) is exactly one of, if any."""
    for unit_name in ("year", "quarter", "month"):
        unit = UNITS[unit_name]
        if unit.start_of(start) == start and start + unit.step == end:
            return unit_name
    return None


def month(year: int, month_number: int) -> tuple[Window, Window]:
    """A calendar month and the whole month before it: the same windows as period=last_month."""
    return calendar("month", date(year, month_number, 1))

