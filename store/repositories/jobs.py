"""Job queries. Job rows are not TenantOwned (system jobs belong to no tenant), so every query
here starts from one statement scoped to the tenant it is given."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from store.models import JobRecord
from store.repositories import paging
from store.repositories.customers import LIKE_ESCAPE


def _of_tenant(tenant_id: str) -> Select[JobRecord]:
    return select(JobRecord).where(JobRecord.tenant_id == tenant_id)


def _prefix(text: str) -> str:
    for ch in (LIKE_ESCAPE, "%", "_"):
        text = text.replace(ch, LIKE_ESCAPE + ch)
    return text + "%"


def search(session: Session, tenant_id: str, *, status: str | None = None, name: str | None = None,
           offset: int = 0, limit: int = 20) -> tuple[list[JobRecord], int]:
    """The tenant's jobs, newest first. `name` is exact, or a prefix when it ends with `*`."""
    stmt = _of_tenant(tenant_id)
    if status:
        stmt = stmt.where(JobRecord.status == status)
    if name:
        if name.endswith("*"):
            stmt = stmt.where(JobRecord.name.like(_prefix(name[:-1]), escape=LIKE_ESCAPE))
        else:
            stmt = stmt.where(JobRecord.name == name)
    total = paging.count(session, stmt)
    rows = session.scalars(stmt.order_by(JobRecord.created_at.desc(), JobRecord.id.desc())
                           .offset(offset).limit(limit)).all()
    return list(rows), total


def counts(session: Session, tenant_id: str) -> dict[str, int]:
    """How many of the tenant's jobs are in each state."""
    stmt = (select(JobRecord.status, func.count())
            .where(JobRecord.tenant_id == tenant_id).group_by(JobRecord.status))
    return {status: int(n) for status, n in session.execute(stmt).all()}


def get(session: Session, tenant_id: str, job_id: str) -> JobRecord | None:
    return session.scalar(_of_tenant(tenant_id).where(JobRecord.id == job_id))
