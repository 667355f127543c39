"""Idempotency keys: (tenant, user, key) -> the first response to a create.

Not tenant-scoped through `store.scoping` (the table is not TenantOwned): every query names the
tenant and the user explicitly, because keys are private to one caller in one tenant.
A record is first *reserved* (status 0) before the create runs, so two concurrent retries with the
same key cannot both create; it is *completed* with the response, or *released* if the create fails.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session

from core.ids import utcnow
from store.models import IdempotencyRecord

PENDING = 0


def find(session: Session, tenant_id: str, user_id: str, key: str) -> IdempotencyRecord | None:
    return session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.tenant_id == tenant_id,
            IdempotencyRecord.user_id == user_id,
            IdempotencyRecord.key == key,
        )
    )


def reserve(
    session: Session, tenant_id: str, user_id: str, key: str, request_hash: str
) -> IdempotencyRecord:
    """Insert a pending record. The unique constraint decides between concurrent requests, so
    this raises IntegrityError (on flush or commit) when another request holds the key already;
    call it in a transaction of its own."""
    row = IdempotencyRecord(
        tenant_id=tenant_id, user_id=user_id, key=key, request_hash=request_hash,
        status_code=PENDING, response_body={}, created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def complete(session: Session, record_id: str, status_code: int, body: Any) -> None:
    session.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.id == record_id)
        .values(status_code=status_code, response_body=body)
    )


def release(session: Session, record_id: str) -> None:
    session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == record_id))


def purge_expired(
    session: Session, tenant_id: str, user_id: str, key: str, *, expired_before: datetime,
    stale_pending_before: datetime,
) -> None:
    """Drop this caller's record for `key` if it has expired, or if it is a reservation whose
    request died before completing (a crash must not block the key for good)."""
    session.execute(
        delete(IdempotencyRecord).where(
            IdempotencyRecord.tenant_id == tenant_id,
            IdempotencyRecord.user_id == user_id,
            IdempotencyRecord.key == key,
            or_(
                IdempotencyRecord.created_at < expired_before,
                and_(IdempotencyRecord.status_code == PENDING,
                     IdempotencyRecord.created_at < stale_pending_before),
            ),
        )
    )
