"""Identity routes under /api (documents 000, 001, 002) and /api/v1 (003): every document's
register body and login shape, refresh rotation with reuse detection, logout, bad and forged
tokens, the authentication rate limit, and tenant selection."""

from __future__ import annotations

import base64
import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import jwt
from fastapi.testclient import TestClient

from api.ratelimit import LIMITER
from core.settings import get_settings
from tools.identity.tokens import ACCESS_AUDIENCE

if TYPE_CHECKING:
    from tests.conftest import Account

PASSWORD = "SecurePass123!"


def email() -> str:
    return f"auth-{uuid.uuid4().hex[:10]}@example.com"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def login(client: TestClient, address: str, password: str = PASSWORD) -> Any:
    return client.post("/api/auth/login", json={"email": address, "password": password})


def assert_clean(text: str) -> None:
    assert "password" not in text.lower() and "$argon2" not in text


def test_register_with_document_001_body(client: TestClient) -> None:
    address = email()
    r = client.post("/api/auth/register", json={"email": address, "password": PASSWORD,
                                                 "name": "John Doe", "tenantName": "Acme Corp"})
    assert r.status_code == 201
    data = r.json()["data"]
    assert (data["user"]["email"], data["user"]["name"]) == (address, "John Doe")
    assert data["user"]["tenantId"] == data["tenant"]["id"] and data["tenant"]["name"] == "Acme Corp"
    assert data["user"]["role"] == "admin"
    assert data["token"] and data["refreshToken"].startswith("rt_")
    assert_clean(r.text)


def test_register_with_document_002_body(client: TestClient) -> None:
    r = client.post("/api/auth/register", json={"email": email(), "password": "securePassword123",
                                                 "firstName": "John", "lastName": "Doe"})
    assert r.status_code == 201
    user = r.json()["data"]["user"]
    assert (user["firstName"], user["lastName"], user["fullName"]) == ("John", "Doe", "John Doe")
    assert r.json()["data"]["tenant"]["name"] == "John's workspace"


def test_register_with_document_003_body(client: TestClient) -> None:
    r = client.post("/api/v1/auth/register", json={"email": email(), "password": PASSWORD,
                                                    "full_name": "Jane Doe"})
    assert r.status_code == 201
    body = r.json()
    assert body["token_type"] == "bearer" and body["access_token"] and body["refresh_token"]
    assert body["expires_in"] == get_settings().access_token_ttl_seconds
    assert (body["user"]["full_name"], body["user"]["first_name"], body["user"]["last_name"]) == (
        "Jane Doe", "Jane", "Doe")
    assert body["user"]["tenant_id"] == body["tenant"]["id"]
    assert_clean(r.text)


def test_register_validation_and_duplicates(client: TestClient, account: Account) -> None:
    r = client.post("/api/auth/register", json={"email": "not-an-email", "password": "short"})
    assert r.status_code == 422
    assert {"email", "password"} <= set(r.json()["error"]["fields"])
    for url in ("/api/auth/register", "/api/v1/auth/register"):
        r = client.post(url, json={"email": account.email.upper(), "password": PASSWORD})
        assert r.status_code == 409, url
    assert client.post("/api/auth/register", json={"email": account.email, "password": PASSWORD}
                       ).json()["error"]["code"] == "RESOURCE_CONFLICT"
    assert client.post("/api/v1/auth/register", json={"email": account.email, "password": PASSWORD}
                       ).json()["code"] == "RESOURCE_CONFLICT"


def test_login_satisfies_documents_000_001_002(client: TestClient, account: Account) -> None:
    r = login(client, account.email)
    assert r.status_code == 200
    data = r.json()["data"]
    # 000
    assert data["accessToken"] and data["refreshToken"] and data["expiresIn"] > 0
    assert data["user"]["firstName"] == "Test" and data["user"]["lastName"] == "User"
    # 001
    assert data["token"] == data["accessToken"] and data["user"]["tenantId"] == account.tenant_id
    # 002
    assert data["tokens"]["accessToken"] == data["accessToken"]
    assert data["tokens"]["refreshToken"] == data["refreshToken"]
    assert data["tokens"]["expiresIn"] == data["expiresIn"] and data["user"]["role"] == "admin"
    assert_clean(r.text)
    me = client.get("/api/users/me", headers=bearer(data["accessToken"]))
    assert me.status_code == 200 and me.json()["data"]["email"] == account.email
    assert [t["id"] for t in me.json()["data"]["tenants"]] == [account.tenant_id]
    assert_clean(me.text)


def test_wrong_password_and_unknown_email_are_401(client: TestClient, account: Account) -> None:
    for address, password in ((account.email, "WrongPass123!"), (email(), PASSWORD)):
        r = login(client, address, password)
        assert r.status_code == 401
        assert r.json()["error"] == {"code": "AUTH_INVALID_CREDENTIALS",
                                     "message": "Invalid email or password", "details": None}
    r = client.post("/api/v1/auth/login", json={"email": account.email, "password": "nope"})
    assert r.status_code == 401 and r.json()["code"] == "AUTH_INVALID_CREDENTIALS"


def test_refresh_rotates_and_reuse_revokes_the_family(client: TestClient, account: Account) -> None:
    first = client.post("/api/auth/refresh", json={"refreshToken": account.refresh_token})
    assert first.status_code == 200
    data = first.json()["data"]
    assert data["token"] and data["token"] == data["accessToken"]  # 001's refresh shape
    assert data["refreshToken"] != account.refresh_token
    assert client.get("/api/users/me", headers=bearer(data["token"])).status_code == 200
    reuse = client.post("/api/auth/refresh", json={"refreshToken": account.refresh_token})
    assert reuse.status_code == 401 and reuse.json()["error"]["code"] == "AUTH_INVALID_TOKEN"
    # the whole login is revoked: the rotated token and every access token of the family
    after = client.post("/api/auth/refresh", json={"refreshToken": data["refreshToken"]})
    assert after.status_code == 401
    for token in (data["token"], account.token):
        assert client.get("/api/users/me", headers=bearer(token)).status_code == 401
    assert login(client, account.email).status_code == 200  # a fresh login still works


def test_refresh_needs_a_token(client: TestClient) -> None:
    r = client.post("/api/auth/refresh", json={})
    assert r.status_code == 422 and r.json()["error"]["code"] == "VALIDATION_ERROR"
    r = client.post("/api/auth/refresh", json={"refreshToken": "rt_made-up"})
    assert r.status_code == 401


def test_logout_revokes_access_and_refresh(client: TestClient, account: Account) -> None:
    r = client.post("/api/auth/logout", headers=account.headers)
    assert r.status_code == 200 and r.json()["success"] is True
    me = client.get("/api/users/me", headers=account.headers)
    assert me.status_code == 401 and me.json()["error"]["code"] == "AUTH_INVALID_TOKEN"
    assert client.get("/api/crm/customers", headers=account.headers).status_code == 401
    assert client.post("/api/auth/refresh", json={"refreshToken": account.refresh_token}
                       ).status_code == 401
    assert client.post("/api/auth/logout").status_code == 401


def test_document_003_login_refresh_me_logout(client: TestClient, account: Account) -> None:
    r = client.post("/api/v1/auth/login", json={"email": account.email, "password": account.password})
    assert r.status_code == 200
    body = r.json()
    assert set(body) >= {"access_token", "refresh_token", "token_type", "expires_in", "user"}
    assert "success" not in body and body["token_type"] == "bearer"
    assert {"id", "email", "full_name", "role", "tenant_id"} <= set(body["user"])
    assert_clean(r.text)
    refreshed = client.post("/api/v1/auth/refresh", json={"refresh_token": body["refresh_token"]})
    assert refreshed.status_code == 200
    tokens = refreshed.json()
    assert tokens["refresh_token"] != body["refresh_token"]
    me = client.get("/api/v1/auth/me", headers=bearer(tokens["access_token"]))
    assert me.status_code == 200
    assert (me.json()["email"], me.json()["tenant_id"], me.json()["role"]) == (
        account.email, account.tenant_id, "admin")
    assert_clean(me.text)
    out = client.post("/api/v1/auth/logout", headers=bearer(tokens["access_token"]))
    assert out.status_code == 200 and out.json()["success"] is True
    gone = client.get("/api/v1/auth/me", headers=bearer(tokens["access_token"]))
    assert gone.status_code == 401 and gone.json()["code"] == "AUTH_INVALID_TOKEN"


def claims_of(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


def test_expired_and_forged_tokens_are_401(client: TestClient, account: Account) -> None:
    claims = claims_of(account.token)
    past = datetime.now(UTC) - timedelta(hours=2)
    expired = jwt.encode({**claims, "iat": past, "nbf": past, "exp": past + timedelta(minutes=5)},
                         get_settings().secret_key, algorithm="HS256")
    r = client.get("/api/users/me", headers=bearer(expired))
    assert r.status_code == 401 and r.json()["error"]["code"] == "AUTH_TOKEN_EXPIRED"
    other_key = jwt.encode(claims, "another-secret-key-that-is-long-enough-0123456789", algorithm="HS256")

    def b64(part: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()

    unsigned = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}."
    wrong_audience = jwt.encode({**claims, "aud": "someone-else"}, get_settings().secret_key,
                                algorithm="HS256")
    for token in (other_key, unsigned, wrong_audience, "garbage", account.token[:-4] + "AAAA"):
        for url in ("/api/users/me", "/api/v1/auth/me", "/api/crm/customers"):
            r = client.get(url, headers=bearer(token))
            assert r.status_code == 401, (token, url)
            assert r.headers["WWW-Authenticate"] == "Bearer"
    assert claims["aud"] == ACCESS_AUDIENCE
    r = client.get("/api/users/me", headers={"Authorization": "Basic abc"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "UNAUTHORIZED"


def test_eleventh_login_in_a_minute_is_429(client: TestClient, account: Account) -> None:
    if time.time() % 60 > 50:  # stay inside one fixed one-minute window
        time.sleep(61 - time.time() % 60)
    LIMITER.clear()  # registering `account` already counted against this address and email
    responses = [login(client, account.email, "WrongPass123!") for _ in range(10)]
    assert [r.status_code for r in responses] == [401] * 10
    assert responses[0].headers["X-RateLimit-Limit"] == "10"
    assert [int(r.headers["X-RateLimit-Remaining"]) for r in responses] == list(range(9, -1, -1))
    blocked = login(client, account.email)  # even the right password
    assert blocked.status_code == 429
    assert blocked.json()["error"]["code"] == "RATE_LIMIT_EXCEEDED"
    assert 1 <= int(blocked.headers["Retry-After"]) <= 60
    assert blocked.headers["X-RateLimit-Limit"] == "10"
    assert blocked.headers["X-RateLimit-Remaining"] == "0"
    v1 = client.post("/api/v1/auth/login", json={"email": account.email, "password": PASSWORD})
    assert v1.status_code == 429 and v1.json()["code"] == "RATE_LIMIT_EXCEEDED"
    assert login(client, email(), "whatever1").status_code == 401  # another account is not locked


def test_tokens_of_one_tenant_cannot_select_another(
    client: TestClient, account: Account, other_account: Account
) -> None:
    for url in ("/api/users/me", "/api/v1/auth/me", "/api/crm/customers"):
        r = client.get(url, headers={**account.headers, "X-Tenant-Id": other_account.tenant_id})
        assert r.status_code == 404, url
    r = client.get("/api/users/me", headers={**account.headers, "X-Tenant-Id": other_account.tenant_id})
    assert r.json()["error"]["code"] == "TENANT_NOT_FOUND"
    r = client.get("/api/users/me", headers={**account.headers, "X-Tenant-Id": account.tenant_id})
    assert r.status_code == 200 and r.json()["data"]["tenantId"] == account.tenant_id
