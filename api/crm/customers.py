"""Customers under /api/crm (envelope, camelCase)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api.crm.schemas import CustomerPatch, changes
from api.deps import CurrentPrincipal, DeferredPrincipal
from api.family import EnvelopeRoute, Page, respond
from api.idempotency import IdempotencyKey, once
from api.openapi_models import CustomerPage, Envelope, ListEnvelope, doc
from api.ratelimit import api_limit
from tools.crm import customer_overview, customers
from tools.crm.schemas import CreateCustomerInput, CustomerOutput, ListCustomersInput
from tools.crm.schemas_overview import CustomerOverviewOutput
from tools.periods import PeriodName
from tools.runtime import invoke

PERIOD_HELP = "The period for the spend figure, e.g. this_year (default), last_month, last_90_days."

router = APIRouter(tags=["crm"], dependencies=[Depends(api_limit)], route_class=EnvelopeRoute)


@router.get("/api/crm/customers", responses=doc(200, ListEnvelope[CustomerPage]))
async def list_customers(principal: DeferredPrincipal,
                         query: Annotated[ListCustomersInput, Query()]) -> Page:
    """Customers, newest first, filtered by status, text, company or when they were added."""
    out = await invoke(customers.list_customers, principal, query)
    return Page(out.camel(), query.page, query.limit, out.pagination.total)


@router.get("/api/crm/customers/{customer_id}", responses=doc(200, Envelope[CustomerOutput]))
async def get_customer(principal: DeferredPrincipal, customer_id: str) -> CustomerOutput:
    """One customer."""
    return await invoke(customers.get_customer, principal, {"customer_id": customer_id})


@router.post("/api/crm/customers", status_code=201, responses=doc(201, Envelope[CustomerOutput], "Created"))
async def create_customer(request: Request, principal: CurrentPrincipal, body: CreateCustomerInput,
                          key: IdempotencyKey = None) -> Response:
    """Add a customer (status `lead` unless given). A duplicate email is a 409."""
    async def create() -> Response:
        return respond(request, await invoke(customers.create_customer, principal, body), 201)

    return await once(request, principal, key, body.model_dump(mode="json"), create)


@router.patch("/api/crm/customers/{customer_id}", responses=doc(200, Envelope[CustomerOutput]))
async def update_customer(principal: DeferredPrincipal, customer_id: str,
                          body: CustomerPatch) -> CustomerOutput:
    """Change any of the customer's fields; absent fields stay as they are."""
    return await invoke(customers.update_customer, principal,
                        {**changes(body), "customer_id": customer_id})


@router.delete("/api/crm/customers/{customer_id}", status_code=204)
async def delete_customer(principal: DeferredPrincipal, customer_id: str) -> None:
    """Delete a customer. The DELETE itself is the explicit act, so there is no preview step; a
    customer with open deals is refused with 409 until those deals are closed or removed."""
    await invoke(customers.delete_customer, principal, {"customer_id": customer_id}, confirmed=True)


@router.get("/api/crm/customers/{customer_id}/overview",
            responses=doc(200, Envelope[CustomerOverviewOutput]))
async def overview(principal: DeferredPrincipal, customer_id: str,
                   period: Annotated[PeriodName | None, Query(description=PERIOD_HELP)] = None,
                   ) -> CustomerOverviewOutput:
    """One customer at a glance: spend all time and in `period` (default this_year), first and last
    order, recent orders, open deals, won and lost deals, status and when it was set."""
    return await invoke(customer_overview.customer_overview, principal,
                        {"customer_id": customer_id, "period": period})
