"""Order aggregates that revenue figures are computed from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import CursorResult, case, func, select, update
from sqlalchemy.orm import Session

from store.models import Customer, Order

REVENUE_STATUSES = ("paid", "fulfilled")


def _paid_between(start: datetime, end: datetime) -> tuple[Any, ...]:
    """The filter every revenue figure shares: paid orders with start <= ordered_at < end."""
    return (Order.status.in_(REVENUE_STATUSES), Order.ordered_at >= start, Order.ordered_at < end)


def revenue_between(session: Session, start: datetime, end: datetime) -> tuple[Decimal, int]:
    """Sum and count of paid orders with start <= ordered_at < end."""
    stmt = select(func.coalesce(func.sum(Order.total), 0), func.count()).where(*_paid_between(start, end))
    total, count = session.execute(stmt).one()
    return Decimal(str(total)), int(count)


def sources_between(session: Session, start: datetime, end: datetime) -> dict[str, int]:
    stmt = select(Order.source, func.count()).where(*_paid_between(start, end)).group_by(Order.source)
    return {source: n for source, n in session.execute(stmt)}


def count_of_customer(session: Session, customer_id: str) -> int:
    """How many orders (any status) are linked to a customer."""
    return session.scalar(select(func.count()).where(Order.customer_id == customer_id)) or 0


def unlink_customer(session: Session, tenant_id: str, customer_id: str) -> int:
    """Detach a customer's orders (they stay, as revenue history) and say how many there were.

    The foreign key already says SET NULL, but SQLite enforces it only with PRAGMA foreign_keys,
    so the unlinking is done here to behave the same on every database. Tenant scoping in
    store.scoping covers reads, not bulk updates, hence the explicit tenant clause."""
    stmt = (
        update(Order)
        .where(Order.tenant_id == tenant_id, Order.customer_id == customer_id)
        .values(customer_id=None)
    )
    result = session.execute(stmt)
    return int(result.rowcount) if isinstance(result, CursorResult) else 0


def currency(session: Session) -> str:
    return session.scalar(select(Order.currency).limit(1)) or "USD"


def _utc_day(session: Session) -> Any:
    """The UTC calendar day of an order as SQL. SQLite keeps UTC text, so date() reads the day;
    PostgreSQL keeps timestamptz, which is moved to UTC first so that the connection's time zone
    can never shift an evening order into the next day."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("UTC", Order.ordered_at))
    return func.date(Order.ordered_at)


def daily_revenue(session: Session, start: datetime, end: datetime) -> list[tuple[date, Decimal, int]]:
    """(day, revenue, order count) for each UTC day with paid orders in [start, end), aggregated in
    SQL so only one row per day leaves the database, whatever the order volume."""
    day = _utc_day(session).label("day")
    stmt = (
        select(day, func.coalesce(func.sum(Order.total), 0), func.count())
        .where(*_paid_between(start, end))
        .group_by(day)
        .order_by(day)
    )
    return [(_as_date(d), Decimal(str(total)), int(n)) for d, total, n in session.execute(stmt)]


def _as_date(value: Any) -> date:
    """SQLite's date() answers text, PostgreSQL a date."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class CustomerRevenue:
    customer_id: str
    name: str
    company: str | None
    status: str
    revenue: Decimal
    orders: int
    last_order_at: datetime


def revenue_by_customer(
    session: Session, start: datetime, end: datetime, limit: int
) -> list[CustomerRevenue]:
    """The customers with the most paid revenue in [start, end), best first (ties by name)."""
    revenue = func.sum(Order.total)
    stmt = (
        select(Customer.id, Customer.name, Customer.company, Customer.status, revenue, func.count(Order.id),
               func.max(Order.ordered_at))
        .join(Customer, Customer.id == Order.customer_id)
        .where(*_paid_between(start, end))
        .group_by(Customer.id, Customer.name, Customer.company, Customer.status)
        .order_by(revenue.desc(), func.lower(Customer.name), Customer.id)
        .limit(limit)
    )
    return [CustomerRevenue(cid, name, company, status, Decimal(str(total)), int(n), last)
            for cid, name, company, status, total, n, last in session.execute(stmt)]


def buyers_between(session: Session, start: datetime, end: datetime) -> tuple[int, Decimal]:
    """How many customers bought in [start, end), and the revenue of orders with no customer."""
    stmt = select(
        func.count(func.distinct(Order.customer_id)),
        func.coalesce(func.sum(case((Order.customer_id.is_(None), Order.total), else_=0)), 0),
    ).where(*_paid_between(start, end))
    count, unattributed = session.execute(stmt).one()
    return int(count), Decimal(str(unattributed))


# --- one customer's orders (customer_overview) ---------------------------------------------------
# Filtered by customer and ordered by date: served by ix_orders_tenant_customer_ordered.


@dataclass(frozen=True)
class CustomerSpend:
    spend: Decimal
    orders: int
    first_at: datetime | None
    last_at: datetime | None


def spend_of_customer(
    session: Session, customer_id: str, start: datetime | None = None, end: datetime | None = None
) -> CustomerSpend:
    """Sum, count, first and last date of a customer's paid orders, all time or in [start, end)."""
    stmt = select(func.coalesce(func.sum(Order.total), 0), func.count(), func.min(Order.ordered_at),
                  func.max(Order.ordered_at)).where(Order.customer_id == customer_id,
                                                    Order.status.in_(REVENUE_STATUSES))
    if start is not None:
        stmt = stmt.where(Order.ordered_at >= start)
    if end is not None:
        stmt = stmt.where(Order.ordered_at < end)
    total, count, first, last = session.execute(stmt).one()
    return CustomerSpend(Decimal(str(total)), int(count), first, last)


def recent_of_customer(
    session: Session, customer_id: str, limit: int, *, paid_only: bool = False
) -> list[Order]:
    """A customer's latest orders, newest first (any status unless `paid_only`)."""
    stmt = select(Order).where(Order.customer_id == customer_id)
    if paid_only:
        stmt = stmt.where(Order.status.in_(REVENUE_STATUSES))
    stmt = stmt.order_by(Order.ordered_at.desc(), Order.id.desc()).limit(limit)
    return list(session.scalars(stmt).all())
