"""Insights over REST, over the insight tools:

- 001 `POST /api/ai/insights/generate` (envelope, 200): runs the rules now; `dataType` picks
  them (all, revenue, customers, deals, security, data); `timeRange` is accepted and not used
  (each rule has its own documented window).
- 004 `POST /api/v1/insights` (raw, 201): "generate insights from business data" — decided as a
  generation over the workspace's own data: `workspace_id` must be one of the caller's (another
  is 404), `data_type` picks the rules (004's "deals", "pipeline", ...), and figures a client
  sends in `data` are not used (an insight states figures measured in the data, never the
  caller's). Answers {insights, recommendations} as 004 shows.
- 004 `GET /api/v1/workspaces/{workspaceId}/insights?type=&priority=&status=` and
  `PATCH /api/v1/insights/{id}` (status viewed, actioned, dismissed; 404 for another's).
- 000 `GET /api/hubs/insights/overview` (envelope).
- 001 `POST /api/ai/predictions/churn` (api/insights/churn.py, included here).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import anyio
from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field, field_validator

from api.deps import (
    CurrentAuth,
    CurrentPrincipal,
    WorkspacePrincipal,
    authenticate_for_tenant,
    bearer,
    principal_for_row,
)
from api.family import EnvelopeRoute, RawRoute
from api.insights import churn
from api.openapi_models import Envelope, doc, snake
from api.ratelimit import api_limit
from core.errors import TenantNotFound
from store.models import Insight
from tools.context import Principal
from tools.insights import tools as insights
from tools.insights.schemas import (
    DataType,
    GenerateInsightsOutput,
    InsightList,
    InsightOut,
    InsightsOverview,
    ListInsightsInput,
    Priority,
)
from tools.runtime import invoke
from tools.schemas import OptionalId, ToolModel, small_json

limited = [Depends(api_limit)]
router = APIRouter(tags=["insights"], dependencies=limited, route_class=EnvelopeRoute)
router_v1 = APIRouter(prefix="/api/v1", tags=["insights"], dependencies=limited, route_class=RawRoute)
churn.add_routes(router)
DATA_TYPES = {"pipeline": "deals", "sales": "revenue", "finance": "revenue", "invoices": "revenue",
              "churn": "customers", "data_quality": "data", "trust": "data"}


def _data_type(value: Any) -> Any:
    """004's and 001's words for what to analyse, as the rules' groups."""
    if isinstance(value, str):
        key = value.strip().lower()
        return DATA_TYPES.get(key, key or "all")
    return value


class GenerateBody(ToolModel):
    data_type: DataType = Field("all", description="all, revenue, customers, deals (or pipeline), "
                                "security, data")
    time_range: str | None = Field(None, max_length=40, description="Accepted; each rule has its "
                                   "own documented window.")

    _normal = field_validator("data_type", mode="before")(_data_type)


class GenerateV1Body(GenerateBody):
    workspace_id: OptionalId = Field(None, description="One of your workspaces (default: the current one).")
    data: dict[str, Any] | None = Field(None, description="Accepted; not used (see above).")

    @field_validator("data")
    @classmethod
    def _small(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return small_json(value)


class StatusBody(ToolModel):
    status: Literal["new", "viewed", "actioned", "dismissed"]


class Recommendation(ToolModel):
    title: str
    description: str
    priority: Priority
    confidence: float | None
    insight_id: str


class GeneratedV1(GenerateInsightsOutput):
    recommendations: list[Recommendation]


@router.post("/api/ai/insights/generate", responses=doc(200, Envelope[GenerateInsightsOutput]))
async def generate(principal: CurrentPrincipal, body: GenerateBody | None = None) -> GenerateInsightsOutput:
    """Run the insight rules now: `insights` holds each finding (type, title, description,
    confidence, potentialImpact, priority, data, recommendation), new or still open."""
    data_type = body.data_type if body else "all"
    return await invoke(insights.generate_insights, principal, {"data_type": data_type})


@router.get("/api/hubs/insights/overview", responses=doc(200, Envelope[InsightsOverview]))
async def overview(principal: CurrentPrincipal,
                   days: Annotated[int, Query(ge=1, le=365)] = 30) -> InsightsOverview:
    """metrics (revenue, orders, customers, conversionRate: current, previous, change, trend),
    alerts (open high and critical insights), recentActivity (the latest insights), counts by
    type, priority and status, and the churn model's summary (or why it cannot be trained)."""
    return await invoke(insights.insights_overview, principal, {"days": days})


async def _in_workspace(request: Request, auth: CurrentAuth, workspace_id: str | None) -> Principal:
    if not workspace_id or workspace_id == auth.principal.tenant_id:
        return auth.principal
    try:
        found = await anyio.to_thread.run_sync(authenticate_for_tenant, bearer(request), workspace_id)
    except TenantNotFound:
        raise TenantNotFound("Workspace not found") from None
    return found.principal


def _recommendations(out: GenerateInsightsOutput) -> list[Recommendation]:
    return [Recommendation(title=i.recommendation, description=f"For: {i.title}", priority=i.priority,
                           confidence=i.confidence, insight_id=i.id)
            for i in out.insights if i.recommendation]


@router_v1.post("/insights", status_code=201, responses=doc(201, snake(GeneratedV1), "Generated"))
async def generate_v1(request: Request, auth: CurrentAuth, body: GenerateV1Body) -> GeneratedV1:
    """{insights: [{title, description, priority, confidence, ...}], recommendations: [...]}."""
    principal = await _in_workspace(request, auth, body.workspace_id)
    out = await invoke(insights.generate_insights, principal, {"data_type": body.data_type})
    return GeneratedV1(**out.model_dump(), recommendations=_recommendations(out))


@router_v1.get("/workspaces/{workspaceId}/insights", responses=doc(200, snake(InsightList)))
async def list_v1(principal: WorkspacePrincipal,
                  query: Annotated[ListInsightsInput, Query()]) -> dict[str, Any]:
    """The workspace's insights, most important first: open ones unless `status` or `all` says
    otherwise; filter by type and priority. {insights, pagination, total}."""
    out = (await invoke(insights.list_insights, principal, query)).snake()
    return {**out, "total": out["pagination"]["total"]}


async def _acting(request: Request, auth: CurrentAuth, insight_id: str) -> Principal:
    """Act in whichever of the caller's workspaces holds the insight (an X-Tenant-Id pins one)."""
    explicit = bool(request.headers.get("x-tenant-id", "").strip())
    return await principal_for_row(request, auth, Insight, insight_id, explicit)


@router_v1.patch("/insights/{insight_id}", responses=doc(200, snake(InsightOut)))
async def update_v1(principal: Annotated[Principal, Depends(_acting)], insight_id: str,
                    body: StatusBody) -> InsightOut:
    """Set the status: viewed, actioned, dismissed (or new again). Answers the insight."""
    out = await invoke(insights.update_insight, principal, {"insight_id": insight_id, "status": body.status})
    return out.insight
