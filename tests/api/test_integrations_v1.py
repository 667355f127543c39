"""Document 004's integration endpoints (raw family, snake_case): list and connect under a
workspace, disconnect (204) and sync (202) by id, errors in the raw shape, and workspaces or
integrations of another tenant answered 404."""

from __future__ import annotations

from connectors.memory_connector import new_script
from fastapi.testclient import TestClient
from helpers import Account, register


def url(account: Account) -> str:
    return f"/api/v1/workspaces/{account.tenant_id}/integrations"


def test_connect_list_sync_and_disconnect(client: TestClient, account: Account) -> None:
    key, _ = new_script()
    r = client.post(url(account), headers={**account.headers, "Idempotency-Key": "v1-conn"},
                    json={"provider": "memory", "credentials": {"apiKey": key}, "name": "shop"})
    assert r.status_code == 201, r.text
    made = r.json()
    assert "success" not in made and key not in r.text
    assert made["type"] == "memory" and made["name"] == "shop" and made["has_credentials"] is True
    assert made["sync_run"]["status"] == "queued" and made["credentials_hint"] == "…" + key[-4:]
    replay = client.post(url(account), headers={**account.headers, "Idempotency-Key": "v1-conn"},
                         json={"provider": "memory", "credentials": {"apiKey": key}, "name": "shop"})
    assert replay.status_code == 201 and replay.json()["id"] == made["id"]

    listed = client.get(url(account), headers=account.headers)
    assert listed.status_code == 200
    body = listed.json()
    assert body["total"] == 1 and body["integrations"][0]["id"] == made["id"] == body["items"][0]["id"]
    assert any(c["type"] == "memory" for c in body["connectors"]) and key not in listed.text

    sync = client.post(f"/api/v1/integrations/{made['id']}/sync", headers=account.headers)
    assert sync.status_code == 202, sync.text
    assert sync.json()["id"] == made["sync_run"]["id"] and sync.json()["already_running"] is True

    gone = client.delete(f"/api/v1/integrations/{made['id']}", headers=account.headers)
    assert gone.status_code == 204 and gone.content == b""
    assert client.get(url(account), headers=account.headers).json()["total"] == 0


def test_errors_are_raw(client: TestClient, account: Account) -> None:
    key, _ = new_script(refuse_check=True)
    refused = client.post(url(account), headers=account.headers,
                          json={"type": "memory", "credentials": {"apiKey": key}})
    assert refused.status_code == 400
    body = refused.json()
    assert body["code"] == "CONNECTOR_AUTH_FAILED" and isinstance(body["error"], str)
    missing = client.post(url(account), headers=account.headers, json={"credentials": {}})
    assert missing.status_code == 422 and missing.json()["code"] == "VALIDATION_ERROR"
    nothing = client.post("/api/v1/integrations/00000000-0000-0000-0000-000000000000/sync",
                          headers=account.headers)
    assert nothing.status_code == 404


def test_another_tenant_gets_404(client: TestClient, account: Account) -> None:
    key, _ = new_script()
    made = client.post(url(account), headers=account.headers,
                       json={"type": "memory", "credentials": {"apiKey": key}}).json()
    stranger = register(client)
    assert client.get(url(account), headers=stranger.headers).status_code == 404
    other_key, _ = new_script()
    assert client.post(url(account), headers=stranger.headers,
                       json={"type": "memory", "credentials": {"apiKey": other_key}}).status_code == 404
    assert client.post(f"/api/v1/integrations/{made['id']}/sync", headers=stranger.headers).status_code == 404
    assert client.delete(f"/api/v1/integrations/{made['id']}", headers=stranger.headers).status_code == 404
    assert client.get(url(stranger), headers=stranger.headers).json()["total"] == 0
    assert client.get(url(account), headers=account.headers).json()["total"] == 1
