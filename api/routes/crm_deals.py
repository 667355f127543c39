"""CRM deals and the pipeline under /api (document 001), envelope family, camelCase."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from api.deps import CurrentPrincipal
from api.envelope import no_content, ok
from api.idempotency import IdempotencyKey, once
from api.openapi_models import DealPage, Envelope, ListEnvelope, doc
from api.routes.crm_common import call, listed
from api.schemas.crm import DealListQuery, DealPatch, StageBody, changes
from tools.crm.schemas import CreateDealInput, DealOutput, PipelineSummary

router = APIRouter(tags=["crm"])


@router.get("/api/crm/deals", responses=doc(200, ListEnvelope[DealPage]))
async def list_deals(
    request: Request, principal: CurrentPrincipal, query: Annotated[DealListQuery, Query()]
) -> JSONResponse:
    args = query.tool_args()
    data = (await call("list_deals", principal, args)).camel()
    page = args["offset"] // query.limit + 1
    return listed(request, data, page, query.limit, data["total"])


@router.post("/api/crm/deals", status_code=201, responses=doc(201, Envelope[DealOutput], "Created"))
async def create_deal(
    request: Request, principal: CurrentPrincipal, body: CreateDealInput, key: IdempotencyKey = None
) -> Response:
    async def create() -> Response:
        out = await call("create_deal", principal, body)
        return ok(request, out.camel(), status=201)

    return await once(request, principal, key, body.model_dump(mode="json"), create)


@router.get("/api/crm/deals/{deal_id}", responses=doc(200, Envelope[DealOutput]))
async def get_deal(request: Request, principal: CurrentPrincipal, deal_id: str) -> JSONResponse:
    return ok(request, (await call("get_deal", principal, {"deal_id": deal_id})).camel())


@router.patch("/api/crm/deals/{deal_id}", responses=doc(200, Envelope[DealOutput]))
async def update_deal(
    request: Request, principal: CurrentPrincipal, deal_id: str, body: DealPatch
) -> JSONResponse:
    out = await call("update_deal", principal, {**changes(body), "deal_id": deal_id})
    return ok(request, out.camel())


@router.patch("/api/crm/deals/{deal_id}/stage", responses=doc(200, Envelope[DealOutput]))
async def move_deal_stage(
    request: Request, principal: CurrentPrincipal, deal_id: str, body: StageBody
) -> JSONResponse:
    """001's stage move: the probability follows the stage unless the body gives one."""
    out = await call("move_deal_stage", principal, {**changes(body), "deal_id": deal_id})
    return ok(request, out.camel())


@router.delete("/api/crm/deals/{deal_id}", status_code=204)
async def delete_deal(principal: CurrentPrincipal, deal_id: str) -> Response:
    await call("delete_deal", principal, {"deal_id": deal_id}, confirmed=True)
    return no_content()


@router.get("/api/crm/pipeline", responses=doc(200, Envelope[PipelineSummary]))
async def pipeline(request: Request, principal: CurrentPrincipal) -> JSONResponse:
    return ok(request, (await call("pipeline_summary", principal)).camel())
