"""What the security rules look at: one read of the workspace's real setup.

Gathered once per score so every rule judges the same moment: the team (role, MFA, last
activity), API keys, webhooks, live connector credentials, and how the database is stored."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from core.settings import get_settings
from store.models import ApiKey, Connection, Membership, User, Webhook


@dataclass(frozen=True)
class Member:
    user_id: str
    email: str
    role: str
    mfa: bool
    joined_at: datetime
    last_active_at: datetime | None


@dataclass(frozen=True)
class Key:
    id: str
    name: str
    owner_email: str
    created_at: datetime
    last_used_at: datetime | None


@dataclass(frozen=True)
class Hook:
    id: str
    url: str
    failure_count: int
    active: bool


@dataclass(frozen=True)
class Credential:
    id: str
    name: str
    since: datetime
    """When the stored credentials were last set (connected or rotated)."""


@dataclass(frozen=True)
class Database:
    dialect: str
    world_readable: bool | None
    """SQLite: whether the file (or its folder) can be read by other users; None if unknown."""
    tls: bool | None
    """PostgreSQL: whether the connection asks for TLS (sslmode require/verify-*)."""


@dataclass(frozen=True)
class Posture:
    now: datetime
    members: list[Member]
    keys: list[Key]
    hooks: list[Hook]
    credentials: list[Credential]
    database: Database
    password_min_length: int


def _members(session: Session, tenant_id: str) -> list[Member]:
    rows = session.execute(select(User, Membership).join(Membership, Membership.user_id == User.id)
                           .where(Membership.tenant_id == tenant_id, User.is_active.is_(True)))
    return [Member(u.id, u.email, m.role, bool(u.mfa_enabled), m.created_at, u.last_active_at)
            for u, m in rows]


def _keys(session: Session, tenant_id: str) -> list[Key]:
    rows = session.execute(select(ApiKey, User.email).join(User, User.id == ApiKey.user_id)
                           .where(ApiKey.tenant_id == tenant_id, ApiKey.revoked_at.is_(None)))
    return [Key(k.id, k.name, email, k.created_at, k.last_used_at) for k, email in rows]


def _database() -> Database:
    url = make_url(get_settings().database_url)
    if url.get_backend_name() == "sqlite":
        return Database("sqlite", _world_readable(url.database), None)
    mode = str(url.query.get("sslmode", "")).lower()
    return Database(url.get_backend_name(), None, mode in ("require", "verify-ca", "verify-full"))


def _world_readable(path: str | None) -> bool | None:
    if not path or path == ":memory:":
        return None
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    return bool(mode & (stat.S_IRGRP | stat.S_IROTH)) and _folder_open(Path(path).parent)


def _folder_open(folder: Path) -> bool:
    """A readable file in a folder others cannot enter is still private."""
    try:
        return bool(os.stat(folder).st_mode & (stat.S_IXGRP | stat.S_IXOTH))
    except OSError:
        return True


def gather(session: Session, tenant_id: str, now: datetime) -> Posture:
    hooks = [Hook(h.id, h.url, h.failure_count, h.active)
             for h in session.scalars(select(Webhook).where(Webhook.tenant_id == tenant_id))]
    creds = [Credential(c.id, c.display_name, c.credentials_rotated_at or c.created_at)
             for c in session.scalars(select(Connection).where(
                 Connection.tenant_id == tenant_id, Connection.credentials_encrypted.is_not(None)))]
    return Posture(now, _members(session, tenant_id), _keys(session, tenant_id), hooks, creds,
                   _database(), get_settings().password_min_length)
