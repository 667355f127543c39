"""The security score driven from a poor posture to a good one through the API, the audit trail
people read, and that neither reaches another workspace or a non-admin."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pyotp
import pytest
from fastapi.testclient import TestClient
from helpers import Account, register
from sqlalchemy import select, update

from core.ids import utcnow
from core.settings import get_settings
from store.db import unit_of_work
from store.models import ApiKey, DomainEvent, Membership
from tools.identity import mfa
from tools.identity.tokens import new_api_key


@pytest.fixture()
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    now = [time.time()]
    monkeypatch.setattr(mfa.time, "time", lambda: now[0])
    yield now


def _score(client: TestClient, account: Account) -> dict[str, Any]:
    r = client.get("/api/modules/security/score", headers=account.headers)
    assert r.status_code == 200, r.text
    return dict(r.json()["data"])


def _ids(score: dict[str, Any]) -> dict[str, str]:
    return {i["id"]: i["severity"] for i in score["issues"]}


def _join(owner: Account, member: Account, role: str) -> None:
    with unit_of_work() as session:
        session.add(Membership(user_id=member.user_id, tenant_id=owner.tenant_id, role=role))


def _announced(tenant_id: str) -> list[str]:
    with unit_of_work() as session:
        rows = session.scalars(select(DomainEvent).where(
            DomainEvent.tenant_id == tenant_id, DomainEvent.type == "security.issue.created"))
        return [r.data["issue_id"] for r in rows]


def _enrol(client: TestClient, account: Account, clock: list[float]) -> None:
    secret = client.post("/api/v1/mfa/enable", headers=account.headers).json()["secret"]
    clock[0] += 30
    r = client.post("/api/v1/mfa/verify", headers=account.headers,
                    json={"code": pyotp.TOTP(secret).at(clock[0])})
    assert r.status_code == 200, r.text


def test_poor_to_good_posture(client: TestClient, clock: list[float],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    owner, analyst = register(client), register(client)
    _join(owner, analyst, "analyst")
    with unit_of_work() as session:
        old, _ = new_api_key(session, owner.tenant_id, owner.user_id, "legacy")
        session.execute(update(ApiKey).where(ApiKey.id == old.id)
                        .values(created_at=utcnow() - timedelta(days=200)))
        old_id = old.id

    before = _score(client, owner)
    assert set(before["breakdown"]) == {"mfaAdoption", "accessControl", "dataEncryption", "compliance"}
    issues = _ids(before)
    assert issues["mfa_missing"] == "high" and "api_keys_old" in issues
    assert "password_policy_short" in issues and before["breakdown"]["mfaAdoption"] == 0
    assert before["issues"][0]["severity"] == "high", "most severe first"
    assert all(i["fix"] for i in before["issues"])
    assert _announced(owner.tenant_id) == ["mfa_missing"], "a new high issue is announced once"
    _score(client, owner)
    assert _announced(owner.tenant_id) == ["mfa_missing"]

    _enrol(client, owner, clock)
    middle = _score(client, owner)
    assert middle["breakdown"]["mfaAdoption"] == 60, "admin weighs 3 of 5"
    assert _ids(middle)["mfa_missing"] == "medium" and middle["score"] > before["score"]

    assert client.delete(f"/api/v1/api-keys/{old_id}", headers=owner.headers).status_code == 204
    monkeypatch.setenv("PASSWORD_MIN_LENGTH", "12")
    get_settings.cache_clear()
    try:
        after = _score(client, owner)
    finally:
        monkeypatch.delenv("PASSWORD_MIN_LENGTH")
        get_settings.cache_clear()
    assert "api_keys_old" not in _ids(after) and "password_policy_short" not in _ids(after)
    assert after["breakdown"]["compliance"] == 100 and after["score"] > middle["score"]
    rules = {r["rule"]: r for r in after["rules"]}
    assert rules["mfa_adoption"]["checked"] == 2 and rules["mfa_adoption"]["passed"] == 1


def test_team_security_names_who_has_no_mfa(client: TestClient, clock: list[float]) -> None:
    owner, staff = register(client), register(client)
    _join(owner, staff, "user")
    _enrol(client, owner, clock)
    r = client.get("/api/modules/security/team?withoutMfaOnly=true", headers=owner.headers)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert [m["email"] for m in data["members"]] == [staff.email] and data["withoutMfa"] == 1


def test_password_policy_applies_to_registration(client: TestClient,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PASSWORD_MIN_LENGTH", "12")
    get_settings.cache_clear()
    try:
        r = client.post("/api/auth/register", json={"email": "short@example.com",
                                                    "password": "Short123!", "name": "S"})
    finally:
        monkeypatch.delenv("PASSWORD_MIN_LENGTH")
        get_settings.cache_clear()
    assert r.status_code == 422 and r.json()["error"]["code"] == "VALIDATION_ERROR", r.text


def test_audit_trail_answers_who_deleted_the_deal(client: TestClient) -> None:
    owner = register(client)
    deal = client.post("/api/crm/deals", headers=owner.headers,
                       json={"title": "Acme renewal", "value": 5000}).json()["data"]
    deal_id = deal.get("id") or deal["deal"]["id"]
    assert client.delete(f"/api/crm/deals/{deal_id}", headers=owner.headers).status_code == 204
    client.post("/api/auth/login", json={"email": owner.email, "password": "wrong-password"})

    r = client.get("/api/modules/security/audit-log?search=acme&tool=delete_deal", headers=owner.headers)
    assert r.status_code == 200, r.text
    entries = r.json()["data"]["entries"]
    assert len(entries) == 1 and entries[0]["userEmail"] == owner.email
    assert entries[0]["outcome"] == "ok" and "Acme renewal" in entries[0]["summary"]

    failed = client.get("/api/v1/audit-logs", headers=owner.headers,
                        params={"tool": "login", "outcome": "error"}).json()
    assert failed["pagination"]["total"] == 1
    assert failed["entries"][0]["error_code"] == "AUTH_INVALID_CREDENTIALS"
    assert "wrong-password" not in str(failed)
    bad = client.get("/api/v1/audit-logs?start_date=2026-02-01&end_date=2026-01-01",
                     headers=owner.headers)
    assert bad.status_code == 422


def test_mfa_codes_are_redacted_in_the_audit_trail(client: TestClient, clock: list[float]) -> None:
    owner = register(client)
    client.post("/api/v1/mfa/enable", headers=owner.headers)
    client.post("/api/v1/mfa/verify", headers=owner.headers, json={"code": "123456"})
    entries = client.get("/api/v1/audit-logs?tool=mfa_verify", headers=owner.headers).json()["entries"]
    assert entries and entries[0]["arguments"]["code"] == "[redacted]"


def test_other_workspaces_and_non_admins_see_nothing(client: TestClient) -> None:
    owner, stranger, analyst = register(client), register(client), register(client)
    _join(owner, analyst, "analyst")
    client.post("/api/crm/customers", headers=owner.headers, json={"name": "Private Co"})
    theirs = client.get("/api/v1/audit-logs?search=private", headers=stranger.headers).json()
    assert theirs["pagination"]["total"] == 0
    r = client.get("/api/v1/audit-logs", headers={**stranger.headers, "X-Tenant-Id": owner.tenant_id})
    assert r.status_code == 404
    as_analyst = {**analyst.headers, "X-Tenant-Id": owner.tenant_id}
    assert client.get("/api/v1/audit-logs", headers=as_analyst).status_code == 403
    assert client.get("/api/modules/security/score", headers=as_analyst).status_code == 403
    stranger_score = _score(client, stranger)
    assert stranger_score["rules"][0]["checked"] == 1, "only the stranger's own team"
