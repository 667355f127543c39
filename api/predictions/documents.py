"""Forecast routes of documents 001 (envelope), 003 and 004 (raw snake_case).

- 001 `POST /api/ai/predictions/revenue`: from `historicalData` or the tenant's orders; 200, or
  422 INSUFFICIENT_DATA with the counts.
- 003 `GET /api/v1/predictions` (newest first; `campaign_id` or a campaign `type` such as spend,
  conversions, roas answer an empty list with a message: there are no campaigns yet) and
  `POST /api/v1/predictions/forecast` (200, an empty `forecasts` list and a message: a 003 client
  iterates the list and shows nothing, where a 422 would read as its own mistake).
- 004 `GET /api/v1/workspaces/{workspaceId}/analytics/forecast` (another tenant's id is 404).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from api.deps import CurrentPrincipal, WorkspacePrincipal
from api.family import EnvelopeRoute, RawRoute
from api.openapi_models import Envelope, doc, snake
from api.ratelimit import api_limit
from tools.predictions import document_tools
from tools.predictions import tools as predictions
from tools.predictions.schemas import PredictionList
from tools.predictions.schemas_extra import (
    CampaignForecast,
    CampaignForecastInput,
    RevenueAnswer,
    RevenueInput,
    WorkspaceForecast,
)
from tools.runtime import invoke

CAMPAIGN_TYPES = frozenset({"spend", "conversions", "roas"})
limited = [Depends(api_limit)]
router = APIRouter(tags=["predictions"], dependencies=limited, route_class=EnvelopeRoute)
router_v1 = APIRouter(prefix="/api/v1", tags=["predictions"], dependencies=limited, route_class=RawRoute)


@router.post("/api/ai/predictions/revenue", responses=doc(200, Envelope[RevenueAnswer]))
async def predict_revenue(principal: CurrentPrincipal, body: RevenueInput) -> RevenueAnswer:
    """Revenue over `dateRange`: `prediction{amount, confidence, trend, range, breakdown}`,
    computed insights, the per-period forecast with intervals and the backtest."""
    return await invoke(document_tools.predict_revenue, principal, body)


@router_v1.get("/predictions", responses=doc(200, snake(PredictionList)))
async def list_predictions_v1(
    principal: CurrentPrincipal,
    campaign_id: Annotated[str | None, Query(max_length=64)] = None,
    type: Annotated[str | None, Query(max_length=40)] = None,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Any:
    """The workspace's predictions, newest first."""
    if campaign_id or (type and type.lower() in CAMPAIGN_TYPES):
        out = await invoke(
            document_tools.forecast_campaigns, principal, {"campaign_id": campaign_id, "type": type}
        )
        return {"predictions": [], "total": 0, "page": page, "limit": limit, "message": out.message}
    listed = await invoke(
        predictions.list_predictions, principal, {"page": page, "limit": limit, "metric": type or None}
    )
    return {**listed.snake(), "total": listed.pagination.total, "page": page, "limit": limit}


@router_v1.post("/predictions/forecast", responses=doc(200, snake(CampaignForecast)))
async def campaign_forecast(principal: CurrentPrincipal, body: CampaignForecastInput) -> CampaignForecast:
    """Spend, conversions and ROAS per campaign and day: empty, with the reason, until campaign
    metrics exist."""
    return await invoke(document_tools.forecast_campaigns, principal, body)


@router_v1.get("/workspaces/{workspaceId}/analytics/forecast", responses=doc(200, snake(WorkspaceForecast)))
async def workspace_forecast(
    principal: WorkspacePrincipal, months: Annotated[int, Query(ge=1, le=24)] = 3
) -> WorkspaceForecast:
    """Revenue per month for the next `months` (with interval and backtest; `revenue_unavailable`
    says why when history is too short) and the open pipeline weighted by probability."""
    return await invoke(document_tools.workspace_forecast, principal, {"months": months})
