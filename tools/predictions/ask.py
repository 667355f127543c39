"""Reading a forecast question ("What will my sales be next month?"): which metric and which
window ahead. A small mapping of words, not a model: what it understood is returned with the
answer, so a wrong reading is visible."""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date

from tools.predictions.schemas import MetricName
from tools.predictions.windows import Window, days_ahead, named

METRIC_WORDS: tuple[tuple[MetricName, str], ...] = (
    ("average_order_value", r"average order|order value|\baov\b|basket size|avg\.? order"),
    ("orders", r"\borders?\b|order volume|demand|how many sales\b|transactions"),
    ("customers", r"customers?|buyers|clients|shoppers"),
    ("revenue", r"revenue|sales|income|turnover|earn|make|takings|money"),
)
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
AHEAD = re.compile(r"\bnext\s+(?:(?P<n>\d{1,3})\s+)?(?P<unit>day|week|month|quarter|year)s?\b")
THIS = re.compile(r"\b(?:this|rest of (?:the|this))\s+(?P<unit>week|month|quarter|year)\b")
IN_MONTH = re.compile(r"\b(?:in|for|during)\s+(?P<month>" + "|".join(MONTHS) + r")\b")


def metric_of(question: str) -> MetricName:
    text = question.lower()
    for metric, pattern in METRIC_WORDS:
        if re.search(pattern, text):
            return metric
    return "revenue"


def _this(unit: str, today: date) -> Window:
    if unit == "week":
        return Window(today, today.fromordinal(today.toordinal() + 6 - today.weekday()))
    if unit == "month":
        return Window(today, today.replace(day=monthrange(today.year, today.month)[1]))
    if unit == "quarter":
        last = 3 * ((today.month - 1) // 3) + 3
        return Window(today, date(today.year, last, monthrange(today.year, last)[1]))
    return Window(today, date(today.year, 12, 31))


def window_of(question: str, today: date) -> tuple[Window, str]:
    """The window asked about and how it was read; the next 30 days when none is named."""
    text = question.lower()
    if m := AHEAD.search(text):
        n, unit = m.group("n"), m.group("unit")
        name = f"next_{n}_{unit}s" if n else f"next_{unit}"
        return named(name, today), name
    if m := THIS.search(text):
        return _this(m.group("unit"), today), f"this_{m.group('unit')}"
    if m := IN_MONTH.search(text):
        month = MONTHS.index(m.group("month")) + 1
        year = today.year + (month < today.month)
        first = date(year, month, 1)
        return Window(max(first, today), date(year, month, monthrange(year, month)[1])), m.group("month")
    if "tomorrow" in text:
        return named("next_day", today), "tomorrow"
    return days_ahead(today, 30), "next_30_days (no period named)"
