"""Inputs and outputs of the revenue and analytics tools: revenue for a period, the dashboard, and
revenue broken down over time (a trend) and by customer (a ranking), which take the same period
arguments as revenue_for_period."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from tools.periods import PeriodName
from tools.schemas import ToolModel

# --- revenue ---------------------------------------------------------------------------------


PERIOD_NAMES_TEXT = (
    "today, yesterday, this_week, last_week, this_month, last_month, this_quarter, last_quarter, "
    "this_year, last_year, last_7_days, last_30_days, last_90_days or last_365_days (weeks run "
    "Monday to Sunday; days are UTC; this_* periods run to today)"
)


class RevenueInput(ToolModel):
    period: PeriodName | None = Field(
        None, description=f"A named period: {PERIOD_NAMES_TEXT}. Default last_30_days. Ignored when "
        "month or start_date/end_date are given."
    )
    start_date: date | None = Field(
        None, description="First day of a date range, inclusive (YYYY-MM-DD), e.g. 2026-07-01. "
        "Without end_date the range runs to today. Takes precedence over month and period."
    )
    end_date: date | None = Field(
        None, description="Last day of a date range, inclusive (YYYY-MM-DD), e.g. 2026-09-30. "
        "Without start_date the range starts on the first of that month."
    )
    month: str | None = Field(
        None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="A calendar month as YYYY-MM, e.g. "
        "2026-11. Takes precedence over period."
    )


class RevenueOutput(ToolModel):
    label: str
    start_date: date
    end_date: date
    revenue: float
    orders: int
    average_order_value: float | None
    currency: str
    previous_label: str = Field(
        description='The window compared with: "October 2026", "Q3 2026", "2025", '
        '"week of 2026-11-23", "prior 30 days"'
    )
    previous_start_date: date = Field(description="First day of the window compared with")
    previous_end_date: date = Field(description="Last day of the window compared with, inclusive")
    previous_revenue: float
    previous_orders: int
    change_percent: float | None = Field(description="vs the previous period; null if it was 0")
    sources: dict[str, int]


class DashboardInput(ToolModel):
    period: str = Field(
        "30d", pattern=r"^\d{1,4}[dwmy]$", description="Trailing window ending today: a number and "
        "a unit, d (days), w (weeks), m (months) or y (years), e.g. 7d, 30d (default), 3m, 12m, 1y. "
        "Compared with as many days just before it."
    )


class DashboardRevenue(ToolModel):
    current: float
    previous: float
    change: str
    change_percent: float | None


class DashboardCustomers(ToolModel):
    total: int
    new: int
    churned: int


class DashboardDeals(ToolModel):
    open: int
    won: int
    value: float


class DashboardOutput(ToolModel):
    period: str
    start_date: date
    end_date: date
    previous_label: str = Field(description='The window revenue.previous covers, e.g. "prior 30 days"')
    previous_start_date: date = Field(description="First day of the window revenue.previous covers")
    previous_end_date: date = Field(description="Last day of that window, inclusive")
    currency: str
    revenue: DashboardRevenue
    customers: DashboardCustomers
    deals: DashboardDeals


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
