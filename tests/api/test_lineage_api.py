"""Document 000's /api/data-lineage routes: shapes, status codes, isolation, the demo tenant."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from helpers import Account, register
from lineage.builders import Builder

from core.ids import utcnow
from store.db import unit_of_work
from tools.lineage import snapshots

BASE = "/api/data-lineage"


def _get(client: TestClient, account: Account, path: str, status: int = 200) -> dict:  # type: ignore[type-arg]
    r = client.get(BASE + path, headers=account.headers)
    assert r.status_code == status, r.text
    return dict(r.json())


def _seeded(account: Account) -> dict[str, str]:
    b = Builder(account.tenant_id)
    shop = b.connection("shopify")
    b.run(shop, hours_ago=2, fetched=3)
    jane = b.customer(name="Jane Smith", email="jane@x.io")
    order = b.order(jane)
    b.record(shop, "customer", jane, {"name": "Jane Smith", "email": "jane@x.io"}, source_id="c1")
    b.record(shop, "order", order, {"total": "50.00", "ordered_at": utcnow().isoformat(),
                                    "customer_source_id": "c1"}, source_id="#1001")
    b.customer(name="Manual Mo", email="mo@x.io")
    return {"shop": shop, "jane": jane, "order": order}


def test_sources_quality_flow_and_entity(client: TestClient, account: Account) -> None:
    ids = _seeded(account)
    body = _get(client, account, "/sources")
    assert body["success"] is True
    sources = {s["name"]: s for s in body["data"]["sources"]}
    assert set(sources) == {"shopify", "manual"}
    shop = sources["shopify"]
    assert shop["type"] == "connector" and shop["recordCount"] == 2 and shop["id"] == ids["shop"]
    assert shop["lastSync"] and 0 < shop["qualityScore"] <= 1
    assert sources["manual"]["type"] == "manual" and sources["manual"]["recordCount"] == 1

    quality = _get(client, account, "/quality-scores")["data"]
    assert set(quality["dimensions"]) == {"accuracy", "completeness", "freshness", "consistency"}
    assert 0 < quality["overall"] <= 1
    assert {r["name"] for r in quality["rules"]} == set(quality["dimensions"])
    assert all(r["checked"] >= r["passed"] for r in quality["rules"])
    by = {s["source"]: s for s in quality["bySource"]}
    assert by["shopify"]["records"] == 2 and set(by["shopify"]["dimensions"]) == set(quality["dimensions"])

    entity = _get(client, account, f"/entity/customer/{ids['jane']}")["data"]
    assert entity["entityType"] == "customer" and entity["entityId"] == ids["jane"]
    assert entity["sources"][0]["connector"] == "shopify" and entity["sources"][0]["sourceId"] == "c1"
    assert entity["fields"]["email"]["source"] == "shopify" and entity["mergeConfidence"] == 1.0
    order = _get(client, account, f"/entity/order/{ids['order']}")["data"]
    assert order["fields"]["customer_id"]["source"] == "shopify"
    assert order["fields"]["total"]["sourceId"] == "#1001"

    graph = _get(client, account, "/flow")["data"]
    nodes = {n["id"]: n for n in graph["nodes"]}
    assert nodes["source:shopify"]["count"] == 2 and nodes["entity:customer"]["count"] == 2
    assert nodes["metric:revenue"]["type"] == "metric"
    edges = {(e["from"], e["to"]): e["records"] for e in graph["edges"]}
    assert edges[("source:shopify", "entity:order")] == 1
    assert edges[("source:manual", "entity:customer")] == 1
    assert edges[("entity:order", "metric:revenue")] == 1


def test_entity_errors(client: TestClient, account: Account) -> None:
    ids = _seeded(account)
    r = client.get(f"{BASE}/entity/widget/{ids['jane']}", headers=account.headers)
    assert r.status_code == 404 and r.json()["error"]["details"]["resource"] == "entity type"
    r = client.get(f"{BASE}/entity/customer/nope", headers=account.headers)
    assert r.status_code == 404 and r.json()["success"] is False
    other = register(client)
    assert client.get(f"{BASE}/entity/customer/{ids['jane']}", headers=other.headers).status_code == 404
    assert client.get(f"{BASE}/sources").status_code == 401


def test_trends_validation_and_snapshots(client: TestClient, account: Account) -> None:
    _seeded(account)
    for days in (0, 400, -1):
        r = client.get(f"{BASE}/trends", params={"days": days}, headers=account.headers)
        assert r.status_code == 422 and r.json()["error"]["code"] == "VALIDATION_ERROR"
    assert _get(client, account, "/trends")["data"]["points"] == []  # nothing is invented
    with unit_of_work(account.tenant_id) as s:
        snapshots.snapshot_today(s, account.tenant_id)
    data = _get(client, account, "/trends?days=7")["data"]
    assert data["days"] == 7 and len(data["points"]) == 1
    point = data["points"][0]
    assert point["date"] == str(utcnow().date()) and set(point["bySource"]) == {"shopify", "manual"}
    quality = _get(client, account, "/quality-scores")["data"]
    assert point["overall"] == quality["overall"]


def test_another_tenant_sees_none_of_it(client: TestClient, account: Account) -> None:
    _seeded(account)
    with unit_of_work(account.tenant_id) as s:
        snapshots.snapshot_today(s, account.tenant_id)
    other = register(client)
    assert [s["name"] for s in _get(client, other, "/sources")["data"]["sources"]] == ["manual"]
    quality = _get(client, other, "/quality-scores")["data"]
    assert quality["overall"] is None and quality["reason"]
    assert _get(client, other, "/trends")["data"]["points"] == []
    graph = _get(client, other, "/flow")["data"]
    assert [n["id"] for n in graph["nodes"] if n["type"] == "source"] == ["source:manual"]
    assert all(n["count"] == 0 for n in graph["nodes"])


def test_the_demo_tenant_has_computed_lineage(client: TestClient, demo_account: Account) -> None:
    sources = {s["name"]: s for s in _get(client, demo_account, "/sources")["data"]["sources"]}
    assert {"shopify", "stripe", "hubspot", "manual"} <= set(sources)
    assert all(sources[n]["recordCount"] > 0 and sources[n]["qualityScore"] for n in ("shopify", "stripe"))
    quality = _get(client, demo_account, "/quality-scores")["data"]
    assert 0 < quality["overall"] < 1 and quality["dimensions"]["consistency"] < 1
    graph = _get(client, demo_account, "/flow")["data"]
    assert any(e["from"] == "source:stripe" and e["records"] > 0 for e in graph["edges"])
    with unit_of_work(demo_account.tenant_id) as s:
        snapshots.backfill(s, demo_account.tenant_id, days=3)
    points = _get(client, demo_account, "/trends?days=3")["data"]["points"]
    assert len(points) == 3 and all(0 < p["overall"] <= 1 for p in points)
    assert points[0]["date"] == str(utcnow().date() - timedelta(days=2))
