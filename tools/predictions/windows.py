"""Which periods a forecast must cover: a window of days ahead, turned into a granularity and a
horizon counted from the last complete period of history.

Short windows (up to DAILY_MAX_DAYS ahead) are forecast per day, so weekly seasonality is
modelled; longer ones per month (or per week, when asked), so a year ahead is 12 points rather
than 365 noisy ones. Period starts follow the engine: the day, the Monday, the first of the
month or quarter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from dateutil.relativedelta import relativedelta

from core.errors import ValidationFailed
from tools.forecasting.types import Granularity

DAILY_MAX_DAYS = 92
FREQ = {"day": "D", "week": "W-MON", "month": "MS", "quarter": "QS-JAN"}
MAX_PERIODS = {"day": 731, "week": 156, "month": 60, "quarter": 20}
GRANULARITY_WORDS = {
    "daily": "day",
    "day": "day",
    "weekly": "week",
    "week": "week",
    "monthly": "month",
    "month": "month",
    "quarterly": "quarter",
    "quarter": "quarter",
}
TIME_RANGE = re.compile(r"^next_(?:(?P<n>\d{1,3})_)?(?P<unit>day|week|month|quarter|year)s?$")


@dataclass(frozen=True)
class Window:
    start: date
    end: date
    """Inclusive."""

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def granularity_for(window: Window, today: date, asked: Granularity | None = None) -> Granularity:
    """The asked granularity, else day for windows ending within DAILY_MAX_DAYS, else month."""
    if asked:
        return asked
    return "day" if (window.end - today).days < DAILY_MAX_DAYS else "month"


def granularity_of_words(value: str | None) -> Granularity | None:
    """ "daily", "weekly", "month"... as a granularity; None when not given; 422 when unknown."""
    if value is None or not str(value).strip():
        return None
    found = GRANULARITY_WORDS.get(str(value).strip().lower())
    if found is None:
        raise ValidationFailed(
            "Unknown granularity",
            details=[
                {"field": "parameters.granularity", "message": "use daily, weekly, monthly or quarterly"}
            ],
        )
    return found  # type: ignore[return-value]


def days_ahead(today: date, days: int) -> Window:
    """Today and the `days - 1` days after it."""
    return Window(today, today + timedelta(days=max(days, 1) - 1))


STEP = {"day": relativedelta(days=1), "week": relativedelta(weeks=1), "month": relativedelta(months=1),
        "quarter": relativedelta(months=3), "year": relativedelta(years=1)}
"""The length of one period of each unit."""


def next_periods(today: date, granularity: Granularity, periods: int) -> Window:
    """`periods` whole periods of `granularity` starting with the current one."""
    first = period_start(today, granularity)
    return Window(max(first, today), first + STEP[granularity] * max(periods, 1) - timedelta(days=1))


def named(time_range: str, today: date) -> Window:
    """000's `timeRange`: next_30_days, next_week, next_month, next_quarter, next_6_months,
    next_year. "next_month" is the coming calendar month; "next_N_units" starts today."""
    m = TIME_RANGE.match(time_range.strip().lower())
    if m is None:
        raise ValidationFailed(
            "Unknown timeRange",
            details=[
                {
                    "field": "parameters.timeRange",
                    "message": "use next_N_days, next_week, next_month, next_quarter, next_N_months "
                    "or next_year",
                }
            ],
        )
    unit, n = m.group("unit"), m.group("n")
    if n:
        months = {"month": 1, "quarter": 3, "year": 12}.get(unit)
        if months is None:
            return days_ahead(today, int(n) * (7 if unit == "week" else 1))
        return Window(today, today + relativedelta(months=int(n) * months) - timedelta(days=1))
    first = {
        "day": today + timedelta(days=1),
        "week": today + timedelta(days=7 - today.weekday()),
        "month": today.replace(day=1) + relativedelta(months=1),
        "quarter": date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) + relativedelta(months=3),
        "year": date(today.year + 1, 1, 1),
    }[unit]
    return Window(first, first + STEP[unit] - timedelta(days=1))


def period_start(day: date, granularity: Granularity) -> date:
    if granularity == "day":
        return day
    if granularity == "week":
        return day - timedelta(days=day.weekday())
    if granularity == "month":
        return day.replace(day=1)
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def period_end(start: date, granularity: Granularity) -> date:
    """The last day of the period that starts on `start`."""
    return start + STEP[granularity] - timedelta(days=1)


def horizon_to(last_history: date, end: date, granularity: Granularity) -> int:
    """How many periods after `last_history` (a period start) reach `end`, at least one."""
    starts = pd.date_range(pd.Timestamp(last_history), pd.Timestamp(end), freq=FREQ[granularity])
    count = sum(1 for s in starts if s.date() > last_history)
    if count > MAX_PERIODS[granularity]:
        raise ValidationFailed(
            "The forecast reaches too far ahead",
            details=[
                {"field": "horizon", "message": f"at most {MAX_PERIODS[granularity]} {granularity}s ahead"}
            ],
        )
    return max(count, 1)
