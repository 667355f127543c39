"""Answers about revenue, the pipeline, the dashboard and the workspace, from tool JSON only."""

from __future__ import annotations

from typing import Any

from agent.offline import fmt


def period_name(data: dict[str, Any]) -> str:
    """"last month (Oct 1 – Oct 31, 2026)", "September 2026 (…)", or just the dates."""
    dates = fmt.date_range(data.get("start_date"), data.get("end_date"))
    label = str(data.get("label") or "")
    if not label or " to " in label or label[:1].isdigit():
        return dates
    return f"{label} ({dates})"


def revenue_answer(data: dict[str, Any], focus: str = "") -> str:
    cur = data.get("currency")
    orders = int(data.get("orders") or 0)
    name, revenue, count = period_name(data), fmt.money(data.get("revenue"), cur), fmt.plural(orders, "order")
    if focus == "orders":
        text = f"You had {count} in {name}, worth {revenue}."
    else:
        text = f"Revenue for {name} was {revenue} from {count}."
    if data.get("average_order_value") is not None:
        text += f" Average order value: {fmt.money(data['average_order_value'], cur)}."
    prev = fmt.money(data.get("previous_revenue"), cur)
    prev_orders = fmt.plural(int(data.get("previous_orders") or 0), "order")
    if data.get("change_percent") is None:
        text += f" The previous period had {prev} ({prev_orders}), so there is no percentage change."
    else:
        text += (f" That is {fmt.change_phrase(data['change_percent'])} on the previous period "
                 f"({prev} from {prev_orders}).")
    sources = data.get("sources") or {}
    if sources:
        parts = [f"{k} {fmt.count(v)}" for k, v in sorted(sources.items(), key=lambda kv: -int(kv[1]))]
        text += " Orders by source: " + ", ".join(parts) + "."
    return text


def revenue_comparison(results: list[dict[str, Any]]) -> str:
    """Two or more periods side by side; which is higher, without inventing a difference."""
    lines = [f"{period_name(d)}: {fmt.money(d.get('revenue'), d.get('currency'))} from "
             f"{fmt.plural(int(d.get('orders') or 0), 'order')}" for d in results]
    best = max(results, key=lambda d: float(d.get("revenue") or 0))
    worst = min(results, key=lambda d: float(d.get("revenue") or 0))
    text = "Revenue compared:\n" + fmt.bullets(lines)
    if best is not worst and float(best.get("revenue") or 0) != float(worst.get("revenue") or 0):
        text += f"\n{_short(best)} was higher than {_short(worst)}."
    else:
        text += "\nThey are the same."
    return text


def _short(data: dict[str, Any]) -> str:
    label = str(data.get("label") or "")
    if not label or " to " in label or label[:1].isdigit():
        return fmt.date_range(data.get("start_date"), data.get("end_date"))
    return label


def pipeline_answer(data: dict[str, Any], focus: str = "") -> str:
    cur = data.get("currency")
    won, lost = int(data.get("won_count") or 0), int(data.get("lost_count") or 0)
    rate = data.get("win_rate")
    rate_text = (f"Your win rate is {fmt.ratio_percent(rate)}: {fmt.plural(won, 'deal')} won and "
                 f"{lost} lost." if rate is not None else "There are no closed deals yet, so no win rate.")
    if focus == "win_rate":
        return f"{rate_text} Won deals are worth {fmt.money(data.get('won_value'), cur)}."
    open_part = (f"Your open pipeline has {fmt.plural(int(data.get('open_count') or 0), 'deal')} worth "
                 f"{fmt.money(data.get('open_value'), cur)} (weighted by probability: "
                 f"{fmt.money(data.get('weighted_value'), cur)}).")
    stages = [f"{fmt.stage(s.get('stage'))}: {fmt.plural(int(s.get('count') or 0), 'deal')}, "
              f"{fmt.money(s.get('value'), cur)}" for s in data.get("stages") or []]
    return f"{open_part} By stage:\n{fmt.bullets(stages)}\n{rate_text}"


def dashboard_answer(data: dict[str, Any]) -> str:
    cur = data.get("currency")
    rev = data.get("revenue") or {}
    cust = data.get("customers") or {}
    deals = data.get("deals") or {}
    dates = fmt.date_range(data.get("start_date"), data.get("end_date"))
    lines = [
        f"Revenue: {fmt.money(rev.get('current'), cur)}, {fmt.change_phrase(rev.get('change_percent'))} "
        f"on the previous period ({fmt.money(rev.get('previous'), cur)})",
        f"Customers: {fmt.count(cust.get('total') or 0)} in total, {fmt.count(cust.get('new') or 0)} new, "
        f"{fmt.count(cust.get('churned') or 0)} churned",
        f"Deals: {fmt.count(deals.get('open') or 0)} open worth {fmt.money(deals.get('value'), cur)}, "
        f"{fmt.count(deals.get('won') or 0)} won in the period",
    ]
    period = str(data.get("period") or "")
    units = {"d": "days", "w": "weeks", "m": "months", "y": "years"}
    span = f"{period[:-1]} {units.get(period[-1:], '')}".strip() if period[:-1].isdigit() else period
    return f"Here is how the business did over the last {span} ({dates}):\n" + fmt.bullets(lines)


def workspace_answer(data: dict[str, Any]) -> str:
    w = data.get("workspace") or {}
    return (f"You are in the workspace {w.get('name')} (plan: {w.get('plan')}), which has "
            f"{fmt.plural(int(w.get('member_count') or 0), 'member')}; your role is {w.get('role')}.")


def workspaces_answer(data: dict[str, Any]) -> str:
    items = data.get("workspaces") or []
    if not items:
        return "You don't belong to any workspace yet."
    lines = [f"{w.get('name')} — your role: {w.get('role')}, plan {w.get('plan')}" for w in items]
    return f"You belong to {fmt.plural(len(items), 'workspace')}:\n{fmt.bullets(lines)}"


def members_answer(data: dict[str, Any]) -> str:
    items = data.get("members") or []
    if not items:
        return "Nobody else is in this workspace yet."
    lines = [f"{m.get('full_name') or m.get('name')} ({m.get('email')}) — {m.get('role')}" for m in items]
    total = int(data.get("total") or len(items))
    return f"Your team has {fmt.plural(total, 'member')}:\n{fmt.bullets(lines)}"


def new_workspace_answer(data: dict[str, Any]) -> str:
    w = data.get("workspace") or {}
    return f"Created the workspace {w.get('name')} (plan: {w.get('plan')}); you are its {w.get('role')}."
