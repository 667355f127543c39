"""Work that outlives a request: domain events (the transactional outbox) and job records.

A `DomainEvent` row is written in the same transaction as the change that raises it; a
`JobRecord` is written before its job is handed to the queue, so a restart loses neither.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    Sequence,
    String,
    Text,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column

from core.ids import utcnow
from store.models.base import Base, IdMixin, TenantOwned
from store.types import JSONType, UTCDateTime

EVENT_SEQUENCE = Sequence("domain_events_sequence_seq", metadata=Base.metadata)
"""PostgreSQL numbers events with this sequence. SQLite, which has no sequences, counts in
`sequence_counters` (its writers are serialised, so the counter is just as monotonic)."""


def next_event_sequence(connection: Connection) -> int:
    """The next event number, allocated on `connection` (inside the caller's transaction)."""
    if connection.dialect.name == "postgresql":
        return int(connection.execute(text("SELECT nextval('domain_events_sequence_seq')")).scalar_one())
    value = connection.execute(text(
        "UPDATE sequence_counters SET value = value + 1 WHERE name = 'domain_events' RETURNING value"
    )).scalar()
    if value is None:  # a database created without the migration's seed row
        connection.execute(text("INSERT INTO sequence_counters (name, value) VALUES ('domain_events', 1)"))
        return 1
    return int(value)


def _sequence_default(context: Any) -> int:
    return next_event_sequence(context.connection)


class SequenceCounter(Base):
    """A named counter: how SQLite numbers domain events (PostgreSQL uses a sequence)."""

    __tablename__ = "sequence_counters"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class DomainEvent(IdMixin, TenantOwned, Base):
    """Something that happened to a tenant's data (customer.created, deal.won, ...).

    `id` is the event id receivers deduplicate on; `sequence` orders a tenant's events for replay;
    `dispatched_at` is set once the event's deliveries are recorded as jobs."""

    __tablename__ = "domain_events"
    __table_args__ = (
        Index("ix_domain_events_tenant_sequence", "tenant_id", "sequence"),
        Index("ix_domain_events_undispatched", "occurred_at",
              sqlite_where=text("dispatched_at IS NULL"),
              postgresql_where=text("dispatched_at IS NULL")),
    )

    type: Mapped[str] = mapped_column(String(64), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sequence: Mapped[int] = mapped_column(BigInteger, unique=True, nullable=False,
                                          default=_sequence_default)
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


JOB_STATUSES = ("queued", "running", "retrying", "succeeded", "failed")


class JobRecord(IdMixin, Base):
    """One job, recorded before it is queued. Status moves queued -> running -> succeeded, or
    running -> retrying -> running ... -> failed after `max_attempts`.

    Not TenantOwned: system jobs (sweeps, schedules) belong to no tenant. The job tools filter
    on `tenant_id` explicitly."""

    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_tenant_created", "tenant_id", "created_at"),
        Index("ix_jobs_status_run_at", "status", "run_at"),
    )

    tenant_id: Mapped[str | None] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), nullable=True
    )
    name: Mapped[str] = mapped_column(String(100), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=6)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    run_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    """While running: when a worker that has not finished by then is presumed lost."""
    handed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    """When the job was last handed to the queue (the recovery sweep re-hands stale ones)."""
    dedupe_key: Mapped[str | None] = mapped_column(String(255), unique=True, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
