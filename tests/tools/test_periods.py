"""Reporting periods and the period each is compared with, against a pinned clock.

The rule: a whole calendar period is compared with the whole one of the same kind before it; a
period to date with as many days from the start of the previous one, cut at that one's end; a
rolling window with the window of the same length just before it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta

from tools import periods
from tools.periods import PERIOD_NAMES, Window

TODAY = date(2026, 12, 5)  # a Saturday
D = date.fromisoformat
Expected = tuple[str, str, str, str, str]  # current start, current end (excl.), previous ditto, label


def spans(pair: tuple[Window, Window]) -> Expected:
    current, previous = pair
    return (current.start.isoformat(), current.end.isoformat(), previous.start.isoformat(),
            previous.end.isoformat(), previous.label)


@pytest.mark.parametrize(("name", "expected"), [
    ("yesterday", ("2026-12-04", "2026-12-05", "2026-12-03", "2026-12-04", "2026-12-03")),
    ("last_week", ("2026-11-23", "2026-11-30", "2026-11-16", "2026-11-23", "week of 2026-11-16")),
    ("last_month", ("2026-11-01", "2026-12-01", "2026-10-01", "2026-11-01", "October 2026")),
    ("last_quarter", ("2026-07-01", "2026-10-01", "2026-04-01", "2026-07-01", "Q2 2026")),
    ("last_year", ("2025-01-01", "2026-01-01", "2024-01-01", "2025-01-01", "2024")),
])
def test_a_whole_calendar_period_is_compared_with_the_whole_one_before(
    name: str, expected: Expected
) -> None:
    assert spans(periods.named(name, TODAY)) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("today", ("2026-12-05", "2026-12-06", "2026-12-04", "2026-12-05", "2026-12-04")),
    ("this_week", ("2026-11-30", "2026-12-06", "2026-11-23", "2026-11-29",
                   "week of 2026-11-23 (2026-11-23 to 2026-11-28)")),
    ("this_month", ("2026-12-01", "2026-12-06", "2026-11-01", "2026-11-06",
                    "November 2026 (2026-11-01 to 2026-11-05)")),
    ("this_quarter", ("2026-10-01", "2026-12-06", "2026-07-01", "2026-09-05",
                      "Q3 2026 (2026-07-01 to 2026-09-04)")),
    ("this_year", ("2026-01-01", "2026-12-06", "2025-01-01", "2025-12-06",
                   "2025 (2025-01-01 to 2025-12-05)")),
])
def test_a_period_to_date_is_compared_with_as_many_days_of_the_one_before(
    name: str, expected: Expected
) -> None:
    assert spans(periods.named(name, TODAY)) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("last_7_days", ("2026-11-29", "2026-12-06", "2026-11-22", "2026-11-29", "prior 7 days")),
    ("last_30_days", ("2026-11-06", "2026-12-06", "2026-10-07", "2026-11-06", "prior 30 days")),
    ("last_365_days", ("2025-12-06", "2026-12-06", "2024-12-06", "2025-12-06", "prior 365 days")),
])
def test_a_rolling_window_is_compared_with_the_same_length_before(name: str, expected: Expected) -> None:
    assert spans(periods.named(name, TODAY)) == expected


@pytest.mark.parametrize(("today", "name", "expected"), [
    # the 31 days of March so far would reach past February: the comparison stops at its end
    ("2026-03-31", "this_month", ("2026-03-01", "2026-04-01", "2026-02-01", "2026-03-01", "February 2026")),
    ("2026-03-30", "this_month", ("2026-03-01", "2026-03-31", "2026-02-01", "2026-03-01", "February 2026")),
    ("2026-03-28", "this_month", ("2026-03-01", "2026-03-29", "2026-02-01", "2026-03-01", "February 2026")),
    ("2026-03-27", "this_month", ("2026-03-01", "2026-03-28", "2026-02-01", "2026-02-28",
                                     "February 2026 (2026-02-01 to 2026-02-27)")),
    ("2026-03-31", "last_month", ("2026-02-01", "2026-03-01", "2026-01-01", "2026-02-01", "January 2026")),
    ("2026-03-31", "this_quarter", ("2026-01-01", "2026-04-01", "2025-10-01", "2025-12-30",
                                       "Q4 2025 (2025-10-01 to 2025-12-29)")),
    ("2026-01-15", "last_month", ("2025-12-01", "2026-01-01", "2025-11-01", "2025-12-01", "November 2025")),
    ("2026-01-15", "last_quarter", ("2025-10-01", "2026-01-01", "2025-07-01", "2025-10-01", "Q3 2025")),
    ("2026-01-01", "yesterday", ("2025-12-31", "2026-01-01", "2025-12-30", "2025-12-31", "2025-12-30")),
    ("2024-12-31", "this_year", ("2024-01-01", "2025-01-01", "2023-01-01", "2024-01-01", "2023")),
])
def test_edges_of_months_quarters_and_years(today: str, name: str, expected: Expected) -> None:
    assert spans(periods.named(name, D(today))) == expected


@pytest.mark.parametrize("today", [TODAY, D("2026-03-31"), D("2026-01-01"), D("2024-03-01"), D("2025-12-31")])
def test_last_month_and_the_same_calendar_month_give_the_same_windows(today: date) -> None:
    named_current, named_previous = periods.named("last_month", today)
    last = today.replace(day=1) - relativedelta(months=1)
    month_current, month_previous = periods.month(last.year, last.month)
    assert (named_current.start, named_current.end) == (month_current.start, month_current.end)
    assert named_previous == month_previous
    assert named_previous.label == (last - relativedelta(months=1)).strftime("%B %Y")


@pytest.mark.parametrize(("start", "end", "expected"), [
    ("2026-11-01", "2026-11-30", ("2026-11-01", "2026-12-01", "2026-10-01", "2026-11-01", "October 2026")),
    ("2026-07-01", "2026-09-30", ("2026-07-01", "2026-10-01", "2026-04-01", "2026-07-01", "Q2 2026")),
    ("2025-01-01", "2025-12-31", ("2025-01-01", "2026-01-01", "2024-01-01", "2025-01-01", "2024")),
    ("2026-11-10", "2026-11-19", ("2026-11-10", "2026-11-20", "2026-10-31", "2026-11-10", "prior 10 days")),
    ("2026-11-02", "2026-11-30", ("2026-11-02", "2026-12-01", "2026-10-04", "2026-11-02", "prior 29 days")),
])
def test_a_date_range_is_calendar_when_it_is_a_whole_month_quarter_or_year(
    start: str, end: str, expected: Expected
) -> None:
    assert spans(periods.explicit(D(start), D(end))) == expected


def test_every_named_period_on_every_day_of_a_year_keeps_the_rule() -> None:
    whole = {"yesterday", "last_week", "last_month", "last_quarter", "last_year"}
    for offset in range(366):
        today = date(2026, 1, 1) + timedelta(days=offset)
        for name in PERIOD_NAMES:
            current, previous = periods.named(name, today)
            assert previous.start < previous.end <= current.start < current.end, (name, today)
            assert previous.label.strip(), (name, today)
            length, prev_length = (current.end - current.start).days, (previous.end - previous.start).days
            if name in whole or name.endswith("_days"):
                assert previous.end == current.start, (name, today)
            if name.endswith("_days"):
                assert prev_length == length, (name, today)
            if name.startswith("this_") or name == "today":
                assert current.end == today + timedelta(days=1), (name, today)
                assert prev_length <= length, (name, today)


def test_unknown_names_are_refused() -> None:
    with pytest.raises(ValueError):
        periods.named("fortnight", TODAY)
