"""Reporting periods in plain words ("last month", "in September", "Q3 2025", "last 90 days",
"since March 1") resolved against a reference date, and shifts for follow-ups ("the month before").

`args` holds the period in the spellings tools take: a named `period`, a calendar `month`
(YYYY-MM), or `start_date`/`end_date` (see `extract_periods` for how they fill a tool's fields).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache, lru_cache
from typing import Any

from dateutil.relativedelta import relativedelta

from agent.nlu.dates import (
    MONTH_ALT,
    MONTH_RE,
    WEEKDAYS,
    last_weekday,
    month_number,
    parse_day,
    quarter_of,
    recent_month,
)
from agent.nlu.prefilter import Needs, may_match, needed
from tools import periods as tool_periods

NAMED_UNITS = {f"{when}_{unit}": unit for unit in ("week", "month", "quarter", "year")
               for when in ("this", "last")}
NAMED_UNITS |= {"today": "day", "yesterday": "day"}
NAMED_PHRASES: list[tuple[str, str]] = [
    (r"\b(?:so far )?today\b", "today"),
    (r"\byesterday\b", "yesterday"),
    (r"\b(?:this|current) week\b|\bweek to date\b|\bwtd\b|\bso far this week\b", "this_week"),
    (r"\b(?:last|previous|prior) week\b", "last_week"),
    (r"\b(?:this|current) month\b|\bmonth to date\b|\bmtd\b", "this_month"),
    (r"\b(?:last|previous|prior) month\b", "last_month"),
    (r"\b(?:this|current) quarter\b|\bquarter to date\b|\bqtd\b", "this_quarter"),
    (r"\b(?:last|previous|prior) quarter\b", "last_quarter"),
    (r"\b(?:this|current) year\b|\byear to date\b|\bytd\b", "this_year"),
    (r"\b(?:last|previous|prior) year\b", "last_year"),
    (r"(?<!same )\bthe week\b(?!\s+(?:before|prior|earlier|after))", "this_week"),
    (r"(?<!same )\bthe month\b(?!\s+(?:before|prior|earlier|after|by month))", "this_month"),
    (r"(?<!same )\bthe quarter\b(?!\s+(?:before|prior|earlier|after))", "this_quarter"),
    (r"(?<!same )\bthe year so far\b|\bfor the year\b", "this_year"),
    (r"\bpast week\b", "last_7_days"),
    (r"\bpast month\b", "last_30_days"),
    (r"\bpast quarter\b", "last_90_days"),
    (r"\bpast year\b", "last_365_days"),
]
WORD_NUMBERS = {w: n for n, w in enumerate(
    ("a", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"), 1)}
WORD_NUMBERS |= {"one": 1, "fourteen": 14, "thirty": 30, "sixty": 60, "ninety": 90}
TRAILING_RE = re.compile(
    r"\b(?:last|past|previous|trailing|prior)\s+(?P<n>\d{1,4}|"
    + "|".join(WORD_NUMBERS)
    + r")\s+(?P<unit>days?|weeks?|months?|years?)\b"
)
FORTNIGHT_RE = re.compile(r"\b(?:last|past|previous|prior|trailing)\s+(?:two\s+weeks|fortnight)\b")
"""The last fortnight: the last 14 days, today included."""
BARE_TRAILING_RE = re.compile(r"(?<!\bin )(?<!\bnext )\b(?P<n>\d{1,4})\s+(?P<unit>days|weeks|months)\b")
"""A window said without "last": "what about 90 days?"."""
QUARTER_RE = re.compile(
    r"\b(?:q(?P<q>[1-4])|(?P<qw>first|second|third|fourth|1st|2nd|3rd|4th) quarter)"
    r"(?:\s*(?:of\s*)?(?P<y>(?:19|20)\d\d)|\s+(?:of\s+)?(?P<rel>last year|this year))?\b"
)
HALF_RE = re.compile(
    r"\b(?:h(?P<h>[12])|(?P<hw>first|second|1st|2nd|last) half)"
    r"(?:\s*(?:of\s*)?(?P<y>(?:19|20)\d\d)|\s+(?:of\s+)?(?P<rel>last year|this year|next year))?\b"
)
""""the first half of 2026", "H2 last year": six months. Without a year, the last half that has
begun ("H1" in December is this year's; "the second half" in March is last year's)."""
YEAR_RE = re.compile(r"\b(?:in|for|during|of|from|year|fy)?\s*(?<![-/\d])(?P<y>20\d\d)(?![-/\d])\b")
DAY_PAT = (
    r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}"
    r"|(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?[a-z]{3,9}\.?(?:,?\s+\d{4})?"
    r"|(?:(?:last|this)\s+)?[a-z]{3,9}\.?(?:\s+\d{1,2}(?:st|nd|rd|th)?\b)?(?:,?\s+\d{4})?)"
)
EDGE = r"(?:(?:the\s+)?(?:start|beginning|end)\s+of\s+)?"
""""from the start of June to the end of August": the edge of a month is where a range stops."""
RANGE_RE = re.compile(
    r"\b(?:from|between)\s+" + EDGE + r"(?P<a>" + DAY_PAT + r")\s*"
    r"(?:to|and|until|till|through|thru|-|–)\s*" + EDGE + r"(?P<b>" + DAY_PAT + r")"
)
DAY_SPAN_RE = re.compile(
    r"\b(?:(?:from|between)\s+)?(?:the\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?\s*(?:to|and|until|till|through|thru|-|–)"
    r"\s*(?P<b>(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:" + MONTH_ALT + r")\.?(?:,?\s+\d{4})?)"
)
"""Days of one month: "between 1 and 14 February 2027", "from the 1st to the 7th of November"."""
_MONTH_YEAR = r"(?:" + MONTH_ALT + r")\.?(?:,?\s+(?:19|20)\d\d)?"
MONTH_SPAN_RE = re.compile(
    r"\b(?P<a>" + _MONTH_YEAR + r")\s*(?:to|until|till|through|thru|-|–)\s*(?P<b>" + _MONTH_YEAR + r")\b"
    r"(?:\s+(?P<rel>(?:of )?(?:last|this) year)\b)?"
)
"""Months from one to another without "from": "June through August", "jun-aug", "March to May 2026"."""
SINCE_RE = re.compile(r"\b(?:since|after|starting)\s+(?P<a>" + DAY_PAT + r")")
SINCE_DAY_RE = re.compile(r"\b(?:since|from)\s+the\s+(?P<n>\d{1,2})(?:st|nd|rd|th)\b"
                          r"(?!\s+(?:of\s+)?[a-z]{3})")
""""since the 1st": that day of this month, or of last month when it is still to come."""
WEEKDAY_RE = re.compile(
    r"\b(?:on|last|this)\s+(?P<d>" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\b"
)
WEEKEND_RE = re.compile(r"\b(?:the|last|this|past|over the|on the)\s+weekend\b")
# "10/2026", "10-2026", "2026/10", "2026-10" (a month, not a day: no third part).
NUMERIC_MONTH_RE = re.compile(
    r"(?<![\d/.-])(?:(?P<m>0?[1-9]|1[0-2])[/.-](?P<y>(?:19|20)\d\d)"
    r"|(?P<y2>(?:19|20)\d\d)[/-](?P<m2>0?[1-9]|1[0-2]))(?![\d/.-])"
)
QUARTER_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}


@dataclass(frozen=True)
class PeriodRef:
    """A resolved period: the tool arguments and the window they stand for."""

    args: dict[str, Any]
    start: date
    end: date  # inclusive
    unit: str  # day, week, month, quarter, year, days, months (the last N), range
    label: str = ""
    pos: int = field(default=0, compare=False)
    stop: int = field(default=0, compare=False)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def trailing_window(self) -> str:
        """As a trailing window of about the same length: 7d, 30d, 90d, 12m."""
        if self.unit == "year" or self.days >= 360:
            return "12m"
        if self.unit == "quarter":
            return "90d"
        if self.unit == "month":
            return "30d"
        if self.unit == "week":
            return "7d"
        if self.unit == "months":  # "the last 3 months": 3m, not 91d
            return f"{round(self.days / 30.4)}m"
        return f"{max(1, self.days)}d"


def named_ref(name: str, today: date) -> PeriodRef:
    window = _named_window(name, today)
    unit = NAMED_UNITS.get(name, "days")
    return PeriodRef({"period": name}, window.start, window.last_day, unit, window.label)


@lru_cache(maxsize=64)
def _named_window(name: str, today: date) -> tool_periods.Window:
    """Worked out once per day: every example's "last month" is the same window (a Window is
    frozen; each PeriodRef still gets its own args)."""
    return tool_periods.named(name, today)[0]


def month_ref(year: int, month: int) -> PeriodRef:
    start = date(year, month, 1)
    end = start + relativedelta(months=1) - timedelta(days=1)
    return PeriodRef({"month": f"{year:04d}-{month:02d}"}, start, end, "month", start.strftime("%B %Y"))


def range_ref(start: date, end: date, unit: str = "range") -> PeriodRef:
    if end < start:
        start, end = end, start
    args = {"start_date": start.isoformat(), "end_date": end.isoformat()}
    return PeriodRef(args, start, end, unit, f"{start} to {end}")


def quarter_ref(year: int, quarter: int) -> PeriodRef:
    start = date(year, 3 * (quarter - 1) + 1, 1)
    return range_ref(start, start + relativedelta(months=3) - timedelta(days=1), unit="quarter")


def year_ref(year: int, today: date) -> PeriodRef:
    if year == today.year:
        return named_ref("this_year", today)
    if year == today.year - 1:
        return named_ref("last_year", today)
    return range_ref(date(year, 1, 1), date(year, 12, 31), unit="year")


def _trailing(m: re.Match[str], today: date) -> PeriodRef:
    raw = m.group("n")
    n = int(raw) if raw.isdigit() else WORD_NUMBERS[raw]
    unit = m.group("unit").rstrip("s")
    days = {"day": n, "week": 7 * n}.get(unit)
    if (unit == "month" and n == 12) or (unit == "year" and n == 1):
        days = 365
    if days in (7, 30, 90, 365):
        return named_ref(f"last_{days}_days", today)
    if days is not None:
        return range_ref(today - timedelta(days=days - 1), today, unit="days")
    delta = relativedelta(months=n) if unit == "month" else relativedelta(years=n)
    return range_ref(today + timedelta(days=1) - delta, today, unit="months" if unit == "month" else "days")


def _quarter(m: re.Match[str], today: date) -> PeriodRef:
    q = int(m.group("q")) if m.group("q") else QUARTER_WORDS[m.group("qw")]
    if m.group("y"):
        year = int(m.group("y"))
    elif m.group("rel") == "last year":
        year = today.year - 1
    elif m.group("rel") == "this year":
        year = today.year
    else:
        year = today.year if quarter_of(today) >= q else today.year - 1
    return quarter_ref(year, q)


def _half(m: re.Match[str], today: date) -> PeriodRef:
    half = int(m.group("h")) if m.group("h") else (1 if m.group("hw") in ("first", "1st") else 2)
    rel = {"last year": -1, "this year": 0, "next year": 1}
    if m.group("y"):
        year = int(m.group("y"))
    elif m.group("rel"):
        year = today.year + rel[m.group("rel")]
    else:
        year = today.year if half == 1 or today.month > 6 else today.year - 1
    start = date(year, 6 * (half - 1) + 1, 1)
    return range_ref(start, start + relativedelta(months=6) - timedelta(days=1))


def _month(m: re.Match[str], today: date) -> PeriodRef | None:
    name = m.group("month")
    if m.group("day") or (name == "may" and not (m.group("pre") or m.group("year") or m.group("rel"))):
        return None  # a day ("March 3") belongs to a range; "may" is usually the verb
    month = month_number(name)
    rel = (m.group("rel") or "").removeprefix("of ")
    if m.group("year"):
        year = int(m.group("year"))
    elif rel == "last year":
        year = today.year - 1
    elif rel == "this year" or m.group("pre") == "this":
        year = today.year
    else:
        year = recent_month(month, today, ended=m.group("pre") == "last").year
    return month_ref(year, month)


def _weekday(m: re.Match[str], today: date) -> PeriodRef:
    """ "On Monday", "last Friday": that one day, the most recent one."""
    day = last_weekday(WEEKDAYS[m.group("d")], today, before_today=m.group(0).startswith("last"))
    return range_ref(day, day, unit="day")


def _weekend(m: re.Match[str], today: date) -> PeriodRef:
    """The weekend under way (Saturday to today), else the last one that ended."""
    if today.weekday() >= 5 and not m.group(0).startswith("last"):
        return range_ref(today - timedelta(days=today.weekday() - 5), today)
    saturday = today - timedelta(days=today.weekday() + 2)
    return range_ref(saturday, saturday + timedelta(days=1))


def _numeric_month(m: re.Match[str], today: date) -> PeriodRef:
    return month_ref(int(m.group("y") or m.group("y2")), int(m.group("m") or m.group("m2")))


def _range(m: re.Match[str], today: date) -> PeriodRef | None:
    """The first day takes the year said with the last ("between 1 January and 31 March 2027");
    a range in the future is read where its year is said (a forecast's)."""
    first, last = m.group("a"), m.group("b") if "b" in m.groupdict() else None
    year = re.search(r"(?:19|20)\d\d$", last.strip()) if last else None
    if year and not re.search(r"\d{4}", first) and re.search(rf"\b(?:{MONTH_ALT})\b", first):
        first = f"{first.rstrip()} {year.group(0)}"
    a = parse_day(first, today)
    b = parse_day(last, today, end=True) if last else today
    return range_ref(a, b) if a and b and a <= b and (a <= today or year) else None


def _since_day(m: re.Match[str], today: date) -> PeriodRef | None:
    n = int(m.group("n"))
    month = today.replace(day=1) if n <= today.day else today.replace(day=1) - relativedelta(months=1)
    try:
        return range_ref(month.replace(day=n), today)
    except ValueError:  # "since the 31st" in a shorter month
        return None


def _day_span(m: re.Match[str], today: date) -> PeriodRef | None:
    last = m.group("b")
    b = parse_day(last, today, end=True)
    if b is None or not 1 <= int(m.group("d")) <= b.day:
        return None
    a = b.replace(day=int(m.group("d")))
    year = re.search(r"(?:19|20)\d\d$", last.strip())
    return range_ref(a, b) if a <= today or year else None


def _month_span(m: re.Match[str], today: date) -> PeriodRef | None:
    """The first month takes the year said with the second ("March to May 2025", "June through
    August this year")."""
    first, last = m.group("a"), m.group("b")
    if m.group("rel") and not re.search(r"\d$", last):
        last = f"{last} {today.year - ('last' in m.group('rel'))}"
    year = re.search(r"(?:19|20)\d\d$", last)
    if year and not re.search(r"\d$", first):
        first = f"{first} {year.group(0)}"
    a, b = parse_day(first, today), parse_day(last, today, end=True)
    return range_ref(a, b) if a and b and a <= b and (a <= today or year) else None  # a year said: any


Finder = Callable[[re.Match[str], date], "PeriodRef | None"]


@cache
def _finders() -> list[tuple[re.Pattern[str], Finder, Needs | None]]:
    """Compiled once: every request and every training example runs all of them (each only
    where the text has what its matches need, see agent.nlu.prefilter)."""
    named = [(re.compile(pattern), _named_finder(name)) for pattern, name in NAMED_PHRASES]
    finders: list[tuple[re.Pattern[str], Finder]] = [
        (DAY_SPAN_RE, _day_span),
        (RANGE_RE, _range),
        (MONTH_SPAN_RE, _month_span),
        (SINCE_RE, _range),
        (SINCE_DAY_RE, _since_day),
        *named,
        (TRAILING_RE, _trailing),
        (BARE_TRAILING_RE, _trailing),
        (FORTNIGHT_RE, lambda _m, today: range_ref(today - timedelta(days=13), today, unit="days")),
        (QUARTER_RE, _quarter),
        (HALF_RE, _half),
        (MONTH_RE, _month),
        (NUMERIC_MONTH_RE, _numeric_month),
        (WEEKEND_RE, _weekend),
        (WEEKDAY_RE, _weekday),
        (YEAR_RE, lambda m, today: year_ref(int(m.group("y")), today)),
    ]
    return [(pattern, finder, needed(pattern)) for pattern, finder in finders]


def _named_finder(name: str) -> Finder:
    return lambda _m, today: named_ref(name, today)


def period_mentions(norm: str, today: date) -> list[PeriodRef]:
    """Every period mention in normalized text, in order, where mentions overlap the longest
    one ("September 2025" over "2025")."""
    found: list[PeriodRef] = []
    for pattern, finder, needs in _finders():
        if not may_match(norm, needs):
            continue
        for m in pattern.finditer(norm):
            ref = finder(m, today)
            if ref is not None:
                found.append(replace(ref, pos=m.start(), stop=m.end()))
    kept: list[PeriodRef] = []
    for ref in sorted(found, key=lambda p: (p.pos - p.stop, p.pos)):
        if all(ref.stop <= k.pos or ref.pos >= k.stop for k in kept):
            kept.append(ref)
    return sorted(kept, key=lambda p: p.pos)


def extract_periods(norm: str, today: date) -> list[PeriodRef]:
    """Every distinct period mentioned in normalized text, in order (for comparisons)."""
    unique: list[PeriodRef] = []
    for ref in period_mentions(norm, today):
        if all(ref.args != u.args for u in unique):
            unique.append(ref)
    return unique
