"""Short-lived JWT access tokens, opaque rotating refresh tokens, and API keys."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt
from sqlalchemy.orm import Session

from core.errors import InvalidToken, TokenExpired
from core.ids import new_id, utcnow
from core.settings import get_settings
from store.models import ApiKey, RefreshToken
from store.repositories import credentials

ACCESS_AUDIENCE = "bizpilot:access"
API_KEY_PREFIX = "bp_"


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@dataclass(frozen=True)
class AccessClaims:
    user_id: str
    tenant_id: str
    jti: str
    family_id: str | None


def issue_access(user_id: str, tenant_id: str, family_id: str | None) -> tuple[str, int]:
    settings = get_settings()
    now = utcnow()
    ttl = settings.access_token_ttl_seconds
    claims: dict[str, Any] = {
        "sub": user_id,
        "tid": tenant_id,
        "fam": family_id,
        "aud": ACCESS_AUDIENCE,
        "iat": now,
        "nbf": now,
        "exp": now + timedelta(seconds=ttl),
        "jti": new_id(),
    }
    return jwt.encode(claims, settings.secret_key, algorithm="HS256"), ttl


def decode_access(token: str) -> AccessClaims:
    try:
        claims = jwt.decode(
            token,
            get_settings().secret_key,
            algorithms=["HS256"],
            audience=ACCESS_AUDIENCE,
            options={"require": ["exp", "sub", "tid", "aud"]},
        )
    except jwt.ExpiredSignatureError:
        raise TokenExpired("Access token has expired") from None
    except jwt.PyJWTError:
        raise InvalidToken("Token is malformed or invalid") from None
    return AccessClaims(claims["sub"], claims["tid"], claims.get("jti", ""), claims.get("fam"))


def new_refresh(
    session: Session, user_id: str, tenant_id: str, family_id: str | None = None
) -> tuple[RefreshToken, str]:
    raw = "rt_" + secrets.token_urlsafe(48)
    now = utcnow()
    row = RefreshToken(
        user_id=user_id,
        tenant_id=tenant_id,
        family_id=family_id or new_id(),
        token_hash=sha256(raw),
        created_at=now,
        expires_at=now + timedelta(days=get_settings().refresh_token_ttl_days),
    )
    session.add(row)
    session.flush()
    return row, raw


def find_refresh(session: Session, raw: str) -> RefreshToken | None:
    return credentials.refresh_by_hash(session, sha256(raw))


def revoke_family(session: Session, family_id: str, when: datetime | None = None) -> None:
    credentials.revoke_family(session, family_id, when or utcnow())


def revoke_all_refresh(session: Session, user_id: str, when: datetime | None = None) -> int:
    return credentials.revoke_user(session, user_id, when or utcnow())


def new_api_key(session: Session, tenant_id: str, user_id: str, name: str) -> tuple[ApiKey, str]:
    raw = API_KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(tenant_id=tenant_id, user_id=user_id, name=name, prefix=raw[:10],
                 key_hash=sha256(raw))
    session.add(row)
    session.flush()
    return row, raw


def find_api_key(session: Session, raw: str) -> ApiKey | None:
    row = credentials.api_key_by_hash(session, sha256(raw))
    if row is None or row.revoked_at is not None:
        return None
    return row
