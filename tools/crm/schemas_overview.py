"""Input and output of customer_overview: one customer's business with us at a glance."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from tools.crm.schemas import CustomerOut, CustomerStatus, DealStage
from tools.periods import PeriodName
from tools.schemas import ToolModel

RECENT_ORDERS = 5
OPEN_DEALS_SHOWN = 10


class CustomerOverviewInput(ToolModel):
    customer_id: str = Field(..., min_length=1, max_length=64,
                             description="The customer's id (find it with list_customers by name).")
    period: PeriodName | None = Field(
        "this_year", description="A named period for the spend-in-period figures, as in "
        "revenue_for_period (this_month, last_quarter, last_365_days, ...). Default this_year."
    )


class OverviewOrder(ToolModel):
    id: str
    ordered_at: datetime
    total: float
    currency: str
    status: str = Field(description="paid, fulfilled, refunded, ...; only paid and fulfilled count as spend")
    source: str


class OverviewDeal(ToolModel):
    id: str
    title: str
    stage: DealStage
    value: float
    currency: str
    probability: int
    expected_close_date: date | None


class PeriodSpend(ToolModel):
    label: str = Field(description="The period's name, e.g. this year")
    start_date: date
    end_date: date = Field(description="Last day, inclusive")
    spend: float = Field(description="Paid orders of this customer in the period")
    orders: int


class StatusHistory(ToolModel):
    """Only the current status and when it was set are recorded; earlier statuses are not kept."""

    current: CustomerStatus
    since: datetime | None = Field(description="When the current status was set, if recorded")
    added_at: datetime = Field(description="When the customer was added to the CRM")


class CustomerOverviewOutput(ToolModel):
    customer: CustomerOut
    currency: str
    order_count: int = Field(description="Paid (or fulfilled) orders, all time")
    total_spend: float = Field(description="Sum of those orders, all time")
    average_order_value: float | None = Field(description="total_spend / order_count; null without orders")
    first_order_date: date | None = Field(description="Their first paid order")
    last_order_date: date | None = Field(description="Their latest paid order")
    last_order_amount: float | None = Field(description="The total of that latest paid order")
    period: PeriodSpend
    recent_orders: list[OverviewOrder] = Field(
        description=f"The {RECENT_ORDERS} most recent orders of any status, newest first")
    open_deals: list[OverviewDeal] = Field(
        description=f"Up to {OPEN_DEALS_SHOWN} open deals, soonest expected close first")
    open_deal_count: int
    open_deal_value: float
    won_deal_count: int
    won_deal_value: float
    lost_deal_count: int
    status_history: StatusHistory
