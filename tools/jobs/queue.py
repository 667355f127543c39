"""The Huey instance: Redis when `REDIS_URL` is set (several worker processes), else Huey's
embedded SQLite queue in `JOBS_DB`, which needs no server. The same code runs on both.

This module is also the jobs API: `job`, `periodic` and `enqueue` (defined in tools.jobs.runner).

Huey carries job ids, nothing else: what a job is, its attempts, its errors and its status live
in the `jobs` table (tools.jobs.runner), written before the id is handed over here. So the queue
can lose a message (a crash between commit and hand-off, a worker killed mid-task) and the
recovery sweep hands the job over again; and it can deliver one twice, since a worker claims a
job in the database before running it.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey, crontab
from redis import ConnectionPool

from core.ids import utcnow
from core.settings import Settings, get_settings

log = logging.getLogger("bizpilot.jobs")

QUEUE_NAME = "bizpilot"
RUN_TASK = "bizpilot.run_job"
HEARTBEAT_TASK = "bizpilot.heartbeat"

_lock = threading.Lock()
_huey: Huey | None = None
_huey_key: tuple[str, str] | None = None


def _key(settings: Settings) -> tuple[str, str]:
    return (settings.redis_url, str(settings.jobs_db))


def build_huey(settings: Settings | None = None) -> Huey:
    """A new Huey instance for the configured queue, with BizPilot's two tasks registered: the
    one that runs a recorded job by id, and the minute heartbeat (recovery, cron schedules)."""
    settings = settings or get_settings()
    huey: Huey
    if settings.redis_url:
        # Timeouts, so an unreachable Redis fails a hand-off quickly (the job stays recorded and
        # is queued later) instead of hanging a request; above the consumer's 1 s blocking read.
        pool = ConnectionPool.from_url(settings.redis_url, socket_connect_timeout=5,
                                       socket_timeout=15, health_check_interval=30)
        huey = RedisHuey(QUEUE_NAME, connection_pool=pool, results=False)
    else:
        settings.jobs_db.parent.mkdir(parents=True, exist_ok=True)
        huey = SqliteHuey(QUEUE_NAME, filename=str(settings.jobs_db), results=False)
    huey._bizpilot_run = huey.task(name=RUN_TASK)(_run_task)
    huey.periodic_task(crontab(minute="*"), name=HEARTBEAT_TASK)(_heartbeat_task)
    return huey


def get_huey() -> Huey:
    """The process's Huey instance for the current settings (rebuilt if they changed)."""
    global _huey, _huey_key
    settings = get_settings()
    with _lock:
        if _huey is None or _huey_key != _key(settings):
            if _huey is not None:
                _close(_huey)
            _huey = build_huey(settings)
            _huey_key = _key(settings)
        return _huey


def reset_huey() -> None:
    """Forget the instance (tests switch databases; a restarted worker starts afresh)."""
    global _huey, _huey_key
    with _lock:
        if _huey is not None:
            _close(_huey)
        _huey, _huey_key = None, None


def _close(huey: Huey) -> None:
    storage: Any = huey.storage
    try:
        if hasattr(storage, "close"):
            storage.close()
        if hasattr(storage, "pool"):
            storage.pool.disconnect()
    except Exception:
        log.debug("closing the queue failed", exc_info=True)


def hand_off(job_id: str, run_at: datetime | None = None, huey: Huey | None = None) -> bool:
    """Put a recorded job on the queue (at `run_at` if that is in the future). False if the queue
    could not be reached: the job stays recorded and the recovery sweep hands it over later."""
    huey = huey or get_huey()
    task = _run_task_wrapper(huey)
    try:
        if run_at is not None and run_at > utcnow() + timedelta(milliseconds=5):
            task.schedule(args=(job_id,), eta=run_at)
        else:
            task(job_id)
        return True
    except Exception:
        log.warning("job %s recorded but not queued (queue unreachable); the recovery sweep will "
                    "queue it", job_id, exc_info=True)
        return False


def _run_task_wrapper(huey: Huey) -> Any:
    wrapper = getattr(huey, "_bizpilot_run", None)
    if wrapper is None:
        raise RuntimeError("this Huey instance was not built by tools.jobs.queue.build_huey")
    return wrapper


def _run_task(job_id: str) -> None:
    from tools.jobs import runner

    runner.run_job(job_id)


def _heartbeat_task() -> None:
    from tools.jobs import runner

    runner.heartbeat()


from tools.jobs.runner import enqueue, job, periodic  # noqa: E402  (the public API, re-exported)

__all__ = ["build_huey", "enqueue", "get_huey", "hand_off", "job", "periodic", "reset_huey"]
