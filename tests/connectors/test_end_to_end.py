"""Shopify and Stripe connected through the REST API against fakes that speak their wire
formats, synced by the real engine: customers known to both become one customer with both
sources on record, synced orders feed revenue, a re-sync adds nothing, the trust layer sees both
platforms, and a key revoked at the provider fails the next sync visibly and opens an incident."""

from __future__ import annotations

from typing import Any

from fakes.providers.shopify import ShopifyFake
from fakes.providers.stripe import StripeFake
from fastapi.testclient import TestClient
from helpers import Account, register
from jobs.jobs_support import run_pending
from sqlalchemy import func, select

from store.db import unit_of_work
from store.models import Order, SourceRecord
from tools.connectors.sync import run_sync
from tools.jobs.queue import get_huey


def _connect(client: TestClient, account: Account, kind: str, credentials: dict[str, str]) -> Any:
    r = client.post(f"/api/connectors/{kind}/connect", headers=account.headers,
                    json={"credentials": credentials})
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    run_sync(data["syncRun"]["id"])
    return data["connection"]["id"]


def _orders(tenant_id: str) -> int:
    with unit_of_work(tenant_id) as session:
        return int(session.scalar(select(func.count()).select_from(Order)) or 0)


def test_two_providers_end_to_end(client: TestClient, shopify_fake: ShopifyFake,
                                  stripe_fake: StripeFake) -> None:
    account = register(client)
    shop = _connect(client, account, "shopify", {"shopDomain": "demo-store.myshopify.com",
                                                  "apiKey": shopify_fake.key})
    _connect(client, account, "stripe", {"apiKey": stripe_fake.key})

    listed = client.get("/api/connectors", headers=account.headers).json()["data"]["connections"]
    assert {c["type"]: c["status"] for c in listed} == {"shopify": "connected", "stripe": "connected"}
    assert shopify_fake.key not in str(listed) and stripe_fake.key not in str(listed)
    orders = _orders(account.tenant_id)
    assert orders == 230 + 130, "every Shopify order and Stripe charge, once"

    with unit_of_work(account.tenant_id) as session:
        merged = session.scalar(select(SourceRecord.entity_id).where(
            SourceRecord.merged_by == "email", SourceRecord.entity_type == "customer"))
    assert merged, "a customer known to both providers is one customer"
    lineage = client.get(f"/api/data-lineage/entity/customer/{merged}", headers=account.headers)
    assert lineage.status_code == 200, lineage.text
    body = lineage.json()["data"]
    assert {s["connector"] for s in body["sources"]} == {"shopify", "stripe"}
    assert 0 < body["mergeConfidence"] <= 1 and body["fields"]["email"]["source"] != "manual"

    revenue = client.get("/api/analytics/dashboard?period=1y", headers=account.headers)
    assert revenue.status_code == 200 and revenue.json()["data"], revenue.text

    again = client.post(f"/api/connectors/{shop}/sync", headers=account.headers)
    assert again.status_code == 202
    run_sync(again.json()["data"]["id"])
    assert _orders(account.tenant_id) == orders, "a re-sync creates no duplicates"

    health = client.get("/api/v1/trust/health", headers=account.headers).json()
    assert set(health["signals"]) == {"shopify", "stripe"} and health["overall_health"] >= 70

    shopify_fake.revoke()
    failed = client.post(f"/api/connectors/{shop}/sync", headers=account.headers).json()["data"]
    run_sync(failed["id"])
    detail = client.get(f"/api/connectors/{shop}", headers=account.headers).json()["data"]
    assert detail["connection"]["status"] == "error"
    assert "refused the credentials" in detail["lastRun"]["error"]
    assert shopify_fake.key not in str(detail)
    signals = client.get("/api/v1/trust/signals/shopify", headers=account.headers).json()
    error_rate = next(s for s in signals["signals"] if s["name"] == "error_rate")
    assert error_rate["value"] > 0 and error_rate["breached"], "1 of 3 runs failed this week"

    run_pending(get_huey(), wait=True)  # the event subscribers (trust, snapshots) as a worker would
    incidents = client.get("/api/v1/trust/incidents?status=open&platform=shopify",
                           headers=account.headers).json()["incidents"]
    assert [i["signal"] for i in incidents] == ["error_rate"]
