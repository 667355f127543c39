"""Counting the rows of a list statement."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func
from sqlalchemy.orm import Session


def over(stmt: Select[Any], *columns: Any) -> Select[Any]:
    """`columns` (aggregates) over `stmt`'s own FROM and WHERE, without its order (see `counting`)."""
    return stmt.with_only_columns(*columns, maintain_column_froms=True).order_by(None)


def counting(stmt: Select[Any]) -> Select[int]:
    """COUNT(*) over `stmt`'s own FROM (joins included) and WHERE.

    For the plain filtered selects of the list queries (no DISTINCT, GROUP BY or LIMIT) that is the
    number `SELECT count(*) FROM (<stmt>)` gives, without the subquery: SQLAlchemy would build,
    cache-key and compile a copy of every column of the entity on each call only to count rows.
    It stays an ORM statement of the same entity, so tenant scoping applies to it as before."""
    return over(stmt, func.count())


def count(session: Session, stmt: Select[Any]) -> int:
    """How many rows `stmt` selects (see `counting`)."""
    return session.scalar(counting(stmt)) or 0
