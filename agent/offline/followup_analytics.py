"""Follow-ups on breakdowns and rankings: "and last year?" after the best month, "by week instead",
"what about the worst?", "top 20?", "and the month before?" after new customers this month.

The earlier call is read back from the record and changed only where the new words say so: a new
period (named, or shifted from the old one), a new time unit, a new limit, or another focus.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from agent.offline.extract import PeriodRef, extract_periods
from agent.offline.history import Step, Turn, recent_steps
from agent.offline.intents_analytics import extreme_focus, granularity_of, top_limit, trend_calls
from agent.offline.lexicon import Text
from agent.offline.periods import range_ref
from agent.offline.plans import Calls, Plan
from agent.offline.shifts import period_from_call, relative_shift, shift_period

PERIOD_KEYS = ("period", "month", "start_date", "end_date")
PERIOD_SOURCES = ("revenue_for_period", "revenue_trend", "top_customers")
SHORT = 6  # words: a message this short that names no period is about the last one


def _new_periods(t: Text, last: Step, today: date) -> list[PeriodRef]:
    """The period(s) the follow-up asks for: named ones, or the old one shifted ("the year before")."""
    shift = relative_shift(t.raw)
    if shift is not None:
        prev = period_from_call(last.args, last.data, today)
        return [shift_period(prev, shift, today)] if prev else []
    return extract_periods(t.raw, today)


def _period_args(args: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in args.items() if k in PERIOD_KEYS}


def _trend(t: Text, last: Step, focus: str, today: date) -> Plan | None:
    periods = _new_periods(t, last, today)
    unit = granularity_of(t, periods) if relative_shift(t.raw) is None else None
    new_focus = extreme_focus(t.words) or focus or "trend"
    if periods:
        return Calls(trend_calls(periods, unit or str(last.args.get("granularity") or "")), focus=new_focus)
    if unit or new_focus != focus:
        args = {**last.args, "granularity": unit or last.args.get("granularity", "month")}
        return Calls((("revenue_trend", args),), focus=new_focus)
    return None


def _top(t: Text, last: Step, today: date) -> Plan | None:
    periods = _new_periods(t, last, today)
    limit = top_limit(t) or _bare_number(t)
    if not (periods or limit):
        return None
    args = {k: v for k, v in last.args.items() if k not in PERIOD_KEYS} if periods else dict(last.args)
    if periods:
        args.update(periods[0].args)
    if limit:
        args["limit"] = limit
    return Calls((("top_customers", args),), focus="top")


def _bare_number(t: Text) -> int | None:
    """"Show 20", "just 3" after a ranking."""
    m = re.fullmatch(r"(?:and |ok |now )?(?:show |list |give me |just |only |the )*(?:the )?(?:top )?"
                     r"(\d{1,3})(?: (?:of them|please|instead|more|customers|clients))?[?.!]?", t.norm)
    return max(1, min(100, int(m.group(1)))) if m else None


def _window_of(args: dict[str, Any], today: date) -> PeriodRef | None:
    """The period an earlier "customers added" filter covered."""
    try:
        start = date.fromisoformat(str(args["created_after"]))
        before = date.fromisoformat(str(args.get("created_before") or today + timedelta(days=1)))
        end = before - timedelta(days=1)
    except ValueError:
        return None
    ref = range_ref(start, end)
    return replace(ref, unit="month") if start.day == 1 and (end + timedelta(days=1)).day == 1 else ref


def _added(t: Text, last: Step, focus: str, today: date) -> Plan | None:
    shift = relative_shift(t.raw)
    prev = _window_of(last.args, today)
    periods = [shift_period(prev, shift, today)] if shift and prev else extract_periods(t.raw, today)
    if not periods:
        return None
    p = periods[0]
    args = {k: v for k, v in last.args.items() if k != "created_before"}
    args["created_after"] = p.start.isoformat()
    if p.end < today:
        args["created_before"] = (p.end + timedelta(days=1)).isoformat()
    return Calls((("list_customers", args),), focus=focus, label=p.label)


def analytics_follow_up(t: Text, last: Step | None, previous: Plan | None, today: date) -> Plan | None:
    """The follow-up plan when the last question was a breakdown, a ranking or "customers added"."""
    if last is None:
        return None
    focus = previous.focus if isinstance(previous, Calls) else ""
    if last.name == "revenue_trend":
        return _trend(t, last, focus, today)
    if last.name == "top_customers":
        return _top(t, last, today)
    if last.name == "list_customers" and "created_after" in last.args:
        return _added(t, last, focus, today)
    if last.name == "revenue_for_period":
        return _breakdown_of(t, last, today)
    return None


def _breakdown_of(t: Text, last: Step, today: date) -> Plan | None:
    """"Which week was best?" / "break it down by month" after a revenue figure: the same period."""
    unit = granularity_of(t, extract_periods(t.raw, today))
    if unit is None or extract_periods(t.raw, today) or relative_shift(t.raw) is not None:
        return None
    args = {**_period_args(last.args), "granularity": unit}
    return Calls((("revenue_trend", args),), focus=extreme_focus(t.words) or "trend")


def inherit_period(t: Text, plan: Plan, history: list[Turn]) -> Plan:
    """A short breakdown or ranking request that names no period ("and by week?", "top customers
    then?") right after a question about a period keeps that period."""
    if not (isinstance(plan, Calls) and len(plan.calls) == 1 and len(t.words) <= SHORT):
        return plan
    name, args = plan.calls[0]
    if name not in ("revenue_trend", "top_customers") or _period_args(args):
        return plan
    last = recent_steps(history[-1:], PERIOD_SOURCES)
    if last is None or not _period_args(last.args):
        return plan
    return replace(plan, calls=((name, {**args, **_period_args(last.args)}),))
