"""Answers about revenue over time, the top customers, customers added in a period and the average
deal, from tool JSON only: every figure is a field of the result (or an argument of the call)."""

from __future__ import annotations

import re
from typing import Any

from agent.offline import fmt
from agent.offline.phrasing_metrics import period_name

MAX_LINES = 31  # a month of days; longer trends show only the best, worst and total


def when(data: dict[str, Any]) -> str:
    """The period as a phrase that follows a noun: "this year (Jan 1 – Nov 24, 2026)", "in the last
    12 months (…)", "in March 2026 (…)", "for Jan 1 – Mar 31, 2025"."""
    label = str(data.get("label") or "")
    name = period_name(data)
    if re.match(r"(?:this|last|today|yesterday)\b", label) and not re.match(r"last \d", label):
        return name
    if re.match(r"last \d", label):
        return f"in the {name}"
    return f"in {name}" if label and not label[:1].isdigit() else f"for {name}"


def _bucket(b: dict[str, Any], granularity: str) -> str:
    if granularity == "week":
        return f"the week of {fmt.day(b.get('start_date'))}"
    if granularity == "day":
        return fmt.day(b.get("start_date"))
    return str(b.get("label"))


def _figure(b: dict[str, Any], currency: Any) -> str:
    return f"{fmt.money(b.get('revenue'), currency)} from {fmt.plural(int(b.get('orders') or 0), 'order')}"


def _line(b: dict[str, Any], granularity: str, currency: Any) -> str:
    so_far = " (partial)" if b.get("partial") else ""
    return f"{_bucket(b, granularity)}{so_far}: {_figure(b, currency)}"


def trend_answer(data: dict[str, Any], focus: str = "") -> str:
    cur, unit = data.get("currency"), str(data.get("granularity") or "month")
    best, worst, buckets = data.get("best"), data.get("worst"), data.get("buckets") or []
    period = when(data)
    total = (f"Total: {fmt.money(data.get('total_revenue'), cur)} from "
             f"{fmt.plural(int(data.get('total_orders') or 0), 'order')}.")
    if not best or not worst:
        return f"There were no paid orders {period}, so there is no best or worst {unit}. {total}"
    top = f"{_bucket(best, unit)} with {_figure(best, cur)}"
    low = f"{_bucket(worst, unit)} with {_figure(worst, cur)}"
    if focus == "worst":
        head = f"Your weakest {unit} {period} was {low}; the best was {top}."
    elif focus in ("best", "best_worst"):
        head = f"Your best {unit} {period} was {top}; the worst was {low}."
    else:
        lines = [_line(b, unit, cur) for b in buckets]
        listing = f":\n{fmt.bullets(lines)}\n" if len(lines) <= MAX_LINES else f" ({len(lines)} {unit}s). "
        head = f"Revenue by {unit} {period}{listing}Best: {top}. Worst: {low}."
    partial = [b for b in buckets if b.get("partial")]
    note = ""
    if partial and len(partial) < len(buckets):
        note = f" Partial {unit}s at the edges of the period are left out of best and worst."
    average = f" Average per {unit}: {fmt.money(data.get('average_revenue'), cur)}."
    return f"{head} {total}{average}{note}"


def _customer(c: dict[str, Any], cur: Any) -> str:
    company = f" ({c['company']})" if c.get("company") else ""
    return (f"{c.get('name')}{company} — {fmt.money(c.get('revenue'), cur)} from "
            f"{fmt.plural(int(c.get('orders') or 0), 'order')}, {fmt.percent(c.get('share_percent') or 0)} "
            f"of revenue, last order {fmt.day(c.get('last_order_date'))}")


def top_customers_answer(data: dict[str, Any]) -> str:
    cur, rows, period = data.get("currency"), data.get("customers") or [], when(data)
    if not rows:
        return f"No customer placed a paid order {period}."
    first = rows[0]
    company = f" ({first['company']})" if first.get("company") else ""
    orders = fmt.plural(int(first.get("orders") or 0), "order")
    head = (f"Your biggest customer {period} was {first.get('name')}{company}, with "
            f"{fmt.money(first.get('revenue'), cur)} from {orders} "
            f"({fmt.percent(first.get('share_percent') or 0)} of revenue).")
    lines = [f"{c.get('rank')}. {_customer(c, cur)}" for c in rows]
    ranking = f" Your top {fmt.count(len(rows))} by revenue:\n" + "\n".join(lines) if len(rows) > 1 else ""
    tail = (f"All revenue {period}: {fmt.money(data.get('total_revenue'), cur)} from "
            f"{fmt.plural(int(data.get('total_orders') or 0), 'order')} by "
            f"{fmt.plural(int(data.get('customers_with_orders') or 0), 'customer')}.")
    return f"{head}{ranking}\n{tail}"


def average_deal_answer(data: dict[str, Any], focus: str) -> str:
    cur = data.get("currency")
    open_n, won_n = int(data.get("open_count") or 0), int(data.get("won_count") or 0)
    if data.get("average_open_deal_value") is None:
        open_part = "There are no open deals, so there is no average open deal size."
    else:
        open_part = (f"Your average open deal is worth {fmt.money(data['average_open_deal_value'], cur)} "
                     f"({fmt.plural(open_n, 'open deal')} worth {fmt.money(data.get('open_value'), cur)} "
                     "in total).")
    if data.get("average_won_deal_value") is None:
        won_part = "No deals have been won yet, so there is no average won deal size."
    else:
        won_part = (f"Your average won deal was worth {fmt.money(data['average_won_deal_value'], cur)} "
                    f"({fmt.plural(won_n, 'deal')} won, {fmt.money(data.get('won_value'), cur)} in total).")
    return f"{won_part} {open_part}" if focus == "average_won" else f"{open_part} {won_part}"


def added_when(args: dict[str, Any], label: str = "") -> str:
    """How the window of a "customers added" filter reads: the owner's period when it needs no
    figure the call lacks ("this month", "in October 2026"), else the filter's own dates."""
    after, before = args.get("created_after"), args.get("created_before")
    if not after:
        return f"before {fmt.day(before)}"
    start = fmt.day(after)
    if re.fullmatch(r"(?:this|last) (?:week|month|quarter|year)|today|yesterday", label):
        return f"{label} (since {start})" if label.startswith(("this", "today")) else label
    if re.fullmatch(r"[A-Z][a-z]+ \d{4}", label):
        return f"in {label}"
    if not before or re.fullmatch(r"last \d+ days", label):
        return f"since {start}"
    return f"on or after {start} and before {fmt.day(before)}"

