"""The security score's named rules. Each judges one thing about the real setup, returns a score
in [0, 1] (None when it has nothing to judge) with the counts behind it, and the issues it found,
each with how to fix it and the endpoint or tool that does."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from tools.security.posture import Posture

STALE_DAYS = 90
ROLE_WEIGHT = {"admin": 3.0, "analyst": 2.0, "user": 1.0}
"""MFA matters more the more an account can do: an admin counts three times a user."""


@dataclass(frozen=True)
class Finding:
    key: str
    severity: str
    title: str
    category: str
    fix: str
    endpoint: str | None = None
    tool: str | None = None


@dataclass(frozen=True)
class RuleResult:
    rule: str
    category: str
    score: float | None
    checked: int
    passed: int
    detail: str
    findings: list[Finding] = field(default_factory=list)


def mfa_adoption(p: Posture) -> RuleResult:
    """Role-weighted share of active members with MFA on."""
    total = sum(ROLE_WEIGHT.get(m.role, 1.0) for m in p.members)
    covered = sum(ROLE_WEIGHT.get(m.role, 1.0) for m in p.members if m.mfa)
    missing = [m for m in p.members if not m.mfa]
    findings = []
    if missing:
        admins = [m for m in missing if m.role == "admin"]
        findings.append(Finding(
            "mfa_missing", "high" if admins else "medium",
            f"{len(missing)} user{'s' if len(missing) != 1 else ''} without MFA"
            + (f" ({len(admins)} admin{'s' if len(admins) != 1 else ''})" if admins else ""),
            "authentication", "Each of them enables MFA from their account: POST /api/v1/mfa/enable, "
            "then confirms with a code at POST /api/v1/mfa/verify.",
            "/api/v1/mfa/enable", "team_security"))
    score = covered / total if total else None
    return RuleResult("mfa_adoption", "mfaAdoption", score, len(p.members),
                      len(p.members) - len(missing),
                      f"{len(p.members) - len(missing)} of {len(p.members)} members use MFA "
                      "(admins weighted 3, analysts 2, users 1)", findings)


def admin_share(p: Posture) -> RuleResult:
    """Admins beyond a third of the team (at least one allowed) lower the score proportionally."""
    n = len(p.members)
    admins = sum(1 for m in p.members if m.role == "admin")
    allowed = max(1, math.ceil(n / 3))
    excess = max(0, admins - allowed)
    findings = []
    if excess:
        findings.append(Finding(
            "too_many_admins", "medium", f"{admins} of {n} members are admins",
            "access_control", f"Give admin rights to at most {allowed}; make the others analysts "
            "or users.", "/api/v1/workspaces/{workspaceId}/members", "list_workspace_members"))
    score = 1 - excess / n if n else None
    return RuleResult("admin_share", "accessControl", score, n, n - excess,
                      f"{admins} admin{'s' if admins != 1 else ''} among {n} members "
                      f"(up to {allowed} expected)", findings)


def dormant_accounts(p: Posture) -> RuleResult:
    """Members who joined over 90 days ago and have not been active for 90 days."""
    cutoff = p.now - timedelta(days=STALE_DAYS)
    dormant = [m for m in p.members if m.joined_at < cutoff
               and (m.last_active_at is None or m.last_active_at < cutoff)]
    findings = []
    if dormant:
        findings.append(Finding(
            "dormant_accounts", "medium",
            f"{len(dormant)} account{'s' if len(dormant) != 1 else ''} unused for {STALE_DAYS} days",
            "access_control", "Remove members who no longer need access, or ask them to sign in.",
            "/api/v1/workspaces/{workspaceId}/members", "team_security"))
    n = len(p.members)
    return RuleResult("dormant_accounts", "accessControl", 1 - len(dormant) / n if n else None, n,
                      n - len(dormant), f"{len(dormant)} of {n} members inactive for "
                      f"{STALE_DAYS}+ days", findings)


def api_key_hygiene(p: Posture) -> RuleResult:
    """Live API keys older than 90 days, or never used 30 days after they were made."""
    old = [k for k in p.keys if k.created_at < p.now - timedelta(days=STALE_DAYS)]
    idle = [k for k in p.keys if k not in old and k.last_used_at is None
            and k.created_at < p.now - timedelta(days=30)]
    findings = []
    if old:
        findings.append(Finding(
            "api_keys_old", "medium", f"{len(old)} API key{'s' if len(old) != 1 else ''} older "
            f"than {STALE_DAYS} days", "access_control", "Create new keys where they are needed "
            "and revoke the old ones.", "/api/v1/api-keys/{id}", "revoke_api_keys"))
    if idle:
        findings.append(Finding(
            "api_keys_unused", "low", f"{len(idle)} API key{'s' if len(idle) != 1 else ''} never "
            "used", "access_control", "Revoke keys nobody uses.", "/api/v1/api-keys/{id}",
            "revoke_api_keys"))
    bad = len(old) + len(idle)
    n = len(p.keys)
    return RuleResult("api_key_hygiene", "accessControl", 1 - bad / n if n else None, n, n - bad,
                      f"{bad} of {n} live API keys old or unused", findings)


def database_at_rest(p: Posture) -> RuleResult:
    """SQLite: the file is not readable by other users. PostgreSQL: the connection uses TLS."""
    db = p.database
    findings = []
    if db.dialect == "sqlite" and db.world_readable:
        findings.append(Finding(
            "database_file_readable", "high", "The database file can be read by other users of "
            "the server", "data_protection", "Restrict it: chmod 600 on the database file (or 700 "
            "on its folder)."))
    if db.dialect != "sqlite" and not db.tls:
        findings.append(Finding(
            "database_without_tls", "high", "The database connection does not require TLS",
            "data_protection", "Add ?sslmode=require (or verify-full) to DATABASE_URL."))
    ok = db.world_readable is False if db.dialect == "sqlite" else bool(db.tls)
    known = db.world_readable is not None if db.dialect == "sqlite" else True
    detail = (f"SQLite file {'private' if ok else 'readable by others'}" if db.dialect == "sqlite"
              else f"{db.dialect} connection {'with' if ok else 'without'} TLS")
    return RuleResult("database_at_rest", "dataEncryption", (1.0 if ok else 0.0) if known else None,
                      1 if known else 0, 1 if ok else 0, detail, findings)


def webhook_security(p: Posture) -> RuleResult:
    """Webhooks deliver over https and are not failing (3+ failures in a row)."""
    plain = [h for h in p.hooks if h.url.lower().startswith("http://")]
    failing = [h for h in p.hooks if h.active and h.failure_count >= 3]
    findings = []
    if plain:
        findings.append(Finding(
            "webhooks_plain_http", "medium", f"{len(plain)} webhook{'s' if len(plain) != 1 else ''} "
            "deliver over plain http", "data_protection", "Point them at https URLs.",
            "/api/webhooks/{id}", "update_webhook"))
    if failing:
        findings.append(Finding(
            "webhooks_failing", "low", f"{len(failing)} webhook{'s' if len(failing) != 1 else ''} "
            "failing", "data_protection", "Fix the receiver or pause the webhook.",
            "/api/webhooks/{id}", "webhook_health"))
    bad = {h.id for h in plain} | {h.id for h in failing}
    n = len(p.hooks)
    return RuleResult("webhook_security", "dataEncryption", 1 - len(bad) / n if n else None, n,
                      n - len(bad), f"{len(bad)} of {n} webhooks on http or failing", findings)


def connector_credentials(p: Posture) -> RuleResult:
    """Connector credentials set (or rotated) within the last 90 days."""
    stale = [c for c in p.credentials if c.since < p.now - timedelta(days=STALE_DAYS)]
    findings = []
    if stale:
        findings.append(Finding(
            "connector_credentials_stale", "medium",
            f"{len(stale)} integration credential{'s' if len(stale) != 1 else ''} not rotated in "
            f"{STALE_DAYS} days", "data_protection", "Issue a new key at the provider and reconnect "
            "the integration with it.", "/api/connectors/{type}/connect", "connect_integration"))
    n = len(p.credentials)
    return RuleResult("connector_credentials", "dataEncryption", 1 - len(stale) / n if n else None,
                      n, n - len(stale), f"{len(stale)} of {n} connector credentials older than "
                      f"{STALE_DAYS} days", findings)


def password_policy(p: Posture) -> RuleResult:
    """Minimum password length: 12+ full marks, each character short of it costs an eighth."""
    length = p.password_min_length
    score = max(0.0, min(1.0, 1 - (12 - length) / 8))
    findings = []
    if length < 12:
        findings.append(Finding(
            "password_policy_short", "low", f"Passwords may be as short as {length} characters",
            "compliance", "Set PASSWORD_MIN_LENGTH=12 (or more) and restart the server."))
    return RuleResult("password_policy", "compliance", score, 1, 1 if length >= 12 else 0,
                      f"minimum password length {length} (12 recommended)", findings)


RULES: tuple[Callable[[Posture], RuleResult], ...] = (
    mfa_adoption, admin_share, dormant_accounts, api_key_hygiene, database_at_rest,
    webhook_security, connector_credentials, password_policy)
