"""Named reporting periods ("last_month", "this_quarter", ...) resolved against the clock.

Every period is a half-open UTC interval [start, end) of whole days, with a previous period of
the same kind for comparisons (the month before, the quarter before, ...).
"""

from __future__ import annotations

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


def named(name: str, today: date) -> tuple[Window, Window]:
    """The window and the one before it of the same length or calendar unit."""
    month0 = today.replace(day=1)
    week0 = today - timedelta(days=today.weekday())
    q0 = _quarter_start(today)
    y0 = date(today.year, 1, 1)
    calendar: dict[str, tuple[date, relativedelta]] = {
        "today": (today, relativedelta(days=1)),
        "yesterday": (today - timedelta(days=1), relativedelta(days=1)),
        "this_week": (week0, relativedelta(weeks=1)),
        "last_week": (week0 - timedelta(weeks=1), relativedelta(weeks=1)),
        "this_month": (month0, relativedelta(months=1)),
        "last_month": (month0 - relativedelta(months=1), relativedelta(months=1)),
        "this_quarter": (q0, relativedelta(months=3)),
        "last_quarter": (q0 - relativedelta(months=3), relativedelta(months=3)),
        "this_year": (y0, relativedelta(years=1)),
        "last_year": (y0 - relativedelta(years=1), relativedelta(years=1)),
    }
    label = name.replace("_", " ")
    if name in calendar:
        start, step = calendar[name]
        end = start + step
        if name.startswith("this_") or name == "today":
            end = min(end, today + timedelta(days=1))  # period to date
        prev_start = start - step
        prev = Window(prev_start, prev_start + (end - start), f"period before {label}")
        return Window(start, end, label), prev
    if name.startswith("last_") and name.endswith("_days"):
        days = int(name.split("_")[1])
        end = today + timedelta(days=1)
        current = Window(end - timedelta(days=days), end, label)
        return current, Window(current.start - timedelta(days=days), current.start, "prior period")
    raise ValueError(f"unknown period {name}")


def explicit(start: date, end_inclusive: date) -> tuple[Window, Window]:
    length = (end_inclusive - start).days + 1
    current = Window(start, end_inclusive + timedelta(days=1), f"{start} to {end_inclusive}")
    prev = Window(start - timedelta(days=length), start, "prior period")
    return current, prev


def month(year: int, month_number: int) -> tuple[Window, Window]:
    start = date(year, month_number, 1)
    end = start + relativedelta(months=1)
    prev = start - relativedelta(months=1)
    return Window(start, end, start.strftime("%B %Y")), Window(prev, start, prev.strftime("%B %Y"))


def days_window(days: int, today: date) -> tuple[Window, Window]:
    end = today + timedelta(days=1)
    current = Window(end - timedelta(days=days), end, f"last {days} days")
    return current, Window(current.start - timedelta(days=days), current.start, "prior period")
