"""MFA through the public API: enrolment (document 003's /api/v1/mfa/*), the two-step sign-in on
every login path, and everything that must not get around the second factor."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pyotp
import pytest
from fastapi.testclient import TestClient
from helpers import Account, register

from store.db import unit_of_work
from tools.identity import mfa
from tools.identity.tokens import new_api_key

LOGIN_PATHS = [("/api/auth/login", "/api/auth/login/mfa"),
               ("/api/v1/auth/login", "/api/v1/auth/login/mfa")]


class Clock:
    """The TOTP clock, moved on by whole 30 s steps so each test code is a fresh one."""

    def __init__(self) -> None:
        self.now = time.time()

    def tick(self) -> float:
        self.now += mfa.STEP_SECONDS
        return self.now


@pytest.fixture()
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    c = Clock()
    monkeypatch.setattr(mfa.time, "time", lambda: c.now)
    yield c


def _auth(account: Account) -> dict[str, str]:
    return account.headers


def _enrol(client: TestClient, account: Account, clock: Clock) -> tuple[pyotp.TOTP, list[str]]:
    r = client.post("/api/v1/mfa/enable", headers=_auth(account))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["qr_code_url"].startswith("otpauth://totp/") and body["secret"] in body["qr_code_url"]
    assert len(body["backup_codes"]) == 10 and len(set(body["backup_codes"])) == 10
    totp = pyotp.TOTP(body["secret"])
    r = client.post("/api/v1/mfa/verify", headers=_auth(account),
                    json={"code": totp.at(clock.tick())})
    assert r.status_code == 200, r.text
    assert r.json()["mfa_enabled"] is True
    return totp, body["backup_codes"]


def _password_step(client: TestClient, account: Account, path: str) -> dict[str, Any]:
    r = client.post(path, json={"email": account.email, "password": account.password})
    assert r.status_code == 200, r.text
    body = r.json()
    return body.get("data", body)


def test_enable_does_not_switch_mfa_on_until_a_code_confirms_it(client: TestClient) -> None:
    account = register(client)
    assert client.post("/api/v1/mfa/enable", headers=_auth(account)).status_code == 200
    data = _password_step(client, account, "/api/auth/login")
    assert "accessToken" in data and not data.get("mfaRequired")


def test_wrong_code_does_not_confirm(client: TestClient, clock: Clock) -> None:
    account = register(client)
    client.post("/api/v1/mfa/enable", headers=_auth(account))
    r = client.post("/api/v1/mfa/verify", headers=_auth(account), json={"code": "000000"})
    assert r.status_code == 400 and r.json()["code"] == "MFA_INVALID_CODE"
    assert "accessToken" in _password_step(client, account, "/api/auth/login")


@pytest.mark.parametrize(("login", "second"), LOGIN_PATHS)
def test_login_needs_a_second_step_on_every_path(client: TestClient, clock: Clock, login: str,
                                                 second: str) -> None:
    account = register(client)
    totp, _ = _enrol(client, account, clock)
    first = _password_step(client, account, login)
    assert not any(k in first for k in ("accessToken", "access_token", "token", "refreshToken"))
    flag = first.get("mfaRequired", first.get("mfa_required"))
    assert flag is True and first["challenge"]

    wrong = client.post(second, json={"challenge": first["challenge"], "code": "123456"})
    assert wrong.status_code == 401
    code = totp.at(clock.tick())
    ok = client.post(second, json={"challenge": first["challenge"], "code": code})
    assert ok.status_code == 200, ok.text
    data = ok.json().get("data", ok.json())
    token = data.get("accessToken") or data.get("access_token")
    assert client.get("/api/users/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200

    again = client.post(second, json={"challenge": first["challenge"], "code": totp.at(clock.tick())})
    assert again.status_code == 401, "a challenge completes once"
    replay = _password_step(client, account, login)
    r = client.post(second, json={"challenge": replay["challenge"], "code": code})
    assert r.status_code == 401 and "MFA_INVALID_CODE" in r.text, "a used code is refused"


def test_backup_code_works_once(client: TestClient, clock: Clock) -> None:
    account = register(client)
    _, backups = _enrol(client, account, clock)
    first = _password_step(client, account, "/api/v1/auth/login")
    r = client.post("/api/v1/auth/login/mfa", json={"mfa_token": first["challenge"],
                                                    "code": backups[0].upper()})
    assert r.status_code == 200, r.text
    second = _password_step(client, account, "/api/v1/auth/login")
    r = client.post("/api/v1/auth/login/mfa", json={"challenge": second["challenge"],
                                                    "code": backups[0]})
    assert r.status_code == 401


def test_a_challenge_allows_five_codes(client: TestClient, clock: Clock) -> None:
    account = register(client)
    totp, _ = _enrol(client, account, clock)
    first = _password_step(client, account, "/api/auth/login")
    for _ in range(mfa.MAX_ATTEMPTS):
        client.post("/api/auth/login/mfa", json={"challenge": first["challenge"], "code": "999999"})
    r = client.post("/api/auth/login/mfa", json={"challenge": first["challenge"],
                                                 "code": totp.at(clock.tick())})
    assert r.status_code == 401 and r.json()["error"]["code"] == "AUTH_INVALID_TOKEN"


def test_nothing_issued_before_enrolment_skips_the_second_step(client: TestClient, clock: Clock) -> None:
    account = register(client)
    other = client.post("/api/auth/login", json={"email": account.email,
                                                 "password": account.password}).json()["data"]
    with unit_of_work() as session:
        _, old_key = new_api_key(session, account.tenant_id, account.user_id, "before MFA")
    _enrol(client, account, clock)

    r = client.post("/api/auth/refresh", json={"refreshToken": other["refreshToken"]})
    assert r.status_code == 401, "a refresh token from before enrolment is dead"
    r = client.get("/api/users/me", headers={"Authorization": f"Bearer {other['accessToken']}"})
    assert r.status_code == 401, "so is the access token of that session"
    r = client.get("/api/users/me", headers={"Authorization": f"Bearer {old_key}"})
    assert r.status_code == 401 and "before MFA" in r.text
    assert client.get("/api/users/me", headers=_auth(account)).status_code == 200, \
        "the session that enrolled stays signed in"
    with unit_of_work() as session:
        _, new_key = new_api_key(session, account.tenant_id, account.user_id, "after MFA")
    assert client.get("/api/users/me", headers={"Authorization": f"Bearer {new_key}"}).status_code == 200


def test_disable_needs_a_code_and_then_login_is_one_step(client: TestClient, clock: Clock) -> None:
    account = register(client)
    totp, backups = _enrol(client, account, clock)
    r = client.post("/api/v1/mfa/disable", headers=_auth(account), json={"code": "000000"})
    assert r.status_code == 400
    assert _password_step(client, account, "/api/auth/login").get("mfaRequired") is True
    r = client.post("/api/v1/mfa/disable", headers=_auth(account), json={"code": backups[3]})
    assert r.status_code == 200 and r.json()["mfa_enabled"] is False
    assert "accessToken" in _password_step(client, account, "/api/auth/login")
    r = client.post("/api/v1/mfa/disable", headers=_auth(account), json={"code": totp.at(clock.tick())})
    assert r.status_code == 409


def test_the_secret_is_stored_encrypted(client: TestClient, clock: Clock) -> None:
    from sqlalchemy import text

    account = register(client)
    r = client.post("/api/v1/mfa/enable", headers=_auth(account))
    secret, codes = r.json()["secret"], r.json()["backup_codes"]
    with unit_of_work() as session:
        stored = session.execute(text("SELECT mfa_secret_encrypted FROM users WHERE id = :i"),
                                 {"i": account.user_id}).scalar_one()
        hashes = session.execute(text("SELECT code_hash FROM mfa_backup_codes WHERE user_id = :i"),
                                 {"i": account.user_id}).scalars().all()
    assert secret not in stored
    assert not any(c.replace("-", "") in h for c in codes for h in hashes)


def test_me_reports_mfa(client: TestClient, clock: Clock) -> None:
    account = register(client)
    _enrol(client, account, clock)
    assert client.get("/api/v1/auth/me", headers=_auth(account)).json()["mfa_enabled"] is True
