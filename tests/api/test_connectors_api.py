"""Document 000's connector endpoints (envelope family): status codes, shapes, refused
credentials as 400 CONNECTOR_AUTH_FAILED, Idempotency-Key, no credential in any response, and
tenant isolation. Jobs are run in-process (no worker runs in these tests)."""

from __future__ import annotations

from typing import Any

import pytest
from connectors.memory_connector import CustomAsMemory, customer, new_script, order
from fastapi.testclient import TestClient
from helpers import Account, register

from tools.connectors import base
from tools.connectors.sync import run_sync

SOURCES = "/api/modules/predictive-analytics/data-sources"


def connect(client: TestClient, account: Account, key: str, **headers: str) -> Any:
    return client.post("/api/connectors/memory/connect", headers={**account.headers, **headers},
                       json={"credentials": {"apiKey": key, "shopDomain": "mem.test"}})


def test_connect_list_sync_and_read_back(client: TestClient, account: Account) -> None:
    key, script = new_script()
    script.pages["customers"] = [[customer(1), customer(2)]]
    script.pages["orders"] = [[order(1, 1), order(2, 2, total="25.00")]]
    r = connect(client, account, key)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["success"] is True and key not in r.text
    data = body["data"]
    conn_id = data["connection"]["id"]
    assert data["connection"]["status"] == "connected" and data["connection"]["hasCredentials"]
    assert data["connection"]["config"] == {"shopDomain": "mem.test"}
    assert data["syncRun"]["status"] == "queued" and data["syncRun"]["jobId"]

    listed = client.get("/api/connectors", headers=account.headers)
    assert listed.status_code == 200 and key not in listed.text
    types = {c["type"]: c for c in listed.json()["data"]["connectors"]}
    assert {"name": "apiKey", "label": "API key", "sensitive": True, "required": True, "help": ""} in \
        types["memory"]["credentialFields"]
    assert [c["id"] for c in listed.json()["data"]["connections"]] == [conn_id]

    sync = client.post(f"/api/connectors/{conn_id}/sync", headers=account.headers)
    assert sync.status_code == 202, sync.text
    queued = sync.json()["data"]
    assert queued["id"] == data["syncRun"]["id"] and queued["alreadyRunning"] is True
    assert queued["status"] == "queued" and queued["jobId"]
    run_sync(queued["id"])

    one = client.get(f"/api/connectors/{conn_id}", headers=account.headers)
    assert one.status_code == 200
    detail = one.json()["data"]
    assert detail["connection"]["recordCounts"] == {"customer": 2, "order": 2}
    assert detail["lastRun"]["status"] == "succeeded" and detail["currentRun"] is None
    assert detail["lastRun"]["counts"]["created"] == 4 and key not in one.text

    again = client.post("/api/connectors/memory/sync", headers=account.headers)  # by type
    assert again.status_code == 202 and again.json()["data"]["alreadyRunning"] is False
    runs = client.get(f"/api/connectors/{conn_id}/syncs?limit=1", headers=account.headers)
    assert runs.status_code == 200
    page = runs.json()
    assert page["data"]["pagination"]["total"] == 2 and len(page["data"]["syncRuns"]) == 1
    assert page["meta"]["total"] == 2


def test_refused_credentials_are_400_connector_auth_failed(client: TestClient, account: Account) -> None:
    key, _ = new_script(refuse_check=True)
    r = connect(client, account, key)
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["success"] is False and body["error"]["code"] == "CONNECTOR_AUTH_FAILED"
    assert {"timestamp", "requestId"} <= set(body["meta"]) and key not in r.text
    assert client.get("/api/connectors", headers=account.headers).json()["data"]["connections"] == []
    unknown = client.post("/api/connectors/nosuch/connect", headers=account.headers,
                          json={"credentials": {}})
    assert unknown.status_code == 404 and "Available: " in unknown.json()["error"]["message"]


def test_idempotent_connect(client: TestClient, account: Account) -> None:
    key, _ = new_script()
    first = connect(client, account, key, **{"Idempotency-Key": "conn-1"})
    second = connect(client, account, key, **{"Idempotency-Key": "conn-1"})
    assert first.status_code == second.status_code == 201
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert first.json()["data"]["connection"]["id"] == second.json()["data"]["connection"]["id"]
    other_key, _ = new_script()
    clash = connect(client, account, other_key, **{"Idempotency-Key": "conn-1"})
    assert clash.status_code == 409 and clash.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"


def test_delete_disconnects_and_data_sources_list(client: TestClient, account: Account) -> None:
    key, _ = new_script()
    conn_id = connect(client, account, key).json()["data"]["connection"]["id"]
    sources = client.get(SOURCES, headers=account.headers)
    assert sources.status_code == 200
    found = {s["id"]: s for s in sources.json()["data"]["sources"]}
    assert found[conn_id]["type"] == "connector" and "revenue" in found[conn_id]["metrics"]
    assert found["builtin_crm"]["type"] == "builtin" and "lastSync" in found["builtin_crm"]
    gone = client.delete(f"/api/connectors/{conn_id}", headers=account.headers)
    assert gone.status_code == 204
    after = client.get(f"/api/connectors/{conn_id}", headers=account.headers).json()["data"]
    assert after["connection"]["status"] == "disconnected" and not after["connection"]["hasCredentials"]
    refused = client.post(f"/api/connectors/{conn_id}/sync", headers=account.headers)
    assert refused.status_code == 409


def test_custom_connector_and_detect_schema(client: TestClient, account: Account,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    from tools.connectors import schema_detect

    kind = base.connector_type("memory")
    assert kind is not None
    monkeypatch.setitem(base._TYPES, "custom_rest", dataclasses.replace(kind, type="custom_rest",
                                                                         factory=CustomAsMemory))
    key, _ = new_script()
    body = {"name": "my_api_connector", "displayName": "My Custom API", "connectionType": "rest_api",
            "config": {"baseUrl": "https://api.example.com/v1", "authType": "bearer_token",
                       "authConfig": {"token": key}},
            "fieldMappings": [{"sourceField": "order_total", "targetField": "total", "dataType": "number"}]}
    r = client.post(f"{SOURCES}/custom-connectors", headers=account.headers, json=body)
    assert r.status_code == 201, r.text
    assert r.json()["data"]["connection"]["type"] == "custom_rest" and key not in r.text

    def fake(url: str, method: str = "GET", headers: Any = None, body: Any = None) -> Any:
        fields = [schema_detect.DetectedField("id", "string", "data[].id"),
                  schema_detect.DetectedField("total", "number", "data[].total")]
        return schema_detect.DetectedSchema(fields, {"id": "o1", "total": 5}, "data", 1,
                                            "https://api.example.com/openapi.json")

    monkeypatch.setattr(schema_detect, "detect_schema", fake)
    d = client.post(f"{SOURCES}/detect-schema", headers=account.headers,
                    json={"url": "https://93.184.216.34/v1/orders", "method": "GET",
                          "headers": {"Authorization": "Bearer token123"}})
    assert d.status_code == 200, d.text
    data = d.json()["data"]
    assert data["detectedFields"][1] == {"name": "total", "type": "number", "path": "data[].total"}
    assert data["openApiSpec"] == "https://api.example.com/openapi.json" and "sampleData" in data
    assert "token123" not in d.text


def test_another_tenant_sees_nothing(client: TestClient, account: Account) -> None:
    key, _ = new_script()
    conn_id = connect(client, account, key).json()["data"]["connection"]["id"]
    stranger = register(client)
    base_path = f"/api/connectors/{conn_id}"
    for method, path in [("get", base_path), ("post", f"{base_path}/sync"),
                         ("get", f"{base_path}/syncs"), ("delete", base_path)]:
        r = client.request(method, path, headers=stranger.headers)
        assert r.status_code == 404, (path, r.text)
    assert client.get("/api/connectors", headers=stranger.headers).json()["data"]["connections"] == []
    ids = [s["id"] for s in client.get(SOURCES, headers=stranger.headers).json()["data"]["sources"]]
    assert conn_id not in ids
    foreign = client.get("/api/connectors", headers={**stranger.headers, "X-Tenant-Id": account.tenant_id})
    assert foreign.status_code in (403, 404)
    assert client.get(f"/api/connectors/{conn_id}", headers=account.headers).status_code == 200
