"""Document 004's workspaces: raw snake_case objects; a workspace is a tenant the creator admins;
someone else's workspace does not exist."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi.testclient import TestClient

if TYPE_CHECKING:
    from tests.conftest import Account

WORKSPACE_KEYS = {"id", "name", "slug", "plan", "owner_id", "role", "member_count", "created_at",
                  "updated_at"}


def workspaces(client: TestClient, account: Account) -> list[dict[str, Any]]:
    r = client.get("/api/v1/workspaces", headers=account.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == len(body["workspaces"])
    return list(body["workspaces"])


def assert_raw_error(r: Any, status: int, code: str) -> None:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["success"] is False and body["code"] == code
    assert isinstance(body["error"], str) and "data" not in body and "meta" not in body


def test_create_workspace_returns_the_raw_object(client: TestClient, account: Account) -> None:
    r = client.post("/api/v1/workspaces", json={"name": "Acme Retail"}, headers=account.headers)
    assert r.status_code == 201
    ws = r.json()
    assert set(ws) == WORKSPACE_KEYS
    assert (ws["name"], ws["slug"], ws["plan"]) == ("Acme Retail", "acme-retail", "free")
    assert (ws["owner_id"], ws["role"], ws["member_count"]) == (account.user_id, "admin", 1)
    assert ws["id"] != account.tenant_id
    got = client.get(f"/api/v1/workspaces/{ws['id']}", headers=account.headers)
    assert got.status_code == 200 and got.json() == ws


def test_slugs_stay_unique(client: TestClient, account: Account) -> None:
    slugs = {client.post("/api/v1/workspaces", json={"name": "Same Name"},
                         headers=account.headers).json()["slug"] for _ in range(2)}
    assert len(slugs) == 2


def test_list_shows_each_of_the_callers_workspaces_with_role(
    client: TestClient, account: Account, second_workspace: str, other_account: Account
) -> None:
    mine = {w["id"]: w["role"] for w in workspaces(client, account)}
    assert mine == {account.tenant_id: "admin", second_workspace: "admin"}
    assert [w["id"] for w in workspaces(client, other_account)] == [other_account.tenant_id]


def test_members_of_a_workspace(client: TestClient, account: Account) -> None:
    r = client.get(f"/api/v1/workspaces/{account.tenant_id}/members", headers=account.headers)
    assert r.status_code == 200
    body = r.json()
    assert body["workspace_id"] == account.tenant_id and body["total"] == 1
    (member,) = body["members"]
    assert (member["user_id"], member["email"], member["role"]) == (account.user_id, account.email,
                                                                    "admin")
    assert member["full_name"] == "Test User" and member["joined_at"].endswith("Z")
    assert "password" not in r.text.lower() and "$argon2" not in r.text


def test_invalid_workspace_is_422_and_creates_nothing(client: TestClient, account: Account) -> None:
    before = len(workspaces(client, account))
    for body in ({}, {"name": ""}, {"name": "x" * 201}):
        r = client.post("/api/v1/workspaces", json=body, headers=account.headers)
        assert_raw_error(r, 422, "VALIDATION_ERROR")
        assert [d["field"] for d in r.json()["details"]] == ["name"]
    assert len(workspaces(client, account)) == before


def test_someone_elses_workspace_does_not_exist(
    client: TestClient, account: Account, other_account: Account
) -> None:
    for url in (f"/api/v1/workspaces/{account.tenant_id}",
                f"/api/v1/workspaces/{account.tenant_id}/members",
                "/api/v1/workspaces/00000000-0000-0000-0000-000000000000"):
        r = client.get(url, headers=other_account.headers)
        assert_raw_error(r, 404, "TENANT_NOT_FOUND")
        assert r.json()["error"] == "Workspace not found"
    assert_raw_error(client.get(f"/api/v1/workspaces/{'x' * 65}", headers=account.headers), 422,
                     "VALIDATION_ERROR")


def test_new_workspace_is_a_separate_tenant(client: TestClient, account: Account) -> None:
    ws = client.post("/api/v1/workspaces", json={"name": "Branch"}, headers=account.headers).json()
    r = client.post("/api/crm/customers", json={"name": "Branch Customer"},
                    headers={**account.headers, "X-Tenant-Id": ws["id"]})
    assert r.status_code == 201
    home = client.get("/api/crm/customers", headers=account.headers).json()["data"]
    assert home["pagination"]["total"] == 0
    branch = client.get("/api/crm/customers", headers={**account.headers, "X-Tenant-Id": ws["id"]})
    assert [c["name"] for c in branch.json()["data"]["customers"]] == ["Branch Customer"]


def test_idempotent_workspace_creation(client: TestClient, account: Account) -> None:
    key = {**account.headers, "Idempotency-Key": "ws-create-1"}
    first = client.post("/api/v1/workspaces", json={"name": "Once Only"}, headers=key)
    again = client.post("/api/v1/workspaces", json={"name": "Once Only"}, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert [w["name"] for w in workspaces(client, account)].count("Once Only") == 1
    reused = client.post("/api/v1/workspaces", json={"name": "Something Else"}, headers=key)
    assert_raw_error(reused, 409, "IDEMPOTENCY_KEY_REUSED")
    assert [w["name"] for w in workspaces(client, account)].count("Something Else") == 0


def test_workspace_routes_need_a_token(client: TestClient, account: Account) -> None:
    assert_raw_error(client.get("/api/v1/workspaces"), 401, "UNAUTHORIZED")
    assert_raw_error(client.get(f"/api/v1/workspaces/{account.tenant_id}"), 401, "UNAUTHORIZED")
    assert_raw_error(client.post("/api/v1/workspaces", json={"name": "x"}), 401, "UNAUTHORIZED")
