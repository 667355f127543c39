"""Jobs: registered functions, recorded before they are queued, run once, retried with backoff.

- `@job(name)` registers `fn(payload) -> None`; `enqueue(name, payload)` writes a `jobs` row and
  hands its id to Huey after the row is committed (inside a tool call, pass `session=ctx.session`:
  the job then exists only if the call commits).
- A worker claims a job with one conditional UPDATE (queued/retrying and due -> running); a
  second worker, or a second delivery of the same message, finds nothing to claim and skips.
- A failure records the error and re-queues the job after an exponential backoff with full
  jitter; after `retries` retries it is failed. A worker that dies mid-job leaves it running past
  its lease; the recovery sweep (every minute, in every worker) hands it over again.
- `@periodic(name, cron)` runs a job on a cron schedule (croniter; a sixth field is seconds).
  Each tick is one row with a dedupe key, so several workers fire it once per tick.

This module claims and runs a job and records its outcome; the registry is tools.jobs.specs,
enqueueing tools.jobs.recording, schedules, recovery and retention tools.jobs.maintenance. It
re-exports all of them, so `tools.jobs.runner` stays the one import for the jobs API.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select, update

from core.ids import utcnow
from store.db import get_engine
from tools.jobs.maintenance import (
    KEEP_FAILED,
    KEEP_SUCCEEDED,
    KEEP_SUCCEEDED_TICKS,
    LOST,
    RECOVERY_BATCH,
    STALE_AFTER,
    _schedule_next,
    heartbeat,
    prune,
    recover,
    schedule_periodics,
    startup,
)
from tools.jobs.recording import JobRequest, enqueue, enqueue_many, hand_off, insert_job
from tools.jobs.specs import (
    _JOBS,
    CLAIMABLE,
    DEFAULT_LEASE,
    JOBS,
    JobFn,
    JobSpec,
    _load_catalog,
    _where,
    job,
    periodic,
    registered,
    spec_for,
    unregister,
)

__all__ = [
    "CLAIMABLE", "DEFAULT_LEASE", "JOBS", "KEEP_FAILED", "KEEP_SUCCEEDED", "KEEP_SUCCEEDED_TICKS", "LOST",
    "RECOVERY_BATCH", "STALE_AFTER", "JobFn", "JobRequest", "JobSpec", "_load_catalog", "_where",
    "backoff_delay", "describe_error", "enqueue", "enqueue_many", "hand_off", "heartbeat", "insert_job",
    "job", "periodic", "prune", "recover", "registered", "run_job", "schedule_periodics", "spec_for",
    "startup", "unregister",
]

log = logging.getLogger("bizpilot.jobs")


# --- running -----------------------------------------------------------------------------------


def backoff_delay(attempt: int, base_delay: float, max_delay: float,
                  rng: random.Random | None = None) -> float:
    """Exponential backoff with full jitter: a uniform delay in [0, min(max, base * 2**(n-1))]
    after the n-th failed attempt, so retries of many failed jobs spread out instead of
    stampeding together."""
    cap = min(max_delay, base_delay * (2 ** max(attempt - 1, 0)))
    return (rng or random).uniform(0.0, cap)


@dataclass(frozen=True)
class _Claim:
    name: str
    payload: dict[str, Any]
    attempt: int
    max_attempts: int


def run_job(job_id: str) -> None:
    """Run a recorded job if this worker can claim it (the Huey task calls this). Claim and
    outcome use one connection, each in its own short transaction; the job runs in between."""
    now = utcnow()
    with get_engine().connect() as conn:
        claim = _claim(job_id, now, conn)
        if claim is None:
            return
        spec = _JOBS.get(claim.name)
        if spec is None:
            _load_catalog()
            spec = _JOBS.get(claim.name)
        if spec is not None and spec.cron:
            _schedule_next(spec, now)
        try:
            if spec is None:
                raise LookupError(f"no job named {claim.name!r} is registered in this worker")
            spec.fn(claim.payload)
        except Exception as err:
            log.warning("job %s (%s) attempt %d failed: %s", job_id, claim.name, claim.attempt, err,
                        exc_info=True)
            _record_failure(job_id, claim, spec, err, conn)
        else:
            _finish(job_id, claim.attempt, {"status": "succeeded"}, conn)


@contextmanager
def _connection(conn: Connection | None) -> Iterator[Connection]:
    if conn is not None:
        yield conn
        return
    with get_engine().connect() as own:
        yield own


def _claim(job_id: str, now: datetime, conn: Connection | None = None) -> _Claim | None:
    """Take the job if it is waiting and due: one conditional UPDATE, so of two workers (or two
    deliveries of one message) exactly one gets it. A job delivered before it is due goes back
    to the queue until then."""
    early: datetime | None = None
    with _connection(conn) as c, c.begin():
        claimed = c.execute(
            update(JOBS)
            .where(JOBS.c.id == job_id, JOBS.c.status.in_(CLAIMABLE), JOBS.c.run_at <= now)
            .values(status="running", attempts=JOBS.c.attempts + 1, started_at=now,
                    lease_until=now + timedelta(seconds=DEFAULT_LEASE), updated_at=now)
            .returning(JOBS.c.name, JOBS.c.payload, JOBS.c.attempts, JOBS.c.max_attempts)
        ).first()
        if claimed is None:
            row = c.execute(select(JOBS.c.status, JOBS.c.run_at).where(JOBS.c.id == job_id)).first()
            if row is None:
                log.warning("job %s is not recorded (pruned, or another database); skipped", job_id)
            elif row[0] in CLAIMABLE and row[1] > now:  # early (clocks differ): wait until due
                early = row[1]
        else:
            spec = _JOBS.get(claimed[0])
            if spec is not None and spec.lease != DEFAULT_LEASE:
                c.execute(update(JOBS).where(JOBS.c.id == job_id)
                          .values(lease_until=now + timedelta(seconds=spec.lease)))
    if claimed is None:
        if early is not None:
            hand_off(job_id, early)
        return None  # else running elsewhere or done: a duplicate delivery
    return _Claim(claimed[0], dict(claimed[1] or {}), int(claimed[2]), int(claimed[3]))


def _finish(job_id: str, attempt: int, values: dict[str, Any], conn: Connection | None = None) -> bool:
    """Record the outcome of attempt `attempt`, unless the job was taken over meanwhile."""
    now = utcnow()
    values = {"finished_at": now, "lease_until": None, "updated_at": now, **values}
    with _connection(conn) as c, c.begin():
        result = c.execute(
            update(JOBS)
            .where(JOBS.c.id == job_id, JOBS.c.status == "running", JOBS.c.attempts == attempt)
            .values(**values)
        )
        done = bool(result.rowcount)
    if not done:
        log.warning("job %s attempt %d finished after it was taken over; outcome not recorded",
                    job_id, attempt)
    elif values.get("status") == "retrying":
        hand_off(job_id, values["run_at"])
    return done


def describe_error(err: BaseException) -> str:
    text = f"{type(err).__name__}: {err}".strip()
    return text[:2000]


def _record_failure(job_id: str, claim: _Claim, spec: JobSpec | None, err: Exception,
                    conn: Connection | None = None) -> None:
    error = describe_error(err)
    if claim.attempt >= claim.max_attempts:
        _finish(job_id, claim.attempt, {"status": "failed", "last_error": error}, conn)
        return
    base, cap = (spec.base_delay, spec.max_delay) if spec else (2.0, 3600.0)
    now = utcnow()
    run_at = now + timedelta(seconds=backoff_delay(claim.attempt, base, cap))
    _finish(job_id, claim.attempt, {"status": "retrying", "last_error": error, "run_at": run_at,
                                    "finished_at": None, "handed_at": now}, conn)
