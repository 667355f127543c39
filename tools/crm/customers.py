"""Customer capabilities."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from core.errors import Conflict, NotFound
from store.models import Customer, Deal
from store.repositories import customers as repo
from store.repositories import deals as deal_repo
from store.repositories import orders as order_repo
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
from tools.events import emit
from tools.registry import tool

MAX_NAMED_DEALS = 10  # deals named in a message; the structured details list all of them


def to_out(c: Customer) -> CustomerOut:
    return CustomerOut.model_validate(c, from_attributes=True)


LISTED = tuple(CustomerOut.model_fields)
"""What a listed customer shows: the columns list_customers reads, validated from plain dicts (the
same model and checks as `to_out`, at a fraction of the CPU of reading ORM attributes)."""


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
        LISTED,
        status=args.status,
        text=args.search,
        company=args.company,
        created_after=_midnight(args.created_after),
        created_before=_midnight(args.created_before),
        tag=args.tag,
        sort_by=args.sort_by,
        descending=args.sort_order == "desc",
        offset=(args.page - 1) * args.limit,
        limit=args.limit,
    )
    pages = math.ceil(total / args.limit) if total else 0
    return CustomerList(
        customers=[CustomerOut.model_validate(row) for row in rows],
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
    out = to_out(customer)
    # document 001 delivers {"customer": {...}}; the customer's fields sit beside it as well
    emit(ctx, "customer.created", {**out.snake(), "customer": out.snake()})
    return CustomerOutput(customer=out)


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
    added, removed = changes.pop("add_tags", None) or [], set(changes.pop("remove_tags", None) or [])
    if added or removed:
        base: list[str] = changes["tags"] if changes.get("tags") is not None else list(customer.tags or [])
        changes["tags"] = [t for t in dict.fromkeys([*base, *added]) if t not in removed]
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
    out = to_out(customer)
    emit(ctx, "customer.updated", {**out.snake(), "changed": sorted(changes)})
    return CustomerOutput(customer=out)


@dataclass(frozen=True)
class _Links:
    """What deleting a customer touches. Open deals block it (a live sale must not lose its
    account silently); closed deals and orders are revenue history, so they stay, unlinked."""

    open_deals: list[Deal]
    closed_deals: list[Deal]
    orders: int


def _is_open(deal: Deal) -> bool:
    return deal.stage not in deal_repo.CLOSED_STAGES


def _links(ctx: ToolContext, customer: Customer) -> _Links:
    deals = deal_repo.of_customer(ctx.session, customer.id)
    return _Links(
        open_deals=[d for d in deals if _is_open(d)],
        closed_deals=[d for d in deals if not _is_open(d)],
        orders=order_repo.count_of_customer(ctx.session, customer.id),
    )


def _label(customer: Customer) -> str:
    return customer.name + (f" ({customer.company})" if customer.company else "")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _named(deals: list[Deal]) -> str:
    """Deals as "Title" (stage), the first few only: a message is read, the details are listed."""
    shown = ", ".join(f'"{d.title}" ({d.stage})' for d in deals[:MAX_NAMED_DEALS])
    more = len(deals) - MAX_NAMED_DEALS
    return shown + (f" and {more} more" if more > 0 else "")


def _kept_sentence(links: _Links) -> str:
    parts = [f"{_plural(len(links.closed_deals), 'closed deal')} ({_named(links.closed_deals)})"
             if links.closed_deals else "",
             _plural(links.orders, "order") if links.orders else ""]
    kept = " and ".join(p for p in parts if p)
    return f" On deletion these are kept for revenue history, unlinked: {kept}." if kept else ""


def _deal_preview(deal: Deal) -> dict[str, Any]:
    return {"deal_id": deal.id, "title": deal.title, "stage": deal.stage,
            "value": float(deal.value), "outcome": "kept, unlinked"}


def _preview_delete(ctx: ToolContext, args: DeleteCustomerInput) -> dict[str, Any]:
    """A customer with open deals is refused at the preview already: no confirmation token is
    issued for a deletion that would only be refused."""
    customer = load(ctx, args.customer_id)
    links = _links(ctx, customer)
    if links.open_deals:
        raise _refuse_open_deals(customer, links.open_deals, _kept_sentence(links))
    return {
        "message": f"This will permanently delete customer {_label(customer)}." + _kept_sentence(links),
        "customer": to_out(customer).snake(),
        "deals": [_deal_preview(d) for d in links.closed_deals],
        "orders_kept_unlinked": links.orders,
    }


def _refuse_open_deals(customer: Customer, open_deals: list[Deal], kept: str = "") -> Conflict:
    return Conflict(
        f"Customer {_label(customer)} has {_plural(len(open_deals), 'open deal')}: "
        f"{_named(open_deals)}. Close, reassign or delete them first; the customer was not deleted."
        + kept,
        details=[{"dealId": d.id, "title": d.title, "stage": d.stage, "value": float(d.value)}
                 for d in open_deals],
    )


def _unlink_closed_deals(ctx: ToolContext, deals: list[Deal]) -> None:
    """Done in code rather than left to the foreign key's SET NULL, so that SQLite without
    foreign-key enforcement ends in the same state as PostgreSQL."""
    for deal in deals:
        deal.customer_id = None
        deal.updated_at = ctx.now
    ctx.session.flush()


def _done_message(customer: Customer, deals: int, orders: int) -> str:
    if not (deals or orders):
        return f"Deleted customer {customer.name}. No deals or orders were linked to it."
    return (f"Deleted customer {customer.name}. Unlinked {_plural(deals, 'closed deal')} and "
            f"{_plural(orders, 'order')}, which are kept for revenue history.")


@tool(
    name="delete_customer",
    toolset="crm",
    kind="destructive",
    min_role="analyst",
    preview=_preview_delete,
    description="""Permanently delete a customer. Refused with a conflict while the customer has
open deals (any stage other than closed_won or closed_lost): close, reassign or delete those deals
first. Closed deals and orders are kept for revenue history and unlinked from the customer. The
first call only previews (listing every deal of the customer and what happens to it, and the
number of orders kept) and returns a confirmation_token; call again with that token to delete.""",
)
def delete_customer(ctx: ToolContext, args: DeleteCustomerInput) -> DeleteResult:
    customer = repo.get_for_update(ctx.session, args.customer_id)
    if customer is None:
        raise NotFound("customer", args.customer_id)
    links = _links(ctx, customer)
    if links.open_deals:
        raise _refuse_open_deals(customer, links.open_deals)
    _unlink_closed_deals(ctx, links.closed_deals)
    orders = order_repo.unlink_customer(ctx.session, customer.tenant_id, customer.id)
    emit(ctx, "customer.deleted", to_out(customer).snake())
    ctx.session.delete(customer)
    ctx.session.flush()
    return DeleteResult(status="done", message=_done_message(customer, len(links.closed_deals), orders),
                        deleted_id=customer.id)
