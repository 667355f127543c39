"""Insights over REST: 001's generate, 004's create/list/patch, 000's hub overview: status codes,
shapes, the caller's workspace only."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from helpers import Account
from insights.builders import add, deal, invoice, month_start, order

from core.ids import utcnow


def seed(t: str) -> None:
    now = utcnow()
    add(t, order(t, 400, month_start(now, 1) + timedelta(days=1)),
        order(t, 1000, month_start(now, 2) + timedelta(days=1)),
        deal(t, 5000, now - timedelta(days=45)), invoice(t, 15000, (now - timedelta(days=20)).date()))


def test_generate_in_documents_shapes(client: TestClient, account: Account, other_account: Account) -> None:
    seed(account.tenant_id)
    r = client.post("/api/ai/insights/generate", json={"dataType": "all", "timeRange": "last_30_days"},
                    headers=account.headers)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["generated"] == 3 and "churn_risk" in {s["rule"] for s in data["skipped"]}
    first = data["insights"][0]
    assert {"type", "title", "description", "confidence", "potentialImpact", "priority", "data"} <= set(first)
    assert first["priority"] == "critical" and first["potentialImpact"] == "critical"

    v1 = client.post("/api/v1/insights", json={"workspace_id": account.tenant_id, "data_type": "pipeline",
                                               "data": {"total_deals": 45}}, headers=account.headers)
    assert v1.status_code == 201, v1.text
    body = v1.json()
    assert [i["rule"] for i in body["insights"]] == ["stalled_deals"] and body["generated"] == 0
    assert body["recommendations"][0]["priority"] == body["insights"][0]["priority"]
    assert {"title", "description", "confidence"} <= set(body["recommendations"][0])

    other = client.post("/api/v1/insights", json={"workspace_id": other_account.tenant_id},
                        headers=account.headers)
    assert other.status_code == 404
    bad = client.post("/api/v1/insights", json={"data_type": "horoscope"}, headers=account.headers)
    assert bad.status_code == 422 and bad.json()["code"] == "VALIDATION_ERROR"
    assert client.post("/api/ai/insights/generate", json={}).status_code == 401


def test_list_and_patch(client: TestClient, account: Account, other_account: Account) -> None:
    seed(account.tenant_id)
    client.post("/api/ai/insights/generate", json={}, headers=account.headers)
    base = f"/api/v1/workspaces/{account.tenant_id}/insights"
    listed = client.get(base, headers=account.headers)
    assert listed.status_code == 200 and listed.json()["total"] == 3
    high = client.get(base, params={"priority": "high"}, headers=account.headers).json()
    assert {i["rule"] for i in high["insights"]} == {"overdue_invoices", "stalled_deals"}
    typed = client.get(base, params={"type": "pipeline"}, headers=account.headers).json()
    assert [i["type"] for i in typed["insights"]] == ["pipeline"]
    assert client.get(f"/api/v1/workspaces/{other_account.tenant_id}/insights",
                      headers=account.headers).status_code == 404
    assert client.get(base, params={"priority": "urgent"}, headers=account.headers).status_code == 422

    target = next(i["id"] for i in high["insights"] if i["rule"] == "overdue_invoices")
    patched = client.patch(f"/api/v1/insights/{target}", json={"status": "dismissed"},
                           headers=account.headers)
    assert patched.status_code == 200 and patched.json()["status"] == "dismissed"
    assert client.get(base, params={"status": "dismissed"}, headers=account.headers).json()["total"] == 1
    assert client.get(base, headers=account.headers).json()["total"] == 2
    assert client.patch(f"/api/v1/insights/{target}", json={"status": "archived"},
                        headers=account.headers).status_code == 422
    assert client.patch(f"/api/v1/insights/{target}", json={"status": "viewed"},
                        headers=other_account.headers).status_code == 404
    assert client.patch("/api/v1/insights/nope", json={"status": "viewed"},
                        headers=account.headers).status_code == 404
    again = client.post("/api/ai/insights/generate", json={}, headers=account.headers).json()["data"]
    assert again["generated"] == 0 and target not in {i["id"] for i in again["insights"]}


def test_hub_overview(client: TestClient, account: Account, other_account: Account) -> None:
    seed(account.tenant_id)
    client.post("/api/ai/insights/generate", json={}, headers=account.headers)
    r = client.get("/api/hubs/insights/overview", headers=account.headers)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert set(data["metrics"]) == {"revenue", "orders", "customers", "conversionRate"}
    assert {"current", "change", "trend"} <= set(data["metrics"]["revenue"])
    assert data["openInsights"] == 3 and data["byPriority"] == {"critical": 1, "high": 2}
    assert data["byType"] == {"revenue_trend": 1, "pipeline": 1, "cash_flow": 1}
    assert next(a["type"] for a in data["alerts"]) == "critical"
    assert len(data["recentActivity"]) == 3
    assert data["churn"]["available"] is False and "history" in data["churn"]["reason"]
    empty = client.get("/api/hubs/insights/overview", headers=other_account.headers).json()["data"]
    assert empty["openInsights"] == 0 and empty["recentActivity"] == [] and empty["alerts"] == []
    assert client.get("/api/hubs/insights/overview").status_code == 401
