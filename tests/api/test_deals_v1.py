"""Document 004's deals: raw snake_case deal objects in a workspace, the same rows as 001's CRM
deals, found by id in any of the caller's workspaces and nowhere else."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi.testclient import TestClient

if TYPE_CHECKING:
    from tests.conftest import Account

DEAL_KEYS = {"id", "workspace_id", "title", "description", "value", "currency", "stage", "status",
             "probability", "customer_id", "customer_name", "expected_close_date", "assigned_to",
             "closed_at", "created_at", "updated_at"}


def create(client: TestClient, account: Account, workspace: str, **body: Any) -> dict[str, Any]:
    payload = {"title": "Deal", "value": 1000, **body}
    r = client.post(f"/api/v1/workspaces/{workspace}/deals", json=payload, headers=account.headers)
    assert r.status_code == 201, r.text
    return dict(r.json())


def get(client: TestClient, account: Account, deal_id: str) -> dict[str, Any]:
    r = client.get(f"/api/v1/deals/{deal_id}", headers=account.headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


def listing(client: TestClient, account: Account, workspace: str, query: str = "") -> dict[str, Any]:
    r = client.get(f"/api/v1/workspaces/{workspace}/deals?{query}", headers=account.headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_create_and_get_a_deal(client: TestClient, account: Account) -> None:
    deal = create(client, account, account.tenant_id, title="Pilot", value=25000, stage="qualified",
                  assigned_to=account.user_id, expected_close_date="2026-06-30")
    assert set(deal) == DEAL_KEYS
    assert (deal["workspace_id"], deal["title"], deal["value"]) == (account.tenant_id, "Pilot", 25000)
    assert (deal["stage"], deal["probability"], deal["status"]) == ("qualified", 25, "open")
    assert (deal["assigned_to"], deal["expected_close_date"]) == (account.user_id, "2026-06-30")
    assert "success" not in deal
    assert get(client, account, deal["id"]) == deal


def test_a_004_deal_is_a_001_deal(client: TestClient, account: Account) -> None:
    deal = create(client, account, account.tenant_id, assignedTo=account.user_id)  # camelCase too
    camel = client.get(f"/api/crm/deals/{deal['id']}", headers=account.headers).json()["data"]["deal"]
    assert camel["id"] == deal["id"] and camel["assignedTo"] == deal["assigned_to"]
    assert camel["workspaceId"] == deal["workspace_id"] and camel["createdAt"] == deal["created_at"]


def test_list_with_filters_limit_and_offset(client: TestClient, account: Account) -> None:
    ws = account.tenant_id
    mine = create(client, account, ws, title="Mine", stage="proposal", assigned_to=account.user_id)
    create(client, account, ws, title="Unassigned proposal", stage="proposal")
    create(client, account, ws, title="Lead", stage="lead", value=50)
    body = listing(client, account, ws, "stage=proposal")
    assert sorted(d["title"] for d in body["deals"]) == ["Mine", "Unassigned proposal"]
    assert body["items"] == body["deals"] and body["total"] == 2 and body["total_value"] == 2000
    assert [d["id"] for d in listing(client, account, ws, f"assignedTo={account.user_id}")["deals"]] == [
        mine["id"]]
    everything = listing(client, account, ws, "sortBy=value&sortOrder=asc")["deals"]
    page = listing(client, account, ws, "limit=1&offset=1&sortBy=value&sortOrder=asc")
    assert (page["limit"], page["offset"], page["total"]) == (1, 1, 3)
    assert [d["id"] for d in page["deals"]] == [everything[1]["id"]]
    assert set(page["deals"][0]) == DEAL_KEYS


def test_invalid_deal_is_422_and_creates_nothing(client: TestClient, account: Account) -> None:
    ws = account.tenant_id
    r = client.post(f"/api/v1/workspaces/{ws}/deals", json={"value": "lots", "stage": "x"},
                    headers=account.headers)
    assert r.status_code == 422
    body = r.json()
    assert body["success"] is False and body["code"] == "VALIDATION_ERROR"
    assert {"title", "value", "stage"} <= {d["field"] for d in body["details"]}
    assert listing(client, account, ws)["total"] == 0
    r = client.get(f"/api/v1/workspaces/{ws}/deals?limit=1000&offset=-1", headers=account.headers)
    assert r.status_code == 422 and {"limit", "offset"} <= {d["field"] for d in r.json()["details"]}


def test_patch_and_delete(client: TestClient, account: Account) -> None:
    deal = create(client, account, account.tenant_id, stage="lead")
    r = client.patch(f"/api/v1/deals/{deal['id']}", json={"stage": "closed_won", "value": 1234.5},
                     headers=account.headers)
    assert r.status_code == 200
    patched = r.json()
    assert (patched["stage"], patched["status"], patched["probability"], patched["value"]) == (
        "closed_won", "won", 100, 1234.5)
    assert patched["closed_at"] is not None and get(client, account, deal["id"]) == patched
    r = client.patch(f"/api/v1/deals/{deal['id']}", json={"probability": 300}, headers=account.headers)
    assert r.status_code == 422 and r.json()["details"][0]["field"] == "probability"
    assert get(client, account, deal["id"]) == patched
    r = client.delete(f"/api/v1/deals/{deal['id']}", headers=account.headers)
    assert r.status_code == 204 and r.content == b""
    gone = client.get(f"/api/v1/deals/{deal['id']}", headers=account.headers)
    assert gone.status_code == 404
    assert gone.json() == {"success": False, "error": "Deal not found", "code": "NOT_FOUND",
                           "details": {"resource": "deal", "id": deal["id"]},
                           "request_id": gone.headers["x-request-id"]}


def test_unknown_deal_is_404_raw(client: TestClient, account: Account) -> None:
    for method, body in (("GET", None), ("PATCH", {"title": "x"}), ("DELETE", None)):
        r = client.request(method, "/api/v1/deals/unknown-id", json=body, headers=account.headers)
        assert r.status_code == 404 and r.json()["code"] == "NOT_FOUND", method


def test_a_deal_in_another_of_my_workspaces_is_found_by_id(
    client: TestClient, account: Account, second_workspace: str
) -> None:
    deal = create(client, account, second_workspace, title="Branch deal")
    assert deal["workspace_id"] == second_workspace
    assert get(client, account, deal["id"])["title"] == "Branch deal"  # token's home is elsewhere
    r = client.patch(f"/api/v1/deals/{deal['id']}", json={"title": "Renamed"}, headers=account.headers)
    assert r.status_code == 200 and r.json()["workspace_id"] == second_workspace
    pinned = {**account.headers, "X-Tenant-Id": account.tenant_id}
    assert client.get(f"/api/v1/deals/{deal['id']}", headers=pinned).status_code == 404
    assert listing(client, account, account.tenant_id)["total"] == 0
    assert listing(client, account, second_workspace)["total"] == 1
    assert client.delete(f"/api/v1/deals/{deal['id']}", headers=account.headers).status_code == 204
    assert listing(client, account, second_workspace)["total"] == 0


def test_another_tenant_cannot_reach_the_deals(
    client: TestClient, account: Account, other_account: Account
) -> None:
    deal = create(client, account, account.tenant_id, title="Confidential", value=777)
    other = other_account.headers
    ws_url = f"/api/v1/workspaces/{account.tenant_id}/deals"
    r = client.get(ws_url, headers=other)
    assert r.status_code == 404 and r.json()["code"] == "TENANT_NOT_FOUND"
    r = client.post(ws_url, json={"title": "Planted", "value": 1}, headers=other)
    assert r.status_code == 404 and r.json()["code"] == "TENANT_NOT_FOUND"
    url = f"/api/v1/deals/{deal['id']}"
    assert client.get(url, headers=other).status_code == 404
    assert client.patch(url, json={"title": "Mine now", "value": 1}, headers=other).status_code == 404
    assert client.delete(url, headers=other).status_code == 404
    foreign_pin = {**other, "X-Tenant-Id": account.tenant_id}
    r = client.get(url, headers=foreign_pin)
    assert r.status_code == 404 and r.json()["code"] == "TENANT_NOT_FOUND"
    assert get(client, account, deal["id"]) == deal
    assert [d["title"] for d in listing(client, account, account.tenant_id)["deals"]] == ["Confidential"]
    assert listing(client, other_account, other_account.tenant_id)["total"] == 0


def test_idempotent_deal_creation_in_a_workspace(client: TestClient, account: Account) -> None:
    ws = account.tenant_id
    headers = {**account.headers, "Idempotency-Key": "deal-42"}
    url = f"/api/v1/workspaces/{ws}/deals"
    first = client.post(url, json={"title": "Retry me", "value": 10}, headers=headers)
    # the same parameters spelled differently are the same request
    again = client.post(url, json={"title": "Retry me", "value": 10.0, "stage": "lead"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert listing(client, account, ws)["total"] == 1
    changed = client.post(url, json={"title": "Retry me", "value": 11}, headers=headers)
    assert changed.status_code == 409 and changed.json()["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert listing(client, account, ws)["total"] == 1
