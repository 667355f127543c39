"""Inputs and outputs of the analytics tools that break revenue down: over time (a trend) and
by customer (a ranking). They take the same period arguments as revenue_for_period."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from tools.crm.schemas import PERIOD_NAMES_TEXT, RevenueInput
from tools.periods import PeriodName
from tools.schemas import ToolModel

Granularity = Literal["day", "week", "month"]


class TrendInput(RevenueInput):
    period: PeriodName | None = Field(
        None, description=f"A named period: {PERIOD_NAMES_TEXT}. Default: the last 12 months for "
        "month buckets, the last 12 weeks for week buckets, the last 30 days for day buckets. "
        "Ignored when month or start_date/end_date are given."
    )
    granularity: Granularity = Field(
        "month", description="Bucket size: day, week (Monday to Sunday) or month. Default month."
    )


class TrendBucket(ToolModel):
    label: str = Field(description="March 2026, week of 2026-03-02, or 2026-03-02")
    start_date: date
    end_date: date
    revenue: float
    orders: int
    partial: bool = Field(description="Cut short by the period's edges, e.g. the current month so far")


class TrendOutput(ToolModel):
    label: str
    start_date: date
    end_date: date
    granularity: Granularity
    currency: str
    buckets: list[TrendBucket] = Field(description="Every bucket in order, including those with no orders")
    total_revenue: float
    total_orders: int
    average_revenue: float | None = Field(description="Revenue per bucket over the whole period")
    best: TrendBucket | None = Field(description="Highest revenue among whole buckets; null without orders")
    worst: TrendBucket | None = Field(description="Lowest revenue among whole buckets; null without orders")


class TopCustomersInput(RevenueInput):
    period: PeriodName | None = Field(
        None, description=f"A named period: {PERIOD_NAMES_TEXT}. Default last_365_days. Ignored when "
        "month or start_date/end_date are given."
    )
    limit: int = Field(10, ge=1, le=100, description="How many customers to rank (default 10).")


class TopCustomer(ToolModel):
    rank: int
    customer_id: str
    name: str
    company: str | None
    status: str
    orders: int
    revenue: float
    share_percent: float = Field(description="Share of all paid revenue in the period, percent")
    last_order_date: date = Field(description="Their latest paid order in the period")


class TopCustomersOutput(ToolModel):
    label: str
    start_date: date
    end_date: date
    currency: str
    customers: list[TopCustomer]
    total_revenue: float = Field(description="All paid revenue in the period, with or without a customer")
    total_orders: int
    customers_with_orders: int = Field(description="How many customers bought in the period")
    unattributed_revenue: float = Field(description="Revenue of paid orders linked to no customer")
