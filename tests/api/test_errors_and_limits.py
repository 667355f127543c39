"""Error shapes of the envelope family, the general API rate limit, and Idempotency-Key on the
CRM creates (replay, conflict, scope per tenant and user, release on failure, concurrency)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import httpx
import pytest
from fastapi.testclient import TestClient

from core.settings import get_settings

if TYPE_CHECKING:
    from tests.api.conftest import Crm
    from tests.conftest import Account, LiveServer


def keyed(account: Account, key: str, tenant: str | None = None) -> dict[str, str]:
    headers = {**account.headers, "Idempotency-Key": key}
    if tenant:
        headers["X-Tenant-Id"] = tenant
    return headers


def test_malformed_json_is_a_validation_error(client: TestClient, account: Account) -> None:
    r = client.post("/api/crm/customers", content=b"{not json",
                    headers={**account.headers, "Content-Type": "application/json"})
    assert r.status_code == 422
    body = r.json()
    assert body["success"] is False and body["error"]["code"] == "VALIDATION_ERROR"
    assert body["meta"]["requestId"] == r.headers["x-request-id"]


def test_unknown_route_and_wrong_method(client: TestClient, account: Account) -> None:
    r = client.get("/api/crm/nothing-here", headers=account.headers)
    assert r.status_code == 404 and r.json()["error"]["code"] == "NOT_FOUND"
    r = client.get("/api/nothing-here", headers=account.headers)
    assert r.status_code == 404 and r.json()["error"]["code"] == "RESOURCE_NOT_FOUND"
    r = client.put("/api/crm/customers", json={}, headers=account.headers)
    assert r.status_code == 405 and r.json()["error"]["code"] == "METHOD_NOT_ALLOWED"


def test_general_api_limit_answers_429_with_headers(
    client: TestClient, account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "api_rate_limit_per_minute", 3)
    statuses = [client.get("/api/crm/customers", headers=account.headers) for _ in range(4)]
    assert [r.status_code for r in statuses] == [200, 200, 200, 429]
    assert [r.headers["X-RateLimit-Remaining"] for r in statuses[:3]] == ["2", "1", "0"]
    limited = statuses[3]
    assert limited.json()["error"]["code"] == "RATE_LIMIT_EXCEEDED"
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert limited.headers["X-RateLimit-Limit"] == "3"
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    v1 = client.get("/api/v1/workspaces", headers=account.headers)  # same caller, same bucket
    assert v1.status_code == 429 and v1.json()["code"] == "RATE_LIMIT_EXCEEDED"


def test_same_key_same_body_replays_the_first_response(
    client: TestClient, account: Account, crm: Crm
) -> None:
    body = {"name": "Retry Customer", "email": "retry@example.com"}
    first = client.post("/api/crm/customers", json=body, headers=keyed(account, "cust-1"))
    again = client.post("/api/crm/customers", json=body, headers=keyed(account, "cust-1"))
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert crm.customer_total(account) == 1


def test_same_key_different_body_is_409(client: TestClient, account: Account, crm: Crm) -> None:
    client.post("/api/crm/deals", json={"title": "A", "value": 1}, headers=keyed(account, "d-1"))
    r = client.post("/api/crm/deals", json={"title": "B", "value": 1}, headers=keyed(account, "d-1"))
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    r = client.post("/api/crm/customers", json={"name": "A"},
                    headers=keyed(account, "d-1"))  # another endpoint is another request
    assert r.status_code == 409 and r.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert crm.deal_total(account) == 1 and crm.customer_total(account) == 0


def test_keys_are_per_tenant_and_user(
    client: TestClient, account: Account, other_account: Account, second_workspace: str, crm: Crm
) -> None:
    body = {"name": "Shared Key"}
    ids = set()
    for who, tenant in ((account, None), (other_account, None), (account, second_workspace)):
        r = client.post("/api/crm/customers", json=body, headers=keyed(who, "shared", tenant))
        assert r.status_code == 201 and "Idempotent-Replayed" not in r.headers
        ids.add(r.json()["data"]["customer"]["id"])
    assert len(ids) == 3
    assert crm.customer_total(account) == crm.customer_total(other_account) == 1
    assert crm.customer_total(account, second_workspace) == 1


def test_a_failed_create_does_not_burn_the_key(client: TestClient, account: Account, crm: Crm) -> None:
    existing = crm.customer(account, email="taken@example.com")
    body = {"name": "Late", "email": "taken@example.com"}
    r = client.post("/api/crm/customers", json=body, headers=keyed(account, "late-1"))
    assert r.status_code == 409 and r.json()["error"]["code"] == "RESOURCE_CONFLICT"
    client.delete(f"/api/crm/customers/{existing['id']}", headers=account.headers)
    r = client.post("/api/crm/customers", json=body, headers=keyed(account, "late-1"))
    assert r.status_code == 201 and "Idempotent-Replayed" not in r.headers


def test_an_overlong_key_is_rejected(client: TestClient, account: Account, crm: Crm) -> None:
    r = client.post("/api/crm/customers", json={"name": "X"}, headers=keyed(account, "k" * 256))
    assert r.status_code == 422
    assert "Idempotency-Key" in r.json()["error"]["fields"]
    assert crm.customer_total(account) == 0


def test_concurrent_retries_create_once(live_server: LiveServer, client: TestClient, account: Account,
                                        crm: Crm) -> None:
    barrier = threading.Barrier(6)
    results: list[int] = []

    def post() -> None:
        with httpx.Client(base_url=live_server.url, timeout=20) as http:
            barrier.wait()
            r = http.post("/api/crm/customers", json={"name": "Race"},
                          headers=keyed(account, "race-1"))
            results.append(r.status_code)

    threads = [threading.Thread(target=post) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 6 and set(results) <= {201, 409}
    assert results.count(201) >= 1
    assert crm.customer_total(account) == 1
    replay = client.post("/api/crm/customers", json={"name": "Race"}, headers=keyed(account, "race-1"))
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"


def test_not_found_is_spelled_by_route_family(client: TestClient, account: Account) -> None:
    """CRM and analytics clients know a missing record as NOT_FOUND, /api/v1 clients too; the
    rest of /api says RESOURCE_NOT_FOUND. The same missing deal, three spellings of one rule."""
    h = account.headers
    crm = client.patch("/api/crm/deals/unknown/stage", json={"stage": "proposal"}, headers=h)
    assert crm.status_code == 404 and crm.json()["error"]["code"] == "NOT_FOUND"
    gone = client.delete("/api/crm/customers/unknown", headers=h)
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "NOT_FOUND"
    raw = client.get("/api/v1/deals/unknown", headers=h)
    assert raw.status_code == 404 and raw.json()["code"] == "NOT_FOUND"
    other = client.get("/api/users/nobody-here", headers=h)
    assert other.status_code == 404 and other.json()["error"]["code"] == "RESOURCE_NOT_FOUND"


def test_every_limited_route_sends_rate_limit_headers(client: TestClient, account: Account) -> None:
    for path in ("/api/users/me", "/api/v1/auth/me", "/api/crm/customers", "/api/analytics/dashboard",
                 "/api/v1/workspaces", "/v1/models"):
        r = client.get(path, headers=account.headers)
        assert r.status_code == 200, path
        for header in ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"):
            assert header in r.headers, (path, header)
        assert int(r.headers["x-ratelimit-remaining"]) < int(r.headers["x-ratelimit-limit"])


def test_validation_errors_name_the_body_field_the_client_got_wrong(client: TestClient,
                                                                   account: Account) -> None:
    r = client.post("/api/ai/query", json={"question": "hi"}, headers=account.headers)
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert error["details"] == [{"field": "query", "message": "Field required"}]
    assert "query" in error["message"]


def test_malformed_json_says_the_body_is_not_json(client: TestClient, account: Account) -> None:
    headers = {**account.headers, "content-type": "application/json"}
    for path in ("/api/crm/customers", "/api/v1/workspaces"):
        r = client.post(path, content=b'{"name": "x",,}', headers=headers)
        assert r.status_code in (400, 422), r.text
        body = r.json()
        error = body["error"] if path.startswith("/api/crm") else body
        details = error["details"]
        assert details[0]["field"] == "body", details
        assert "not valid JSON" in str(error["message"] if isinstance(error, dict) and "message" in error
                                       else error["error"])
        assert not any(d["field"].isdigit() for d in details)
