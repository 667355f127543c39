"""Turning tool results into the answer. Every figure in an answer is read from a tool result;
nothing here computes or guesses one."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from agent.offline import fmt
from agent.offline.history import Step
from agent.offline.phrasing_analytics import average_deal_answer, top_customers_answer, trend_answer
from agent.offline.phrasing_lists import (
    customer_detail,
    customer_line,
    customers_answer,
    deal_line,
    deals_answer,
)
from agent.offline.phrasing_metrics import (
    dashboard_answer,
    members_answer,
    new_workspace_answer,
    pipeline_answer,
    revenue_answer,
    revenue_comparison,
    workspace_answer,
    workspaces_answer,
)

HELP = (
    "I can help with your CRM and sales numbers. Try for example:\n"
    "- “How many customers do I have?” or “list my leads at Acme”\n"
    "- “Find Jane Smith” or “add Jane Smith from Tech Corp as a lead”\n"
    "- “Show my open deals over 10k” or “deals in negotiation”\n"
    "- “Create a deal for Acme worth 12k”, “move the Acme deal to negotiation”, "
    "“mark the Globex deal as won”\n"
    "- “What was revenue last month?”, “revenue in September”, “and the month before?”\n"
    "- “Show me the pipeline”, “what's my win rate?”, “what's the average deal size?”\n"
    "- “What was our best month this year?”, “sales by week last quarter”, “who are my top customers?”\n"
    "- “How many new customers this month?” or “how is the business doing?”\n"
    "- “Who is on my team?” or “what workspace am I in?”"
)
UNKNOWN = "I'm not sure what you'd like me to do. " + HELP
CANCELLED = "OK, I cancelled that: nothing was changed."
ERROR_HINTS = {
    "RESOURCE_NOT_FOUND": "I couldn't find that record",
    "NOT_FOUND": "I couldn't find that record",
    "FORBIDDEN": "You don't have permission to do that",
    "RESOURCE_CONFLICT": "That clashes with an existing record",
    "VALIDATION_ERROR": "Some of the details weren't accepted",
}


def error_answer(error: str) -> str:
    """A tool error in plain words, keeping the tool's own message (it is safe to show)."""
    m = re.match(r"\s*Error:\s*([A-Z_]+):\s*(.*)", error, re.S)
    if not m:
        return f"That didn't work: {error.removeprefix('Error:').strip()}"
    code, message = m.group(1), m.group(2).strip()
    hint = ERROR_HINTS.get(code, "That didn't work")
    return f"{hint}: {message}"


def _customer_written(verb: str) -> Callable[[dict[str, Any], dict[str, Any]], str]:
    def phrase(data: dict[str, Any], args: dict[str, Any]) -> str:
        c = data.get("customer") or {}
        who = f"{c.get('name')}" + (f" ({c['company']})" if c.get("company") else "")
        changed = [k for k in ("status", "email", "phone", "company", "name") if k in args]
        if verb == "Updated" and changed:
            parts = [f"{k} is now {c.get(k)}" for k in changed]
            return f"Updated {who}: " + ", ".join(parts) + "."
        return f"{verb} {customer_line(c)}." if verb != "Updated" else f"Updated {who}."
    return phrase


def _deal_written(verb: str) -> Callable[[dict[str, Any], dict[str, Any]], str]:
    def phrase(data: dict[str, Any], args: dict[str, Any]) -> str:
        d = data.get("deal") or {}
        if verb == "Moved":
            where = {"closed_won": "won", "closed_lost": "lost"}.get(str(d.get("stage")))
            head = (f"Marked “{d.get('title')}” as {where}" if where
                    else f"Moved “{d.get('title')}” to {fmt.stage(d.get('stage'))}")
            return f"{head} (probability {d.get('probability')}%). It is worth " \
                   f"{fmt.money(d.get('value'), d.get('currency'))}."
        return f"{verb} the deal: {deal_line(d)}."
    return phrase


def _destructive(data: dict[str, Any], args: dict[str, Any]) -> str:
    if data.get("status") == "confirmation_required":
        return f"{data.get('message')} Please confirm to go ahead."
    return str(data.get("message") or "Done.")


def _deal_out(data: dict[str, Any], args: dict[str, Any]) -> str:
    return fmt.bullets([deal_line(data.get("deal") or {})])


PHRASERS: dict[str, Callable[[dict[str, Any], dict[str, Any]], str]] = {
    "create_customer": _customer_written("Added"),
    "update_customer": _customer_written("Updated"),
    "get_customer": lambda data, args: customer_detail(data.get("customer") or {}),
    "create_deal": _deal_written("Created"),
    "update_deal": _deal_written("Updated"),
    "move_deal_stage": _deal_written("Moved"),
    "get_deal": _deal_out,
    "delete_customer": _destructive,
    "delete_deal": _destructive,
    "dashboard_metrics": lambda data, args: dashboard_answer(data),
    "get_workspace": lambda data, args: workspace_answer(data),
    "list_workspaces": lambda data, args: workspaces_answer(data),
    "list_workspace_members": lambda data, args: members_answer(data),
    "create_workspace": lambda data, args: new_workspace_answer(data),
}


def step_answer(step: Step, focus: str = "", label: str = "") -> str:
    """The answer for one finished tool call."""
    if step.cancelled:
        return CANCELLED
    if step.error is not None:
        return error_answer(step.error)
    data = step.data or {}
    if step.name == "list_customers":
        return customers_answer(data, step.args, focus, label)
    if step.name == "list_deals":
        return deals_answer(data, step.args, focus)
    if step.name == "revenue_for_period":
        return revenue_answer(data, focus)
    if step.name == "pipeline_summary":
        averages = focus.startswith("average")
        return average_deal_answer(data, focus) if averages else pipeline_answer(data, focus)
    if step.name == "revenue_trend":
        return trend_answer(data, focus)
    if step.name == "top_customers":
        return top_customers_answer(data)
    phraser = PHRASERS.get(step.name)
    if phraser is not None:
        return phraser(data, step.args)
    return _generic(step.name, data)


def _generic(name: str, data: dict[str, Any]) -> str:
    """A tool this model has no words for: show its scalar fields as they came."""
    scalars = [f"{k.replace('_', ' ')}: {v}" for k, v in data.items() if isinstance(v, str | int | float)]
    title = name.replace("_", " ")
    return f"Result of {title}:\n{fmt.bullets(scalars[:12])}" if scalars else f"Done: {title}."


def steps_answer(steps: list[Step], focus: str = "", label: str = "") -> str:
    """Several independent calls (a comparison of periods, say)."""
    if len(steps) > 1 and all(s.name == "revenue_for_period" and s.data for s in steps):
        return revenue_comparison([s.data or {} for s in steps])
    return "\n\n".join(step_answer(s, focus, label) for s in steps)
