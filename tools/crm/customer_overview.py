"""One customer's business with us at a glance: what they spent (all time and in a period), their
orders, their deals and their status ("how much has Dana spent with us?", "when did Harbor Bikes
last order?").

Spend counts paid orders (paid or fulfilled), as every revenue figure does; the recent orders show
every status so a refund is visible.
"""

from __future__ import annotations

from decimal import Decimal

from store.models import Deal, Order
from store.repositories import deals as deal_repo
from store.repositories import orders as order_repo
from tools import periods
from tools.context import ToolContext
from tools.crm.customers import load, to_out
from tools.crm.schemas_overview import (
    OPEN_DEALS_SHOWN,
    RECENT_ORDERS,
    CustomerOverviewInput,
    CustomerOverviewOutput,
    OverviewDeal,
    OverviewOrder,
    PeriodSpend,
    StatusHistory,
)
from tools.registry import tool


def _order(order: Order) -> OverviewOrder:
    return OverviewOrder(id=order.id, ordered_at=order.ordered_at, total=float(order.total),
                         currency=order.currency, status=order.status, source=order.source)


def _deal(deal: Deal) -> OverviewDeal:
    return OverviewDeal(id=deal.id, title=deal.title, stage=deal.stage,  # type: ignore[arg-type]
                        value=float(deal.value), currency=deal.currency, probability=deal.probability,
                        expected_close_date=deal.expected_close_date)


@tool(
    name="customer_overview",
    toolset="crm",
    description="""Everything about one customer's business with us: total spend and paid order
count over all time, spend and orders in a period (default this_year; `period` as in
revenue_for_period), first and last order date, last order amount, average order value, the 5 most
recent orders, open deals with their stage and value, won and lost deal counts with the won value,
and the customer's current status with when it was set. Use it for "how much has Dana Whitfield
spent with us", "when did Harbor Bikes last order", "tell me everything about this customer".""",
)
def customer_overview(ctx: ToolContext, args: CustomerOverviewInput) -> CustomerOverviewOutput:
    customer = load(ctx, args.customer_id)
    window, _ = periods.named(args.period or "this_year", ctx.now.date())
    session = ctx.session
    all_time = order_repo.spend_of_customer(session, customer.id)
    in_period = order_repo.spend_of_customer(session, customer.id, window.start_dt, window.end_dt)
    last_paid = order_repo.recent_of_customer(session, customer.id, 1, paid_only=True)
    recent = order_repo.recent_of_customer(session, customer.id, RECENT_ORDERS)
    stages = deal_repo.stage_totals_of_customer(session, customer.id)
    none = (0, Decimal(0))
    open_totals = [stages.get(s, none) for s in deal_repo.OPEN_STAGES]
    won, lost = stages.get("closed_won", none), stages.get("closed_lost", none)
    spend = float(all_time.spend)
    return CustomerOverviewOutput(
        customer=to_out(customer),
        currency=recent[0].currency if recent else order_repo.currency(session),
        order_count=all_time.orders,
        total_spend=spend,
        average_order_value=round(spend / all_time.orders, 2) if all_time.orders else None,
        first_order_date=all_time.first_at.date() if all_time.first_at else None,
        last_order_date=all_time.last_at.date() if all_time.last_at else None,
        last_order_amount=float(last_paid[0].total) if last_paid else None,
        period=PeriodSpend(label=window.label, start_date=window.start, end_date=window.last_day,
                           spend=float(in_period.spend), orders=in_period.orders),
        recent_orders=[_order(o) for o in recent],
        open_deals=[_deal(d) for d in deal_repo.open_of_customer(session, customer.id, OPEN_DEALS_SHOWN)],
        open_deal_count=sum(n for n, _ in open_totals),
        open_deal_value=round(float(sum((v for _, v in open_totals), Decimal(0))), 2),
        won_deal_count=won[0],
        won_deal_value=float(won[1]),
        lost_deal_count=lost[0],
        status_history=StatusHistory(current=customer.status,  # type: ignore[arg-type]
                                     since=customer.status_changed_at, added_at=customer.created_at),
    )
