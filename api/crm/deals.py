"""Deals and the pipeline: under /api/crm (envelope, camelCase) and under /api/v1 (raw,
snake_case), where a workspace's deals are the same rows. Both families run the same tools."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api.crm.schemas import DealListQuery, DealPatch, StageBody, changes
from api.deps import CurrentAuth, CurrentPrincipal, DeferredPrincipal, WorkspacePrincipal, principal_for_row
from api.family import EnvelopeRoute, Page, RawRoute, respond
from api.idempotency import IdempotencyKey, once
from api.openapi_models import DealListV1, DealPage, Envelope, ListEnvelope, doc, snake
from api.ratelimit import api_limit
from store.models import Deal
from tools.context import Principal
from tools.crm import deals
from tools.crm.schemas import CreateDealInput, DealOut, DealOutput, ListDealsInput, PipelineSummary
from tools.runtime import invoke

limited = [Depends(api_limit)]
router = APIRouter(tags=["crm"], dependencies=limited, route_class=EnvelopeRoute)
router_v1 = APIRouter(prefix="/api/v1", tags=["deals"], dependencies=limited, route_class=RawRoute)


# --- /api/crm -------------------------------------------------------------------------------------


@router.get("/api/crm/deals", responses=doc(200, ListEnvelope[DealPage]))
async def list_deals(principal: DeferredPrincipal, query: Annotated[DealListQuery, Query()]) -> Page:
    """Deals, filtered by stage, status, customer, value or text; `page` or `offset` pages."""
    args = query.tool_args()
    out = await invoke(deals.list_deals, principal, args)
    return Page(out.camel(), args["offset"] // query.limit + 1, query.limit, out.total)


@router.post("/api/crm/deals", status_code=201, responses=doc(201, Envelope[DealOutput], "Created"))
async def create_deal(request: Request, principal: CurrentPrincipal, body: CreateDealInput,
                      key: IdempotencyKey = None) -> Response:
    """Open a deal; its probability follows the stage unless given."""
    async def create() -> Response:
        return respond(request, await invoke(deals.create_deal, principal, body), 201)

    return await once(request, principal, key, body.model_dump(mode="json"), create)


@router.get("/api/crm/deals/{deal_id}", responses=doc(200, Envelope[DealOutput]))
async def get_deal(principal: DeferredPrincipal, deal_id: str) -> DealOutput:
    """One deal."""
    return await invoke(deals.get_deal, principal, {"deal_id": deal_id})


@router.patch("/api/crm/deals/{deal_id}", responses=doc(200, Envelope[DealOutput]))
async def update_deal(principal: DeferredPrincipal, deal_id: str, body: DealPatch) -> DealOutput:
    """Change any of the deal's fields; absent fields stay as they are."""
    return await invoke(deals.update_deal, principal, {**changes(body), "deal_id": deal_id})


@router.patch("/api/crm/deals/{deal_id}/stage", responses=doc(200, Envelope[DealOutput]))
async def move_deal_stage(principal: DeferredPrincipal, deal_id: str, body: StageBody) -> DealOutput:
    """Move a deal to another stage; the probability follows the stage unless the body gives one."""
    return await invoke(deals.move_deal_stage, principal, {**changes(body), "deal_id": deal_id})


@router.delete("/api/crm/deals/{deal_id}", status_code=204)
async def delete_deal(principal: DeferredPrincipal, deal_id: str) -> None:
    """Delete a deal (the DELETE itself is the explicit act: no preview step)."""
    await invoke(deals.delete_deal, principal, {"deal_id": deal_id}, confirmed=True)


@router.get("/api/crm/pipeline", responses=doc(200, Envelope[PipelineSummary]))
async def pipeline(principal: DeferredPrincipal) -> PipelineSummary:
    """Open deals by stage: count, value and probability-weighted value."""
    return await invoke(deals.pipeline_summary, principal)


# --- /api/v1 --------------------------------------------------------------------------------------


async def _acting(request: Request, auth: CurrentAuth, deal_id: str) -> Principal:
    """Act in whichever of the caller's workspaces holds the deal (an X-Tenant-Id pins one)."""
    explicit = bool(request.headers.get("x-tenant-id", "").strip())
    return await principal_for_row(request, auth, Deal, deal_id, explicit)


ActingPrincipal = Annotated[Principal, Depends(_acting)]


@router_v1.get("/workspaces/{workspaceId}/deals", responses=doc(200, DealListV1))
async def list_workspace_deals(principal: WorkspacePrincipal,
                               query: Annotated[ListDealsInput, Query()]) -> dict[str, Any]:
    """{deals, items (the same list), total, limit, offset, total_value}."""
    out = (await invoke(deals.list_deals, principal, query)).snake()
    return {**out, "items": out["deals"]}


@router_v1.post("/workspaces/{workspaceId}/deals", status_code=201,
                responses=doc(201, snake(DealOut), "Created"))
async def create_workspace_deal(request: Request, principal: WorkspacePrincipal, body: CreateDealInput,
                                key: IdempotencyKey = None) -> Response:
    """Open a deal in this workspace; answers the deal object."""
    async def create() -> Response:
        return respond(request, (await invoke(deals.create_deal, principal, body)).deal, 201)

    return await once(request, principal, key, body.model_dump(mode="json"), create)


@router_v1.get("/deals/{deal_id}", responses=doc(200, snake(DealOut)))
async def get_deal_v1(principal: ActingPrincipal, deal_id: str) -> DealOut:
    """One deal, from whichever of the caller's workspaces holds it."""
    return (await invoke(deals.get_deal, principal, {"deal_id": deal_id})).deal


@router_v1.patch("/deals/{deal_id}", responses=doc(200, snake(DealOut)))
async def update_deal_v1(principal: ActingPrincipal, deal_id: str, body: DealPatch) -> DealOut:
    """Change any of the deal's fields."""
    return (await invoke(deals.update_deal, principal, {**changes(body), "deal_id": deal_id})).deal


@router_v1.delete("/deals/{deal_id}", status_code=204)
async def delete_deal_v1(principal: ActingPrincipal, deal_id: str) -> None:
    """Delete a deal."""
    await invoke(deals.delete_deal, principal, {"deal_id": deal_id}, confirmed=True)
