"""Inputs and outputs of the churn tools (document 001's POST /api/ai/predictions/churn shape:
churnRisk, riskLevel, factors, recommendations, plus the model that produced them)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field

from tools.schemas import ToolModel

RiskLevel = Literal["low", "medium", "high"]
Direction = Literal["increases risk", "decreases risk"]


class ChurnFactor(ToolModel):
    """One feature's contribution to this customer's score, from the model itself."""

    factor: str = Field(description="The feature's name, e.g. days_since_last_order")
    label: str = Field(description="The feature in words")
    value: float = Field(description="This customer's value of the feature")
    standardised: float = Field(description="How far the value is from the average customer's, in "
                                "standard deviations (negative: below average)")
    impact: float = Field(description="Coefficient x standardised value: its effect on the log-odds "
                          "of churning (positive raises the risk)")
    direction: Direction
    description: str


class CustomerChurn(ToolModel):
    customer_id: str
    name: str
    company: str | None
    status: str
    churn_risk: float = Field(description="Probability of no paid order in the next 90 days, 0-1")
    risk_level: RiskLevel = Field(description="high from 0.5, medium from 0.2, else low")
    relative_risk: float = Field(description="churn_risk divided by the tenant's base churn rate")
    factors: list[ChurnFactor]
    recommendations: list[str]


class ReliabilityBin(ToolModel):
    low: float
    high: float
    count: int
    mean_predicted: float
    observed_rate: float


class ChurnModelSummary(ToolModel):
    """The model behind the scores and how it validated on held-out customers."""

    method: str
    auc: float = Field(description="Area under the ROC curve on held-out customers (0.5 = chance)")
    brier: float = Field(description="Brier score on held-out customers (lower is better)")
    base_rate: float = Field(description="Share of training examples that churned")
    examples: int
    customers: int
    churners: int
    horizon_days: int
    cutoffs: list[date]
    trained_at: datetime
    gradient_boosting_auc: float | None = Field(
        None, description="Gradient boosting's held-out AUC on the same folds, for comparison")
    reliability: list[ReliabilityBin]
    model_run_id: str | None


class ChurnRiskInput(ToolModel):
    limit: int = Field(10, ge=1, le=100, description="How many customers to return, most at risk "
                       "first (default 10).")
    risk_level: RiskLevel | None = Field(None, description="Only customers at this risk level or "
                                         "above (low, medium, high). Omit for all.")
    customer_ids: list[Annotated[str, Field(max_length=64)]] | None = Field(
        None, max_length=100, description="Score only these customers (ids). Omit for everyone.")


class ChurnRiskList(ToolModel):
    model: ChurnModelSummary
    customers: list[CustomerChurn]
    scored: int = Field(description="Customers scored: those with a paid order who have not churned")
    high: int
    medium: int
    low: int


class CustomerChurnInput(ToolModel):
    customer_id: str = Field(..., min_length=1, max_length=64,
                             description="The customer's id (find_records turns a name into it).")


class CustomerChurnOutput(ToolModel):
    customer: CustomerChurn
    model: ChurnModelSummary
    note: str | None = Field(None, description="Something to know about this score, e.g. the "
                             "customer is already marked churned")
