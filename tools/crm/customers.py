"""Customer capabilities."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time
from typing import Any

from core.errors import Conflict, NotFound
from store.models import Customer
from store.repositories import customers as repo
from tools.context import ToolContext
from tools.crm.schemas import (
    CreateCustomerInput,
    CustomerIdInput,
    CustomerList,
    CustomerOut,
    CustomerOutput,
    DeleteCustomerInput,
    DeleteResult,
    ListCustomersInput,
    Pagination,
    UpdateCustomerInput,
)
from tools.registry import tool


def to_out(c: Customer) -> CustomerOut:
    return CustomerOut.model_validate(c, from_attributes=True)


def load(ctx: ToolContext, customer_id: str) -> Customer:
    customer = repo.get(ctx.session, customer_id)
    if customer is None:
        raise NotFound("customer", customer_id)
    return customer


def _ensure_unique_email(ctx: ToolContext, email: str | None, own_id: str | None = None) -> None:
    if not email:
        return
    existing = repo.by_email(ctx.session, email)
    if existing is not None and existing.id != own_id:
        raise Conflict(
            "A customer with this email already exists",
            details={"field": "email", "customerId": existing.id},
        )


def _midnight(day: date | None) -> datetime | None:
    """A day filter as the UTC instant it starts, the way every period in the product is cut."""
    return datetime.combine(day, time.min, tzinfo=UTC) if day else None


@tool(
    name="list_customers",
    toolset="crm",
    description="""List or count the business's customers, newest first, with optional filters by
status (lead, prospect, active, inactive, churned), free text (name, email, company), company, and
when they were added (created_after inclusive, created_before exclusive). Paginated: the result has
pagination.total, the number of matching customers, so use it to answer "how many customers/leads
do I have" and "how many new customers this month".""",
)
def list_customers(ctx: ToolContext, args: ListCustomersInput) -> CustomerList:
    rows, total = repo.search(
        ctx.session,
        status=args.status,
        text=args.search,
        company=args.company,
        created_after=_midnight(args.created_after),
        created_before=_midnight(args.created_before),
        sort_by=args.sort_by,
        descending=args.sort_order == "desc",
        offset=(args.page - 1) * args.limit,
        limit=args.limit,
    )
    pages = math.ceil(total / args.limit) if total else 0
    return CustomerList(
        customers=[to_out(c) for c in rows],
        pagination=Pagination(page=args.page, limit=args.limit, total=total, total_pages=pages),
    )


@tool(name="get_customer", toolset="crm", description="Get one customer by id.")
def get_customer(ctx: ToolContext, args: CustomerIdInput) -> CustomerOutput:
    return CustomerOutput(customer=to_out(load(ctx, args.customer_id)))


@tool(
    name="create_customer",
    toolset="crm",
    kind="write",
    description="""Add a customer or lead to the CRM. `name` is the person's or account's name;
`company` their company; `status` defaults to lead. Fails with a conflict if the email exists.""",
)
def create_customer(ctx: ToolContext, args: CreateCustomerInput) -> CustomerOutput:
    _ensure_unique_email(ctx, args.email)
    customer = Customer(tenant_id=ctx.tenant_id, **args.model_dump())
    customer.created_at = customer.updated_at = customer.status_changed_at = ctx.now
    ctx.session.add(customer)
    ctx.session.flush()
    return CustomerOutput(customer=to_out(customer))


@tool(
    name="update_customer",
    toolset="crm",
    kind="write",
    idempotent=True,
    description="Change fields of a customer (status, tags, contact details); unset fields stay.",
)
def update_customer(ctx: ToolContext, args: UpdateCustomerInput) -> CustomerOutput:
    customer = load(ctx, args.customer_id)
    changes: dict[str, Any] = args.model_dump(exclude_unset=True, exclude={"customer_id"})
    if "email" in changes:
        _ensure_unique_email(ctx, changes["email"], own_id=customer.id)
    for key, value in changes.items():
        if key in ("name", "status", "tags", "custom_fields") and value is None:
            continue
        if key == "status" and value != customer.status:
            customer.status_changed_at = ctx.now
        setattr(customer, key, value)
    customer.updated_at = ctx.now
    ctx.session.flush()
    return CustomerOutput(customer=to_out(customer))


def _preview_delete(ctx: ToolContext, args: DeleteCustomerInput) -> dict[str, Any]:
    customer = load(ctx, args.customer_id)
    label = f"{customer.name}" + (f" ({customer.company})" if customer.company else "")
    return {
        "message": f"This will permanently delete customer {label}.",
        "customer": to_out(customer).snake(),
    }


@tool(
    name="delete_customer",
    toolset="crm",
    kind="destructive",
    min_role="analyst",
    preview=_preview_delete,
    description="""Permanently delete a customer. The first call only previews and returns a
confirmation_token; call again with that token to delete.""",
)
def delete_customer(ctx: ToolContext, args: DeleteCustomerInput) -> DeleteResult:
    customer = load(ctx, args.customer_id)
    ctx.session.delete(customer)
    ctx.session.flush()
    return DeleteResult(status="done", message=f"Deleted customer {customer.name}.",
                        deleted_id=customer.id)
