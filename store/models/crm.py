"""CRM data: customers, deals and the orders revenue is computed from."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base, IdMixin, TenantOwned, Timestamps
from store.types import JSONType, UTCDateTime


class Customer(IdMixin, TenantOwned, Timestamps, Base):
    __tablename__ = "customers"
    __table_args__ = (
        Index("ix_customers_tenant_created", "tenant_id", "created_at"),
        Index("ix_customers_tenant_status", "tenant_id", "status"),
    )

    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    company: Mapped[str | None] = mapped_column(String(200), nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="lead")
    tags: Mapped[list[str]] = mapped_column(JSONType, default=list)
    custom_fields: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Deal(IdMixin, TenantOwned, Timestamps, Base):
    __tablename__ = "deals"
    __table_args__ = (
        Index("ix_deals_tenant_stage", "tenant_id", "stage"),
        Index("ix_deals_tenant_created", "tenant_id", "created_at"),
        Index("ix_deals_tenant_close", "tenant_id", "expected_close_date"),
    )

    customer_id: Mapped[str | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL"), nullable=True, index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    value: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    stage: Mapped[str] = mapped_column(String(20), default="lead")
    probability: Mapped[int] = mapped_column(Integer, default=10)
    expected_close_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    assigned_to: Mapped[str | None] = mapped_column(String(36), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Order(IdMixin, TenantOwned, Base):
    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_tenant_ordered", "tenant_id", "ordered_at"),
        Index("ix_orders_tenant_customer_ordered", "tenant_id", "customer_id", "ordered_at"),
    )

    customer_id: Mapped[str | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL"), nullable=True, index=True
    )
    total: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    status: Mapped[str] = mapped_column(String(20), default="paid")
    source: Mapped[str] = mapped_column(String(40), default="manual")
    ordered_at: Mapped[datetime] = mapped_column(UTCDateTime)
