"""Enqueueing: a job is recorded in the `jobs` table first and handed to the queue after that row
is committed, so the queue can lose a message and nothing is lost."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core.ids import new_id, utcnow
from store.db import on_commit, unit_of_work
from store.models import JobRecord
from tools.jobs.specs import JOBS, spec_for


def hand_off(job_id: str, run_at: datetime | None = None) -> bool:
    from tools.jobs.queue import hand_off as to_queue  # late: queue.py imports tools.jobs.runner

    return to_queue(job_id, run_at)


def enqueue(name: str, payload: dict[str, Any], *, tenant_id: str | None = None,
            delay: float | None = None, dedupe_key: str | None = None,
            session: Session | None = None) -> str:
    """Record the job and queue it; returns its id. With `dedupe_key`, a second enqueue of the same
    key returns the first job's id and queues nothing. With `session`, the row is part of that
    session's transaction and is queued only after it commits."""
    spec = spec_for(name)
    now = utcnow()
    run_at = now + timedelta(seconds=max(delay or 0.0, 0.0))
    values = {"id": new_id(), "tenant_id": tenant_id, "name": name, "payload": payload,
              "status": "queued", "attempts": 0, "max_attempts": spec.max_attempts,
              "run_at": run_at, "handed_at": now, "dedupe_key": dedupe_key,
              "created_at": now, "updated_at": now}
    if session is not None:
        job_id, created = insert_job(session, values)
        if created:
            on_commit(session, lambda: hand_off(job_id, run_at))
        return job_id
    with unit_of_work() as own:
        job_id, created = insert_job(own, values)
    if created:
        hand_off(job_id, run_at)
    return job_id


@dataclass(frozen=True)
class JobRequest:
    """One job for `enqueue_many`."""

    name: str
    payload: dict[str, Any]
    tenant_id: str | None = None
    delay: float | None = None
    dedupe_key: str | None = None


def enqueue_many(requests: list[JobRequest], session: Session) -> list[str]:
    """Record many jobs in `session`'s transaction in batched inserts (jobs whose dedupe key
    exists already are skipped) and queue them after it commits. Returns the new jobs' ids."""
    now = utcnow()
    rows = []
    for r in requests:
        spec = spec_for(r.name)
        rows.append({"id": new_id(), "tenant_id": r.tenant_id, "name": r.name, "payload": r.payload,
                     "status": "queued", "attempts": 0, "max_attempts": spec.max_attempts,
                     "run_at": now + timedelta(seconds=max(r.delay or 0.0, 0.0)), "handed_at": now,
                     "dedupe_key": r.dedupe_key, "created_at": now, "updated_at": now})
    if not rows:
        return []
    stmt = (_upsert(session)(JOBS).on_conflict_do_nothing(index_elements=[JOBS.c.dedupe_key])
            .returning(JOBS.c.id))
    created = [str(i) for i in session.execute(stmt, rows).scalars()]  # batched "insertmanyvalues"
    if created:
        due: dict[Any, Any] = {row["id"]: row["run_at"] for row in rows}
        handed = [(job_id, due[job_id]) for job_id in created]
        on_commit(session, lambda: [hand_off(job_id, run_at) for job_id, run_at in handed])
    return created


def _upsert(session: Session) -> Any:
    """The dialect's INSERT with ON CONFLICT (PostgreSQL and SQLite both have one)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


def insert_job(session: Session, values: dict[str, Any]) -> tuple[str, bool]:
    """Insert a job row; with a dedupe key, one atomic insert-or-nothing. Returns (id, created)."""
    if values.get("dedupe_key") is None:
        session.execute(insert(JobRecord).values(**values))
        return values["id"], True
    stmt = (_upsert(session)(JobRecord).values(**values)
            .on_conflict_do_nothing(index_elements=[JobRecord.dedupe_key])
            .returning(JobRecord.id))
    row = session.execute(stmt).first()
    if row is not None:
        return str(row[0]), True
    existing = session.scalar(select(JobRecord.id).where(JobRecord.dedupe_key == values["dedupe_key"]))
    if existing is None:  # pragma: no cover - the conflicting row was deleted in between
        raise RuntimeError(f"job with dedupe key {values['dedupe_key']} vanished")
    return existing, False

