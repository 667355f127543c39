"""Authentication probes over every protected route (walked from the app, so new routes are covered):
no token, forged, expired, re-signed, revoked and misplaced credentials are all 401 in the route
family's error shape, never a 500; and the auth endpoints' rate limit holds per account and address.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import jwt
import pytest
from fastapi.testclient import TestClient
from helpers import Account, register
from sqlalchemy import text

from api.ratelimit import LIMITER
from core.settings import get_settings
from store.db import unit_of_work
from store.models import ApiKey
from tools.identity.tokens import ACCESS_AUDIENCE, new_api_key

if TYPE_CHECKING:
    from tests.security.conftest import Endpoint, Surface

OTHER_KEY = "an-attackers-own-secret-key-long-enough-for-hs256-000000"


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def claims(account: Account, **changes: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    base = {"sub": account.user_id, "tid": account.tenant_id, "aud": ACCESS_AUDIENCE, "iat": now,
            "nbf": now, "exp": now + timedelta(minutes=30), "jti": uuid.uuid4().hex}
    return {k: v for k, v in {**base, **changes}.items() if v is not None}


def sign(payload: dict[str, Any], key: str | None = None, alg: str = "HS256") -> str:
    return jwt.encode(payload, key or get_settings().secret_key, algorithm=alg)


def unsigned(account: Account) -> str:
    payload = jwt.decode(account.token, options={"verify_signature": False})
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(payload)}."


def revoked_api_key(account: Account) -> str:
    with unit_of_work() as session:
        row, raw = new_api_key(session, account.tenant_id, account.user_id, "revoked")
        session.get(ApiKey, row.id).revoked_at = datetime.now(UTC)  # type: ignore[union-attr]
    return raw


def run_sql(statement: str, **params: Any) -> None:
    with unit_of_work() as session:
        session.execute(text(statement), params)


Forgery = Callable[[TestClient, Account, Account], str]

FORGERIES: dict[str, Forgery] = {
    "garbage": lambda c, a, b: "garbage",
    "other-key": lambda c, a, b: sign(claims(a), OTHER_KEY),
    "alg-none": lambda c, a, b: unsigned(a),
    "signature-stripped": lambda c, a, b: a.token.rsplit(".", 1)[0] + ".",
    "truncated": lambda c, a, b: a.token[:-6],
    "huge": lambda c, a, b: "x" * 10_000,
    "expired": lambda c, a, b: sign(claims(a, iat=datetime.now(UTC) - timedelta(hours=2),
                                          nbf=datetime.now(UTC) - timedelta(hours=2),
                                          exp=datetime.now(UTC) - timedelta(hours=1))),
    "tid-changed-wrong-key": lambda c, a, b: sign(claims(a, tid=b.tenant_id), OTHER_KEY),
    "sub-changed-wrong-key": lambda c, a, b: sign(claims(a, sub=b.user_id), OTHER_KEY),
    "hs384-alg-confusion": lambda c, a, b: sign(claims(a), alg="HS384"),
    "wrong-audience": lambda c, a, b: sign(claims(a, aud="someone-else")),
    "no-expiry": lambda c, a, b: sign(claims(a, exp=None)),
    "refresh-as-access": lambda c, a, b: a.refresh_token,
    "unknown-api-key": lambda c, a, b: "bp_" + uuid.uuid4().hex,
    "revoked-api-key": lambda c, a, b: revoked_api_key(a),
}


def _deleted_user(client: TestClient) -> str:
    victim = register(client)
    run_sql("DELETE FROM users WHERE id = :id", id=victim.user_id)
    return victim.token


def _deactivated_user(client: TestClient) -> str:
    victim = register(client)
    run_sql("UPDATE users SET is_active = :no WHERE id = :id", no=False, id=victim.user_id)
    return victim.token


def _logged_out(client: TestClient) -> str:
    victim = register(client)
    r = client.post("/api/auth/logout", headers=victim.headers, json={"refreshToken": victim.refresh_token})
    assert r.status_code == 200, r.text
    return victim.token


ACCOUNT_STATES: dict[str, Callable[[TestClient], str]] = {
    "deleted-user": _deleted_user,
    "deactivated-user": _deactivated_user,
    "logged-out": _logged_out,
}


def refused_everywhere(surface: Surface, headers: dict[str, str],
                       code: str | None = None) -> list[str | None]:
    return [surface.problem(e, surface.send(e, headers=headers), 401, None if e.family == "mcp" else code)
            for e in surface.protected()]


def pick(surface: Surface, path: str) -> Endpoint:
    method = "POST" if path == "/mcp" else "GET"
    return next(e for e in surface.protected() if e.path == path and e.method == method)


def test_the_walk_finds_every_family(surface: Surface) -> None:
    """The catalogue is not vacuous: it sees the routes of every family, and public ones are few."""
    names = {str(e) for e in surface.protected()}
    assert {"GET /api/crm/customers", "PATCH /api/v1/deals/{deal_id}", "POST /v1/chat/completions",
            "POST /api/auth/logout", "GET /api/v1/auth/me", "POST /mcp"} <= names
    public = {str(e) for e in surface.endpoints if e.public}
    assert "POST /api/auth/login" in public and "POST /api/v1/auth/refresh" in public
    assert all(p.split(" ", 1)[1].startswith(("/api/auth/", "/api/v1/auth/", "/health", "/api/v1",
                                              "/docs", "/openapi.json", "/redoc")) for p in public)


def test_every_protected_route_needs_a_token(surface: Surface, account: Account) -> None:
    problems = refused_everywhere(surface, {}, "UNAUTHORIZED")
    for endpoint in surface.protected():  # control: a real token gets past authentication
        r = surface.send(endpoint, headers={"Authorization": f"Bearer {surface.fresh_token(account)}"})
        if isinstance(r, str) or r.status_code == 401:
            problems.append(f"{endpoint}: a valid token was refused: {r if isinstance(r, str) else r.text}")
    assert not any(problems), surface.report(problems)


@pytest.mark.parametrize("forgery", sorted(FORGERIES))
def test_forged_or_revoked_credentials_are_401(surface: Surface, client: TestClient, account: Account,
                                               other_account: Account, forgery: str) -> None:
    token = FORGERIES[forgery](client, account, other_account)
    code = "AUTH_TOKEN_EXPIRED" if forgery == "expired" else None
    problems = refused_everywhere(surface, {"Authorization": f"Bearer {token}"}, code)
    assert not any(problems), surface.report(problems)


@pytest.mark.parametrize("state", sorted(ACCOUNT_STATES))
def test_tokens_of_gone_accounts_are_401(surface: Surface, client: TestClient, state: str) -> None:
    token = ACCOUNT_STATES[state](client)
    problems = refused_everywhere(surface, {"Authorization": f"Bearer {token}"})
    assert not any(problems), surface.report(problems)


@pytest.mark.parametrize("forgery", ["garbage", "expired", "revoked-api-key"])
def test_bad_credentials_are_401_whatever_tenant_they_ask_for(
    surface: Surface, client: TestClient, account: Account, other_account: Account, forgery: str
) -> None:
    """Authentication comes first: a bad credential never learns whether a tenant exists."""
    token = FORGERIES[forgery](client, account, other_account)
    problems: list[str | None] = []
    for tenant in (other_account.tenant_id, account.tenant_id, "t" * 100, "' OR 1=1 --"):
        headers = {"Authorization": f"Bearer {token}", "X-Tenant-Id": tenant}
        problems += refused_everywhere(surface, headers)
    assert not any(problems), surface.report(problems)


def test_an_api_key_of_a_revoked_key_with_its_own_tenant_is_401(client: TestClient, account: Account) -> None:
    key = revoked_api_key(account)
    r = client.get("/api/crm/customers", headers={"Authorization": f"Bearer {key}",
                                                  "X-Tenant-Id": account.tenant_id})
    assert r.status_code == 401 and r.json()["error"]["code"] == "AUTH_INVALID_TOKEN"


@pytest.mark.parametrize("path", ["/api/users/me", "/api/v1/auth/me", "/v1/models", "/mcp"])
def test_credentials_outside_the_authorization_header_do_not_count(
    surface: Surface, client: TestClient, account: Account, path: str
) -> None:
    endpoint = pick(surface, path)
    misplaced: list[tuple[dict[str, str], dict[str, str]]] = [
        ({}, {"token": account.token}), ({}, {"access_token": account.token}),
        ({}, {"api_key": account.token}),
        ({"Cookie": f"access_token={account.token}; token={account.token}"}, {}),
        ({"X-Api-Key": account.token, "X-Access-Token": account.token}, {}),
        ({"Authorization": account.token}, {}), ({"Authorization": f"Token {account.token}"}, {}),
        ({"Authorization": f"Basic {account.token}"}, {}), ({"Authorization": "Bearer"}, {}),
        ({"Authorization": "Bearer "}, {}), ({"Authorization": f"Bearer {account.token} extra"}, {}),
        ({"Authorization": f"Bearer{account.token}"}, {}),
    ]
    problems = [surface.problem(endpoint, surface.send(endpoint, headers=h, params=q), 401)
                for h, q in misplaced]
    assert not any(problems), surface.report(problems)


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER", "Bearer  ", "bEaReR   "])
def test_the_scheme_is_case_insensitive_and_spacing_tolerant_as_rfc_7235_says(
    surface: Surface, account: Account, scheme: str
) -> None:
    """RFC 7235: the auth scheme is case-insensitive and 1*SP separates it from the credentials;
    REST and MCP read the header the same way."""
    header = {"Authorization": f"{scheme} {account.token}"}
    for path in ("/api/users/me", "/api/v1/auth/me", "/v1/models", "/mcp"):
        r = surface.send(pick(surface, path), headers=header)
        assert not isinstance(r, str) and r.status_code == 200, (path, r)


def test_login_does_not_reveal_whether_an_email_exists(client: TestClient, account: Account) -> None:
    wrong = client.post("/api/auth/login", json={"email": account.email, "password": "WrongPass123!"})
    unknown = client.post("/api/auth/login", json={"email": f"nobody-{uuid.uuid4().hex}@example.com",
                                                   "password": "WrongPass123!"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["error"] | {"details": None} == unknown.json()["error"] | {"details": None}


# --- rate limits on authentication ------------------------------------------------------------------


class FrozenClock:
    """The limiter's clock, fixed mid-window so a test never straddles a minute boundary."""

    def __init__(self) -> None:
        now = int(datetime.now(UTC).timestamp())
        self.now = float(now - now % 60 + 20)

    def time(self) -> float:
        return self.now


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> FrozenClock:
    import api.errors
    import api.ratelimit

    clock = FrozenClock()
    monkeypatch.setattr(api.ratelimit, "time", clock)
    monkeypatch.setattr(api.errors, "time", clock)
    monkeypatch.setattr(get_settings(), "rate_limit_enabled", True)
    return clock


def error_code(path: str, body: dict[str, Any]) -> str:
    return str(body["code"] if path.startswith("/api/v1/") else body["error"]["code"])


@pytest.mark.parametrize("path", ["/api/auth/login", "/api/v1/auth/login"])
def test_the_eleventh_login_attempt_is_429(client: TestClient, account: Account, frozen_clock: FrozenClock,
                                           path: str) -> None:
    LIMITER.clear()  # registering the account was its first authentication request
    wrong = {"email": account.email, "password": "WrongPass123!"}
    attempts = [client.post(path, json=wrong) for _ in range(10)]
    assert [r.status_code for r in attempts] == [401] * 10
    assert [r.headers["X-RateLimit-Remaining"] for r in attempts] == [str(n) for n in range(9, -1, -1)]
    assert all(r.headers["X-RateLimit-Limit"] == "10" for r in attempts)
    eleventh = client.post(path, json={"email": account.email, "password": account.password})
    assert eleventh.status_code == 429, eleventh.text
    assert error_code(path, eleventh.json()) == "RATE_LIMIT_EXCEEDED"
    assert 1 <= int(eleventh.headers["Retry-After"]) <= 60
    assert eleventh.headers["X-RateLimit-Limit"] == "10"
    assert eleventh.headers["X-RateLimit-Remaining"] == "0"
    reset = int(eleventh.headers["X-RateLimit-Reset"])
    assert frozen_clock.now < reset <= frozen_clock.now + 60
    if path.startswith("/api/v1/"):
        assert eleventh.json()["success"] is False and isinstance(eleventh.json()["error"], str)
    else:
        assert eleventh.json()["meta"]["requestId"] == eleventh.headers["x-request-id"]


def test_the_limit_is_per_account_and_not_bypassed_by_spelling_or_headers(
    client: TestClient, account: Account, other_account: Account, frozen_clock: FrozenClock
) -> None:
    LIMITER.clear()
    wrong = {"email": account.email, "password": "WrongPass123!"}
    for _ in range(10):
        client.post("/api/auth/login", json=wrong)
    variants = [{"email": account.email.upper(), "password": "x"},
                {"email": f"  {account.email} ", "password": "x"}]
    for body in variants:
        assert client.post("/api/auth/login", json=body).status_code == 429, body
    spoofed = {"X-Forwarded-For": "203.0.113.7", "X-Real-Ip": "203.0.113.7", "Forwarded": "for=203.0.113.7"}
    assert client.post("/api/auth/login", json=wrong, headers=spoofed).status_code == 429
    assert client.post("/api/v1/auth/login", json=wrong).status_code == 429  # one budget for both paths
    other = client.post("/api/auth/login", json={"email": other_account.email,
                                                 "password": other_account.password})
    assert other.status_code == 200, other.text
