"""Business analytics under /api (document 001's dashboard, plus revenue for a period, revenue over
time and the top customers)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from api.deps import CurrentPrincipal
from api.envelope import ok
from api.openapi_models import Envelope, doc
from api.routes.crm_common import call
from tools.crm.schemas import DashboardInput, DashboardOutput, RevenueInput, RevenueOutput
from tools.crm.schemas_analytics import TopCustomersInput, TopCustomersOutput, TrendInput, TrendOutput

router = APIRouter(tags=["analytics"])


@router.get("/api/analytics/dashboard", responses=doc(200, Envelope[DashboardOutput]))
async def dashboard(
    request: Request, principal: CurrentPrincipal, query: Annotated[DashboardInput, Query()]
) -> JSONResponse:
    """001's {revenue, customers, deals}, plus the period bounds and currency the figures cover."""
    return ok(request, (await call("dashboard_metrics", principal, query)).camel())


@router.get("/api/analytics/revenue", responses=doc(200, Envelope[RevenueOutput]))
async def revenue(
    request: Request, principal: CurrentPrincipal, query: Annotated[RevenueInput, Query()]
) -> JSONResponse:
    """Revenue for `period` (last_month, ...), a calendar `month` (YYYY-MM) or startDate/endDate."""
    return ok(request, (await call("revenue_for_period", principal, query)).camel())


@router.get("/api/analytics/revenue/trend", responses=doc(200, Envelope[TrendOutput]))
async def revenue_trend(
    request: Request, principal: CurrentPrincipal, query: Annotated[TrendInput, Query()]
) -> JSONResponse:
    """Revenue per day/week/month (`granularity`) over `period`, `month` or startDate/endDate, with
    the best and worst bucket; default the last 12 months by month."""
    return ok(request, (await call("revenue_trend", principal, query)).camel())


@router.get("/api/analytics/top-customers", responses=doc(200, Envelope[TopCustomersOutput]))
async def top_customers(
    request: Request, principal: CurrentPrincipal, query: Annotated[TopCustomersInput, Query()]
) -> JSONResponse:
    """Customers ranked by paid revenue in `period` (default last_365_days), `limit` default 10."""
    return ok(request, (await call("top_customers", principal, query)).camel())
