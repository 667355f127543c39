"""Connections to outside systems, their sync runs, and where every synced record came from.

A `Connection` is one tenant's link to a provider (Shopify, Stripe, HubSpot, a custom REST API):
its non-secret settings, its credentials encrypted (never returned), and the incremental cursor
of each resource it syncs. A `SyncRun` is one sync, visible while it runs (status, progress,
counts, last error) and kept as history. A `SourceRecord` is one record as one source described
it, matched by its source id (so a re-run creates no duplicates) and linked to the entity it fed
(a customer, an order, a deal...): this is the lineage that says where a field came from.

Products, invoices and subscriptions arrive only from connectors, so they live here too.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.ids import utcnow
from store.models.base import Base, IdMixin, TenantOwned, Timestamps
from store.types import JSONType, UTCDateTime


class Connection(IdMixin, TenantOwned, Timestamps, Base):
    __tablename__ = "connections"
    __table_args__ = (
        Index("ix_connections_tenant_created", "tenant_id", "created_at"),
        Index("ix_connections_tenant_type", "tenant_id", "type"),
    )

    type: Mapped[str] = mapped_column(String(40))
    """The connector type: shopify, stripe, hubspot, custom_rest."""
    name: Mapped[str] = mapped_column(String(100))
    """A machine name, unique per tenant among live connections (e.g. "shopify", "my_api")."""
    display_name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="connected")
    """connected, syncing, error, disconnected."""
    config: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    """Non-secret settings (shop domain, base URL, auth type, field mappings, resources)."""
    credentials_encrypted: Mapped[str | None] = mapped_column(Text, nullable=True)
    """The credentials as one encrypted JSON object (tools.connectors.vault); None once
    disconnected, or for a demo connection that never had any."""
    credentials_hint: Mapped[str | None] = mapped_column(String(40), nullable=True)
    """What may be shown of the credentials: the last four characters of the key."""
    credentials_rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    account: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    """What the provider said about the account when credentials were checked (shop name...)."""
    cursors: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    """Per resource: {"since": incremental high-water mark of the last complete sync,
    "page": the page cursor of a sync in progress (resume point), "pending_since": the mark the
    sync in progress will advance to}."""
    record_counts: Mapped[dict[str, int]] = mapped_column(JSONType, default=dict)
    """Records held from this source, by entity type."""
    last_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_sync_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    created_by: Mapped[str | None] = mapped_column(String(36), nullable=True)
    disconnected_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class SyncRun(IdMixin, TenantOwned, Base):
    __tablename__ = "sync_runs"
    __table_args__ = (
        Index("ix_sync_runs_tenant_connection_started", "tenant_id", "connection_id", "started_at"),
        Index("ix_sync_runs_tenant_started", "tenant_id", "started_at"),
    )

    connection_id: Mapped[str] = mapped_column(ForeignKey("connections.id", ondelete="CASCADE"))
    job_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    trigger: Mapped[str] = mapped_column(String(20), default="manual")
    """manual, schedule, connect (the first sync after connecting), demo."""
    status: Mapped[str] = mapped_column(String(20), default="queued")
    """queued, running, succeeded, failed."""
    full: Mapped[bool] = mapped_column(default=False)
    """A full resync (ignores the incremental cursor) rather than an incremental one."""
    resource: Mapped[str | None] = mapped_column(String(40), nullable=True)
    """The resource being synced now."""
    pages: Mapped[int] = mapped_column(Integer, default=0)
    counts: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    """{fetched, created, updated, unchanged, merged, skipped, by_resource: {...}}."""
    null_share: Mapped[dict[str, float]] = mapped_column(JSONType, default=dict)
    """Share of records missing each key field in this run (the trust layer's null-spike signal)."""
    error: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class SourceRecord(IdMixin, TenantOwned, Base):
    __tablename__ = "source_records"
    __table_args__ = (
        UniqueConstraint("connection_id", "resource", "source_id",
                         name="uq_source_records_connection_resource_source"),
        Index("ix_source_records_tenant_entity", "tenant_id", "entity_type", "entity_id"),
        Index("ix_source_records_tenant_connection_synced", "tenant_id", "connection_id",
              "last_synced_at"),
    )

    connection_id: Mapped[str] = mapped_column(ForeignKey("connections.id", ondelete="CASCADE"))
    connector: Mapped[str] = mapped_column(String(40))
    """The connector type (shopify...), kept so lineage reads without a join."""
    resource: Mapped[str] = mapped_column(String(40))
    source_id: Mapped[str] = mapped_column(String(200))
    entity_type: Mapped[str] = mapped_column(String(20))
    """customer, order, deal, product, invoice, subscription, company."""
    entity_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    values: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    """The fields this source supplied, by our field names, as it supplied them."""
    content_hash: Mapped[str] = mapped_column(String(64))
    """Hash of `values`: an unchanged record is recognised and not written again."""
    merged_by: Mapped[str | None] = mapped_column(String(40), nullable=True)
    """How this record was matched to an existing entity ("email", "source_id"), or None
    when it created the entity."""
    merge_confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    source_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_synced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sync_run_id: Mapped[str | None] = mapped_column(String(36), nullable=True)


class Product(IdMixin, TenantOwned, Timestamps, Base):
    __tablename__ = "products"
    __table_args__ = (Index("ix_products_tenant_created", "tenant_id", "created_at"),)

    name: Mapped[str] = mapped_column(String(300))
    sku: Mapped[str | None] = mapped_column(String(100), nullable=True)
    price: Mapped[Decimal | None] = mapped_column(Numeric(14, 2), nullable=True)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    status: Mapped[str] = mapped_column(String(20), default="active")
    source: Mapped[str] = mapped_column(String(40), default="manual")


class Invoice(IdMixin, TenantOwned, Timestamps, Base):
    __tablename__ = "invoices"
    __table_args__ = (
        Index("ix_invoices_tenant_issued", "tenant_id", "issued_at"),
        Index("ix_invoices_tenant_status_due", "tenant_id", "status", "due_date"),
    )

    customer_id: Mapped[str | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL"), nullable=True, index=True)
    number: Mapped[str | None] = mapped_column(String(100), nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="open")
    """draft, open, paid, void, uncollectible (Stripe's invoice statuses)."""
    amount_due: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=0)
    amount_paid: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=0)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    source: Mapped[str] = mapped_column(String(40), default="stripe")


class Subscription(IdMixin, TenantOwned, Timestamps, Base):
    __tablename__ = "subscriptions"
    __table_args__ = (Index("ix_subscriptions_tenant_created", "tenant_id", "created_at"),)

    customer_id: Mapped[str | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL"), nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(20), default="active")
    plan: Mapped[str | None] = mapped_column(String(200), nullable=True)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2), nullable=True)
    """The recurring amount per interval."""
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    interval: Mapped[str | None] = mapped_column(String(20), nullable=True)
    current_period_end: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    source: Mapped[str] = mapped_column(String(40), default="stripe")
