"""A user's own API keys and sessions through REST (both families), and that nobody else's are
reachable."""

from __future__ import annotations

from fastapi.testclient import TestClient
from helpers import Account, register


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_api_key_lifecycle_v1(client: TestClient) -> None:
    account = register(client)
    r = client.post("/api/v1/api-keys", headers=account.headers, json={"name": "laptop MCP"})
    assert r.status_code == 201, r.text
    created = r.json()
    key, key_id = created["key"], created["api_key"]["id"]
    assert key.startswith("bp_") and created["api_key"]["prefix"] == key[:10]
    assert client.get("/api/users/me", headers=_bearer(key)).status_code == 200

    listed = client.get("/api/v1/api-keys", headers=account.headers).json()
    assert listed["total"] == 1 and key not in str(listed)
    row = listed["api_keys"][0]
    assert row["last_used_at"] is not None and row["age_days"] == 0

    assert client.delete(f"/api/v1/api-keys/{key_id}", headers=account.headers).status_code == 204
    assert client.get("/api/users/me", headers=_bearer(key)).status_code == 401
    assert client.get("/api/v1/api-keys", headers=account.headers).json()["total"] == 0
    every = client.get("/api/v1/api-keys?include_revoked=true", headers=account.headers).json()
    assert every["api_keys"][0]["revoked_at"] is not None


def test_envelope_family_and_validation(client: TestClient) -> None:
    account = register(client)
    r = client.post("/api/users/me/api-keys", headers=account.headers, json={"name": ""})
    assert r.status_code == 422 and r.json()["error"]["code"] == "VALIDATION_ERROR"
    r = client.post("/api/users/me/api-keys", headers=account.headers, json={"name": "ci"})
    assert r.status_code == 201 and r.json()["data"]["key"].startswith("bp_")
    r = client.get("/api/users/me/api-keys", headers=account.headers)
    assert r.status_code == 200 and r.json()["data"]["total"] == 1


def test_other_users_keys_and_sessions_are_not_reachable(client: TestClient) -> None:
    owner, stranger = register(client), register(client)
    key_id = client.post("/api/v1/api-keys", headers=owner.headers,
                         json={"name": "mine"}).json()["api_key"]["id"]
    assert client.delete(f"/api/v1/api-keys/{key_id}", headers=stranger.headers).status_code == 404
    assert client.get("/api/v1/api-keys", headers=stranger.headers).json()["total"] == 0
    session_id = client.get("/api/v1/sessions", headers=owner.headers).json()["sessions"][0]["id"]
    assert client.delete(f"/api/v1/sessions/{session_id}", headers=stranger.headers).status_code == 404
    assert client.get("/api/users/me", headers=owner.headers).status_code == 200


def test_sessions_list_and_revoke(client: TestClient) -> None:
    account: Account = register(client)
    other = client.post("/api/auth/login", json={"email": account.email,
                                                 "password": account.password}).json()["data"]
    listed = client.get("/api/v1/sessions", headers=account.headers).json()
    assert listed["total"] == 2
    current = [s for s in listed["sessions"] if s["current"]]
    assert len(current) == 1
    other_id = next(s["id"] for s in listed["sessions"] if not s["current"])
    assert client.delete(f"/api/users/me/sessions/{other_id}", headers=account.headers).status_code == 204
    assert client.get("/api/users/me", headers=_bearer(other["accessToken"])).status_code == 401
    r = client.post("/api/auth/refresh", json={"refreshToken": other["refreshToken"]})
    assert r.status_code == 401
    assert client.get("/api/v1/sessions", headers=account.headers).json()["total"] == 1
