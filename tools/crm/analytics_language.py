"""How owners ask for the revenue and analytics tools, and how their results are said.

Routing between the close ones: `revenue_for_period` is one total for a period (with orders and
the change on the period before); `revenue_trend` splits a period into days, weeks or months
(best and worst month, "by week", "trend"); `dashboard_metrics` is the headline numbers of the
business at once (revenue, new and churned customers, deals); `top_customers` ranks customers by
what they spent.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tools import phrasing as p
from tools.crm.schemas_analytics import (
    DashboardOutput,
    RevenueOutput,
    TopCustomersOutput,
    TrendBucket,
    TrendOutput,
)
from tools.language import ToolLanguage, declare, read_examples

EXAMPLES = read_examples(Path(__file__).with_name("analytics_examples.txt"))

PERIOD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "today": ("today", "so far today", "today so far", "this morning", "tonight"),
    "yesterday": ("yesterday", "yday"),
    "this_week": ("this week", "current week", "week to date", "wtd", "so far this week"),
    "last_week": ("last week", "previous week", "prior week"),
    "this_month": ("this month", "current month", "month to date", "mtd", "so far this month"),
    "last_month": ("last month", "previous month", "prior month"),
    "this_quarter": ("this quarter", "current quarter", "quarter to date", "qtd", "this q",
                     "so far this quarter"),
    "last_quarter": ("last quarter", "previous quarter", "prior quarter", "q-1", "last q"),
    "this_year": ("this year", "ytd", "year to date", "so far this year", "current year",
                  "this calendar year"),
    "last_year": ("last year", "previous year", "prior year", "last calendar year"),
    "last_7_days": ("last 7 days", "past 7 days", "last seven days", "past seven days", "past week",
                    "trailing 7 days", "rolling week"),
    "last_30_days": ("last 30 days", "past 30 days", "last thirty days", "past month",
                     "trailing 30 days", "rolling month", "last 4 weeks"),
    "last_90_days": ("last 90 days", "past 90 days", "last ninety days", "past quarter",
                     "past 3 months", "past three months", "trailing 90 days"),
    "last_365_days": ("last 365 days", "past 365 days", "past year", "past 12 months",
                      "last 12 months", "last twelve months", "trailing twelve months", "ttm",
                      "rolling year"),
}
GRANULARITY_SYNONYMS: dict[str, tuple[str, ...]] = {
    "day": ("daily", "by day", "per day", "each day", "day by day", "every day", "best day",
            "busiest day", "slowest day"),
    "week": ("weekly", "by week", "per week", "each week", "week by week", "week on week",
             "best week", "busiest week", "slowest week"),
    "month": ("monthly", "by month", "per month", "each month", "month by month", "month on month",
              "month over month", "best month", "worst month", "busiest month"),
}
DASHBOARD_PERIOD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "7d": ("last 7 days", "past 7 days", "past week", "this week", "last week", "weekly"),
    "14d": ("last 14 days", "past 14 days", "past two weeks", "last two weeks", "fortnight"),
    "30d": ("last 30 days", "past 30 days", "past month", "this month", "last month", "monthly"),
    "90d": ("last 90 days", "past 90 days", "this quarter", "last quarter", "past quarter",
            "last 3 months", "quarterly"),
    "12m": ("last 12 months", "past 12 months", "past year", "this year", "last year", "yearly",
            "annual"),
}


# --- phrasing ----------------------------------------------------------------------------------


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _revenue(out: RevenueOutput, args: Mapping[str, Any]) -> str:
    cur = out.currency
    name = p.period_name(out.label, out.start_date, out.end_date)
    text = f"Revenue for {name} was {p.money(out.revenue, cur)} from {p.plural(out.orders, 'paid order')}."
    if out.average_order_value is not None:
        text += f" Average order value: {p.money(out.average_order_value, cur)}."
    before = f"{p.money(out.previous_revenue, cur)} from {p.plural(out.previous_orders, 'order')}"
    previous = p.readable_label(out.previous_label)
    if out.change_percent is None:
        text += f" {_capital(previous)} had {before}, so there is no percentage change to show."
    else:
        text += f" That is {p.change_phrase(out.change_percent)} on {previous}, which had {before}."
    if out.sources:
        parts = [f"{k} {p.count(v)}" for k, v in sorted(out.sources.items(), key=lambda kv: -kv[1])]
        text += " Orders by source: " + ", ".join(parts) + "."
    return text


UNITS = {"d": ("day", "days"), "w": ("week", "weeks"), "m": ("month", "months"), "y": ("year", "years")}


def _dashboard(out: DashboardOutput, args: Mapping[str, Any]) -> str:
    cur = out.currency
    n, unit = out.period[:-1], out.period[-1:]
    one, many = UNITS.get(unit, ("", ""))
    span = (one if n == "1" else f"{n} {many}") if n.isdigit() and one else out.period
    rev, cust, deals = out.revenue, out.customers, out.deals
    change = ("no change figure (nothing to compare with)" if rev.change_percent is None
              else p.change_phrase(rev.change_percent))
    lines = [
        f"Revenue: {p.money(rev.current, cur)}, {change} on the period before "
        f"({p.money(rev.previous, cur)})",
        f"Customers: {p.count(cust.total)} in total, {p.count(cust.new)} new, "
        f"{p.count(cust.churned)} churned",
        f"Deals: {p.count(deals.open)} open worth {p.money(deals.value, cur)}, {p.count(deals.won)} won "
        "in the period",
    ]
    dates = p.date_range(out.start_date, out.end_date)
    return f"Here is how the business did over the last {span} ({dates}):\n{p.bullets(lines)}"


def _bucket(b: TrendBucket, granularity: str) -> str:
    if granularity == "week":
        return f"the week of {p.day(b.start_date)}"
    if granularity == "day":
        return p.day(b.start_date)
    return b.label


def _figure(b: TrendBucket, currency: str) -> str:
    return f"{p.money(b.revenue, currency)} from {p.plural(b.orders, 'order')}"


MAX_TREND_LINES = 31  # a month of days; longer trends give the best, worst and total only


def _trend(out: TrendOutput, args: Mapping[str, Any]) -> str:
    cur, unit = out.currency, out.granularity
    period = p.when(out.label, out.start_date, out.end_date)
    total = (f"Total: {p.money(out.total_revenue, cur)} from {p.plural(out.total_orders, 'order')}"
             + (f", {p.money(out.average_revenue, cur)} per {unit} on average." if out.average_revenue
                is not None else "."))
    if out.best is None or out.worst is None:
        return f"There were no paid orders {period}, so there is no best or worst {unit}. {total}"
    top = f"{_bucket(out.best, unit)} with {_figure(out.best, cur)}"
    low = f"{_bucket(out.worst, unit)} with {_figure(out.worst, cur)}"
    lines = [f"{_bucket(b, unit)}{' (partial)' if b.partial else ''}: {_figure(b, cur)}" for b in out.buckets]
    listing = (f":\n{p.bullets(lines)}\n" if len(lines) <= MAX_TREND_LINES
               else f": {len(lines)} {unit}s, too many to list one by one. ")
    text = f"Revenue by {unit} {period}{listing}Best {unit}: {top}. Worst {unit}: {low}. {total}"
    partial = [b for b in out.buckets if b.partial]
    if partial and len(partial) < len(out.buckets):
        text += f" Partial {unit}s at the edges of the period are left out of best and worst."
    return text


def _top_customers(out: TopCustomersOutput, args: Mapping[str, Any]) -> str:
    cur = out.currency
    period = p.when(out.label, out.start_date, out.end_date)
    tail = (f"All revenue {period}: {p.money(out.total_revenue, cur)} from "
            f"{p.plural(out.total_orders, 'order')} by {p.plural(out.customers_with_orders, 'customer')}.")
    if not out.customers:
        return f"No customer placed a paid order {period}. {tail}"
    first = out.customers[0]
    head = (f"Your biggest customer {period} was {p.who(first.name, first.company)}, with "
            f"{p.money(first.revenue, cur)} from {p.plural(first.orders, 'order')} "
            f"({p.percent(first.share_percent)} of revenue).")
    lines = [f"{c.rank}. {p.who(c.name, c.company)} — {p.money(c.revenue, cur)} from "
             f"{p.plural(c.orders, 'order')}, {p.percent(c.share_percent)} of revenue, last order "
             f"{p.day(c.last_order_date)}" for c in out.customers]
    ranking = (f" Your top {p.count(len(out.customers))} by revenue:\n" + "\n".join(lines)
               if len(out.customers) > 1 else "")
    unattributed = (f" Orders linked to no customer brought {p.money(out.unattributed_revenue, cur)}."
                    if out.unattributed_revenue else "")
    return f"{head}{ranking}\n{tail}{unattributed}"


# --- declarations ------------------------------------------------------------------------------

declare("revenue_for_period", ToolLanguage(
    examples=EXAMPLES["revenue_for_period"],
    phrase=p.typed(RevenueOutput, _revenue),
    synonyms={"period": PERIOD_SYNONYMS},
))

declare("revenue_trend", ToolLanguage(
    examples=EXAMPLES["revenue_trend"],
    phrase=p.typed(TrendOutput, _trend),
    synonyms={"period": PERIOD_SYNONYMS, "granularity": GRANULARITY_SYNONYMS},
))

declare("dashboard_metrics", ToolLanguage(
    examples=EXAMPLES["dashboard_metrics"],
    phrase=p.typed(DashboardOutput, _dashboard),
    synonyms={"period": DASHBOARD_PERIOD_SYNONYMS},
))

declare("top_customers", ToolLanguage(
    examples=EXAMPLES["top_customers"],
    phrase=p.typed(TopCustomersOutput, _top_customers),
    synonyms={"period": PERIOD_SYNONYMS},
))
