"""Orders summed per UTC day: what a tenant's metric series (tools.forecasting.series) is built
from. The statements are built once per shape with bound parameters: the series is read on every
forecast request, cached or not."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Float, Row, Select, bindparam, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from store.models import Order
from store.models.connectors import SourceRecord

EXCLUDED_STATUSES = ("refunded", "failed", "void", "cancelled", "canceled")
"""Orders whose money did not stay with the business: not counted."""


def daily_rows(session: Session, *, new_customers: bool, before: datetime, customer_id: str | None,
               connections: list[str], builtin: bool) -> list[Row[Any]]:
    """(day, revenue, orders) per day with counted orders before `before`, or (day, new
    customers) for `new_customers`; restricted to a customer, and to the orders the named
    connections (and the CRM itself, `builtin`) brought in when either is given. A day is an ISO
    string on SQLite and a date on PostgreSQL."""
    tenant_id = session.info.get("tenant_id")
    stmt = _statement(session.get_bind().dialect.name, new_customers, tenant_id is not None,
                      customer_id is not None, bool(connections), builtin)
    params: dict[str, Any] = {"cutoff": before}
    if tenant_id is not None:
        params["tenant_id"] = tenant_id
    if customer_id is not None:
        params["customer_id"] = customer_id
    if connections:
        params["connections"] = connections
    return list(session.execute(stmt, params).all())


def _day(dialect: str, column: Any) -> Any:
    """The UTC calendar day of a timestamp, in SQL (SQLite stores naive UTC; PostgreSQL
    timestamptz must be read in UTC, whatever the session's time zone)."""
    if dialect == "postgresql":
        return func.date(func.timezone("UTC", column))
    return func.date(column)


def _from_sources(connections: bool, builtin: bool) -> Any:
    """Orders brought in by the data sources: the connections bound as `connections`, and the
    CRM itself when `builtin`."""
    fed = select(SourceRecord.entity_id).where(SourceRecord.entity_type == "order",
                                               SourceRecord.entity_id.is_not(None))
    parts: list[Any] = []
    if connections:
        parts.append(Order.id.in_(fed.where(
            SourceRecord.connection_id.in_(bindparam("connections", expanding=True)))))
    if builtin:
        parts.append(Order.id.not_in(fed))
    return or_(*parts)


@lru_cache(maxsize=128)
def _statement(dialect: str, customers: bool, tenant: bool, customer: bool, connections: bool,
               builtin: bool) -> Select[Any]:
    """The daily SQL of one shape, built once: (day, revenue, orders) per day with counted
    orders, or (day, new customers) per day for `customers`. Bound parameters: `cutoff`, and
    `tenant_id`, `customer_id`, `connections` when the shape filters on them."""
    filters: list[Any] = [Order.status.not_in(EXCLUDED_STATUSES),
                          Order.ordered_at < bindparam("cutoff")]
    if tenant:  # store.scoping filters too; explicit here since this is SQL
        filters.append(Order.tenant_id == bindparam("tenant_id"))
    if customer:
        filters.append(Order.customer_id == bindparam("customer_id"))
    if connections or builtin:
        filters.append(_from_sources(connections, builtin))
    if customers:
        first = (select(Order.customer_id, func.min(Order.ordered_at).label("first"))
                 .where(*filters, Order.customer_id.is_not(None))
                 .group_by(Order.customer_id).subquery())
        day = _day(dialect, first.c.first)
        return select(day, func.count()).group_by(day)
    day = _day(dialect, Order.ordered_at)
    # A float sum: no Decimal per row (SQLite sums floats anyway; the caller reads whole cents).
    return (select(day, type_coerce(func.sum(Order.total), Float), func.count())
            .where(*filters).group_by(day))


def totals_with_first_order(
        session: Session, start: datetime, stop: datetime) -> list[tuple[Any, datetime | None]]:
    """(total, when its customer first ordered) for each counted order with start <= ordered_at
    < stop: which of the money came from customers who had bought before (a forecast's recurring
    share). The first order is None for an order with no customer."""
    first_orders = (
        select(Order.customer_id, func.min(Order.ordered_at).label("first"))
        .where(Order.status.not_in(EXCLUDED_STATUSES), Order.customer_id.is_not(None))
        .group_by(Order.customer_id)
        .subquery()
    )
    rows = session.execute(
        select(Order.total, first_orders.c.first)
        .join(first_orders, first_orders.c.customer_id == Order.customer_id, isouter=True)
        .where(Order.status.not_in(EXCLUDED_STATUSES), Order.ordered_at >= start, Order.ordered_at < stop)
    )
    return [(total, first) for total, first in rows]
