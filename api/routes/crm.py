"""CRM customers under /api (document 001), in the envelope family, camelCase. The deal, pipeline
and analytics routes live in sibling modules and are included here, so `crm.router` is the whole
CRM surface."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from api.deps import CurrentPrincipal
from api.envelope import no_content, ok
from api.idempotency import IdempotencyKey, once
from api.openapi_models import CustomerPage, Envelope, ListEnvelope, doc
from api.ratelimit import api_limit
from api.routes import crm_analytics, crm_deals
from api.routes.crm_common import ERROR_RESPONSES, call, listed
from api.schemas.crm import CustomerPatch, changes
from tools.crm.schemas import CreateCustomerInput, CustomerOutput, ListCustomersInput

router = APIRouter(tags=["crm"], dependencies=[Depends(api_limit)], responses=ERROR_RESPONSES)


@router.get("/api/crm/customers", responses=doc(200, ListEnvelope[CustomerPage]))
async def list_customers(
    request: Request, principal: CurrentPrincipal, query: Annotated[ListCustomersInput, Query()]
) -> JSONResponse:
    data = (await call("list_customers", principal, query)).camel()
    return listed(request, data, query.page, query.limit, data["pagination"]["total"])


@router.get("/api/crm/customers/{customer_id}", responses=doc(200, Envelope[CustomerOutput]))
async def get_customer(request: Request, principal: CurrentPrincipal, customer_id: str) -> JSONResponse:
    out = await call("get_customer", principal, {"customer_id": customer_id})
    return ok(request, out.camel())


@router.post("/api/crm/customers", status_code=201, responses=doc(201, Envelope[CustomerOutput], "Created"))
async def create_customer(
    request: Request, principal: CurrentPrincipal, body: CreateCustomerInput, key: IdempotencyKey = None
) -> Response:
    async def create() -> Response:
        out = await call("create_customer", principal, body)
        return ok(request, out.camel(), status=201)

    return await once(request, principal, key, body.model_dump(mode="json"), create)


@router.patch("/api/crm/customers/{customer_id}", responses=doc(200, Envelope[CustomerOutput]))
async def update_customer(
    request: Request, principal: CurrentPrincipal, customer_id: str, body: CustomerPatch
) -> JSONResponse:
    out = await call("update_customer", principal, {**changes(body), "customer_id": customer_id})
    return ok(request, out.camel())


@router.delete("/api/crm/customers/{customer_id}", status_code=204)
async def delete_customer(principal: CurrentPrincipal, customer_id: str) -> Response:
    """204 as 001 documents; the DELETE itself is the explicit act, so no preview step."""
    await call("delete_customer", principal, {"customer_id": customer_id}, confirmed=True)
    return no_content()


router.include_router(crm_deals.router)
router.include_router(crm_analytics.router)
