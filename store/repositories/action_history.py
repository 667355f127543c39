"""The rows the action hub's history is read from: one table per kind of entry, each filtered to
a time window and read newest first (tools.action_history turns them into entries)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from store.models import AuditLog, AutomationRun
from store.models.action_hub import Initiative, Simulation

TABLES: dict[str, tuple[Any, Any]] = {
    "simulation": (Simulation, Simulation.created_at),
    "analysis": (Initiative, Initiative.created_at),
    "automation_run": (AutomationRun, AutomationRun.started_at),
    "approval": (AuditLog, AuditLog.created_at),
}
"""Each kind's table and the time column its entries are dated and ordered by."""


def _statement(kind: str, start: datetime | None, end: datetime | None,
               approvals: tuple[Sequence[str], Sequence[str]]) -> Select[Any]:
    model, column = TABLES[kind]
    stmt = select(model)
    if start is not None:
        stmt = stmt.where(column >= start)
    if end is not None:
        stmt = stmt.where(column < end)
    if kind == "approval":
        tools, outcomes = approvals
        stmt = stmt.where(AuditLog.tool.in_(list(tools)), AuditLog.outcome.in_(list(outcomes)))
    return stmt


def newest(session: Session, kind: str, start: datetime | None, end: datetime | None, limit: int,
           approvals: tuple[Sequence[str], Sequence[str]]) -> tuple[int, list[Any]]:
    """(how many rows of this kind fall in the window, the newest `limit` of them). `approvals`:
    the audit log counts only these tools' calls with these outcomes."""
    stmt = _statement(kind, start, end, approvals)
    count = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    column = TABLES[kind][1]
    return count, list(session.scalars(stmt.order_by(column.desc()).limit(limit)))
