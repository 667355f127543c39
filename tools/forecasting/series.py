"""A tenant's metric as a regular time series: SQL sums orders by day (through the tenant-scoped
session), pandas resamples to the granularity.

Which orders count: every order whose status is not one of EXCLUDED_STATUSES (refunded, failed,
void, cancelled): money that did not stay with the business is not revenue.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Literal

import pandas as pd
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from store.models import Order
from store.models.connectors import SourceRecord
from tools.forecasting.types import Granularity

Metric = Literal["revenue", "orders", "customers", "average_order_value"]
EXCLUDED_STATUSES = ("refunded", "failed", "void", "cancelled", "canceled")
BUILTIN_SOURCE = "builtin_crm"
"""The data source id of the CRM's own records (tools.connectors.status_tools.BUILTIN_ID)."""
RULE: dict[str, str] = {"day": "D", "week": "W-MON", "month": "MS", "quarter": "QS-JAN"}
LENGTH: dict[str, pd.DateOffset] = {"day": pd.DateOffset(days=1), "week": pd.DateOffset(weeks=1),
                                    "month": pd.DateOffset(months=1),
                                    "quarter": pd.DateOffset(months=3)}


def metric_series(session: Session, *, metric: Metric, granularity: Granularity,
                  end: date | None = None, customer_id: str | None = None,
                  sources: tuple[str, ...] = ()) -> pd.Series:
    """The metric per period, indexed by the period's start (the day, the Monday, the first of
    the month or quarter), float.

    - `end`: the day the series is computed as of, exclusive (default: today, UTC): orders on or
      after it are not read, and only periods that end on or before it are kept, so the current,
      partial period never looks like a drop;
    - from the period of the first counted order to the last complete one, a period without
      orders is 0 (revenue, orders, customers), not missing; the average order value of a period
      without orders is undefined and carries the previous period's value instead;
    - "customers" is new customers: those whose first counted order falls in the period;
    - `customer_id` restricts every metric to that customer's orders;
    - `sources` (data source ids: connection ids, `builtin_crm`) restricts it to the orders those
      sources brought in (a connector's orders are those with a source record of it; the CRM's
      own are those no connector supplied); empty means every order.
    An empty series (no counted orders) is returned as such: the engine says it is too short.
    """
    cutoff = end or datetime.now(UTC).date()
    daily = _daily_frame(session, metric, cutoff, customer_id, sources)
    if daily.empty:
        return pd.Series([], index=pd.DatetimeIndex([], name="period"), dtype=float, name=metric)
    days = pd.date_range(daily.index.min(), pd.Timestamp(cutoff) - pd.Timedelta(days=1), freq="D")
    daily = daily.reindex(days, fill_value=0.0)
    grouped = daily.resample(RULE[granularity], label="left", closed="left").sum()
    complete = grouped.index + LENGTH[granularity] <= pd.Timestamp(cutoff)
    grouped = grouped[complete]
    if metric == "average_order_value":
        values = (grouped["revenue"] / grouped["orders"].where(grouped["orders"] > 0)).ffill()
    else:
        values = grouped[metric]
    out = values.astype(float).fillna(0.0).rename(metric)
    out.index = pd.DatetimeIndex(out.index, name="period")
    return out


def _day(session: Session, column: Any) -> Any:
    """The UTC calendar day of a timestamp, in SQL (SQLite stores naive UTC; PostgreSQL
    timestamptz must be read in UTC, whatever the session's time zone)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("UTC", column))
    return func.date(column)


def _from_sources(sources: tuple[str, ...]) -> Any:
    """Orders brought in by the named data sources."""
    fed = select(SourceRecord.entity_id).where(SourceRecord.entity_type == "order",
                                               SourceRecord.entity_id.is_not(None))
    connections = [s for s in sources if s != BUILTIN_SOURCE]
    parts: list[Any] = []
    if connections:
        parts.append(Order.id.in_(fed.where(SourceRecord.connection_id.in_(connections))))
    if BUILTIN_SOURCE in sources:
        parts.append(Order.id.not_in(fed))
    return or_(*parts)


def _counted(session: Session, cutoff: date, customer_id: str | None,
             sources: tuple[str, ...] = ()) -> list[Any]:
    filters: list[Any] = [Order.status.not_in(EXCLUDED_STATUSES),
                          Order.ordered_at < datetime.combine(cutoff, datetime.min.time(), UTC)]
    tenant_id = session.info.get("tenant_id")
    if tenant_id is not None:  # store.scoping filters too; explicit here since this is SQL
        filters.append(Order.tenant_id == tenant_id)
    if customer_id is not None:
        filters.append(Order.customer_id == customer_id)
    if sources:
        filters.append(_from_sources(sources))
    return filters


def _daily_frame(session: Session, metric: Metric, cutoff: date,
                 customer_id: str | None, sources: tuple[str, ...] = ()) -> pd.DataFrame:
    filters = _counted(session, cutoff, customer_id, sources)
    if metric == "customers":
        first = (select(Order.customer_id, func.min(Order.ordered_at).label("first"))
                 .where(*filters, Order.customer_id.is_not(None))
                 .group_by(Order.customer_id).subquery())
        day = _day(session, first.c.first)
        rows = session.execute(select(day, func.count()).group_by(day)).all()
        frame = pd.DataFrame([(d, float(c)) for d, c in rows], columns=["day", "customers"])
    else:
        day = _day(session, Order.ordered_at)
        stmt = select(day, func.sum(Order.total), func.count()).where(*filters).group_by(day)
        rows = session.execute(stmt).all()
        frame = pd.DataFrame([(d, float(s or 0), float(c)) for d, s, c in rows],
                             columns=["day", "revenue", "orders"])
    if frame.empty:
        return frame
    frame["day"] = pd.to_datetime(frame["day"].astype(str))
    return frame.groupby("day").sum().sort_index()

