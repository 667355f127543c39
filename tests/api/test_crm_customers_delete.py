"""Deleting a customer who has deals or orders, the same over REST, MCP and a direct tool call.

Policy: open deals (any stage but closed_won / closed_lost) block the deletion with a 409 that
names them; closed deals and orders are kept as revenue history, unlinked from the customer.
Row state is checked with direct SQL, not through the code under test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient
from mcp import Client
from mcp_types import CallToolResult
from sqlalchemy import text

from mcp_server.server import build_server
from store.db import unit_of_work
from tools.context import Principal
from tools.identity.service import authenticate

if TYPE_CHECKING:
    from tests.api.conftest import Crm, SqlFn
    from tests.conftest import Account

LINKED_DEALS = "SELECT COUNT(*) FROM deals WHERE customer_id = :c"
LINKED_ORDERS = "SELECT COUNT(*) FROM orders WHERE customer_id = :c"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def principal_of(account: Account) -> Principal:
    with unit_of_work() as session:
        return authenticate(session, account.token, account.tenant_id).principal


def add_orders(account: Account, customer_id: str, totals: list[str]) -> list[str]:
    """Paid orders linked to the customer, through the store (there is no order endpoint)."""
    from store.models import Order

    with unit_of_work(account.tenant_id) as session:
        rows = [Order(tenant_id=account.tenant_id, total=Decimal(t), status="paid", currency="USD",
                      source="manual", ordered_at=datetime(2026, 1, 5, tzinfo=UTC),
                      customer_id=customer_id) for t in totals]
        session.add_all(rows)
        session.flush()
        return [o.id for o in rows]


def get_deal(client: TestClient, account: Account, deal_id: str) -> dict[str, Any]:
    r = client.get(f"/api/crm/deals/{deal_id}", headers=account.headers)
    assert r.status_code == 200, r.text
    return dict(r.json()["data"]["deal"])


def text_of(result: CallToolResult) -> str:
    return " ".join(getattr(block, "text", "") for block in result.content)


def connect(account: Account) -> Client:
    principal = principal_of(account)
    return Client(build_server(lambda _ctx: principal))


def test_an_open_deal_refuses_the_delete_and_changes_nothing(
    client: TestClient, account: Account, crm: Crm, sql: SqlFn
) -> None:
    customer = crm.customer(account, name="Ada Open", company="Lovelace Ltd")
    open_deal = crm.deal(account, title="Engine upgrade", value=1500, stage="proposal",
                         customerId=customer["id"])
    won = crm.deal(account, title="First engine", value=900, stage="closed_won", customerId=customer["id"])
    add_orders(account, customer["id"], ["120.00"])

    r = client.delete(f"/api/crm/customers/{customer['id']}", headers=account.headers)

    assert r.status_code == 409, r.text
    error = r.json()["error"]
    assert error["code"] == "RESOURCE_CONFLICT"
    assert '"Engine upgrade" (proposal)' in error["message"]
    assert "First engine" not in error["message"]
    assert "close, reassign or delete" in error["message"].lower()
    assert error["details"] == [{"dealId": open_deal["id"], "title": "Engine upgrade",
                                 "stage": "proposal", "value": 1500.0}]
    assert client.get(f"/api/crm/customers/{customer['id']}", headers=account.headers).status_code == 200
    assert get_deal(client, account, open_deal["id"])["customerId"] == customer["id"]
    assert get_deal(client, account, won["id"])["customerId"] == customer["id"]
    assert sql(LINKED_DEALS, c=customer["id"]) == 2 and sql(LINKED_ORDERS, c=customer["id"]) == 1


def test_closed_deals_and_orders_are_kept_unlinked(
    client: TestClient, account: Account, crm: Crm, sql: SqlFn
) -> None:
    customer = crm.customer(account, name="Grace Closed")
    deals = [crm.deal(account, value=v, stage=s, customerId=customer["id"])
             for v, s in ((4000, "closed_won"), (700, "closed_lost"))]
    order_ids = add_orders(account, customer["id"], ["50.00", "75.50"])
    deals_before = crm.deal_total(account)

    r = client.delete(f"/api/crm/customers/{customer['id']}", headers=account.headers)

    assert r.status_code == 204, r.text
    assert client.get(f"/api/crm/customers/{customer['id']}", headers=account.headers).status_code == 404
    assert crm.deal_total(account) == deals_before
    for deal in deals:
        kept = get_deal(client, account, deal["id"])
        assert (kept["customerId"], kept["stage"], kept["value"]) == (None, deal["stage"], deal["value"])
    assert sql(LINKED_DEALS, c=customer["id"]) == 0 and sql(LINKED_ORDERS, c=customer["id"]) == 0
    for order_id in order_ids:
        assert sql("SELECT customer_id IS NULL FROM orders WHERE id = :o", o=order_id) == 1


@pytest.mark.anyio
async def test_mcp_preview_names_every_deal_and_the_confirmed_delete_follows_the_policy(
    client: TestClient, account: Account, crm: Crm, sql: SqlFn
) -> None:
    customer = crm.customer(account, name="Linus Mixed")
    open_deal = crm.deal(account, title="Kernel support", value=2500, stage="negotiation",
                         customerId=customer["id"])
    lost = crm.deal(account, title="Old contract", value=300, stage="closed_lost", customerId=customer["id"])
    add_orders(account, customer["id"], ["10.00", "20.00", "30.00"])
    args = {"customer_id": customer["id"]}

    async with connect(account) as mcp:
        blocked = await mcp.call_tool("delete_customer", args)
        r = client.patch(f"/api/crm/deals/{open_deal['id']}/stage", json={"stage": "closed_won"},
                         headers=account.headers)
        assert r.status_code == 200, r.text
        ready = await mcp.call_tool("delete_customer", args)
        done = await mcp.call_tool("delete_customer", {
            **args, "confirmation_token": ready.structured_content["confirmation_token"]})

    # refused at the preview already: the open deal is named, no confirmation token is issued
    assert blocked.is_error and "RESOURCE_CONFLICT" in text_of(blocked)
    message = text_of(blocked)
    assert '"Kernel support" (negotiation)' in message and "not deleted" in message
    assert '"Old contract" (closed_lost)' in message and "3 orders" in message
    assert "confirmation_token" not in message

    assert not ready.is_error, text_of(ready)
    assert ready.structured_content["preview"]["orders_kept_unlinked"] == 3
    assert {d["title"]: d["outcome"] for d in ready.structured_content["preview"]["deals"]} == {
        "Kernel support": "kept, unlinked", "Old contract": "kept, unlinked"}
    assert "permanently delete" in ready.structured_content["message"]

    assert not done.is_error, text_of(done)
    assert done.structured_content["status"] == "done"
    assert "2 closed deals" in done.structured_content["message"]
    assert "3 orders" in done.structured_content["message"]
    assert get_deal(client, account, lost["id"])["customerId"] is None
    assert sql(LINKED_ORDERS, c=customer["id"]) == 0


@pytest.mark.anyio
async def test_another_tenant_can_neither_delete_nor_preview(
    client: TestClient, account: Account, other_account: Account, crm: Crm, sql: SqlFn
) -> None:
    customer = crm.customer(account, name="Private Customer")
    crm.deal(account, title="Private deal", stage="closed_won", customerId=customer["id"])
    path = f"/api/crm/customers/{customer['id']}"

    foreign = client.delete(path, headers=other_account.headers)
    spoofed = client.delete(path, headers={**other_account.headers, "X-Tenant-Id": account.tenant_id})
    async with connect(other_account) as mcp:
        preview = await mcp.call_tool("delete_customer", {"customer_id": customer["id"]})

    assert foreign.status_code == 404 and foreign.json()["error"]["message"] == "Customer not found"
    assert spoofed.status_code == 404 and spoofed.json()["error"]["code"] == "TENANT_NOT_FOUND"
    assert preview.is_error and "not found" in text_of(preview).lower()
    assert "Private deal" not in text_of(preview) and "Private Customer" not in text_of(preview)
    assert client.get(path, headers=account.headers).status_code == 200
    assert sql(LINKED_DEALS, c=customer["id"]) == 1


@pytest.fixture
def sqlite_without_foreign_keys(database: str) -> Iterator[Any]:
    """Sessions on the same file with SQLite's default of no foreign-key enforcement."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    engine = create_engine(database)
    yield sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


def test_unlinking_does_not_rely_on_the_foreign_key(
    client: TestClient, account: Account, crm: Crm, sql: SqlFn, sqlite_without_foreign_keys: Any
) -> None:
    from tools.context import ToolContext
    from tools.crm.customers import delete_customer
    from tools.crm.schemas import DeleteCustomerInput

    customer = crm.customer(account, name="No FK")
    won = crm.deal(account, stage="closed_won", customerId=customer["id"])
    add_orders(account, customer["id"], ["99.00"])
    with sqlite_without_foreign_keys() as session:
        session.info["tenant_id"] = account.tenant_id
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 0
        ctx = ToolContext(session, principal_of(account))
        out = delete_customer(ctx, DeleteCustomerInput(customer_id=customer["id"]))
        session.commit()

    assert out.status == "done"
    assert sql("SELECT COUNT(*) FROM customers WHERE id = :c", c=customer["id"]) == 0
    assert get_deal(client, account, won["id"])["customerId"] is None
    assert sql(LINKED_ORDERS, c=customer["id"]) == 0
