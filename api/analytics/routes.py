"""Analytics under /api/analytics (envelope, camelCase)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.deps import CurrentPrincipal
from api.family import EnvelopeRoute
from api.openapi_models import Envelope, doc
from api.ratelimit import api_limit
from tools.crm import rankings, revenue, trends
from tools.crm.schemas_analytics import (
    DashboardInput,
    DashboardOutput,
    RevenueInput,
    RevenueOutput,
    TopCustomersInput,
    TopCustomersOutput,
    TrendInput,
    TrendOutput,
)
from tools.runtime import invoke

router = APIRouter(tags=["analytics"], dependencies=[Depends(api_limit)], route_class=EnvelopeRoute)


@router.get("/api/analytics/dashboard", responses=doc(200, Envelope[DashboardOutput]))
async def dashboard(principal: CurrentPrincipal,
                    query: Annotated[DashboardInput, Query()]) -> DashboardOutput:
    """Revenue, customers and deals for a period, with the period bounds and currency."""
    return await invoke(revenue.dashboard_metrics, principal, query)


@router.get("/api/analytics/revenue", responses=doc(200, Envelope[RevenueOutput]))
async def revenue_for_period(principal: CurrentPrincipal,
                             query: Annotated[RevenueInput, Query()]) -> RevenueOutput:
    """Revenue for `period` (last_month, ...), a calendar `month` (YYYY-MM) or startDate/endDate,
    compared with the period before it of the same kind."""
    return await invoke(revenue.revenue_for_period, principal, query)


@router.get("/api/analytics/revenue/trend", responses=doc(200, Envelope[TrendOutput]))
async def revenue_trend(principal: CurrentPrincipal,
                        query: Annotated[TrendInput, Query()]) -> TrendOutput:
    """Revenue per day/week/month (`granularity`) over `period`, `month` or startDate/endDate, with
    the best and worst bucket; default the last 12 months by month."""
    return await invoke(trends.revenue_trend, principal, query)


@router.get("/api/analytics/top-customers", responses=doc(200, Envelope[TopCustomersOutput]))
async def top_customers(principal: CurrentPrincipal,
                        query: Annotated[TopCustomersInput, Query()]) -> TopCustomersOutput:
    """Customers ranked by paid revenue in `period` (default last_365_days), `limit` default 10."""
    return await invoke(rankings.top_customers, principal, query)
