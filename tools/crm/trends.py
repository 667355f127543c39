"""Revenue over time: how much came in per day, week or month of a period, and which bucket was
best and worst ("what's our best selling month this year?").

Orders are summed per UTC day in SQL (portable across SQLite and PostgreSQL, and one row per day
whatever the volume); the days are then grouped into weeks or months here.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from core.errors import ValidationFailed
from store.repositories import orders as order_repo
from tools import periods
from tools.context import ToolContext
from tools.crm.revenue import calendar_bounds, period_windows
from tools.crm.schemas_analytics import Granularity, TrendBucket, TrendInput, TrendOutput
from tools.registry import tool

MAX_BUCKETS = 400  # a daily trend over a year fits; ten years of days does not


def bucket_start(day: date, granularity: Granularity) -> date:
    if granularity == "month":
        return day.replace(day=1)
    if granularity == "week":
        return day - timedelta(days=day.weekday())
    return day


def _next_start(start: date, granularity: Granularity) -> date:
    step = {"month": relativedelta(months=1), "week": relativedelta(weeks=1), "day": relativedelta(days=1)}
    return start + step[granularity]


def _label(start: date, granularity: Granularity) -> str:
    if granularity == "month":
        return start.strftime("%B %Y")
    return f"week of {start.isoformat()}" if granularity == "week" else start.isoformat()


def trend_window(ctx: ToolContext, args: TrendInput) -> periods.Window:
    """The period asked for; without one, the last 12 months / 12 weeks / 30 days, the current
    (partial) month or week included so the latest figures show."""
    if args.period or args.month or args.start_date or args.end_date:
        return period_windows(ctx, args)[0]
    today = ctx.now.date()
    end = today + timedelta(days=1)
    if args.granularity == "month":
        return periods.Window(today.replace(day=1) - relativedelta(months=11), end, "last 12 months")
    if args.granularity == "week":
        return periods.Window(bucket_start(today, "week") - timedelta(weeks=11), end, "last 12 weeks")
    return periods.named("last_30_days", today)[0]


def buckets_of(
    window: periods.Window, granularity: Granularity, daily: list[tuple[date, Decimal, int]]
) -> list[TrendBucket]:
    """Every bucket overlapping the window, empty ones included, clipped to the window's edges."""
    sums: dict[date, tuple[Decimal, int]] = defaultdict(lambda: (Decimal(0), 0))
    for day, revenue, orders in daily:
        key = bucket_start(day, granularity)
        sums[key] = (sums[key][0] + revenue, sums[key][1] + orders)
    buckets: list[TrendBucket] = []
    start = bucket_start(window.start, granularity)
    while start < window.end:
        after = _next_start(start, granularity)
        first, stop = max(start, window.start), min(after, window.end)
        revenue, orders = sums.get(start, (Decimal(0), 0))
        buckets.append(TrendBucket(label=_label(start, granularity), start_date=first,
                                   end_date=stop - timedelta(days=1), revenue=float(revenue),
                                   orders=int(orders), partial=(first, stop) != (start, after)))
        start = after
    return buckets


def _extremes(buckets: list[TrendBucket]) -> tuple[TrendBucket | None, TrendBucket | None]:
    """Best and worst among whole buckets: a month that has only just begun is not a bad month."""
    pool = [b for b in buckets if not b.partial] or buckets
    if not any(b.orders for b in pool):
        return None, None
    return max(pool, key=lambda b: b.revenue), min(pool, key=lambda b: b.revenue)


def _bucket_count(window: periods.Window, granularity: Granularity) -> int:
    days = (window.end - window.start).days
    return {"day": days, "week": days // 7 + 2, "month": days // 28 + 2}[granularity]


@tool(
    name="revenue_trend",
    toolset="analytics",
    description="""Revenue and order count per day, week or month (`granularity`, default month) over
a period, with the best and worst bucket and the total: "best selling month this year", "monthly
revenue", "sales by week last quarter", "sales trend". Period arguments as revenue_for_period
(`period`, `month` YYYY-MM, or start_date/end_date); default the last 12 months.""",
)
def revenue_trend(ctx: ToolContext, args: TrendInput) -> TrendOutput:
    with calendar_bounds("start_date"):
        window = trend_window(ctx, args)
    if _bucket_count(window, args.granularity) > MAX_BUCKETS:
        raise ValidationFailed(
            f"Too many {args.granularity}s in that period; choose a coarser granularity",
            details=[{"field": "granularity", "message": f"at most {MAX_BUCKETS} buckets"}],
        )
    daily = order_repo.daily_revenue(ctx.session, window.start_dt, window.end_dt)
    buckets = buckets_of(window, args.granularity, daily)
    total = sum((revenue for _, revenue, _ in daily), Decimal(0))
    best, worst = _extremes(buckets)
    return TrendOutput(
        label=window.label, start_date=window.start, end_date=window.last_day,
        granularity=args.granularity, currency=order_repo.currency(ctx.session), buckets=buckets,
        total_revenue=float(total), total_orders=sum(b.orders for b in buckets),
        average_revenue=round(float(total) / len(buckets), 2) if buckets else None,
        best=best, worst=worst,
    )
