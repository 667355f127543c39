"""Follow-ups that only make sense after an earlier question: "and the month before?",
"what about active ones?", "and over 50k?", "same for Globex".

The earlier question is read from the calls on the record: its tool and arguments are reused with
the new words applied, so "what about active ones?" after "customers at Acme" keeps Acme.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from agent.offline.extract import (
    company_filter,
    customer_status,
    deal_status,
    extract_periods,
    target_query,
    value_filters,
)
from agent.offline.followup_analytics import analytics_follow_up
from agent.offline.history import Turn, recent_steps
from agent.offline.intents_read import LIST_DROP, deal_sort, deal_stage_filter
from agent.offline.lexicon import Text
from agent.offline.plans import Ask, Calls, Plan, Resolve
from agent.offline.shifts import period_from_call, relative_shift, shift_period

QUERY_TOOLS = ("revenue_for_period", "dashboard_metrics", "list_customers", "list_deals", "pipeline_summary",
               "revenue_trend", "top_customers")
FOLLOW_DROP = LIST_DROP | frozenset({"same", "well", "too", "also", "else", "instead", "ones", "one", "those",
                                     "them", "and", "but", "what", "about", "how", "then"})
CARRY = {"list_customers": ("status", "company", "search", "sort_by", "sort_order", "limit", "created_after",
                            "created_before"),
         "list_deals": ("status", "stage", "min_value", "max_value", "search", "sort_by", "sort_order",
                        "limit")}


def _revenue(args: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return "revenue_for_period", args


def _name(t: Text) -> str | None:
    return target_query(t.raw, (), FOLLOW_DROP)


def _customer_mods(t: Text, prev: dict[str, Any]) -> dict[str, Any]:
    mods: dict[str, Any] = {}
    if status := customer_status(t.raw):
        mods["status"] = status
    company = company_filter(t.raw) if re.search(r"\b(?:at|from|with|of|for)\s+\S", t.raw, re.I) else None
    if company and company.lower() not in FOLLOW_DROP:
        mods["company"] = company
    elif (name := _name(t)) is not None:
        mods["company" if "company" in prev else "search"] = name
    return mods


def _deal_mods(t: Text, prev: dict[str, Any]) -> dict[str, Any]:
    mods: dict[str, Any] = {}
    status, stage = deal_status(t.raw), deal_stage_filter(t)
    if status:
        mods["status"] = status
    if stage:
        mods["stage"] = stage
    mods.update(value_filters(t.raw))
    mods.update(deal_sort(t))
    if (name := _name(t)) is not None:
        mods["search"] = name
    return mods


def _merged(tool: str, prev: dict[str, Any], mods: dict[str, Any]) -> dict[str, Any]:
    args = {k: v for k, v in prev.items() if k in CARRY[tool]}
    if "stage" in mods and "status" not in mods:
        args.pop("status", None)
    if "status" in mods and "stage" not in mods:
        args.pop("stage", None)
    return {**args, **mods}


def _repeat_action(t: Text, previous: Plan | None) -> Plan | None:
    """"Same for Globex" / "and the Hooli one too" after a change to one record."""
    if not isinstance(previous, Resolve) or previous.action in ("list", "show"):
        return None
    if not re.search(r"\b(?:same|too|also|as well|and|next|another|then)\b", t.norm):
        return None
    query = _name(t)
    return previous.with_query(query) if query else None


FOLLOW_CUE = re.compile(
    r"^(?:and|what about|how about|ok(?:ay)?,? (?:and|now)|same|also|now|just|only|but|then)\b")
PRONOUN = re.compile(r"\b(?:her|him|his|it|its|them|their|this one|that one|"
                     r"that (?:deal|customer|client|contact)|"
                     r"this (?:deal|customer|client|contact)|the same (?:one|deal|customer))\b")
SINGLE_KEYS = {"deal": ("deal", "deals"), "customer": ("customer", "customers")}


def narrowed(t: Text, plan: Plan, history: list[Turn]) -> Plan:
    """"And the prospects?" after "leads at Globex": the new filter on top of the old ones."""
    if not (FOLLOW_CUE.match(t.norm) and isinstance(plan, Calls) and len(plan.calls) == 1):
        return plan
    name, args = plan.calls[0]
    last = recent_steps(history[-1:], QUERY_TOOLS)
    if last is None or last.name != name or name not in CARRY:
        return plan
    return Calls(((name, _merged(name, last.args, args)),), plan.focus)


def _single_record(history: list[Turn], kind: str) -> dict[str, Any] | None:
    one, many = SINGLE_KEYS[kind]
    for turn in reversed(history[-2:]):
        for step in reversed(turn.steps):
            data = step.data or {}
            if isinstance(data.get(one), dict):
                return dict(data[one])
            rows = data.get(many)
            if isinstance(rows, list) and len(rows) == 1:
                return dict(rows[0])
    return None


def referred(t: Text, plan: Plan, history: list[Turn]) -> Plan:
    """"Change her status to active" right after finding Jane Smith: act on that record."""
    if not (isinstance(plan, Ask) and plan.missing == "target" and isinstance(plan.plan, Resolve)):
        return plan
    if not PRONOUN.search(t.norm):
        return plan
    record = _single_record(history, plan.plan.kind)
    return plan.plan.with_target(record) if record and record.get("id") else plan


def follow_up(t: Text, history: list[Turn], previous: Plan | None, today: date) -> Plan | None:
    repeat = _repeat_action(t, previous)
    if repeat is not None:
        return repeat
    last = recent_steps(history[-3:], QUERY_TOOLS)
    analytic = analytics_follow_up(t, last, previous, today)
    if analytic is not None:
        return analytic
    shift = relative_shift(t.raw)
    periods = extract_periods(t.raw, today)
    if last is not None and last.name == "revenue_for_period":
        if shift is not None:
            prev = period_from_call(last.args, last.data, today)
            return Calls((_revenue(shift_period(prev, shift, today).args),)) if prev else None
        return Calls(tuple(_revenue(p.args) for p in periods[:4])) if periods else None
    if last is not None and last.name == "dashboard_metrics" and periods:
        return Calls((("dashboard_metrics", {"period": periods[0].dashboard_period()}),))
    if last is not None and last.name in CARRY and not periods:
        mods = _customer_mods(t, last.args) if last.name == "list_customers" else _deal_mods(t, last.args)
        if mods:
            focus = previous.focus if isinstance(previous, Calls) else ""
            return Calls(((last.name, _merged(last.name, last.args, mods)),), focus=focus)
    return None
