"""The CRM routes verify the bearer credential in the same worker-thread hop as the tool call
(api.deps.DeferredPrincipal). They must answer exactly as if it had been checked first: a bad or
revoked credential is 401 ahead of a validation error or a missing record, and another tenant's
records stay invisible."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.helpers import Account, register


def test_a_bad_token_is_401_before_an_invalid_query_or_a_missing_record(client: TestClient) -> None:
    bad = {"Authorization": "Bearer not-a-token"}
    for path in ("/api/crm/customers?limit=abc", "/api/crm/customers/nope",
                 "/api/crm/deals?minValue=x", "/api/crm/pipeline"):
        r = client.get(path, headers=bad)
        assert r.status_code == 401, (path, r.text)
    r = client.patch("/api/crm/customers/nope", headers=bad, json={"status": "not-a-status"})
    assert r.status_code == 401, r.text
    assert client.get("/api/crm/customers").status_code == 401


def test_a_logged_out_session_is_refused_at_once(client: TestClient) -> None:
    account = register(client)
    assert client.get("/api/crm/customers", headers=account.headers).status_code == 200
    out = client.post("/api/auth/logout", headers=account.headers,
                      json={"refreshToken": account.refresh_token})
    assert out.status_code == 200, out.text
    assert client.get("/api/crm/customers", headers=account.headers).status_code == 401
    assert client.get("/api/crm/customers?limit=abc", headers=account.headers).status_code == 401


def test_another_tenant_neither_sees_nor_changes(client: TestClient, account: Account,
                                                 other_account: Account) -> None:
    made = client.post("/api/crm/customers", headers=account.headers,
                       json={"name": "Deferred Dana", "email": "dana.deferred@example.com"})
    assert made.status_code == 201, made.text
    cid = made.json()["data"]["customer"]["id"]
    listed = client.get("/api/crm/customers?search=Deferred", headers=other_account.headers).json()["data"]
    rows = listed if isinstance(listed, list) else listed.get("customers", [])
    assert all(c["id"] != cid for c in rows)
    assert client.get(f"/api/crm/customers/{cid}", headers=other_account.headers).status_code == 404
    patch = client.patch(f"/api/crm/customers/{cid}", headers=other_account.headers, json={"name": "X"})
    assert patch.status_code == 404
    foreign = {**other_account.headers, "X-Tenant-Id": account.tenant_id}
    assert client.get("/api/crm/customers", headers=foreign).status_code in (403, 404)
    assert client.get(f"/api/crm/customers/{cid}", headers=account.headers).json()["data"]["customer"][
        "name"] == "Deferred Dana"
