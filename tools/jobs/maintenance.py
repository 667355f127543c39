"""What every worker does besides running jobs: keep the cron chains going, hand over again what
the queue lost, and forget finished jobs after a while."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from croniter import croniter
from sqlalchemy import delete, or_, select, update

from core.ids import utcnow
from store.db import unit_of_work
from store.models import JobRecord
from tools.jobs.recording import enqueue, hand_off
from tools.jobs.specs import _JOBS, CLAIMABLE, JobSpec

log = logging.getLogger("bizpilot.jobs")

STALE_AFTER = timedelta(seconds=60)
"""A due job still queued this long after it was handed over is handed over again."""
RECOVERY_BATCH = 500
KEEP_SUCCEEDED = timedelta(days=7)
KEEP_SUCCEEDED_TICKS = timedelta(days=1)
KEEP_FAILED = timedelta(days=30)
LOST = "the worker stopped before the job finished (lease expired)"


def _schedule_next(spec: JobSpec, after: datetime) -> str | None:
    assert spec.cron is not None
    tick: datetime = croniter(spec.cron, after).get_next(datetime)
    try:
        return enqueue(spec.name, {"tick": tick.isoformat()},
                       delay=(tick - utcnow()).total_seconds(),
                       dedupe_key=f"cron:{spec.name}:{tick.isoformat()}")
    except Exception:
        log.exception("could not schedule the next run of %s", spec.name)
        return None


def schedule_periodics(now: datetime | None = None) -> list[str]:
    """Make sure every cron job has its next tick recorded (idempotent: one row per tick)."""
    now = now or utcnow()
    ids = [_schedule_next(spec, now) for spec in list(_JOBS.values()) if spec.cron]
    return [i for i in ids if i]


def recover(now: datetime | None = None, stale_after: timedelta = STALE_AFTER) -> list[str]:
    """Hand over again what the queue lost: jobs running past their lease (their worker died)
    and due jobs still queued long after they were handed over (the hand-off never happened).
    Each row is taken by one conditional UPDATE, so concurrent sweeps do not double up; a job
    handed over twice still runs once."""
    now = now or utcnow()
    stale = now - stale_after
    with unit_of_work() as session:
        expired = (JobRecord.status == "running") & (JobRecord.lease_until < now)
        lost = list(session.execute(
            update(JobRecord)
            .where(expired, JobRecord.attempts < JobRecord.max_attempts)
            .values(status="retrying", run_at=now, last_error=LOST, lease_until=None,
                    handed_at=now, updated_at=now)
            .returning(JobRecord.id)
            .execution_options(synchronize_session=False)
        ).scalars())
        session.execute(
            update(JobRecord)
            .where(expired, JobRecord.attempts >= JobRecord.max_attempts)
            .values(status="failed", finished_at=now, last_error=LOST, lease_until=None,
                    updated_at=now)
            .execution_options(synchronize_session=False)
        )
        waiting = (select(JobRecord.id)
                   .where(JobRecord.status.in_(CLAIMABLE), JobRecord.run_at <= stale,
                          or_(JobRecord.handed_at.is_(None), JobRecord.handed_at <= stale))
                   .limit(RECOVERY_BATCH))
        forgotten = list(session.execute(
            update(JobRecord)
            .where(JobRecord.id.in_(waiting), JobRecord.status.in_(CLAIMABLE))
            .values(handed_at=now)
            .returning(JobRecord.id)
            .execution_options(synchronize_session=False)
        ).scalars())
    ids = lost + forgotten
    if ids:
        log.info("recovery: handing over %d lost and %d waiting job(s)", len(lost), len(forgotten))
    for job_id in ids:
        hand_off(job_id)
    return ids


def prune(now: datetime | None = None) -> int:
    """Forget finished jobs after a while: cron ticks after a day, other successes after a week,
    failures after a month."""
    now = now or utcnow()
    ticks = [name for name, spec in _JOBS.items() if spec.cron]
    done = JobRecord.status == "succeeded"
    with unit_of_work() as session:
        removed = 0
        for condition in (
            done & JobRecord.name.in_(ticks) & (JobRecord.finished_at < now - KEEP_SUCCEEDED_TICKS),
            done & (JobRecord.finished_at < now - KEEP_SUCCEEDED),
            (JobRecord.status == "failed") & (JobRecord.finished_at < now - KEEP_FAILED),
        ):
            result = session.execute(delete(JobRecord).where(condition)
                                     .execution_options(synchronize_session=False))
            removed += int(getattr(result, "rowcount", 0) or 0)
    return removed


def startup() -> None:
    """When a worker starts: queue again every due job still waiting (whatever the queue lost
    while no worker ran, e.g. a process killed between commit and hand-off; a job that is in the
    queue too just gets a second, harmless delivery), and schedule the cron jobs."""
    for step in (lambda: recover(stale_after=timedelta(0)), schedule_periodics):
        try:
            step()
        except Exception:
            log.exception("job worker start-up step failed")


def heartbeat() -> None:
    """Every minute in every worker: recover lost jobs, keep cron chains going, prune."""
    for step in (recover, schedule_periodics, prune):
        try:
            step()
        except Exception:
            log.exception("job heartbeat step %s failed", step.__name__)
