"""Confirmation tokens for destructive tools: issued by the preview, bound to the tenant, the
user, the tool and the exact arguments, short-lived, and stateless (any replica can check)."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

import jwt

from core.errors import ValidationFailed
from core.settings import get_settings
from tools.context import ToolContext

AUDIENCE = "bizpilot:confirm"


def _args_digest(tool: str, args: dict[str, Any]) -> str:
    clean = {k: v for k, v in args.items() if k != "confirmation_token"}
    raw = json.dumps([tool, clean], sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def issue(ctx: ToolContext, tool: str, args: dict[str, Any]) -> str:
    settings = get_settings()
    claims = {
        "aud": AUDIENCE,
        "sub": ctx.user_id,
        "tid": ctx.tenant_id,
        "tool": tool,
        "args": _args_digest(tool, args),
        "exp": ctx.now + timedelta(seconds=settings.confirmation_ttl_seconds),
    }
    return jwt.encode(claims, settings.secret_key, algorithm="HS256")


def verify(ctx: ToolContext, tool: str, args: dict[str, Any], token: str) -> None:
    """Raise unless the token was issued for this very call by this user in this tenant."""
    bad = ValidationFailed(
        "Invalid or expired confirmation token: call the tool again without one to get a "
        "fresh preview.",
        details=[{"field": "confirmation_token", "message": "invalid or expired"}],
    )
    try:
        claims = jwt.decode(
            token, get_settings().secret_key, algorithms=["HS256"], audience=AUDIENCE
        )
    except jwt.PyJWTError:
        raise bad from None
    expected = (ctx.user_id, ctx.tenant_id, tool, _args_digest(tool, args))
    if (claims.get("sub"), claims.get("tid"), claims.get("tool"), claims.get("args")) != expected:
        raise bad
