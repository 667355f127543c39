"""Document 003's /api/v1/trust routes: raw snake_case objects, status codes, isolation."""

from __future__ import annotations

from fastapi.testclient import TestClient
from helpers import Account, register
from lineage.builders import Builder

from core.ids import utcnow
from store.db import unit_of_work
from tools.trust.incidents import evaluate_all

BASE = "/api/v1/trust"


def _get(client: TestClient, account: Account, path: str, status: int = 200) -> dict:  # type: ignore[type-arg]
    r = client.get(BASE + path, headers=account.headers)
    assert r.status_code == status, r.text
    return dict(r.json())


def _history(account: Account) -> None:
    b = Builder(account.tenant_id)
    shop, stripe = b.connection("shopify"), b.connection("stripe")
    for hours in (24, 18, 12, 6, 1):
        b.run(shop, hours_ago=hours, fetched=100)
    b.run(stripe, hours_ago=80)
    b.run(stripe, hours_ago=70, status="failed", error="HTTP 503")
    with unit_of_work(account.tenant_id) as s:
        evaluate_all(s, utcnow())


def test_health_signals_and_incidents(client: TestClient, account: Account) -> None:
    _history(account)
    health = _get(client, account, "/health")
    assert "success" not in health and set(health) >= {"overall_health", "status", "signals", "last_updated"}
    shop = health["signals"]["shopify"]
    assert (shop["health"], shop["status"]) == (100, "healthy")
    stripe = health["signals"]["stripe"]
    assert stripe["health"] < 70 and stripe["status"] in ("degraded", "unhealthy")
    assert health["overall_health"] == round((100 + stripe["health"]) / 2)

    signals = _get(client, account, "/signals/stripe")
    assert signals["platform"] == "stripe" and signals["health"] == stripe["health"]
    by = {s["name"]: s for s in signals["signals"]}
    assert set(by) == {"freshness", "error_rate", "record_drop", "null_spike"}
    fresh = by["freshness"]
    assert fresh["breached"] and fresh["value"] >= 70 and fresh["threshold"] == 24
    assert by["error_rate"]["value"] == 0.5 and by["error_rate"]["explanation"]
    assert _get(client, account, "/signals/shopify")["status"] == "healthy"

    listed = _get(client, account, "/incidents")
    assert listed["total"] == 2 and listed["open"] == 2
    incident = listed["incidents"][0]
    assert set(incident) >= {"id", "platform", "signal", "severity", "status", "title", "details",
                             "opened_at", "resolved_at"}
    assert {i["signal"] for i in listed["incidents"]} == {"freshness", "error_rate"}
    assert _get(client, account, "/incidents?status=resolved")["incidents"] == []
    assert _get(client, account, "/incidents?platform=shopify")["total"] == 0
    page = _get(client, account, "/incidents?limit=1&offset=1")
    assert len(page["incidents"]) == 1 and page["total"] == 2


def test_errors(client: TestClient, account: Account) -> None:
    _history(account)
    r = client.get(f"{BASE}/signals/tiktok", headers=account.headers)
    assert r.status_code == 404
    body = r.json()
    assert body["success"] is False and body["code"] == "NOT_FOUND" and isinstance(body["error"], str)
    r = client.get(f"{BASE}/incidents?status=closed", headers=account.headers)
    assert r.status_code == 422 and r.json()["code"] == "VALIDATION_ERROR"
    assert client.get(f"{BASE}/incidents?limit=0", headers=account.headers).status_code == 422
    assert client.get(f"{BASE}/health").status_code == 401


def test_no_sources_and_isolation(client: TestClient, account: Account) -> None:
    _history(account)
    other = register(client)
    health = _get(client, other, "/health")
    assert health == {**health, "overall_health": None, "status": "no_sources", "signals": {}}
    assert _get(client, other, "/incidents")["total"] == 0
    assert client.get(f"{BASE}/signals/shopify", headers=other.headers).status_code == 404


def test_the_demo_tenant_has_computed_health(client: TestClient, demo_account: Account) -> None:
    health = _get(client, demo_account, "/health")
    assert set(health["signals"]) == {"shopify", "stripe", "hubspot"}
    assert all(0 <= p["health"] <= 100 for p in health["signals"].values())
    stripe = {s["name"]: s for s in _get(client, demo_account, "/signals/stripe")["signals"]}
    assert stripe["error_rate"]["details"]["failed"] == 1 and stripe["record_drop"]["value"] is not None
