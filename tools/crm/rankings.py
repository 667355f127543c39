"""Customers ranked by what they spent: "who are my top customers?", "who spends the most?".

Revenue is paid orders linked to the customer, in a period (default the last 365 days), so a
long-standing customer who stopped buying drops down the list.
"""

from __future__ import annotations

from store.repositories import orders as order_repo
from tools.context import ToolContext
from tools.crm.revenue import calendar_bounds, period_windows
from tools.crm.schemas_analytics import TopCustomer, TopCustomersInput, TopCustomersOutput
from tools.registry import tool


@tool(
    name="top_customers",
    toolset="analytics",
    description="""Customers ranked by revenue (paid orders) in a period, best first, with each one's
order count, revenue, share of the period's total revenue and last order date: "top customers",
"biggest customers last year", "who spends the most". Period arguments as revenue_for_period
(`period`, `month` YYYY-MM, or start_date/end_date); default last_365_days. `limit` default 10.""",
)
def top_customers(ctx: ToolContext, args: TopCustomersInput) -> TopCustomersOutput:
    if not (args.period or args.month or args.start_date or args.end_date):
        args = args.model_copy(update={"period": "last_365_days"})
    with calendar_bounds("start_date"):
        window, _ = period_windows(ctx, args)
    start, end = window.start_dt, window.end_dt
    total, orders = order_repo.revenue_between(ctx.session, start, end)
    buyers, unattributed = order_repo.buyers_between(ctx.session, start, end)
    ranked = order_repo.revenue_by_customer(ctx.session, start, end, args.limit)
    return TopCustomersOutput(
        label=window.label, start_date=window.start, end_date=window.last_day,
        currency=order_repo.currency(ctx.session),
        customers=[
            TopCustomer(rank=i, customer_id=row.customer_id, name=row.name, company=row.company,
                        status=row.status, orders=row.orders, revenue=float(row.revenue),
                        share_percent=round(float(row.revenue / total * 100), 2) if total else 0.0,
                        last_order_date=row.last_order_at.date())
            for i, row in enumerate(ranked, start=1)
        ],
        total_revenue=float(total), total_orders=orders, customers_with_orders=buyers,
        unattributed_revenue=float(unattributed),
    )
