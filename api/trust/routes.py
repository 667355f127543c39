"""Document 003's trust layer: /api/v1/trust/* (raw JSON objects, snake_case), over the trust tools.

- GET /health: {overall_health, status, signals: {<platform>: {health, status, ...}},
  last_updated}; with no connected source overall_health is null and status "no_sources".
- GET /signals/{platform}: one source (connection name or type) with each signal's value,
  threshold, score and explanation; an unknown platform is 404 NOT_FOUND.
- GET /incidents?status=open|resolved&platform=&limit=&offset=: incidents, newest first.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from api.deps import CurrentPrincipal
from api.family import RawRoute
from api.openapi_models import doc, snake
from api.ratelimit import api_limit
from tools.runtime import invoke
from tools.trust import tools as trust
from tools.trust.schemas import HealthOutput, IncidentsInput, IncidentsOutput, SignalsOutput

limited = [Depends(api_limit)]
router_v1 = APIRouter(prefix="/api/v1/trust", tags=["trust"], dependencies=limited,
                      route_class=RawRoute)
router = router_v1
"""Only the raw family documents the trust layer."""


@router_v1.get("/health", responses=doc(200, snake(HealthOutput)))
async def health(principal: CurrentPrincipal) -> HealthOutput:
    """Health 0-100 per connected source and overall: healthy >= 70, degraded 40-69, unhealthy
    < 40 (the weighted mean of freshness, error rate, record drop and null spike scores)."""
    return await invoke(trust.trust_health, principal, {})


@router_v1.get("/signals/{platform}", responses=doc(200, snake(SignalsOutput)))
async def signals(principal: CurrentPrincipal,
                  platform: Annotated[str, Path(min_length=1, max_length=100)]) -> SignalsOutput:
    """One source's signals: freshness, error_rate, record_drop and null_spike, each with its
    value, threshold, score (0-100) and an explanation."""
    return await invoke(trust.trust_signals, principal, {"platform": platform})


@router_v1.get("/incidents", responses=doc(200, snake(IncidentsOutput)))
async def incidents(principal: CurrentPrincipal,
                    query: Annotated[IncidentsInput, Query()]) -> IncidentsOutput:
    """Incidents opened when a signal crossed its threshold and resolved when it cleared,
    newest first; filter by `status` and `platform`, page with `limit` and `offset`."""
    return await invoke(trust.trust_incidents, principal, query)
