"""Document 000's data lineage: /api/data-lineage/* (envelope, camelCase), over the lineage tools.

- GET /sources: every source (connections and the manual/CRM data) with its quality score.
- GET /quality-scores: overall, the four dimensions, per source, and the rules' counts.
- GET /entity/{type}/{id}: one record's sources and each field's origin (404 for an unknown
  type, an unknown id or another workspace's: a path that names nothing).
- GET /flow: sources -> entities -> metrics, with counts.
- GET /trends?days=30: the daily snapshots (days 1..365; 422 outside).
"""

from __future__ import annotations

from typing import Annotated, get_args

from fastapi import APIRouter, Depends, Path, Query

from api.deps import CurrentPrincipal
from api.family import EnvelopeRoute
from api.openapi_models import Envelope, doc
from api.ratelimit import api_limit
from core.errors import NotFound
from tools.lineage import tools as lineage
from tools.lineage.schemas import (
    EntityKind,
    EntityLineageOutput,
    FlowOutput,
    QualityOutput,
    SourcesOutput,
    TrendsOutput,
)
from tools.runtime import invoke

router = APIRouter(prefix="/api/data-lineage", tags=["data lineage"],
                   dependencies=[Depends(api_limit)], route_class=EnvelopeRoute)


@router.get("/sources", responses=doc(200, Envelope[SourcesOutput]))
async def sources(principal: CurrentPrincipal) -> SourcesOutput:
    """Where the data comes from: each connection (type "connector") and the data entered in
    BizPilot (type "manual"), with status, last sync, record count and quality score (0-1)."""
    return await invoke(lineage.list_lineage_sources, principal, {})


@router.get("/quality-scores", responses=doc(200, Envelope[QualityOutput]))
async def quality_scores(principal: CurrentPrincipal) -> QualityOutput:
    """Quality by four rules (completeness, accuracy, freshness, consistency), overall (the mean
    of the scored dimensions) and per source; `rules` says what each checked and passed."""
    return await invoke(lineage.data_quality, principal, {})


@router.get("/entity/{entity_type}/{entity_id}", responses=doc(200, Envelope[EntityLineageOutput]))
async def entity(principal: CurrentPrincipal, entity_type: Annotated[str, Path(max_length=40)],
                 entity_id: Annotated[str, Path(max_length=64)]) -> EntityLineageOutput:
    """One record's provenance: its sources and, per field, the source that supplied the current
    value (`manual` when none did). Types: customer, order, deal, product, invoice, subscription."""
    if entity_type not in get_args(EntityKind):
        raise NotFound("entity type", entity_type)
    return await invoke(lineage.entity_lineage, principal,
                        {"entity_type": entity_type, "entity_id": entity_id})


@router.get("/flow", responses=doc(200, Envelope[FlowOutput]))
async def flow(principal: CurrentPrincipal) -> FlowOutput:
    """The graph {nodes, edges}: sources -> entity types -> metrics, with record counts."""
    return await invoke(lineage.data_flow, principal, {})


@router.get("/trends", responses=doc(200, Envelope[TrendsOutput]))
async def trends(principal: CurrentPrincipal,
                 days: Annotated[int, Query(ge=1, le=365, description="Days back, 1 to 365")] = 30,
                 ) -> TrendsOutput:
    """Daily quality snapshots of the last `days` days; days without one are absent."""
    return await invoke(lineage.quality_trends, principal, {"days": days})
