"""Document 000's predictive analytics (`/api/modules/predictive-analytics`, envelope) and the
insights hub's forecasts, thin routes over the forecasting tools. `router` also carries the
routes of api.predictions.documents (001, 003, 004), so one entry in api.routers serves them all.

- GET /overview, GET /templates (category, search, page, limit), GET /predictions (list),
  POST /predictions (202 at once, `status: processing`, a durable job computes it; unknown
  template 404, unknown data source 422), GET /predictions/{id} (404 for another tenant's),
  POST /ask, GET /accuracy (templateId, startDate, endDate), POST /train (201, a model run).
- GET /api/hubs/insights/forecasts?type=revenue&horizon=30.
Too little history answers 422 INSUFFICIENT_DATA with the reason.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api.deps import CurrentPrincipal
from api.family import EnvelopeRoute, Page, respond
from api.idempotency import IdempotencyKey, once
from api.openapi_models import Envelope, ListEnvelope, doc
from api.predictions import documents
from api.predictions.reading import read_question
from api.predictions.schemas import CreatePredictionBody, PredictionPage, TemplatePage
from api.ratelimit import api_limit
from core.ids import utcnow
from tools.predictions import ask as ask_tools
from tools.predictions import document_tools, module_tools
from tools.predictions import tools as predictions
from tools.predictions.ask import AskForecastInput
from tools.predictions.schemas import (
    ListPredictionsInput,
    PredictionCreated,
    PredictionOut,
    TemplatesInput,
)
from tools.predictions.schemas_extra import (
    AccuracyReport,
    AskAnswer,
    AskInput,
    HubForecast,
    HubForecastInput,
    Overview,
    TrainInput,
    TrainResult,
)
from tools.runtime import invoke

BASE = "/api/modules/predictive-analytics"
router = APIRouter(
    tags=["predictive analytics"], dependencies=[Depends(api_limit)], route_class=EnvelopeRoute
)


@router.get(f"{BASE}/overview", responses=doc(200, Envelope[Overview]))
async def overview(principal: CurrentPrincipal) -> Overview:
    """Predictions by status, data sources, measured accuracy, recent predictions, templates used."""
    return await invoke(module_tools.predictions_overview, principal, {})


@router.get(f"{BASE}/templates", responses=doc(200, ListEnvelope[TemplatePage]))
async def templates(principal: CurrentPrincipal, query: Annotated[TemplatesInput, Query()]) -> Page:
    """Prediction templates: what each forecasts, per which period, how far ahead."""
    out = await invoke(predictions.prediction_templates, principal, query)
    return Page(out.camel(), query.page, query.limit, out.pagination.total)


@router.post(
    f"{BASE}/predictions",
    status_code=202,
    responses=doc(202, Envelope[PredictionCreated], "Accepted: computed in the background"),
)
async def create_prediction(
    request: Request, principal: CurrentPrincipal, body: CreatePredictionBody, key: IdempotencyKey = None
) -> Response:
    """Record a prediction (status processing, with an estimated completion time measured from
    past predictions) and queue the job that computes it; GET /predictions/{id} shows the result."""
    args = body.tool_input()

    async def create() -> Response:
        return respond(request, await invoke(predictions.create_prediction, principal, args), 202)

    return await once(request, principal, key, args.model_dump(mode="json"), create)


@router.get(f"{BASE}/predictions", responses=doc(200, ListEnvelope[PredictionPage]))
async def list_predictions(
    principal: CurrentPrincipal, query: Annotated[ListPredictionsInput, Query()]
) -> Page:
    """The workspace's predictions, newest first."""
    out = await invoke(predictions.list_predictions, principal, query)
    return Page(out.camel(), query.page, query.limit, out.pagination.total)


@router.get(f"{BASE}/predictions/{{prediction_id}}", responses=doc(200, Envelope[PredictionOut]))
async def get_prediction(principal: CurrentPrincipal, prediction_id: str) -> PredictionOut:
    """Status; when completed `results{predictions, summary}`, `accuracy{score, mape, rmse}`, backtest."""
    out = await invoke(predictions.get_prediction, principal, {"prediction_id": prediction_id})
    return out.prediction


@router.post(f"{BASE}/ask", responses=doc(200, Envelope[AskAnswer]))
async def ask(principal: CurrentPrincipal, body: AskInput) -> AskAnswer:
    """A forecast question, read by the assistant's model (metric, period, confidence, a customer
    named), answered with the prediction, its range, computed factors and what was understood."""
    reading = await anyio.to_thread.run_sync(read_question, body.question, utcnow().date())
    args = AskForecastInput(question=body.question, context=body.context, reading=reading)
    return await invoke(ask_tools.ask_forecast, principal, args)


@router.get(f"{BASE}/accuracy", responses=doc(200, Envelope[AccuracyReport]))
async def accuracy(
    principal: CurrentPrincipal,
    template_id: Annotated[str | None, Query(alias="templateId", max_length=60)] = None,
    start_date: Annotated[date | None, Query(alias="startDate")] = None,
    end_date: Annotated[date | None, Query(alias="endDate")] = None,
) -> AccuracyReport:
    """Measured accuracy of the model runs (prediction jobs and training) in the range."""
    return await invoke(
        module_tools.prediction_accuracy,
        principal,
        {"template_id": template_id, "start_date": start_date, "end_date": end_date},
    )


@router.post(
    f"{BASE}/train", status_code=201, responses=doc(201, Envelope[TrainResult], "Model run recorded")
)
async def train(principal: CurrentPrincipal, body: TrainInput) -> TrainResult:
    """Re-run model selection and the backtest for a template now; the model run is recorded."""
    return await invoke(module_tools.train_prediction_model, principal, body)


@router.get("/api/hubs/insights/forecasts", responses=doc(200, Envelope[HubForecast]))
async def hub_forecasts(principal: CurrentPrincipal, query: Annotated[HubForecastInput, Query()]) -> Any:
    """Forecast of revenue, orders or customers for the next `horizon` days (per day up to 90,
    per week up to 364, else per month), with recent history for the chart and the backtest."""
    return await invoke(document_tools.hub_forecast, principal, query)


router.include_router(documents.router)
router.include_router(documents.router_v1)
