"""The action hub's tables (document 000): the daily metric series the causal simulator fits,
the simulations it ran and the initiatives the planner analysed.

`DailyMetric` holds one value per tenant, metric and day for business metrics that do not come
from orders (marketing spend, website sessions, conversions, revenue attributed to web
conversions...): imported by connectors or seeded for the demo (store.demo_metrics). Revenue and
order counts are not copied here: the simulator reads them from the orders themselves.

A `Simulation` and an `Initiative` keep their inputs and their whole computed result as JSON, so
reading one back shows exactly what was answered at the time, even after the data moved on.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.ids import utcnow
from store.models.base import Base, IdMixin, TenantOwned
from store.types import JSONType, UTCDateTime


class DailyMetric(IdMixin, TenantOwned, Base):
    __tablename__ = "daily_metrics"
    __table_args__ = (Index("ix_daily_metrics_tenant_metric_day", "tenant_id", "metric", "day", unique=True),)

    metric: Mapped[str] = mapped_column(String(60))
    """A snake_case id: marketing_spend, website_sessions, conversions, attributed_revenue, ..."""
    day: Mapped[date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(40), default="import")
    """Where the value came from: demo, import, a connector's name."""


class Simulation(IdMixin, TenantOwned, Base):
    __tablename__ = "simulations"
    __table_args__ = (Index("ix_simulations_tenant_created", "tenant_id", "created_at"),)

    metric_id: Mapped[str] = mapped_column(String(60))
    change_percent: Mapped[float] = mapped_column(Float)
    time_horizon: Mapped[int] = mapped_column(Integer)
    result: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    """The response as answered: inputChange, effects with intervals, the edges used."""
    created_by: Mapped[str | None] = mapped_column(String(36), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Initiative(IdMixin, TenantOwned, Base):
    __tablename__ = "initiatives"
    __table_args__ = (Index("ix_initiatives_tenant_created", "tenant_id", "created_at"),)

    name: Mapped[str] = mapped_column(String(200))
    investment: Mapped[float] = mapped_column(Float)
    expected_revenue: Mapped[float] = mapped_column(Float)
    timeline: Mapped[str] = mapped_column(String(40))
    """As the user wrote it ("6 months"); the parsed length is in `result`."""
    discount_rate: Mapped[float] = mapped_column(Float)
    """Yearly, in percent."""
    result: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_by: Mapped[str | None] = mapped_column(String(36), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
