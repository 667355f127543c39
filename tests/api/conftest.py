"""Fixtures for the REST tests: CRM rows through the API, orders and raw SQL through the store
(there is no order endpoint, and figures are checked against the database, not the code under
test), and a second workspace for the tenant-switching tests."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.ratelimit import LIMITER

if TYPE_CHECKING:
    from tests.conftest import Account


@pytest.fixture(autouse=True)
def _fresh_limits() -> Iterator[None]:
    """Each test starts with empty rate-limit windows (refresh and logout share one per address)."""
    LIMITER.clear()
    yield
    LIMITER.clear()


def auth(account: Account, tenant_id: str | None = None) -> dict[str, str]:
    headers = dict(account.headers)
    if tenant_id:
        headers["X-Tenant-Id"] = tenant_id
    return headers


@dataclass
class Crm:
    """Creates CRM rows through the public API, as a client would."""

    client: TestClient

    def customer(self, account: Account, tenant_id: str | None = None, **fields: Any) -> dict[str, Any]:
        body = {"name": f"Customer {uuid.uuid4().hex[:6]}", **fields}
        r = self.client.post("/api/crm/customers", json=body, headers=auth(account, tenant_id))
        assert r.status_code == 201, r.text
        return dict(r.json()["data"]["customer"])

    def deal(self, account: Account, tenant_id: str | None = None, **fields: Any) -> dict[str, Any]:
        body = {"title": f"Deal {uuid.uuid4().hex[:6]}", "value": 1000, **fields}
        r = self.client.post("/api/crm/deals", json=body, headers=auth(account, tenant_id))
        assert r.status_code == 201, r.text
        return dict(r.json()["data"]["deal"])

    def customer_total(self, account: Account, tenant_id: str | None = None) -> int:
        r = self.client.get("/api/crm/customers", headers=auth(account, tenant_id))
        assert r.status_code == 200, r.text
        return int(r.json()["data"]["pagination"]["total"])

    def deal_total(self, account: Account, tenant_id: str | None = None) -> int:
        r = self.client.get("/api/crm/deals", headers=auth(account, tenant_id))
        assert r.status_code == 200, r.text
        return int(r.json()["data"]["total"])


@pytest.fixture
def crm(client: TestClient) -> Crm:
    return Crm(client)


@pytest.fixture
def second_workspace(client: TestClient, account: Account) -> str:
    """`account` becomes a member (admin) of a second workspace; returns its id."""
    r = client.post("/api/v1/workspaces", json={"name": "Second Shop"}, headers=account.headers)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


SqlFn = Callable[..., Any]


@pytest.fixture
def sql(database: str) -> SqlFn:
    """Run one raw SQL statement outside any tenant scope; returns the first column of the
    first row (or None). Independent of the repositories the API uses."""
    from store.db import unit_of_work

    def run(statement: str, **params: Any) -> Any:
        with unit_of_work() as session:
            return session.execute(text(statement), params).scalar()

    return run


def sqlite_time(dt: datetime) -> str:
    """How SQLAlchemy stores a UTC datetime in SQLite, for raw comparisons."""
    return dt.strftime("%Y-%m-%d %H:%M:%S.%f")


OrderRow = tuple[str, str, datetime]  # (total, status, ordered_at)


@pytest.fixture
def insert_orders(database: str) -> Callable[[str, list[OrderRow]], None]:
    """Orders for a tenant, written through the store (there is no order endpoint)."""
    from store.db import unit_of_work
    from store.models import Order

    def insert(tenant_id: str, rows: list[OrderRow]) -> None:
        with unit_of_work(tenant_id) as session:
            for total, status, at in rows:
                session.add(Order(tenant_id=tenant_id, total=Decimal(total), status=status,
                                  currency="USD", source="manual", ordered_at=at))

    return insert
