"""The action hub's history and automations list over HTTP: every simulation, analysis and
approval of the workspace, newest first, filtered by type and days; another workspace sees none
of it; bad filters are refused naming the field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from helpers import Account, register
from simulation.funnel import seed_funnel

BASE = "/api/hubs/action"
WEEKLY = {"name": "Weekly Invoice Reminder", "trigger": {"type": "schedule", "cron": "0 9 * * 1"},
          "actions": [{"type": "send_email", "template": "invoice_reminder",
                       "recipients": "overdue_customers"}]}


@pytest.fixture(scope="module")
def busy(client: TestClient) -> Account:
    account = register(client)
    seed_funnel(account.tenant_id, days=150, noise=False)
    h = account.headers
    assert client.post(f"{BASE}/simulator/simulate", headers=h,
                       json={"metricId": "marketing_spend", "changePercent": 20}).status_code == 200
    assert client.post(f"{BASE}/planner/analyze", headers=h,
                       json={"name": "New Product Launch", "expectedOutcome": {"revenue": 50000},
                             "investment": 25000, "timeline": "6 months"}).status_code == 200
    assert client.post("/api/modules/ops-copilot/automations", json=WEEKLY, headers=h).status_code == 201
    return account


def test_history_lists_every_kind_newest_first(client: TestClient, busy: Account) -> None:
    r = client.get(f"{BASE}/history", headers=busy.headers)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    kinds = [e["type"] for e in data["entries"]]
    assert kinds == ["approval", "analysis", "simulation"]
    assert data["counts"] == {"simulation": 1, "analysis": 1, "automation_run": 0, "approval": 1}
    assert r.json()["meta"]["total"] == 3
    sim = data["entries"][2]
    assert sim["title"].startswith("Simulated +20%") and sim["details"]["change_percent"] == 20
    assert data["entries"][1]["details"]["investment"] == 25000
    approval = data["entries"][0]
    assert approval["status"] == "approved" and approval["details"]["tool"] == "create_automation"


def test_history_filters_by_type_and_days(client: TestClient, busy: Account) -> None:
    only = client.get(f"{BASE}/history?type=simulation", headers=busy.headers).json()["data"]
    assert [e["type"] for e in only["entries"]] == ["simulation"]
    today = datetime.now(UTC).date()
    tomorrow = today + timedelta(days=1)
    later = client.get(f"{BASE}/history?startDate={tomorrow}", headers=busy.headers).json()["data"]
    assert later["entries"] == [] and later["total"] == 0
    now = client.get(f"{BASE}/history?startDate={today}&endDate={today}", headers=busy.headers).json()
    assert now["data"]["total"] == 3


def test_bad_filters_are_refused(client: TestClient, busy: Account) -> None:
    for query, field in (("type=everything", "type"), ("startDate=yesterday", "startDate")):
        r = client.get(f"{BASE}/history?{query}", headers=busy.headers)
        assert r.status_code == 422 and field in r.text, r.text
    today = datetime.now(UTC).date()
    backwards = f"startDate={today}&endDate={today - timedelta(days=1)}"
    r = client.get(f"{BASE}/history?{backwards}", headers=busy.headers)
    assert r.status_code == 422 and "end" in r.text.lower()


def test_hub_automations_lists_the_workspaces_own(client: TestClient, busy: Account) -> None:
    r = client.get(f"{BASE}/automations", headers=busy.headers)
    assert r.status_code == 200
    assert [a["name"] for a in r.json()["data"]["automations"]] == ["Weekly Invoice Reminder"]


def test_another_workspace_sees_none_of_it(client: TestClient, busy: Account) -> None:
    other = register(client)
    history = client.get(f"{BASE}/history", headers=other.headers).json()["data"]
    assert history["entries"] == [] and history["total"] == 0
    assert client.get(f"{BASE}/automations", headers=other.headers).json()["data"]["automations"] == []
    foreign = {"X-Tenant-Id": busy.tenant_id, "Authorization": other.headers["Authorization"]}
    assert client.get(f"{BASE}/history", headers=foreign).status_code in (403, 404)
