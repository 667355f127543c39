"""Revenue and dashboard capabilities, computed from the tenant's paid orders."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from core.errors import ValidationFailed
from store.repositories import customers as customer_repo
from store.repositories import deals as deal_repo
from store.repositories import orders as order_repo
from tools import periods
from tools.context import ToolContext
from tools.crm.schemas_analytics import (
    DashboardCustomers,
    DashboardDeals,
    DashboardInput,
    DashboardOutput,
    DashboardRevenue,
    RevenueInput,
    RevenueOutput,
)
from tools.registry import tool


def period_windows(ctx: ToolContext, args: RevenueInput) -> tuple[periods.Window, periods.Window]:
    today = ctx.now.date()
    if args.start_date or args.end_date:
        start = args.start_date or (args.end_date or today).replace(day=1)
        end = args.end_date or today
        if end < start:
            raise ValidationFailed(
                "end_date is before start_date",
                details=[{"field": "end_date", "message": "must not be before start_date"}],
            )
        return periods.explicit(start, end)
    if args.month:
        year, month = (int(p) for p in args.month.split("-"))
        return periods.month(year, month)
    return periods.named(args.period or "last_30_days", today)


def change_percent(current: float, previous: float) -> float | None:
    return round((current - previous) / previous * 100, 2) if previous else None


@tool(
    name="revenue_for_period",
    toolset="analytics",
    description="""Revenue (sum of paid orders) for a period, with order count, average order
value and the change against the previous period. Give a named `period` (last_month, this_month,
last_quarter, this_year, last_30_days, ...), a calendar `month` (YYYY-MM), or start_date/end_date.
A whole calendar period is compared with the whole one before it (last_month or month=2026-11
with all of October); a period to date with as many days from the start of the one before
(December 1-5 with November 1-5); a rolling window or date range with as many days just before
it. The result names the previous window (previous_label, previous_start_date/end_date).""",
)
def revenue_for_period(ctx: ToolContext, args: RevenueInput) -> RevenueOutput:
    with calendar_bounds("start_date"):
        current, previous = period_windows(ctx, args)
    revenue, orders = order_repo.revenue_between(ctx.session, current.start_dt, current.end_dt)
    prev_revenue, prev_orders = order_repo.revenue_between(
        ctx.session, previous.start_dt, previous.end_dt
    )
    return RevenueOutput(
        label=current.label,
        start_date=current.start,
        end_date=current.last_day,
        revenue=float(revenue),
        orders=orders,
        average_order_value=round(float(revenue) / orders, 2) if orders else None,
        currency=order_repo.currency(ctx.session),
        previous_label=previous.label,
        previous_start_date=previous.start,
        previous_end_date=previous.last_day,
        previous_revenue=float(prev_revenue),
        previous_orders=prev_orders,
        change_percent=change_percent(float(revenue), float(prev_revenue)),
        sources=order_repo.sources_between(ctx.session, current.start_dt, current.end_dt),
    )


@contextmanager
def calendar_bounds(field: str) -> Iterator[None]:
    """Date arithmetic past year 1 or 9999 (a period of "9999y", a start date in year 1) is the
    caller's mistake, not a server error."""
    try:
        yield
    except (OverflowError, ValueError):
        raise ValidationFailed(
            "The period reaches outside the supported calendar",
            details=[{"field": field, "message": "out of range"}],
        ) from None


def _period_window(ctx: ToolContext, spec: str) -> tuple[periods.Window, periods.Window]:
    """A trailing window ("30d", "3m", "1y") ending today, compared with the window of as many
    days just before it: a rolling period has no calendar kind to line up with."""
    n, unit = int(spec[:-1]), spec[-1]
    if n < 1:
        raise ValidationFailed("period must be positive",
                               details=[{"field": "period", "message": "must be at least 1"}])
    today = ctx.now.date()
    end = today + timedelta(days=1)
    delta = {"d": relativedelta(days=n), "w": relativedelta(weeks=n),
             "m": relativedelta(months=n), "y": relativedelta(years=n)}[unit]
    days = (end - (end - delta)).days  # "3m": as many days as the last three months hold
    return periods.rolling(days, today, f"last {spec}")


@tool(
    name="dashboard_metrics",
    toolset="analytics",
    description="""Headline business metrics for a trailing period (7d, 30d, 90d, 12m): revenue now
vs the previous period, customer totals with new and churned, and open/won deal counts with the
open pipeline value.""",
)
def dashboard_metrics(ctx: ToolContext, args: DashboardInput) -> DashboardOutput:
    with calendar_bounds("period"):
        current, previous = _period_window(ctx, args.period)
    revenue, _ = order_repo.revenue_between(ctx.session, current.start_dt, current.end_dt)
    prev_revenue, _ = order_repo.revenue_between(ctx.session, previous.start_dt, previous.end_dt)
    pct = change_percent(float(revenue), float(prev_revenue))
    stage_totals = deal_repo.totals_by_stage(ctx.session)
    open_stages = [stage_totals[s] for s in deal_repo.OPEN_STAGES if s in stage_totals]
    return DashboardOutput(
        period=args.period,
        start_date=current.start,
        end_date=current.last_day,
        previous_label=previous.label,
        previous_start_date=previous.start,
        previous_end_date=previous.last_day,
        currency=order_repo.currency(ctx.session),
        revenue=DashboardRevenue(
            current=float(revenue),
            previous=float(prev_revenue),
            change="n/a" if pct is None else f"{pct:+.1f}%",
            change_percent=pct,
        ),
        customers=DashboardCustomers(
            total=sum(customer_repo.count_by_status(ctx.session).values()),
            new=customer_repo.count_created_between(ctx.session, current.start_dt, current.end_dt),
            churned=customer_repo.count_churned_between(
                ctx.session, current.start_dt, current.end_dt
            ),
        ),
        deals=DashboardDeals(
            open=sum(t[0] for t in open_stages),
            won=deal_repo.count_closed_between(
                ctx.session, "closed_won", current.start_dt, current.end_dt
            ),
            value=round(float(sum(t[1] for t in open_stages)), 2),
        ),
    )
