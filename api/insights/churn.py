"""Document 001's `POST /api/ai/predictions/churn` (envelope) over the churn tools.

Body: `customerId` (one customer), or `customerIds` (several), or neither (the customers most
at risk, `limit` of them). `customerData` as 001 shows it is accepted but not used: the model
reads the customer's own orders, deals and status, so a figure a client sends cannot change a
score. Answers 200 with 001's fields (churnRisk, riskLevel, factors, recommendations) and the
model's validation; 404 NOT_FOUND for a customer that is not the caller's; 422
INSUFFICIENT_DATA when the workspace's history is too small to train honestly.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import Field

from api.deps import CurrentPrincipal
from api.openapi_models import Envelope, doc
from tools.churn import tools as churn
from tools.churn.schemas import ChurnModelSummary, CustomerChurn
from tools.runtime import invoke
from tools.schemas import OptionalId, ToolModel


class ChurnBody(ToolModel):
    customer_id: OptionalId = Field(None, description="One customer to score.")
    customer_ids: list[Annotated[str, Field(max_length=64)]] | None = Field(
        None, max_length=100, description="Several customers to score.")
    customer_data: dict[str, Any] | None = Field(
        None, description="Accepted for compatibility; not used: scores come from the "
        "customer's own records.")
    limit: int = Field(10, ge=1, le=100, description="Without ids: how many of the customers most "
                       "at risk to return (default 10).")


class ChurnPrediction(CustomerChurn):
    """One customer's churn score, with the model that produced it."""

    model: ChurnModelSummary
    note: str | None = None


class ChurnPredictions(ToolModel):
    predictions: list[CustomerChurn]
    model: ChurnModelSummary
    scored: int
    high: int
    medium: int
    low: int


async def predict_churn(principal: CurrentPrincipal, body: ChurnBody) -> ToolModel:
    """Churn probability (no paid order in the next 90 days), risk level, the model's own factors
    for the customer and recommendations that follow from them; `model` says how the model
    validated on held-out customers (AUC, Brier score, reliability by decile)."""
    if body.customer_id:
        one = await invoke(churn.customer_churn_risk, principal, {"customer_id": body.customer_id})
        return ChurnPrediction(**one.customer.model_dump(), model=one.model, note=one.note)
    args = {"limit": len(body.customer_ids) if body.customer_ids else body.limit,
            "customer_ids": body.customer_ids}
    many = await invoke(churn.churn_risk, principal, args)
    return ChurnPredictions(predictions=many.customers, model=many.model, scored=many.scored,
                            high=many.high, medium=many.medium, low=many.low)


def add_routes(router: APIRouter) -> None:
    """Register the churn route on the insights' envelope router (its limits and shaping)."""
    router.post("/api/ai/predictions/churn", tags=["predictions"],
                responses=doc(200, Envelope[ChurnPrediction] | Envelope[ChurnPredictions]))(predict_churn)
