"""Customer queries."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Boolean, ColumnElement, Integer, Select, String, bindparam, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from store.models import Customer
from store.repositories import paging

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


class has_tag(FunctionElement[bool]):  # noqa: N801 - used like a SQL function
    """Whether a JSON list of tags holds this tag, ignoring case: each database reads its own JSON
    (SQLite's json_each, PostgreSQL's jsonb_array_elements_text)."""

    type = Boolean()
    name = "has_tag"
    inherit_cache = True


@compiles(has_tag)
def _has_tag_sqlite(element: has_tag, compiler: SQLCompiler, **kw: Any) -> str:
    tags, tag = (compiler.process(c, **kw) for c in element.clauses)
    return f"EXISTS (SELECT 1 FROM json_each({tags}) AS t WHERE lower(t.value) = lower({tag}))"


@compiles(has_tag, "postgresql")
def _has_tag_postgresql(element: has_tag, compiler: SQLCompiler, **kw: Any) -> str:
    tags, tag = (compiler.process(c, **kw) for c in element.clauses)
    return (f"EXISTS (SELECT 1 FROM jsonb_array_elements_text({tags}) AS t(value) "
            f"WHERE lower(t.value) = lower({tag}))")


_FILTERS: dict[str, ColumnElement[bool]] = {
    "status": Customer.status == bindparam("status"),
    "company": Customer.company.ilike(bindparam("company"), escape=LIKE_ESCAPE),
    "created_after": Customer.created_at >= bindparam("created_after"),
    "created_before": Customer.created_at < bindparam("created_before"),
    "tag": has_tag(Customer.tags, bindparam("tag", type_=String)),
    "text": or_(*(column.ilike(bindparam("text"), escape=LIKE_ESCAPE)
                  for column in (Customer.name, Customer.email, Customer.company))),
}
"""The filters of `search`, each comparing with a bound value of its own name."""


@lru_cache(maxsize=256)
def _statements(fields: tuple[str, ...], filters: tuple[str, ...], sort_by: str,
                descending: bool) -> tuple[Select[int], Select[*tuple[Any, ...]]]:
    """The count and page statements of one shape of search (which fields, filters and order),
    every value a bound parameter: built once instead of on every call. Building them, and
    SQLAlchemy deriving a cache key from a fresh statement, cost more CPU than running them."""
    stmt = select(Customer).where(*(_FILTERS[name] for name in filters))
    order = ordering(SORTABLE.get(sort_by, Customer.created_at), descending)
    page = (stmt.with_only_columns(*(getattr(Customer, name) for name in fields))
            .order_by(order, Customer.id)
            .offset(bindparam("offset", type_=Integer)).limit(bindparam("limit", type_=Integer)))
    return paging.counting(stmt), page


def search(
    session: Session,
    fields: tuple[str, ...],
    *,
    status: str | None = None,
    text: str | None = None,
    company: str | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
    tag: str | None = None,
    sort_by: str = "created_at",
    descending: bool = True,
    offset: int = 0,
    limit: int = 20,
) -> tuple[list[dict[str, Any]], int]:
    """One page of matching customers, each as a dict of `fields` (Customer attribute names), and
    how many match in all. Rows are read as plain values: a page to show needs no ORM instances
    (identity map, change tracking) and no columns it does not show, which cost more CPU than
    the query itself. Tenant scoping applies as to any ORM statement of Customer."""
    given = {"status": status, "company": company and contains(company), "created_after": created_after,
             "created_before": created_before, "text": text and contains(text), "tag": tag}
    values = {name: value for name, value in given.items() if value}
    count, page = _statements(fields, tuple(values), sort_by, descending)
    total = session.scalar(count, values) or 0
    rows = session.execute(page, {**values, "offset": offset, "limit": limit})
    return [dict(zip(fields, row, strict=True)) for row in rows], total


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
