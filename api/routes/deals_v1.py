"""Deals under /api/v1 (document 004), raw snake_case deal objects. A 004 deal is a 001 deal:
the same tools serve both surfaces."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from api.deps import CurrentAuth, WorkspacePrincipal, principal_for_row
from api.envelope import no_content
from api.idempotency import IdempotencyKey, once
from api.openapi_models import DealListV1, doc, snake
from api.routes.crm_common import call
from api.schemas.crm import DealPatch, changes
from store.models import Deal
from tools.context import Principal
from tools.crm.schemas import CreateDealInput, DealOut, ListDealsInput

router = APIRouter(tags=["deals v1"])


async def _acting(request: Request, auth: CurrentAuth, deal_id: str) -> Principal:
    """Act in whichever of the caller's workspaces holds the deal (an X-Tenant-Id pins one)."""
    explicit = bool(request.headers.get("x-tenant-id", "").strip())
    return await principal_for_row(request, auth, Deal, deal_id, explicit)


def _deal(out: Any) -> dict[str, Any]:
    deal: dict[str, Any] = out.snake()["deal"]
    return deal


@router.get("/workspaces/{workspaceId}/deals", response_model=None, responses=doc(200, DealListV1))
async def list_deals(
    principal: WorkspacePrincipal, query: Annotated[ListDealsInput, Query()]
) -> dict[str, Any]:
    """{deals, items (the same list), total, limit, offset, total_value}."""
    out = (await call("list_deals", principal, query)).snake()
    return {**out, "items": out["deals"]}


@router.post("/workspaces/{workspaceId}/deals", status_code=201,
             responses=doc(201, snake(DealOut), "Created"))
async def create_deal(
    request: Request, principal: WorkspacePrincipal, body: CreateDealInput, key: IdempotencyKey = None
) -> Response:
    async def create() -> Response:
        return JSONResponse(_deal(await call("create_deal", principal, body)), status_code=201)

    return await once(request, principal, key, body.model_dump(mode="json"), create)


@router.get("/deals/{deal_id}", response_model=None, responses=doc(200, snake(DealOut)))
async def get_deal(request: Request, auth: CurrentAuth, deal_id: str) -> dict[str, Any]:
    principal = await _acting(request, auth, deal_id)
    return _deal(await call("get_deal", principal, {"deal_id": deal_id}))


@router.patch("/deals/{deal_id}", response_model=None, responses=doc(200, snake(DealOut)))
async def update_deal(request: Request, auth: CurrentAuth, deal_id: str, body: DealPatch) -> dict[str, Any]:
    principal = await _acting(request, auth, deal_id)
    return _deal(await call("update_deal", principal, {**changes(body), "deal_id": deal_id}))


@router.delete("/deals/{deal_id}", status_code=204)
async def delete_deal(request: Request, auth: CurrentAuth, deal_id: str) -> Response:
    principal = await _acting(request, auth, deal_id)
    await call("delete_deal", principal, {"deal_id": deal_id}, confirmed=True)
    return no_content()
