"""Document 001's POST /api/ai/predictions/churn and the churn tools, on a synthetic workspace
where churn depends on recency: status codes, shapes, refusals and tenant isolation."""

from __future__ import annotations

from typing import Any

import pytest
from churn.builders import plan, seed_tenant
from fastapi.testclient import TestClient
from helpers import Account, register

from core.errors import NotFound
from core.ids import utcnow
from tools.context import Principal
from tools.runtime import execute

PATH = "/api/ai/predictions/churn"


@pytest.fixture(scope="module")
def shop(client: TestClient) -> tuple[Account, list[dict[str, Any]]]:
    from store.db import unit_of_work

    account = register(client)
    customers = plan(n=100, seed=11, now=utcnow())
    with unit_of_work(account.tenant_id) as session:
        seed_tenant(session, account.tenant_id, customers)
    return account, customers


def gone_and_busy(customers: list[dict[str, Any]]) -> tuple[str, str]:
    now = utcnow()
    buyers = [c for c in customers if c["orders"]]
    gone = max(buyers, key=lambda c: now - c["orders"][-1][0])
    busy = min(buyers, key=lambda c: now - c["orders"][-1][0])
    return gone["id"], busy["id"]


def test_one_customer_in_documents_shape(client: TestClient, shop: tuple[Account, list[Any]]) -> None:
    account, customers = shop
    gone, busy = gone_and_busy(customers)
    r = client.post(PATH, json={"customerId": gone, "customerData": {"lastLoginDays": 3}},
                    headers=account.headers)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["customerId"] == gone and data["riskLevel"] == "high" and data["churnRisk"] >= 0.5
    first = data["factors"][0]
    assert first["factor"] == "days_since_last_order" and first["direction"] == "increases risk"
    assert {"factor", "impact", "description", "value", "standardised"} <= set(first)
    assert data["recommendations"][0].startswith("Reach out: no order in")
    assert data["model"]["auc"] > 0.75 and 0 <= data["model"]["brier"] < 0.25
    assert data["model"]["method"] == "logistic_regression" and len(data["model"]["reliability"]) == 10
    low = client.post(PATH, json={"customerId": busy}, headers=account.headers).json()["data"]
    assert low["churnRisk"] < data["churnRisk"]


def test_lists_and_the_most_at_risk(client: TestClient, shop: tuple[Account, list[Any]], sql: Any) -> None:
    account, customers = shop
    ids = [customers[0]["id"], customers[1]["id"]]
    r = client.post(PATH, json={"customerIds": ids}, headers=account.headers)
    assert r.status_code == 200, r.text
    assert {p["customerId"] for p in r.json()["data"]["predictions"]} <= set(ids)
    top = client.post(PATH, json={"limit": 5}, headers=account.headers).json()["data"]
    risks = [p["churnRisk"] for p in top["predictions"]]
    assert len(risks) == 5 and risks == sorted(risks, reverse=True)
    assert top["high"] + top["medium"] + top["low"] == top["scored"]
    runs = sql("SELECT count(*) FROM model_runs WHERE tenant_id = :t AND kind = 'churn'", t=account.tenant_id)
    assert runs == 1  # trained once for this data, recorded once


def test_refusals(client: TestClient, shop: tuple[Account, list[Any]], other_account: Account) -> None:
    account, customers = shop
    assert client.post(PATH, json={}).status_code == 401
    bad = client.post(PATH, json={"limit": 0}, headers=account.headers)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "VALIDATION_ERROR"
    missing = client.post(PATH, json={"customerId": "no-such-customer"}, headers=account.headers)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "NOT_FOUND"
    tiny = client.post(PATH, json={}, headers=other_account.headers)
    assert tiny.status_code == 422, tiny.text
    assert tiny.json()["error"]["code"] == "INSUFFICIENT_DATA"
    assert "too little history" in tiny.json()["error"]["message"].lower()
    stranger = client.post(PATH, json={"customerId": customers[0]["id"]}, headers=other_account.headers)
    assert stranger.status_code == 404  # another workspace's customer does not exist here


def test_tools_stay_in_their_workspace(shop: tuple[Account, list[Any]], other_account: Account) -> None:
    account, customers = shop
    me = Principal(user_id=account.user_id, tenant_id=account.tenant_id, role="admin")
    them = Principal(user_id=other_account.user_id, tenant_id=other_account.tenant_id, role="admin")
    out = execute("churn_risk", me, {"limit": 3, "risk_level": "high"})
    assert all(c.risk_level == "high" for c in out.customers)  # type: ignore[attr-defined]
    with pytest.raises(NotFound):
        execute("customer_churn_risk", them, {"customer_id": customers[0]["id"]})
    with pytest.raises(NotFound):
        execute("churn_risk", them, {"customer_ids": [customers[0]["id"]]})
