"""GET /api/crm/customers/{id}/overview: one customer's figures, from SQL, and nobody else's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from fastapi.testclient import TestClient

from store.db import unit_of_work

if TYPE_CHECKING:
    from tests.api.conftest import Crm
    from tests.conftest import Account


def add_orders(tenant_id: str, customer_id: str, totals: list[str]) -> None:
    """Recent paid orders of the customer, through the store (there is no order endpoint)."""
    from store.models import Order

    when = datetime.now(UTC) - timedelta(days=10)
    with unit_of_work(tenant_id) as session:
        session.add_all(Order(tenant_id=tenant_id, total=Decimal(t), status="paid", currency="USD",
                              source="manual", ordered_at=when, customer_id=customer_id)
                        for t in totals)


def test_overview_sums_the_customers_paid_orders(client: TestClient, account: Account, crm: Crm) -> None:
    customer = crm.customer(account, name="Ola Overview")
    crm.deal(account, title="Open one", value=900, stage="proposal", customerId=customer["id"])
    add_orders(account.tenant_id, customer["id"], ["100.00", "25.50"])
    r = client.get(f"/api/crm/customers/{customer['id']}/overview?period=last_365_days",
                   headers=account.headers)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["customer"]["id"] == customer["id"]
    assert Decimal(str(data["totalSpend"])) == Decimal("125.50") and data["orderCount"] == 2
    assert [d["title"] for d in data["openDeals"]] == ["Open one"]
    assert data["period"]["label"] == "last 365 days"


def test_another_tenant_cannot_see_the_overview(client: TestClient, account: Account,
                                                other_account: Account, crm: Crm) -> None:
    customer = crm.customer(account, name="Private Person")
    r = client.get(f"/api/crm/customers/{customer['id']}/overview", headers=other_account.headers)
    assert r.status_code == 404 and r.json()["error"]["code"] == "NOT_FOUND"
    assert "Private Person" not in r.text
