"""What the trust layer and the data-quality trends remember.

A `QualitySnapshot` is the quality dimensions of one source (or of all, `source="all"`) on one
day, so `/api/data-lineage/trends` shows real history. A `TrustIncident` opens when a signal
crosses its threshold (a stale sync, failing syncs, a drop in records, a spike in nulls) and
resolves itself when the signal clears; it is kept as history either way.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.ids import utcnow
from store.models.base import Base, IdMixin, TenantOwned
from store.types import JSONType, UTCDateTime


class QualitySnapshot(IdMixin, TenantOwned, Base):
    __tablename__ = "quality_snapshots"
    __table_args__ = (
        UniqueConstraint("tenant_id", "source", "day", name="uq_quality_snapshots_tenant_source_day"),
        Index("ix_quality_snapshots_tenant_day", "tenant_id", "day"),
    )

    source: Mapped[str] = mapped_column(String(100))
    """A connection's name, or "all" for the tenant's overall figures."""
    day: Mapped[date] = mapped_column(Date)
    overall: Mapped[float] = mapped_column(Float)
    dimensions: Mapped[dict[str, float]] = mapped_column(JSONType, default=dict)
    records: Mapped[int] = mapped_column(default=0)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TrustIncident(IdMixin, TenantOwned, Base):
    __tablename__ = "trust_incidents"
    __table_args__ = (
        Index("ix_trust_incidents_tenant_opened", "tenant_id", "opened_at"),
        Index("ix_trust_incidents_tenant_status_opened", "tenant_id", "status", "opened_at"),
        Index("ix_trust_incidents_tenant_connection_signal", "tenant_id", "connection_id", "signal"),
    )

    connection_id: Mapped[str | None] = mapped_column(
        ForeignKey("connections.id", ondelete="SET NULL"), nullable=True)
    platform: Mapped[str] = mapped_column(String(100))
    """The connection's name (shopify, stripe, hubspot, a custom connector's name)."""
    signal: Mapped[str] = mapped_column(String(40))
    """freshness, error_rate, record_drop, null_spike (tools.trust.signals)."""
    severity: Mapped[str] = mapped_column(String(20))
    """low, medium, high, critical."""
    status: Mapped[str] = mapped_column(String(20), default="open")
    """open, resolved."""
    title: Mapped[str] = mapped_column(String(300))
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
