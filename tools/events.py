"""Domain events: a transactional outbox handed to the job system after commit.

- `emit(ctx, "deal.won", data)` adds a `DomainEvent` row to the tool call's own session, so the
  event exists if and only if the change that raised it commits.
- After that transaction commits, the event is dispatched: for every subscriber that wants its
  type, one job `event.<subscriber>` is recorded (dedupe key `event:<subscriber>:<event id>`, so
  each subscriber sees each event once however often it is dispatched) and the event is marked
  `dispatched_at`. Handlers run inside those jobs, with retries, in a worker.
- A process that dies between the commit and the dispatch loses nothing: `events.sweep` (every
  ten seconds, in every worker) dispatches events still undispatched a few seconds after they
  happened.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from core.ids import new_id, utcnow
from store.db import on_commit_collect, unit_of_work
from store.models import DomainEvent
from tools.context import ToolContext
from tools.jobs.runner import (
    JobRequest,
    _load_catalog,
    _where,
    enqueue_many,
    job,
    periodic,
    unregister,
)

log = logging.getLogger("bizpilot.events")

EVENT_TYPES: tuple[str, ...] = (
    # CRM (documents 001, 004)
    "customer.created",
    "customer.updated",
    "customer.deleted",
    "deal.created",
    "deal.updated",
    "deal.stage_changed",
    "deal.won",
    "deal.lost",
    "deal.deleted",
    # insights and integrations (documents 000, 004)
    "insight.generated",
    "insight.critical",
    "integration.synced",
    "integration.failed",
    "automation.completed",
    "security.issue.created",
    # identity and workspaces (documents 002, 004)
    "user.created",
    "user.updated",
    "workspace.created",
    # billing (document 002)
    "credit.purchased",
    "credit.used",
    "payment.completed",
    "payment.failed",
)
"""Every event type the product raises. Webhooks subscribe to these (or to `deal.*`, `*`)."""

SWEEP_CRON = "* * * * * */10"
SWEEP_AFTER = timedelta(seconds=5)
SWEEP_BATCH = 500
_BATCH_KEY = "bizpilot.events"
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")

Handler = Callable[[DomainEvent], None]


@dataclass(frozen=True)
class Subscription:
    name: str
    handler: Handler
    types: frozenset[str] | None

    @property
    def job_name(self) -> str:
        return f"event.{self.name}"

    def wants(self, event_type: str) -> bool:
        return self.types is None or event_type in self.types


_SUBSCRIBERS: dict[str, Subscription] = {}


def subscribe(name: str, handler: Handler, *, types: Iterable[str] | None = None,
              retries: int = 5, base_delay: float = 2.0, max_delay: float = 3600.0) -> None:
    """Call `handler(event)` for every event committed from now on (of `types` only, if given).

    The handler runs inside the job `event.<name>`, in a worker, after the event's transaction
    committed, with no transaction of its own (open a unit of work for what it writes). It runs
    once per event; if it raises, the job is retried with backoff, so it must be idempotent per
    (subscriber, event id) — a retry may follow a partial run."""
    if not _NAME.match(name):
        raise ValueError(f"subscriber name {name!r}: lowercase letters, digits and _")
    wanted = frozenset(types) if types is not None else None
    unknown = (wanted or frozenset()) - set(EVENT_TYPES)
    if unknown:
        raise ValueError(f"unknown event types: {sorted(unknown)}")
    existing = _SUBSCRIBERS.get(name)
    if existing is not None and _where(existing.handler) != _where(handler):
        raise ValueError(f"subscriber {name} is already registered by {_where(existing.handler)}")
    subscription = Subscription(name, handler, wanted)
    _SUBSCRIBERS[name] = subscription
    job(subscription.job_name, retries=retries, base_delay=base_delay,
        max_delay=max_delay)(_deliverer(name))


def unsubscribe(name: str) -> None:
    """Stop dispatching events to `name` and forget its job (for tests and unloaded plugins:
    deliveries already recorded for it then fail as unknown jobs)."""
    subscription = _SUBSCRIBERS.pop(name, None)
    if subscription is not None:
        unregister(subscription.job_name)


def subscribers() -> dict[str, Subscription]:
    return dict(_SUBSCRIBERS)


def _deliverer(name: str) -> Callable[[dict[str, Any]], None]:
    def deliver(payload: dict[str, Any]) -> None:
        event = _event_of(payload)
        if event is None:  # its tenant was deleted meanwhile
            log.info("event %s is gone; nothing to deliver to %s", payload["event_id"], name)
            return
        _SUBSCRIBERS[name].handler(event)

    deliver.__qualname__ = f"deliver_to_{name}"
    return deliver


def _payload(event: Any, dispatched_at: datetime) -> dict[str, Any]:
    """A delivery job's payload: the event itself, so a delivery needs no read of it."""
    return {"event_id": event.id, "type": event.type, "tenant_id": event.tenant_id,
            "sequence": event.sequence, "occurred_at": event.occurred_at.isoformat(),
            "dispatched_at": dispatched_at.isoformat(), "data": event.data}


def _event_of(payload: dict[str, Any]) -> DomainEvent | None:
    """The event a delivery job carries (a detached copy), else the stored one."""
    if "data" not in payload:
        with unit_of_work() as session:
            return session.get(DomainEvent, payload["event_id"])
    return DomainEvent(id=payload["event_id"], type=payload["type"], tenant_id=payload["tenant_id"],
                       sequence=payload["sequence"], data=payload["data"],
                       occurred_at=datetime.fromisoformat(payload["occurred_at"]),
                       dispatched_at=datetime.fromisoformat(payload["dispatched_at"]))


def emit(ctx: ToolContext, type: str, data: dict[str, Any], *,
         tenant_id: str | None = None) -> str:
    """Record that `type` happened, in the caller's transaction; returns the event id.

    `data` must be JSON (a tool output's `.snake()`). `tenant_id` defaults to the caller's
    tenant; capabilities that create a tenant (register, create_workspace) pass the new one."""
    if type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type!r}: add it to tools.events.EVENT_TYPES")
    tenant = tenant_id or ctx.tenant_id
    if not tenant:
        raise ValueError(f"event {type} needs a tenant")
    event_id = new_id()
    ctx.session.add(DomainEvent(id=event_id, tenant_id=tenant, type=type, data=data,
                                occurred_at=ctx.now))
    on_commit_collect(ctx.session, _BATCH_KEY, event_id, after_commit)
    return event_id


def after_commit(event_ids: Iterable[str]) -> None:
    """Hand committed events to the job system (called once their transaction committed). A
    failure here is logged and left to the sweep: the events are in the database."""
    ids = list(event_ids)
    if not ids:
        return
    try:
        dispatch(ids)
    except Exception:
        log.exception("dispatching %d event(s) failed; the sweep will retry", len(ids))


def dispatch(event_ids: Iterable[str], now: datetime | None = None) -> int:
    """Record one job per (subscriber, event) for these events if not yet dispatched, and mark
    them dispatched, in one transaction; the jobs are queued after it commits. Running it twice
    for an event is harmless. Returns how many events it dispatched."""
    ids = sorted(set(event_ids))
    if not ids:
        return 0
    _load_catalog()  # every subscriber of the product is registered
    now = now or utcnow()
    subs = sorted(_SUBSCRIBERS.values(), key=lambda s: s.name)
    with unit_of_work() as session:
        # Marking first takes the rows (and, on SQLite, the write lock) before anything is read:
        # of two dispatchers racing for an event, one gets it and the other nothing.
        rows = session.execute(
            update(DomainEvent)
            .where(DomainEvent.id.in_(ids), DomainEvent.dispatched_at.is_(None))
            .values(dispatched_at=now)
            .returning(DomainEvent.id, DomainEvent.type, DomainEvent.tenant_id, DomainEvent.sequence,
                       DomainEvent.occurred_at, DomainEvent.data)
            .execution_options(synchronize_session=False)
        ).all()
        enqueue_many([JobRequest(sub.job_name, _payload(row, now), tenant_id=row.tenant_id,
                                 dedupe_key=f"event:{sub.name}:{row.id}")
                      for row in sorted(rows, key=lambda r: r.id)
                      for sub in subs if sub.wants(row.type)], session)
    return len(rows)


def sweep_events(older_than: timedelta = SWEEP_AFTER, now: datetime | None = None) -> int:
    """Dispatch every event still undispatched `older_than` after it happened (its process died
    between commit and dispatch, or the dispatch failed). Returns how many it dispatched."""
    cutoff = (now or utcnow()) - older_than
    total = 0
    while True:
        with unit_of_work() as session:
            ids = list(session.scalars(
                select(DomainEvent.id)
                .where(DomainEvent.dispatched_at.is_(None), DomainEvent.occurred_at <= cutoff)
                .order_by(DomainEvent.occurred_at)
                .limit(SWEEP_BATCH)
            ))
        if not ids:
            return total
        done = dispatch(ids)
        total += done
        if done == 0 or len(ids) < SWEEP_BATCH:
            return total


@periodic("events.sweep", SWEEP_CRON)
def _sweep(_payload: dict[str, Any]) -> None:
    count = sweep_events()
    if count:
        log.warning("sweep dispatched %d event(s) that had missed their after-commit dispatch", count)
