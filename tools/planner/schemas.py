"""Inputs and outputs of the initiative planner (document 000's action hub planner).

The tool takes flat fields (investment before the expected revenue, so "25k for 50k revenue"
reads in order); the REST body's `expectedOutcome{revenue}` is mapped onto them by the route's
schema (api.action_hub.schemas)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from tools.crm.schemas import Pagination
from tools.schemas import ToolModel

Verdict = Literal["proceed", "proceed_with_caution", "reconsider"]


class AnalyzeInitiativeInput(ToolModel):
    name: str = Field("Initiative", min_length=1, max_length=200, description="The initiative's name")
    investment: float = Field(..., gt=0, le=1e12, description="What it costs, paid up front")
    expected_revenue: float = Field(..., ge=0, le=1e12,
                                    description="The revenue it is expected to bring over the timeline")
    timeline: str = Field("12 months", min_length=1, max_length=40,
                          description="Over how long the revenue comes in: \"6 months\", \"1 year\", "
                                      "\"12 weeks\", \"90 days\"")
    discount_rate: float = Field(10.0, ge=0, le=100,
                                 description="Yearly discount rate for the NPV, in percent (default 10)")


class ExpectedOutcomeOut(ToolModel):
    revenue: float = Field(description="Expected revenue over the timeline")


class RiskOut(ToolModel):
    available: bool = Field(description="Whether the business has the revenue history to measure risk")
    reason: str | None = Field(None, description="Why not, when it does not")
    volatility: float | None = Field(None, description="Coefficient of variation of monthly revenue")
    basis_months: int | None = Field(None, description="Complete months of revenue it was measured on")
    npv_p10: float | None = Field(None, description="NPV in a bad case (10th percentile)")
    npv_p90: float | None = Field(None, description="NPV in a good case (90th percentile)")
    roi_p10: float | None = Field(None, description="ROI in a bad case (10th percentile), percent")
    roi_p90: float | None = Field(None, description="ROI in a good case (90th percentile), percent")
    probability_loss: float | None = Field(None, description="Probability (0-1) that the NPV is negative")


class InitiativeOut(ToolModel):
    initiative_id: str = Field(description="The saved initiative's id")
    name: str
    investment: float
    expected_outcome: ExpectedOutcomeOut
    timeline: str = Field(description="As given")
    timeline_months: float = Field(description="The timeline in months")
    discount_rate: float = Field(description="Yearly discount rate used for the NPV, percent")
    roi: float = Field(description="(revenue - investment) / investment, percent")
    payback_period_months: float | None = Field(description="Months until the revenue covers the "
                                                            "investment; null if it never does")
    npv: float = Field(description="Net present value at the discount rate")
    present_value: float = Field(description="Present value of the expected revenue")
    risk: RiskOut
    verdict: Verdict = Field(description="proceed (NPV positive even in the bad case), "
                                         "proceed_with_caution (positive, but not in the bad case), "
                                         "reconsider (NPV not positive)")
    assumptions: list[str] = Field(description="How the figures were computed")
    currency: str = Field(description="Currency of the amounts")
    created_at: datetime


class InitiativeList(ToolModel):
    initiatives: list[InitiativeOut]
    pagination: Pagination


class ListInitiativesInput(ToolModel):
    verdict: Verdict | None = Field(None, description="Only initiatives with this verdict")
    page: int = Field(1, ge=1, le=10_000, description="Page number, from 1")
    limit: int = Field(20, ge=1, le=100, description="Initiatives per page")
