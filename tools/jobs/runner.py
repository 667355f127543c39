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
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from croniter import croniter
from sqlalchemy import Connection, Table, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from core.ids import new_id, utcnow
from store.db import get_engine, on_commit, unit_of_work
from store.models import JobRecord

log = logging.getLogger("bizpilot.jobs")

JobFn = Callable[[dict[str, Any]], None]
F = TypeVar("F", bound=JobFn)

JOBS: Table = JobRecord.__table__  # type: ignore[assignment]  # Core statements: less overhead
CLAIMABLE = ("queued", "retrying")
DEFAULT_LEASE = 300.0
STALE_AFTER = timedelta(seconds=60)
"""A due job still queued this long after it was handed over is handed over again."""
RECOVERY_BATCH = 500
KEEP_SUCCEEDED = timedelta(days=7)
KEEP_SUCCEEDED_TICKS = timedelta(days=1)
KEEP_FAILED = timedelta(days=30)
LOST = "the worker stopped before the job finished (lease expired)"


@dataclass(frozen=True)
class JobSpec:
    name: str
    fn: JobFn
    retries: int
    base_delay: float
    max_delay: float
    lease: float
    cron: str | None = None

    @property
    def max_attempts(self) -> int:
        return self.retries + 1


_JOBS: dict[str, JobSpec] = {}


def hand_off(job_id: str, run_at: datetime | None = None) -> bool:
    from tools.jobs.queue import hand_off as to_queue  # queue.py re-exports this module

    return to_queue(job_id, run_at)


def _register(spec: JobSpec) -> None:
    existing = _JOBS.get(spec.name)
    if existing is not None and _where(existing.fn) != _where(spec.fn):
        raise ValueError(f"job {spec.name} is already registered by {_where(existing.fn)}")
    _JOBS[spec.name] = spec


def _where(fn: Callable[..., Any]) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


def job(name: str, *, retries: int = 5, base_delay: float = 2.0, max_delay: float = 3600.0,
        lease: float = DEFAULT_LEASE) -> Callable[[F], F]:
    """Register `fn(payload: dict) -> None` as the job `name`. It runs inside a worker with no
    transaction of its own: open a unit of work for what it changes. `retries` retries follow a
    failure, each after a random delay of up to `base_delay * 2**(attempt-1)` seconds (capped at
    `max_delay`); a job still running after `lease` seconds is presumed lost and run again."""
    if retries < 0 or base_delay < 0 or max_delay < 0 or lease <= 0:
        raise ValueError("retries, base_delay and max_delay must be >= 0 and lease > 0")

    def register(fn: F) -> F:
        _register(JobSpec(name, fn, retries, base_delay, max_delay, lease))
        return fn

    return register


def periodic(name: str, cron_expr: str, *, retries: int = 0, base_delay: float = 2.0,
             max_delay: float = 60.0, lease: float = DEFAULT_LEASE) -> Callable[[F], F]:
    """Register `fn(payload) -> None` to run on the cron schedule `cron_expr` (five fields, or six
    with seconds last: `"* * * * * */10"` is every ten seconds). The payload holds the `tick`
    (ISO time). Ticks missed while no worker ran are skipped, not replayed."""
    if not croniter.is_valid(cron_expr):
        raise ValueError(f"invalid cron expression {cron_expr!r}")

    def register(fn: F) -> F:
        _register(JobSpec(name, fn, retries, base_delay, max_delay, lease, cron=cron_expr))
        return fn

    return register


def unregister(name: str) -> None:
    """Forget a job (tests, plugins being unloaded)."""
    _JOBS.pop(name, None)


def registered() -> dict[str, JobSpec]:
    return dict(_JOBS)


def spec_for(name: str) -> JobSpec:
    spec = _JOBS.get(name)
    if spec is None:
        _load_catalog()
        spec = _JOBS.get(name)
    if spec is None:
        raise ValueError(f"no job named {name!r} is registered")
    return spec


def _load_catalog() -> None:
    """Importing the tool catalog registers every job and event subscriber."""
    import tools.catalog  # noqa: F401


# --- enqueueing --------------------------------------------------------------------------------


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


# --- schedules, recovery, retention ------------------------------------------------------------


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
