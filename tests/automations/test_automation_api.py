"""The REST surface in each document's shape (through httpx's TestClient), tenant isolation,
refusals that store nothing, idempotent creates, and one tool through an MCP client."""

from __future__ import annotations

from typing import Any

import pytest
from automation_support import admin
from fastapi.testclient import TestClient
from helpers import Account
from mcp import Client

from mcp_server.server import build_server

OPS = "/api/modules/ops-copilot/automations"
FLOWS = "/api/ai/automation/workflows"
WEEKLY = {"name": "Weekly Invoice Reminder", "trigger": {"type": "schedule", "cron": "0 9 * * 1"},
          "actions": [{"type": "send_email", "template": "invoice_reminder",
                       "recipients": "overdue_customers"}]}
NURTURE = {"name": "Lead Nurture Campaign", "description": "Automatically nurture new leads",
           "trigger": {"type": "event", "config": {"event": "customer.created",
                                                    "conditions": {"status": "lead"}}},
           "actions": [{"type": "email", "config": {"template": "welcome_lead", "delay": "0"}},
                       {"type": "email", "config": {"template": "feature_highlight", "delay": "3_days"}}]}


def _total(client: TestClient, account: Account) -> int:
    return int(client.get(OPS, headers=account.headers).json()["data"]["pagination"]["total"])


def test_ops_copilot_automations(client: TestClient, account: Account) -> None:
    r = client.post(OPS, json=WEEKLY, headers=account.headers)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["success"] is True and body["error"] is None
    made = body["data"]
    assert made["name"] == "Weekly Invoice Reminder" and made["status"] == "active"
    assert made["trigger"]["type"] == "schedule" and made["trigger"]["cron"] == "0 9 * * 1"
    assert made["actions"][0] == {**made["actions"][0], "type": "send_email", "template": "invoice_reminder",
                                  "recipients": "overdue_customers"}
    assert made["nextRunAt"] and made["workflowId"] == made["id"]
    listed = client.get(OPS, headers=account.headers).json()
    assert [a["id"] for a in listed["data"]["automations"]] == [made["id"]]
    assert listed["meta"]["total"] == 1 and listed["data"]["pagination"]["total"] == 1
    one = client.get(f"{OPS}/{made['id']}", headers=account.headers).json()["data"]
    assert one["trigger"]["description"] == "every Monday at 09:00"
    paused = client.patch(f"{OPS}/{made['id']}", json={"status": "paused"}, headers=account.headers)
    assert paused.status_code == 200 and paused.json()["data"]["status"] == "paused"
    assert paused.json()["data"]["nextRunAt"] is None
    resumed = client.post(f"{OPS}/{made['id']}/resume", headers=account.headers).json()["data"]
    assert resumed["status"] == "active" and resumed["nextRunAt"]
    runs = client.get(f"{OPS}/{made['id']}/runs", headers=account.headers).json()
    assert runs["data"]["runs"] == [] and runs["data"]["pagination"]["total"] == 0
    gone = client.delete(f"{OPS}/{made['id']}", headers=account.headers)
    assert gone.status_code == 200 and gone.json()["data"]["deleted"] is True
    assert client.get(f"{OPS}/{made['id']}", headers=account.headers).status_code == 404


def test_an_automation_named_by_one_of_its_words(client: TestClient, account: Account) -> None:
    """"the nurture sequence" is the one automation with "nurture" in its name; words none of
    them has name none, and nothing else is changed."""
    client.post(OPS, json=WEEKLY, headers=account.headers)
    client.post(OPS, json={**WEEKLY, "name": "Weekly Win-back"}, headers=account.headers)
    nurture = client.post(FLOWS, json=NURTURE, headers=account.headers).json()["data"]
    paused = client.post(f"{OPS}/the nurture sequence/pause", headers=account.headers)
    assert paused.status_code == 200 and paused.json()["data"]["id"] == nurture["id"]
    assert client.post(f"{OPS}/the holiday sale thing/pause", headers=account.headers).status_code == 404
    statuses = [a["status"] for a in client.get(OPS, headers=account.headers).json()["data"]["automations"]]
    assert sorted(statuses) == ["active", "active", "paused"]


def test_workflows_in_document_001_shape(client: TestClient, account: Account) -> None:
    r = client.post(FLOWS, json=NURTURE, headers=account.headers)
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    assert data["status"] == "created" and data["workflowId"] == data["id"]
    flow = client.get(f"{FLOWS}/{data['workflowId']}", headers=account.headers).json()["data"]
    assert flow["trigger"]["type"] == "event"
    assert flow["trigger"]["config"] == {"event": "customer.created", "conditions": {"status": "lead"}}
    assert [a["type"] for a in flow["actions"]] == ["email", "email"]
    assert [a["config"]["delay"] for a in flow["actions"]] == ["0", "3_days"]
    assert [a["config"]["template"] for a in flow["actions"]] == ["welcome_lead", "feature_highlight"]
    assert flow["actions"][1]["delaySeconds"] == 3 * 86400
    listed = client.get(FLOWS, headers=account.headers).json()["data"]
    assert [w["workflowId"] for w in listed["workflows"]] == [data["workflowId"]]
    paused = client.post(f"{FLOWS}/{data['id']}/pause", headers=account.headers).json()["data"]
    assert paused["status"] == "paused"
    runs = client.get(f"{FLOWS}/{data['id']}/runs", headers=account.headers,
                      params={"startDate": "2024-01-01"})
    assert runs.status_code == 200 and runs.json()["data"]["startDate"] == "2024-01-01"
    assert client.delete(f"{FLOWS}/{data['id']}", headers=account.headers).status_code == 200
    assert client.get(FLOWS, headers=account.headers).json()["data"]["total"] == 0


def test_another_tenant_can_neither_see_nor_change(client: TestClient, account: Account,
                                                    other_account: Account) -> None:
    made = client.post(OPS, json=WEEKLY, headers=account.headers).json()["data"]
    them = other_account.headers
    assert client.get(OPS, headers=them).json()["data"]["automations"] == []
    assert client.get(FLOWS, headers=them).json()["data"]["workflows"] == []
    for method, path, body in (("GET", f"{OPS}/{made['id']}", None),
                               ("PATCH", f"{OPS}/{made['id']}", {"status": "paused"}),
                               ("POST", f"{FLOWS}/{made['id']}/pause", None),
                               ("DELETE", f"{OPS}/{made['id']}", None),
                               ("DELETE", f"{FLOWS}/{made['id']}", None),
                               ("GET", f"{FLOWS}/{made['id']}/runs", None)):
        r = client.request(method, path, json=body, headers=them)
        assert r.status_code == 404, (method, path, r.text)
        assert r.json()["error"]["code"] in ("RESOURCE_NOT_FOUND", "NOT_FOUND")
    # by name through the tool, as the assistant would: not found either
    pause = client.post(f"{OPS}/Weekly Invoice Reminder/pause", headers=them)
    assert pause.status_code == 404
    still = client.get(f"{OPS}/{made['id']}", headers=account.headers).json()["data"]
    assert still["status"] == "active"
    assert client.get(OPS).status_code == 401


@pytest.mark.parametrize("change,field", [
    ({"trigger": {"type": "schedule", "cron": "every full moon"}}, "trigger.cron"),
    ({"trigger": {"type": "event", "event": "moon.rose"}}, "trigger.event"),
    ({"actions": [{"type": "send_email", "template": "birthday", "recipients": "all_customers"}]},
     "actions.0.template"),
    ({"actions": [{"type": "send_email", "template": "win_back", "recipients": "friends"}]},
     "actions.0.recipients"),
    ({"actions": [{"type": "fax", "template": "win_back"}]}, "actions.0.type"),
    ({"actions": [{"type": "email", "template": "win_back", "recipients": "all_customers",
                   "delay": "someday"}]}, "actions.0.delay"),
    ({"actions": [{"type": "post_slack", "webhook_url": "ftp://example.com/x"}]}, "actions.0.webhook_url"),
    ({"actions": [{"type": "send_email", "subject": "{{ oops", "body": "x", "recipients": "all_customers"}]},
     "actions.0.subject"),
    ({"actions": []}, "actions"),
    ({"name": "x" * 201}, "name"),
])
def test_bad_input_is_refused_naming_the_field_and_stores_nothing(client: TestClient, account: Account,
                                                                  change: dict[str, Any], field: str) -> None:
    r = client.post(OPS, json={**WEEKLY, **change}, headers=account.headers)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    flat = field.replace("_", "").lower()  # the envelope names fields in camelCase
    assert any(d["field"].replace("_", "").lower().endswith(flat) for d in error["details"]), error
    assert _total(client, account) == 0


def test_an_idempotent_create_makes_one(client: TestClient, account: Account) -> None:
    headers = {**account.headers, "Idempotency-Key": "weekly-1"}
    first = client.post(OPS, json=WEEKLY, headers=headers)
    again = client.post(OPS, json=WEEKLY, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["data"]["id"] == again.json()["data"]["id"] and _total(client, account) == 1


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_create_automation_over_mcp_previews_then_creates(client: TestClient, account: Account) -> None:
    who = admin(account)
    async with Client(build_server(lambda _ctx: who, toolsets_setting="simulation")) as mcp:
        tools = {t.name: t for t in (await mcp.list_tools()).tools}
        wanted = {"create_automation", "list_automations", "list_automation_runs", "delete_automation"}
        assert wanted <= set(tools)
        assert tools["delete_automation"].annotations.destructive_hint is True  # type: ignore[union-attr]
        args = {"schedule": "every Monday at 9", "action": "send_email", "template": "invoice_reminder",
                "recipients": "overdue_customers"}
        preview = await mcp.call_tool("create_automation", args)
        assert not preview.is_error
        draft = preview.structured_content
        assert draft["status"] == "confirmation_required"
        assert draft["preview"]["trigger"]["cron"] == "0 9 * * 1"
        assert _total(client, account) == 0  # a draft only
        token = draft["confirmation_token"]
        done = await mcp.call_tool("create_automation", {**args, "confirmation_token": token})
        assert done.structured_content["status"] == "done"
        assert done.structured_content["automation"]["origin"] == "assistant"
        listed = await mcp.call_tool("list_automations", {})
        assert listed.structured_content["total"] == 1
