"""The same product on PostgreSQL: migrations, auth, CRM over HTTP, revenue sums, isolation."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from fastapi.testclient import TestClient
from helpers import Account, register

from store.db import get_engine


def test_migrations_created_every_table(database: str) -> None:
    assert database.startswith("postgresql")
    tables = set(sa.inspect(get_engine()).get_table_names())
    assert {"tenants", "users", "customers", "deals", "orders", "audit_log", "alembic_version"} <= tables


def test_customer_crud_and_isolation(client: TestClient) -> None:
    owner, stranger = register(client), register(client)
    created = client.post("/api/crm/customers", headers=owner.headers,
                          json={"name": "Jane Smith", "company": "Tech Corp", "tags": ["vip"],
                                "customFields": {"employees": 500}})
    assert created.status_code == 201, created.text
    customer = created.json()["data"]["customer"]
    assert customer["tags"] == ["vip"] and customer["customFields"] == {"employees": 500}
    listed = client.get("/api/crm/customers", headers=owner.headers, params={"search": "jane"})
    assert listed.json()["data"]["pagination"]["total"] == 1
    for tag, total in (("VIP", 1), ("wholesale", 0)):  # JSONB tags, any case
        tagged = client.get("/api/crm/customers", headers=owner.headers, params={"tag": tag})
        assert tagged.status_code == 200, tagged.text
        assert tagged.json()["data"]["pagination"]["total"] == total
    assert client.get("/api/crm/customers", headers=stranger.headers).json()["data"]["pagination"][
        "total"] == 0
    assert client.get("/api/crm/customers", headers=stranger.headers, params={"tag": "vip"}).json()[
        "data"]["pagination"]["total"] == 0
    path = f"/api/crm/customers/{customer['id']}"
    assert client.patch(path, headers=stranger.headers, json={"status": "active"}).status_code == 404
    assert client.delete(path, headers=stranger.headers).status_code == 404
    assert client.patch(path, headers=owner.headers, json={"status": "active"}).json()["data"][
        "customer"]["status"] == "active"
    assert client.delete(path, headers=owner.headers).status_code == 204


def test_refresh_rotation_and_reuse_detection(client: TestClient, account: Account) -> None:
    first = client.post("/api/auth/refresh", json={"refreshToken": account.refresh_token})
    assert first.status_code == 200
    reused = client.post("/api/auth/refresh", json={"refreshToken": account.refresh_token})
    assert reused.status_code == 401
    rotated = first.json()["data"]["refreshToken"]
    assert client.post("/api/auth/refresh", json={"refreshToken": rotated}).status_code == 401


def test_revenue_matches_sql_sum_on_demo_data(client: TestClient, demo_account: Account) -> None:
    r = client.get("/api/analytics/dashboard", headers=demo_account.headers, params={"period": "30d"})
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    start, end = data["startDate"], data["endDate"]
    with get_engine().connect() as conn:
        expected = conn.execute(sa.text(
            "SELECT COALESCE(SUM(total), 0) FROM orders WHERE tenant_id = :t AND status IN "
            "('paid', 'fulfilled') AND ordered_at >= CAST(:s AS date) AND "
            "ordered_at < CAST(:e AS date) + 1"), {"t": demo_account.tenant_id, "s": start, "e": end}
        ).scalar_one()
    assert Decimal(str(data["revenue"]["current"])) == Decimal(expected)
    assert data["customers"]["total"] > 0 and data["deals"]["open"] > 0


def test_monthly_trend_and_top_customers_match_sql_on_postgres(client: TestClient,
                                                               demo_account: Account) -> None:
    trend = client.get("/api/analytics/revenue/trend", headers=demo_account.headers,
                       params={"period": "last_year", "granularity": "month"})
    assert trend.status_code == 200, trend.text
    buckets = trend.json()["data"]["buckets"]
    assert len(buckets) == 12
    with get_engine().connect() as conn:
        for bucket in buckets:
            expected = conn.execute(sa.text(
                "SELECT COALESCE(SUM(total), 0) FROM orders WHERE tenant_id = :t AND status IN "
                "('paid', 'fulfilled') AND ordered_at >= CAST(:s AS date) AND "
                "ordered_at < CAST(:e AS date) + 1"),
                {"t": demo_account.tenant_id, "s": bucket["startDate"], "e": bucket["endDate"]}).scalar_one()
            assert Decimal(str(bucket["revenue"])) == Decimal(expected), bucket["label"]
    top = client.get("/api/analytics/top-customers", headers=demo_account.headers, params={"limit": 3})
    assert top.status_code == 200, top.text
    ranked = [c["revenue"] for c in top.json()["data"]["customers"]]
    assert len(ranked) == 3 and ranked == sorted(ranked, reverse=True)
