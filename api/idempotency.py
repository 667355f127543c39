"""`Idempotency-Key` on creates (DESIGN.md, REST conventions).

A client that retries a create after a timeout must not create twice. Keys are private to one user
in one tenant. The same key with the same request replays the first response (same status and body,
plus `Idempotent-Replayed: true`); the same key with a different request is a 409
IDEMPOTENCY_KEY_REUSED. The key is reserved before the create runs, so concurrent retries cannot
both create; a failed create releases it, so a retry after an error runs again. Keys live 24 hours.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

import anyio
from fastapi import Header, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import IntegrityError

from core.errors import Conflict
from core.ids import utcnow
from store.db import unit_of_work
from store.repositories import idempotency as repo
from tools.context import Principal

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
TTL = timedelta(hours=24)
PENDING_TIMEOUT = timedelta(minutes=2)

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias=HEADER, min_length=1, max_length=255,
        description="Retry-safe creates: a retry with the same key returns the first response.",
    ),
]


@dataclass(frozen=True)
class Replay:
    status_code: int
    body: Any


def request_hash(request: Request, payload: Any) -> str:
    """What "the same request" means: method, path and the validated body (so camelCase and
    snake_case spellings of the same fields count as the same parameters)."""
    raw = json.dumps([request.method, request.url.path, payload], sort_keys=True, default=str,
                     separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()


def _existing(principal: Principal, key: str, digest: str) -> Replay | None:
    now = utcnow()
    with unit_of_work() as session:
        repo.purge_expired(session, principal.tenant_id, principal.user_id, key,
                           expired_before=now - TTL, stale_pending_before=now - PENDING_TIMEOUT)
        record = repo.find(session, principal.tenant_id, principal.user_id, key)
        if record is None:
            return None
        if record.request_hash != digest:
            raise Conflict("This Idempotency-Key was already used with different parameters",
                           code="IDEMPOTENCY_KEY_REUSED", details=[{"field": HEADER,
                                                                    "message": "reused"}])
        if record.status_code == repo.PENDING:
            raise Conflict("A request with this Idempotency-Key is still in progress",
                           code="IDEMPOTENCY_REQUEST_IN_PROGRESS")
        return Replay(record.status_code, record.response_body)


def _reserve(principal: Principal, key: str, digest: str) -> str | None:
    try:
        with unit_of_work() as session:
            return repo.reserve(session, principal.tenant_id, principal.user_id, key, digest).id
    except IntegrityError:
        return None


def claim(principal: Principal, key: str, digest: str) -> Replay | str:
    """The stored response to replay, or the id of a fresh reservation for this request."""
    for _ in range(3):
        replay = _existing(principal, key, digest)
        if replay is not None:
            return replay
        record_id = _reserve(principal, key, digest)
        if record_id is not None:
            return record_id
    raise Conflict("A request with this Idempotency-Key is still in progress",
                   code="IDEMPOTENCY_REQUEST_IN_PROGRESS")


def _complete(record_id: str, status_code: int, body: Any) -> None:
    with unit_of_work() as session:
        repo.complete(session, record_id, status_code, body)


def _release(record_id: str) -> None:
    with unit_of_work() as session:
        repo.release(session, record_id)


async def once(
    request: Request,
    principal: Principal,
    key: str | None,
    payload: Any,
    create: Callable[[], Awaitable[Response]],
    stored: Callable[[Any], Any] | None = None,
) -> Response:
    """Run `create` at most once per key; without a key it simply runs. `stored` changes the
    body kept for replays (a secret shown once is not kept, so a replay does not show it)."""
    key = key.strip() if key else None
    if not key:
        return await create()
    digest = request_hash(request, payload)
    claimed = await anyio.to_thread.run_sync(claim, principal, key, digest)
    if isinstance(claimed, Replay):
        return JSONResponse(claimed.body, status_code=claimed.status_code, headers={REPLAYED: "true"})
    try:
        response = await create()
    except BaseException:
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(_release, claimed)
        raise
    body = json.loads(bytes(response.body)) if response.body else None
    if stored is not None:
        body = stored(body)
    with anyio.CancelScope(shield=True):
        await anyio.to_thread.run_sync(_complete, claimed, response.status_code, body)
    return response
