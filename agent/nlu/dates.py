"""Calendar words: month names, single days ("March 1st", "2026-03-01", "3/1/2026"), and the
"most recent September" rule that resolves a month named without a year."""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

_MONTH_NAMES = "january february march april may june july august september october november december"
MONTHS = {name: i for i, name in enumerate(_MONTH_NAMES.split(), 1)} | {
    name[:3]: i for i, name in enumerate(_MONTH_NAMES.split(), 1) if name != "may"} | {"sept": 9}
MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
MONTH_RE = re.compile(
    r"\b(?:(?P<pre>in|for|during|of|since|last|this|from|to|until|through|and|vs|versus|"
    r"compared to|between)\s+)?(?P<month>" + MONTH_ALT + r")\b\.?"
    r"(?:\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b)?"
    r"(?:,?\s+(?P<year>(?:19|20)\d\d)\b|\s+(?P<rel>(?:of )?last year|(?:of )?this year)\b)?"
)
_DAY_NAMES = "monday tuesday wednesday thursday friday saturday sunday"
WEEKDAYS = {name: i for i, name in enumerate(_DAY_NAMES.split())} | {
    name[:3]: i for i, name in enumerate(_DAY_NAMES.split())} | {"tues": 1, "thur": 3, "thurs": 3}
ISO_RE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$")
SLASH_RE = re.compile(r"^(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{2,4})$")
DAY_FIRST_RE = re.compile(
    r"^(?:the\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>[a-z]+)"
    r"(?:,?\s+(?P<y>\d{4}))?$"
)
MONTH_FIRST_RE = re.compile(
    r"^(?P<month>[a-z]+)\.?(?:\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?)?"
    r"(?:,?\s+(?P<y>\d{4}))?$"
)


def month_number(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


def last_weekday(weekday: int, today: date, before_today: bool = False) -> date:
    """The most recent such weekday: today if it is one (unless `before_today`, as in "last Monday")."""
    back = (today.weekday() - weekday) % 7
    return today - timedelta(days=back or (7 if before_today else 0))


def recent_month(month: int, today: date, ended: bool = False) -> date:
    """First day of the most recent such month that has ended or is current (`ended`: that has
    ended), so "in September" asked in November is this year's September."""
    year = today.year
    if month > today.month or (ended and month == today.month):
        year -= 1
    return date(year, month, 1)


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _with_year(
    month: int, day: int | None, year: str | None, today: date, end: bool, future: bool = False
) -> date | None:
    if year:
        y = int(year) + (2000 if len(year) == 2 else 0)
    elif future:
        y = today.year if (month, day or 31) >= (today.month, today.day) else today.year + 1
    else:
        y = today.year if (month, day or 1) <= (today.month, today.day) else today.year - 1
    if day is None:
        first = _safe(y, month, 1)
        if first is None:
            return None
        return first + relativedelta(months=1) - timedelta(days=1) if end else first
    return _safe(y, month, day)


def parse_day(text: str, today: date, end: bool = False, future: bool = False) -> date | None:
    """One day in common spellings; a bare month means its first day (or last, for `end`).
    Without a year the most recent such day is meant, or the next one for `future` (a close date)."""
    t = text.strip().lower().rstrip(".,")
    if t in ("today", "now"):
        return today
    if t == "yesterday":
        return today - timedelta(days=1)
    if t == "tomorrow":
        return today + timedelta(days=1)
    weekday = t.removeprefix("last ").removeprefix("this ")
    if weekday in WEEKDAYS:
        return last_weekday(WEEKDAYS[weekday], today, before_today=t.startswith("last"))
    if m := ISO_RE.match(t):
        return _safe(int(m["y"]), int(m["m"]), int(m["d"]))
    if m := SLASH_RE.match(t):
        first, second = int(m["m"]), int(m["d"])
        if first > 12 >= second:  # "31/01/2027" can only be written day first
            first, second = second, first
        return _with_year(first, second, m["y"], today, end, future)
    for pattern in (DAY_FIRST_RE, MONTH_FIRST_RE):
        m = pattern.match(t)
        if m and m["month"] in MONTHS:
            day = int(m["d"]) if m["d"] else None
            return _with_year(MONTHS[m["month"]], day, m["y"], today, end, future)
    return None
