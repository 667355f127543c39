"""Document 004's WebSocket at /ws: the caller's workspace's events, live, resumable.

Connecting:
    ws://HOST/ws?token=<access token or API key>[&workspace_id=<id>][&last_event_id=<id>]
                [&events=deal.created,insight.generated]
The token may instead come in an `Authorization: Bearer` header, or as the first message
`{"type": "auth", "token": "...", "workspace_id"?: "...", "last_event_id"?: "..."}` within 10 s
(browsers cannot set headers). `workspace_id` (or `X-Tenant-Id`) picks one of the caller's own
workspaces; another one is refused like a missing one.

Frames from the server, all JSON text:
- `{"event": "connected", "data": {workspace_id, user_id, heartbeat_seconds, resumed_from}}`
- every domain event of the workspace as `{"event": "deal.created", "data": {...}, "id": <event
  id>, "sequence": <n>, "timestamp": "...Z"}`: 004's `{event, data}` plus what a client needs to
  resume;
- `{"event": "heartbeat", "data": {"timestamp": ..., "last_event_id": ...}}` every
  WS_HEARTBEAT_SECONDS (JSON frames rather than protocol pings, so browser code sees them too);
- `{"event": "error", "data": {"code", "message"}}`, followed by a close for authentication
  problems (4401 bad or revoked token, 4404 workspace not found, 4408 no auth message in time) and
  1013 when a client reads too slowly to keep up (it can reconnect with its last event id).

Messages from the client: `{"type": "resume", "last_event_id": "..."}` replays what followed that
event, `{"type": "ping"}` is answered `{"event": "pong"}`. A reconnect with `last_event_id` gets
every event of the workspace after that one (from `domain_events`, in order) before live ones.
The token is checked again every REAUTH_SECONDS: a revoked or expired one ends the connection.
"""

from __future__ import annotations

import contextlib
import json
import time
from typing import Any

import anyio
import anyio.to_thread
from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from api.deps import authenticate_for_tenant
from api.events import feed as events
from core.errors import AppError, TenantNotFound
from core.ids import iso, utcnow
from core.settings import get_settings
from tools.identity.service import Authenticated

router = APIRouter(tags=["events"])

AUTH_TIMEOUT = 10.0
REAUTH_SECONDS = 60.0
CLOSE_UNAUTHORIZED, CLOSE_NOT_FOUND, CLOSE_AUTH_TIMEOUT, CLOSE_TRY_AGAIN = 4401, 4404, 4408, 1013


class Refused(Exception):
    def __init__(self, code: str, message: str, close: int) -> None:
        super().__init__(message)
        self.code, self.message, self.close = code, message, close


async def _authenticate(token: str, tenant_id: str | None) -> Authenticated:
    if not token:
        raise Refused("UNAUTHORIZED", "A token is required", CLOSE_UNAUTHORIZED)
    try:
        return await anyio.to_thread.run_sync(authenticate_for_tenant, token, tenant_id)
    except TenantNotFound as err:
        raise Refused("TENANT_NOT_FOUND", err.message, CLOSE_NOT_FOUND) from None
    except AppError as err:
        raise Refused(err.code, err.message, CLOSE_UNAUTHORIZED) from None


def _header_token(ws: WebSocket) -> str:
    scheme, _, token = ws.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


class Connection:
    def __init__(self, ws: WebSocket) -> None:
        self.ws = ws
        self.lock = anyio.Lock()
        self.last_sequence = 0
        self.last_event_id: str | None = None
        self.replayed: set[int] = set()

    async def send(self, frame: dict[str, Any]) -> None:
        async with self.lock:
            await self.ws.send_text(json.dumps(frame, default=str, separators=(",", ":")))

    async def error(self, code: str, message: str) -> None:
        await self.send({"event": "error", "data": {"code": code, "message": message}})

    async def deliver(self, event: events.Event) -> None:
        if self.replayed:
            if event.sequence in self.replayed:
                return
            if event.sequence > max(self.replayed):
                self.replayed.clear()  # live events have moved past the replay
        await self.send(event.frame())
        self.last_sequence = max(self.last_sequence, event.sequence)
        self.last_event_id = event.id

    async def replay(self, listener: events.Listener, after: int) -> None:
        """Every event of the tenant after sequence `after`, in order; live events queued
        meanwhile are then skipped if already sent."""
        while True:
            batch = await anyio.to_thread.run_sync(events.events_after, listener.tenant_id, after)
            for event in batch:
                if listener.types is None or event.type in listener.types:
                    await self.send(event.frame())
                    self.last_sequence, self.last_event_id = event.sequence, event.id
                    self.replayed.add(event.sequence)
                after = event.sequence
            if len(batch) < events.BATCH:
                return


async def _first_message(ws: WebSocket) -> dict[str, Any]:
    with anyio.move_on_after(AUTH_TIMEOUT):
        try:
            message = json.loads(await ws.receive_text())
        except (ValueError, TypeError, KeyError):  # not JSON, or a binary frame
            message = None
        if isinstance(message, dict) and message.get("type") == "auth":
            return message
        raise Refused("UNAUTHORIZED", 'Send {"type": "auth", "token": "..."} first', CLOSE_UNAUTHORIZED)
    raise Refused("UNAUTHORIZED", "No authentication within 10 seconds", CLOSE_AUTH_TIMEOUT)


def _types(value: str | None) -> frozenset[str] | None:
    names = frozenset(t.strip() for t in (value or "").split(",") if t.strip())
    return names or None


@router.websocket("/ws")
async def event_stream(ws: WebSocket) -> None:
    await ws.accept()
    conn = Connection(ws)
    params = ws.query_params
    try:
        token = params.get("token") or _header_token(ws)
        tenant = params.get("workspace_id") or params.get("workspaceId") or ws.headers.get("x-tenant-id")
        resume = params.get("last_event_id") or params.get("lastEventId")
        if not token:
            first = await _first_message(ws)
            token = str(first.get("token") or "")
            tenant = str(first.get("workspace_id") or first.get("workspaceId") or tenant or "") or None
            resume = str(first.get("last_event_id") or first.get("lastEventId") or resume or "") or None
        auth = await _authenticate(token, (tenant or "").strip() or None)
    except Refused as refused:
        with contextlib.suppress(Exception):
            await conn.error(refused.code, refused.message)
            await ws.close(refused.close, refused.message[:120])
        return
    except WebSocketDisconnect:
        return
    await _serve(conn, auth, token, resume, _types(params.get("events")))


async def _serve(conn: Connection, auth: Authenticated, token: str, resume: str | None,
                 types: frozenset[str] | None) -> None:
    tenant_id = auth.principal.tenant_id
    listener = events.Listener(tenant_id, types)
    feed = events.feed()
    await feed.add(listener)  # first, so nothing committed during the replay is missed
    heartbeat = get_settings().ws_heartbeat_seconds
    try:
        await conn.send({"event": "connected", "data": {
            "workspace_id": tenant_id, "user_id": auth.principal.user_id,
            "heartbeat_seconds": heartbeat, "resumed_from": resume}})
        if resume:
            await _resume(conn, listener, resume)
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(_read, conn, listener, tasks.cancel_scope)
            tasks.start_soon(_write, conn, listener, heartbeat, token, tenant_id, tasks.cancel_scope)
    except (WebSocketDisconnect, anyio.ClosedResourceError, anyio.BrokenResourceError):
        pass
    except RuntimeError:  # sending on a socket the client already closed
        pass
    finally:
        feed.remove(listener)


async def _resume(conn: Connection, listener: events.Listener, last_event_id: str) -> None:
    after = await anyio.to_thread.run_sync(events.sequence_of, listener.tenant_id, last_event_id)
    if after is None:
        await conn.error("EVENT_NOT_FOUND", f"Event {last_event_id} is unknown here; streaming "
                         "live events only")
        return
    await conn.replay(listener, after)


async def _read(conn: Connection, listener: events.Listener, scope: anyio.CancelScope) -> None:
    try:
        while True:
            received = await conn.ws.receive()
            if received["type"] == "websocket.disconnect":
                raise WebSocketDisconnect(received.get("code", 1000))
            try:
                message = json.loads(received.get("text") or received.get("bytes") or b"")
            except (ValueError, TypeError):
                await conn.error("BAD_MESSAGE", "Messages are JSON objects with a type")
                continue
            kind = message.get("type") if isinstance(message, dict) else None
            if kind == "ping":
                await conn.send({"event": "pong", "data": {"timestamp": iso(utcnow())}})
            elif kind == "resume" and message.get("last_event_id"):
                listener.offer(("resume", str(message["last_event_id"])))
            elif kind == "auth":
                continue  # already authenticated
            else:
                await conn.error("BAD_MESSAGE", f"Unknown message type {kind!r}")
    except WebSocketDisconnect:
        scope.cancel()


async def _write(conn: Connection, listener: events.Listener, heartbeat: float, token: str,
                 tenant_id: str, scope: anyio.CancelScope) -> None:
    next_beat = time.monotonic() + heartbeat
    next_auth = time.monotonic() + REAUTH_SECONDS
    while True:
        if listener.overflowed:
            await conn.error("TOO_SLOW", "The connection fell behind; reconnect with last_event_id")
            await conn.ws.close(CLOSE_TRY_AGAIN)
            scope.cancel()
            return
        now = time.monotonic()
        if now >= next_auth:
            next_auth = now + REAUTH_SECONDS
            try:
                await _authenticate(token, tenant_id)
            except Refused as refused:
                await conn.error(refused.code, refused.message)
                await conn.ws.close(refused.close)
                scope.cancel()
                return
        if now >= next_beat:
            next_beat = now + heartbeat
            await conn.send({"event": "heartbeat", "data": {"timestamp": iso(utcnow()),
                                                            "last_event_id": conn.last_event_id}})
        item: Any = None
        with anyio.move_on_after(max(0.0, min(next_beat, next_auth) - time.monotonic())):
            item = await listener.queue.get()
        if isinstance(item, events.Event):
            await conn.deliver(item)
        elif isinstance(item, tuple) and item[0] == "resume":
            conn.replayed.clear()
            await _resume(conn, listener, item[1])
