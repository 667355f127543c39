"""Questions that rank or break figures down: revenue per month, week or day with the best and
worst ("what was our best month this year?"), customers ranked by what they spent ("who are my
top customers?"), customers added in a period ("new customers this month") and the average deal.

Cues are word classes, not phrases: a ranking word (best, busiest, weakest, ...) next to a time
unit that is not itself part of a period ("best month this year": "this year" is the period,
"month" the unit), a breakdown word (monthly, per week, trend, ...), a spending verb with "the
most". That keeps "top customers this month" a ranking of customers, not of months.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from agent.offline.extract import PeriodRef, extract_periods
from agent.offline.lexicon import CUSTOMER_WORDS, DEAL_WORDS, REVENUE_WORDS, TEAM_PHRASES, Text
from agent.offline.periods import WORD_NUMBERS, named_ref
from agent.offline.plans import Calls, Plan

UNITS = {"month": "month", "months": "month", "monthly": "month", "mth": "month",
         "week": "week", "weeks": "week", "weekly": "week", "wk": "week", "fortnight": "week",
         "day": "day", "days": "day", "daily": "day", "date": "day", "weekday": "day"}
BEST_WORDS = frozenset({"best", "strongest", "busiest", "highest", "peak", "top", "biggest", "record",
                        "most", "greatest", "largest", "hottest", "best-selling", "bestselling"})
WORST_WORDS = frozenset({"worst", "weakest", "quietest", "slowest", "lowest", "least", "poorest", "bottom",
                         "smallest", "deadest"})
BREAKDOWN = re.compile(
    r"\b(?:trends?|trending|over time|(?:month|week|day) (?:by|on|over|to) (?:month|week|day)|"
    r"(?:per|by|each|every|a|for each|for every|broken down by|split by) (?:month|week|day|mth)s?|"
    r"monthly|weekly|daily|month-by-month|week-by-week|day-by-day|"
    r"break ?down|broken down|breakdown|history|time series|seasonality|evolution|progression|chart|graph)\b")
TREND_TOPIC = REVENUE_WORDS | frozenset({"revenue", "sales", "selling", "performance", "numbers", "figures",
                                         "business", "trading", "takings"})
SPEND = re.compile(
    r"\b(?:spends?|spent|spending|buys?|bought|buying|purchases?|purchased|purchasing|pays?|paid|orders?|"
    r"ordered|brings? in|brought in|generates?|generated|contributes?)\b.*\b(?:the most|most|more|biggest)\b"
    r"|\b(?:big(?:gest)?|top|heavy|high|largest|best) (?:spenders?|buyers?|purchasers?|payers?|accounts?)\b"
    r"|\bmost (?:revenue|money|sales|orders|business|spend)\b|\bwhales\b")
RANK = re.compile(
    r"\b(?:top|best|biggest|largest|greatest|highest[- ]?(?:spending|paying|value|grossing|revenue)|"
    r"most (?:valuable|loyal|profitable|important|lucrative|frequent)|leading|vip|star|"
    r"(?:number|no\.?) ?(?:one|1)|#1|ranked|ranking|rank)\b")
NUMBER = r"(\d{1,3}|" + "|".join(w for w in WORD_NUMBERS if w != "a") + r"|twenty|fifty|hundred)"
TOP_N = re.compile(r"\b(?:top|best|biggest|largest|first)\s+" + NUMBER + r"\b|\b" + NUMBER
                   + r"\s+(?:top|best|biggest|largest|most valuable|highest)\b")
NEW_CUE = re.compile(
    r"\b(?:new|newly|added|joined|signed up|sign ?ups?|signups|acquired|gained|onboarded|created|"
    r"registered|came in|come in|coming in|came on ?board|fresh)\b")
# Verbs that mean "added" only with a period ("leads we got in October"; not "what have we got").
GOT_CUE = re.compile(r"(?<!have )(?<!'ve )(?<!has )\b(?:got|get|gotten|won|landed|picked up|brought in|"
                     r"add|acquire|gain|sign|bring in)\b(?!\s+(?:me|rid)\b)")
AVERAGE = re.compile(r"\b(?:average|avg|mean|typical|median|usual|normal)\b")
DEAL_SIZE = re.compile(r"\b(?:deal|opportunity|opp|contract) (?:size|value|amount|worth)s?\b"
                       r"|\bhow (?:big|large) (?:is|are) (?:a |an |the |our |my )?(?:average |typical )?"
                       r"(?:deal|opportunit|opp|contract)")
EXTRA_NUMBERS = {"twenty": 20, "fifty": 50, "hundred": 100}
UNIT_DAYS = {"day": 1, "week": 7, "month": 31}
STATUS_CHANGE = re.compile(r"\b(?:churn\w*|inactive|dormant|lapsed|left|lost|cancell?ed|quit|stopped)\b")
TEAM_WORDS = frozenset({"salesperson", "salespeople", "rep", "reps", "seller", "sellers", "employee",
                        "employees", "staff", "colleague", "colleagues", "teammate", "teammates"})


def _outside_periods(t: Text, periods: list[PeriodRef]) -> list[str]:
    """The words of the message with the period mentions (and "at least/most") cut out."""
    norm = t.norm
    for p in sorted(periods, key=lambda p: -p.pos):
        norm = norm[: p.pos] + " " + norm[p.stop:]
    return re.findall(r"[a-z0-9-]+", re.sub(r"\bat (?:least|most)\b", " ", norm))


def granularity_of(t: Text, periods: list[PeriodRef]) -> str | None:
    """The time unit the owner breaks figures down by, if any ("best *week*", "*daily* sales")."""
    for word in _outside_periods(t, periods):
        if word in UNITS:
            return UNITS[word]
    return None


def _default_unit(periods: list[PeriodRef]) -> str:
    """Without a unit: days within a month, weeks within a quarter, months otherwise."""
    if not periods:
        return "month"
    days = periods[0].days
    return "day" if days <= 31 else "week" if days <= 92 else "month"


def extreme_focus(words: list[str] | frozenset[str]) -> str:
    worst = any(w in WORST_WORDS for w in words)
    best = any(w in BEST_WORDS for w in words)
    return "best_worst" if best and worst else "worst" if worst else "best" if best else ""


def trend_calls(periods: list[PeriodRef], unit: str | None) -> tuple[tuple[str, dict[str, Any]], ...]:
    granularity = unit or _default_unit(periods)
    if not periods:
        return (("revenue_trend", {"granularity": granularity}),)
    return tuple(("revenue_trend", {**p.args, "granularity": granularity}) for p in periods[:2])


def trend_rule(t: Text, today: date) -> Plan | None:
    """"Best month this year", "monthly revenue", "sales by week last quarter", "sales trend"."""
    if t.has_any(DEAL_WORDS | CUSTOMER_WORDS, fuzzy=False):
        return None
    periods = extract_periods(t.raw, today)
    unit = granularity_of(t, periods)
    focus = extreme_focus(_outside_periods(t, periods))
    asks_when = "when" in t.words and (t.has_any(TREND_TOPIC) or bool(t.word_set & {"we", "our", "us"}))
    ranked_unit = bool(focus and (unit or asks_when))  # "best month", "when did we peak"
    breakdown = BREAKDOWN.search(t.norm) is not None
    if not (ranked_unit or (breakdown and (t.has_any(TREND_TOPIC) or len(t.words) <= 4))):
        return None
    if unit and periods and periods[0].days <= UNIT_DAYS[unit]:
        return None  # "monthly revenue for October": one bucket is just the period's revenue
    return Calls(trend_calls(periods, unit), focus=focus or "trend")


def top_limit(t: Text) -> int | None:
    m = TOP_N.search(t.norm)
    if not m:
        return None
    raw = next(g for g in m.groups() if g)
    n = int(raw) if raw.isdigit() else WORD_NUMBERS.get(raw, EXTRA_NUMBERS.get(raw, 10))
    return max(1, min(100, n))


def top_customers_rule(t: Text, today: date) -> Plan | None:
    """"Top customers", "biggest clients last year", "who spends the most", "top 5 buyers"."""
    if t.has_any(DEAL_WORDS | TEAM_WORDS, fuzzy=False) or t.has_phrase(TEAM_PHRASES):
        return None  # "biggest deals", "who is the best salesperson" rank something else
    about = t.has_any(CUSTOMER_WORDS - {"lead", "leads", "prospect", "prospects", "crm"}) or re.search(
        r"\bwho(?:m)?\b|\bwhich (?:one|company|companies|business)|\b(?:spenders?|whales)\b", t.norm)
    if not (about and (RANK.search(t.norm) or SPEND.search(t.norm))):
        return None
    args: dict[str, Any] = {}
    periods = extract_periods(t.raw, today)
    if periods:
        args.update(periods[0].args)
    if (limit := top_limit(t)) is not None:
        args["limit"] = limit
    return Calls((("top_customers", args),), focus="top")


def average_deal_rule(t: Text, today: date) -> Plan | None:
    """"Average deal size", "what's a typical won deal worth", "avg opportunity value"."""
    if not (DEAL_SIZE.search(t.norm) or (AVERAGE.search(t.norm) and t.has_any(DEAL_WORDS))):
        return None
    if not (AVERAGE.search(t.norm) or re.search(r"\bhow (?:big|large)\b", t.norm)):
        return None
    won = re.search(r"\b(?:won|win|wins|closed|signed|landed)\b", t.norm) is not None
    return Calls((("pipeline_summary", {}),), focus="average_won" if won else "average")


def created_window(t: Text, today: date) -> tuple[dict[str, Any], str] | None:
    """created_after/created_before for "new customers this month", "leads we got in October",
    and the period's words for the answer; None unless the message is about customers added."""
    periods = extract_periods(t.raw, today)
    added = NEW_CUE.search(t.norm) or (periods and GOT_CUE.search(t.norm))
    # A customer list has no other date to filter by, except the date a status changed.
    dated = periods and not STATUS_CHANGE.search(t.norm)
    if not (added or dated):
        return None
    period = periods[0] if periods else named_ref("last_30_days", today)
    before = re.search(r"\b(?:before|prior to|until|till|up to)\s*$", t.norm[: period.pos])
    after = re.search(r"\b(?:after)\s*$", t.norm[: period.pos])
    if before and periods:
        return {"created_before": period.start.isoformat()}, ""
    start = period.end + timedelta(days=1) if after and periods else period.start
    args = {"created_after": start.isoformat()}
    if period.end < today and not after:  # a period that runs to today needs no upper bound
        args["created_before"] = (period.end + timedelta(days=1)).isoformat()
    return args, "" if after else period.label
