"""Inputs and outputs of the insight tools (documents 001, 004 and 000's insights hub)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from tools.crm.schemas import Pagination
from tools.schemas import ToolModel

Priority = Literal["low", "medium", "high", "critical"]
Status = Literal["new", "viewed", "actioned", "dismissed"]
DataType = Literal["all", "revenue", "customers", "deals", "security", "data"]
INSIGHT_TYPES = ("revenue_trend", "concentration", "pipeline", "churn_risk", "cash_flow",
                 "data_quality", "security", "custom")


class InsightOut(ToolModel):
    id: str
    type: str
    priority: Priority
    status: Status
    title: str
    description: str
    data: dict[str, Any] = Field(description="The figures the insight states, as the rule computed them")
    rule: str | None
    fingerprint: str | None
    confidence: float | None = Field(description="1.0 for a fact measured in the data; for a "
                                     "model's finding, the model's held-out AUC")
    potential_impact: Priority = Field(description="Another name for the priority")
    recommendation: str | None
    created_at: datetime
    updated_at: datetime


class RuleSkipped(ToolModel):
    rule: str
    reason: str


class GenerateInsightsInput(ToolModel):
    data_type: DataType = Field("all", description="Which rules to run: all (default), revenue "
                                "(revenue change, concentration, overdue invoices), customers "
                                "(concentration, churn risk), deals (stalled deals), security, data "
                                "(data trust incidents).")


class GenerateInsightsOutput(ToolModel):
    insights: list[InsightOut] = Field(description="What the rules find now: new insights and "
                                       "ones already open")
    generated: int = Field(description="How many of them are new")
    rules_run: list[str]
    skipped: list[RuleSkipped] = Field(description="Rules that could not run, and why")


class ListInsightsInput(ToolModel):
    type: str | None = Field(None, max_length=40, description="Only this type: " + ", ".join(INSIGHT_TYPES))
    priority: Priority | None = Field(None, description="Only this priority: low, medium, high, critical")
    status: Status | None = Field(None, description="Only this status: new, viewed, actioned, dismissed. "
                                  "Omit for the open ones (new and viewed) unless all=true.")
    all: bool = Field(False, description="Include actioned and dismissed insights too.")
    page: int = Field(1, ge=1, le=100000, description="Page number, from 1 (default 1).")
    limit: int = Field(20, ge=1, le=100, description="Insights per page, 1 to 100 (default 20).")


class InsightList(ToolModel):
    insights: list[InsightOut]
    pagination: Pagination


class UpdateInsightInput(ToolModel):
    insight_id: str = Field(..., min_length=1, max_length=64, description="The insight's id "
                            "(from list_insights or generate_insights).")
    status: Status = Field(..., description="viewed (seen), actioned (done), dismissed (not relevant), "
                           "or new again.")


class InsightOutput(ToolModel):
    insight: InsightOut


class Trend(ToolModel):
    current: float
    previous: float
    change: float | None = Field(description="Change against the previous 30 days, in percent")
    trend: Literal["up", "down", "flat"]


class OverviewMetrics(ToolModel):
    revenue: Trend
    orders: Trend
    customers: Trend = Field(description="Distinct customers who placed a paid order")
    conversion_rate: Trend = Field(description="Won deals among deals closed, in percent")


class Alert(ToolModel):
    id: str
    type: Literal["critical", "warning"]
    message: str
    priority: Priority


class ChurnOverview(ToolModel):
    available: bool
    reason: str | None = None
    auc: float | None = None
    brier: float | None = None
    scored: int | None = None
    high: int | None = None
    medium: int | None = None
    low: int | None = None


class InsightsOverviewInput(ToolModel):
    days: int = Field(30, ge=1, le=365, description="The window the metrics cover (default 30 days)")


class InsightsOverview(ToolModel):
    metrics: OverviewMetrics
    alerts: list[Alert]
    recent_activity: list[InsightOut]
    open_insights: int
    by_type: dict[str, int]
    by_priority: dict[str, int]
    by_status: dict[str, int]
    churn: ChurnOverview
    days: int
