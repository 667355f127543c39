"""Writing the audit trail: one row per tool call (tools.runtime) and per sign-in event, with
secrets taken out of the arguments before they are stored."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from store.db import unit_of_work
from store.models import AuditLog

log = logging.getLogger("bizpilot.audit")

REDACTED = "[redacted]"
SENSITIVE_WORDS = ("password", "secret", "token", "credential", "api_key", "apikey", "auth_config",
                   "authconfig", "private_key")
SENSITIVE_NAMES = frozenset({"code", "key", "authorization", "backup_code"})


def sensitive(name: str) -> bool:
    lowered = name.lower()
    return lowered in SENSITIVE_NAMES or any(word in lowered for word in SENSITIVE_WORDS)


def redact(value: Any) -> Any:
    """Arguments as the audit log may keep them: every value under a secret-looking key is
    replaced, at any depth (credentials objects, headers, MFA codes, passwords)."""
    if isinstance(value, dict):
        return {k: (REDACTED if isinstance(k, str) and sensitive(k) and v not in (None, "")
                    else redact(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def record(session: Session, *, tenant_id: str, user_id: str | None, source: str, action: str,
           arguments: dict[str, Any] | None = None, outcome: str = "ok",
           error_code: str | None = None, summary: str | None = None,
           conversation_id: str | None = None) -> None:
    session.add(AuditLog(tenant_id=tenant_id, user_id=user_id, source=source, tool=action,
                         arguments=redact(arguments or {}), outcome=outcome, error_code=error_code,
                         summary=summary, conversation_id=conversation_id))


def record_apart(**fields: Any) -> None:
    """Record in a transaction of its own (the caller's was rolled back). Never raises: an
    audit failure must not mask the error being reported."""
    try:
        with unit_of_work(fields["tenant_id"]) as session:
            record(session, **fields)
    except Exception:
        log.exception("could not audit %s", fields.get("action"))
