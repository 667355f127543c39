"""Order aggregates that revenue figures are computed from."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import Order

REVENUE_STATUSES = ("paid", "fulfilled")


def revenue_between(session: Session, start: datetime, end: datetime) -> tuple[Decimal, int]:
    """Sum and count of paid orders with start <= ordered_at < end."""
    stmt = select(func.coalesce(func.sum(Order.total), 0), func.count()).where(
        Order.status.in_(REVENUE_STATUSES), Order.ordered_at >= start, Order.ordered_at < end
    )
    total, count = session.execute(stmt).one()
    return Decimal(str(total)), int(count)


def sources_between(session: Session, start: datetime, end: datetime) -> dict[str, int]:
    stmt = (
        select(Order.source, func.count())
        .where(
            Order.status.in_(REVENUE_STATUSES), Order.ordered_at >= start, Order.ordered_at < end
        )
        .group_by(Order.source)
    )
    return {source: n for source, n in session.execute(stmt)}


def currency(session: Session) -> str:
    return session.scalar(select(Order.currency).limit(1)) or "USD"
