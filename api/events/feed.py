"""The live event feed behind /ws: domain events read from the database by sequence and handed to
the connections of their tenant.

One poller per process and event loop (only while someone listens) reads `domain_events` rows
newer than what it has seen, every POLL_SECONDS, and puts each on the queue of every connection of
that row's tenant. Reading the table rather than an in-process bus means an event written by any
process (another API replica, a worker) reaches every connection, and the same table serves
replays. On PostgreSQL a sequence number can commit after a higher one; the poller therefore
re-reads the last LOOKBACK_SECONDS of sequence numbers and passes on only those it has not seen.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import anyio.to_thread
from sqlalchemy import func, select

from core.ids import iso
from store.db import unit_of_work
from store.models import DomainEvent

log = logging.getLogger("bizpilot.ws")

POLL_SECONDS = 0.5
LOOKBACK_SECONDS = 5.0
BATCH = 500
QUEUE_LIMIT = 10_000


@dataclass(frozen=True)
class Event:
    id: str
    tenant_id: str
    type: str
    data: dict[str, Any]
    sequence: int
    occurred_at: datetime

    def frame(self) -> dict[str, Any]:
        """Document 004's {event, data}, plus the id to resume from and the order."""
        return {"event": self.type, "data": self.data, "id": self.id, "sequence": self.sequence,
                "timestamp": iso(self.occurred_at)}


def _event(row: DomainEvent) -> Event:
    return Event(row.id, row.tenant_id, row.type, dict(row.data or {}), int(row.sequence), row.occurred_at)


@dataclass(eq=False)
class Listener:
    tenant_id: str
    types: frozenset[str] | None = None
    queue: asyncio.Queue[Any] = field(default_factory=lambda: asyncio.Queue(QUEUE_LIMIT))
    overflowed: bool = False
    after: int = 0
    """Live events start after this sequence (the latest when the listener joined)."""

    def wants(self, event: Event) -> bool:
        return (event.tenant_id == self.tenant_id and event.sequence > self.after
                and (self.types is None or event.type in self.types))

    def offer(self, item: Any) -> None:
        try:
            self.queue.put_nowait(item)
        except asyncio.QueueFull:
            self.overflowed = True


# --- database reads (blocking: run in a thread) ---------------------------------------------------


def latest_sequence() -> int:
    with unit_of_work() as session:
        return int(session.scalar(select(func.max(DomainEvent.sequence))) or 0)


def sequence_of(tenant_id: str, event_id: str) -> int | None:
    """The sequence of one of the tenant's events (another tenant's id is unknown here)."""
    with unit_of_work(tenant_id) as session:
        value = session.scalar(select(DomainEvent.sequence).where(DomainEvent.id == event_id))
        return int(value) if value is not None else None


def events_after(tenant_id: str, after: int, limit: int = BATCH) -> list[Event]:
    """The tenant's events with a sequence above `after`, in order (tenant-scoped session)."""
    with unit_of_work(tenant_id) as session:
        rows = session.scalars(select(DomainEvent).where(DomainEvent.sequence > after)
                               .order_by(DomainEvent.sequence).limit(limit)).all()
        return [_event(r) for r in rows]


def _new_rows(floor: int, cursor: int, seen: set[int]) -> list[Event]:
    """Rows above `cursor`, plus any between `floor` and `cursor` that committed late (a gap
    that has filled since it was passed)."""
    with unit_of_work() as session:  # every tenant: the feed routes each row to its tenant only
        late = [s for s in session.scalars(select(DomainEvent.sequence).where(
            DomainEvent.sequence > floor, DomainEvent.sequence <= cursor)) if s not in seen]
        rows = list(session.scalars(select(DomainEvent).where(DomainEvent.sequence > cursor)
                                    .order_by(DomainEvent.sequence).limit(BATCH)))
        if late:
            rows += session.scalars(select(DomainEvent).where(DomainEvent.sequence.in_(late[:BATCH])))
        return sorted((_event(r) for r in rows), key=lambda e: e.sequence)


# --- the poller -----------------------------------------------------------------------------------


class Feed:
    def __init__(self) -> None:
        self.listeners: set[Listener] = set()
        self.task: asyncio.Task[None] | None = None
        self.cursor = 0
        self.seen: set[int] = set()
        self.marks: deque[tuple[float, int]] = deque()  # (when, cursor) to compute the lookback floor

    async def add(self, listener: Listener) -> None:
        listener.after = await anyio.to_thread.run_sync(latest_sequence)
        self.listeners.add(listener)
        if self.task is None or self.task.done():  # nobody was listening: start from now
            self.cursor = listener.after
            self.seen.clear()
            self.marks.clear()
            self.task = asyncio.get_running_loop().create_task(self._run())

    def remove(self, listener: Listener) -> None:
        self.listeners.discard(listener)

    def _floor(self, now: float) -> int:
        while self.marks and now - self.marks[0][0] > LOOKBACK_SECONDS:
            self.marks.popleft()
        floor = self.marks[0][1] if self.marks else self.cursor
        self.seen = {s for s in self.seen if s > floor}
        return floor

    def publish(self, events: Iterable[Event]) -> None:
        for event in events:
            self.seen.add(event.sequence)
            self.cursor = max(self.cursor, event.sequence)
            for listener in list(self.listeners):
                if listener.wants(event):
                    listener.offer(event)

    async def _run(self) -> None:
        while self.listeners:
            now = time.monotonic()
            self.marks.append((now, self.cursor))
            floor = self._floor(now)
            try:
                events = await anyio.to_thread.run_sync(_new_rows, floor, self.cursor, set(self.seen))
            except Exception:
                log.exception("reading new events failed; retrying")
                events = []
            self.publish(events)
            if len(events) < BATCH:
                await asyncio.sleep(POLL_SECONDS)

    async def close(self) -> None:
        self.listeners.clear()
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.task


_FEEDS: dict[int, Feed] = {}


def feed() -> Feed:
    """The feed of the running event loop (a TestClient runs its own loop per client)."""
    loop = asyncio.get_running_loop()
    found = _FEEDS.get(id(loop))
    if found is None or getattr(found, "_loop", None) is not loop:
        found = Feed()
        found._loop = loop  # type: ignore[attr-defined]
        _FEEDS[id(loop)] = found
    return found
