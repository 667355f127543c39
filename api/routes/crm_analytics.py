"""Business analytics under /api (document 001's dashboard, plus revenue for a period)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from api.deps import CurrentPrincipal
from api.envelope import ok
from api.routes.crm_common import call
from tools.crm.schemas import DashboardInput, RevenueInput

router = APIRouter(tags=["analytics"])


@router.get("/api/analytics/dashboard")
async def dashboard(
    request: Request, principal: CurrentPrincipal, query: Annotated[DashboardInput, Query()]
) -> JSONResponse:
    """001's {revenue, customers, deals}, plus the period bounds and currency the figures cover."""
    return ok(request, (await call("dashboard_metrics", principal, query)).camel())


@router.get("/api/analytics/revenue")
async def revenue(
    request: Request, principal: CurrentPrincipal, query: Annotated[RevenueInput, Query()]
) -> JSONResponse:
    """Revenue for `period` (last_month, ...), a calendar `month` (YYYY-MM) or startDate/endDate."""
    return ok(request, (await call("revenue_for_period", principal, query)).camel())
