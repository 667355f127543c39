"""Customer queries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, func, or_, select
from sqlalchemy.orm import Session

from store.models import Customer

SORTABLE = {"createdAt": Customer.created_at, "created_at": Customer.created_at,
            "updatedAt": Customer.updated_at, "updated_at": Customer.updated_at,
            "name": Customer.name, "email": Customer.email, "company": Customer.company,
            "status": Customer.status}
LIKE_ESCAPE = "\\"


def ordering(column: Any, descending: bool) -> Any:
    """Text sorts alphabetically regardless of case, the same on SQLite (binary collation) and
    PostgreSQL; other columns sort as they are."""
    key = func.lower(column) if isinstance(column.type, String) else column
    return key.desc() if descending else key.asc()


def contains(text: str) -> str:
    """A LIKE pattern matching `text` literally anywhere: a search for "50%" or "a_b" must not
    treat % and _ as wildcards."""
    for ch in (LIKE_ESCAPE, "%", "_"):
        text = text.replace(ch, LIKE_ESCAPE + ch)
    return f"%{text}%"


def search(
    session: Session,
    *,
    status: str | None = None,
    text: str | None = None,
    company: str | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
    sort_by: str = "created_at",
    descending: bool = True,
    offset: int = 0,
    limit: int = 20,
) -> tuple[list[Customer], int]:
    stmt = select(Customer)
    if status:
        stmt = stmt.where(Customer.status == status)
    if company:
        stmt = stmt.where(Customer.company.ilike(contains(company), escape=LIKE_ESCAPE))
    if created_after:
        stmt = stmt.where(Customer.created_at >= created_after)
    if created_before:
        stmt = stmt.where(Customer.created_at < created_before)
    if text:
        like = contains(text)
        stmt = stmt.where(
            or_(*(column.ilike(like, escape=LIKE_ESCAPE)
                  for column in (Customer.name, Customer.email, Customer.company)))
        )
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    order = ordering(SORTABLE.get(sort_by, Customer.created_at), descending)
    rows = session.scalars(stmt.order_by(order, Customer.id).offset(offset).limit(limit)).all()
    return list(rows), total


def get(session: Session, customer_id: str) -> Customer | None:
    return session.scalar(select(Customer).where(Customer.id == customer_id))


def get_for_update(session: Session, customer_id: str) -> Customer | None:
    """The customer with its row locked until the transaction ends (PostgreSQL; SQLite writes
    are serialised anyway): a deal linked to it concurrently waits, then sees it gone, instead
    of slipping in between a check of its deals and its deletion."""
    return session.scalar(select(Customer).where(Customer.id == customer_id).with_for_update())


def by_email(session: Session, email: str) -> Customer | None:
    return session.scalar(select(Customer).where(func.lower(Customer.email) == email.lower()))


def count_by_status(session: Session) -> dict[str, int]:
    rows = session.execute(select(Customer.status, func.count()).group_by(Customer.status))
    return {status: n for status, n in rows}


def count_created_between(session: Session, start: datetime, end: datetime) -> int:
    stmt = select(func.count()).where(Customer.created_at >= start, Customer.created_at < end)
    return session.scalar(stmt) or 0


def count_churned_between(session: Session, start: datetime, end: datetime) -> int:
    stmt = select(func.count()).where(
        Customer.status == "churned", Customer.status_changed_at >= start, Customer.status_changed_at < end
    )
    return session.scalar(stmt) or 0
