"""Webhook subscriptions and their delivery log.

A `Webhook` is a tenant's subscription: a URL, the event types it wants, and a signing secret
kept encrypted (it must be recoverable to sign with; it is never shown again after it is issued).
A `WebhookDelivery` is one event for one webhook (unique per pair, so an event is never queued
twice for the same subscription); each try to deliver it is a `WebhookAttempt`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.ids import utcnow
from store.models.base import Base, IdMixin, TenantOwned, Timestamps
from store.types import JSONType, UTCDateTime


class Webhook(IdMixin, TenantOwned, Timestamps, Base):
    __tablename__ = "webhooks"
    __table_args__ = (Index("ix_webhooks_tenant_created", "tenant_id", "created_at"),)

    url: Mapped[str] = mapped_column(String(2048))
    events: Mapped[list[str]] = mapped_column(JSONType, default=list)
    description: Mapped[str | None] = mapped_column(String(500), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    format: Mapped[str] = mapped_column(String(20), default="standard")
    """"standard": {id, event, timestamp, data} (documents 000, 001, 004); "extended": {eventId,
    eventType, timestamp, data, signature} (document 002)."""
    secret_encrypted: Mapped[str] = mapped_column(Text)
    previous_secret_encrypted: Mapped[str | None] = mapped_column(Text, nullable=True)
    previous_secret_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    secret_rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_by: Mapped[str | None] = mapped_column(String(36), nullable=True)
    failure_count: Mapped[int] = mapped_column(Integer, default=0)
    """Failed attempts since the last success."""
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(500), nullable=True)


class WebhookDelivery(IdMixin, TenantOwned, Base):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("webhook_id", "event_id", name="uq_webhook_deliveries_webhook_event"),
        Index("ix_webhook_deliveries_tenant_webhook_created", "tenant_id", "webhook_id", "created_at"),
        Index("ix_webhook_deliveries_tenant_created", "tenant_id", "created_at"),
        Index("ix_webhook_deliveries_tenant_status", "tenant_id", "status"),
        Index("ix_webhook_deliveries_tenant_event", "tenant_id", "event_id"),
    )

    webhook_id: Mapped[str] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    """The body before signing; each attempt signs it afresh (a rotated secret applies)."""
    status: Mapped[str] = mapped_column(String(20), default="pending")
    """pending (queued), retrying (failed, another attempt scheduled), succeeded, failed."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    request_body: Mapped[str | None] = mapped_column(Text, nullable=True)
    response_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    response_excerpt: Mapped[str | None] = mapped_column(Text, nullable=True)
    error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    duration_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    retry_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    """Failed attempts are retried with backoff until this moment, then the delivery fails."""


class WebhookAttempt(IdMixin, TenantOwned, Base):
    __tablename__ = "webhook_attempts"
    __table_args__ = (
        UniqueConstraint("delivery_id", "number", name="uq_webhook_attempts_delivery_number"),
        Index("ix_webhook_attempts_tenant_delivery", "tenant_id", "delivery_id"),
    )

    delivery_id: Mapped[str] = mapped_column(ForeignKey("webhook_deliveries.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    """succeeded or failed."""
    response_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    response_excerpt: Mapped[str | None] = mapped_column(Text, nullable=True)
    error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    duration_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)
    manual: Mapped[bool] = mapped_column(Boolean, default=False)
    """A redelivery someone asked for (not an automatic retry)."""
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
