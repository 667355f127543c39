"""Automations (document 000's ops copilot, document 001's workflows), their runs, the e-mail
outbox and tasks.

An `Automation` is a trigger (a cron schedule, or a domain event with conditions) and a list of
actions, each with an optional delay. Every firing is one `AutomationRun`, unique per
(automation, trigger key) — the cron tick or the event id — so a tick or an event seen twice
still runs once; the run keeps each action's outcome. Every e-mail an automation sends is an
`EmailOutbox` row: sent through SMTP (transport `smtp`) or, with no SMTP configured, kept queued
in the outbox (transport `outbox`) for the API to show; nothing pretends to have been delivered.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.ids import utcnow
from store.models.base import Base, IdMixin, TenantOwned, Timestamps
from store.types import JSONType, UTCDateTime


class Automation(IdMixin, TenantOwned, Timestamps, Base):
    __tablename__ = "automations"
    __table_args__ = (
        Index("ix_automations_tenant_created", "tenant_id", "created_at"),
        Index("ix_automations_tenant_kind_status", "tenant_id", "kind", "status"),
        Index("ix_automations_kind_status_next", "kind", "status", "next_run_at"),
    )

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    kind: Mapped[str] = mapped_column(String(20))
    """schedule or event."""
    trigger: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    """{type, cron, timezone} or {type, event, conditions}."""
    actions: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    status: Mapped[str] = mapped_column(String(20), default="active")
    """active or paused."""
    origin: Mapped[str] = mapped_column(String(20), default="ops_copilot")
    """Where it was made: ops_copilot, workflow (document 001) or assistant."""
    created_by: Mapped[str | None] = mapped_column(String(36), nullable=True)
    next_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    run_count: Mapped[int] = mapped_column(Integer, default=0)


class AutomationRun(IdMixin, TenantOwned, Base):
    __tablename__ = "automation_runs"
    __table_args__ = (
        UniqueConstraint("automation_id", "trigger_key", name="uq_automation_runs_trigger"),
        Index("ix_automation_runs_tenant_started", "tenant_id", "started_at"),
        Index("ix_automation_runs_automation_started", "automation_id", "started_at"),
    )

    automation_id: Mapped[str] = mapped_column(ForeignKey("automations.id", ondelete="CASCADE"))
    automation_name: Mapped[str] = mapped_column(String(200), default="")
    trigger_key: Mapped[str] = mapped_column(String(120))
    """tick:<ISO time> or event:<event id>: one run per tick or event."""
    trigger: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="running")
    """running (steps still to come), succeeded, partial (some actions failed), failed."""
    steps_total: Mapped[int] = mapped_column(Integer, default=1)
    outcomes: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    """One entry per action: {step, index, type, status, detail, transport, counts, at}."""
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class EmailOutbox(IdMixin, TenantOwned, Base):
    __tablename__ = "email_outbox"
    __table_args__ = (
        Index("ix_email_outbox_tenant_created", "tenant_id", "created_at"),
        Index("ix_email_outbox_tenant_status_created", "tenant_id", "status", "created_at"),
    )

    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body_html: Mapped[str] = mapped_column(Text, default="")
    body_text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="queued")
    """queued (kept in the outbox: no SMTP configured), sent, failed."""
    transport: Mapped[str] = mapped_column(String(20), default="outbox")
    """smtp or outbox."""
    customer_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    automation_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    run_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Task(IdMixin, TenantOwned, Timestamps, Base):
    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_tenant_created", "tenant_id", "created_at"),
        Index("ix_tasks_tenant_status_due", "tenant_id", "status", "due_date"),
    )

    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    customer_id: Mapped[str | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL"), nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(20), default="open")
    """open or done."""
    automation_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    run_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
