"""Job workers: Huey's consumer, with thread workers, either inside the API process (`make run`,
`start_in_process()` / `stop()`) or as a process of its own (`bizpilot worker`, `run()`).

Every consumer also runs Huey's scheduler: delayed jobs and retries come due there, and each
minute its heartbeat recovers lost jobs and keeps the cron schedules going. Any number of
consumers may share one queue and one database: a job runs once, whichever claims it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from huey import Huey
from huey.consumer import Consumer

from core.settings import get_settings
from tools.jobs.queue import get_huey
from tools.jobs.runner import _load_catalog, startup

log = logging.getLogger("bizpilot.jobs")

_lock = threading.Lock()
_consumer: Consumer | None = None


class _EmbeddedConsumer(Consumer):  # type: ignore[misc]
    """A consumer that leaves the process's signals alone: in the API process uvicorn owns them
    (and a thread may not set them at all)."""

    def _set_signal_handlers(self) -> None:
        pass


def create_consumer(huey: Huey | None = None, *, workers: int = 2, embedded: bool = True) -> Consumer:
    """A consumer polling quickly when idle (an embedded SQLite queue is polled; Redis blocks)."""
    cls = _EmbeddedConsumer if embedded else Consumer
    return cls(huey or get_huey(), workers=workers, worker_type="thread", periodic=True,
               initial_delay=0.05, backoff=1.5, max_delay=1.0, scheduler_interval=1,
               check_worker_health=True, shutdown_timeout=15.0)


def import_modules(modules: Iterable[str]) -> None:
    """Every job and event subscriber of the product, plus extra modules (plugins, tests)."""
    import importlib

    _load_catalog()
    for module in modules:
        importlib.import_module(module)


def start_in_process(workers: int | None = None) -> None:
    """Start a consumer inside this process (the API's lifespan calls this); idempotent."""
    global _consumer
    with _lock:
        if _consumer is not None:
            return
        import_modules(())
        startup()
        consumer = create_consumer(workers=workers or get_settings().job_workers, embedded=True)
        consumer.start()
        _consumer = consumer
    log.info("job worker started in process (%d threads)", consumer.workers)


def stop() -> None:
    """Stop the in-process consumer, letting running jobs finish (up to its shutdown timeout)."""
    global _consumer
    with _lock:
        consumer, _consumer = _consumer, None
    if consumer is not None:
        consumer.stop(graceful=True)
        log.info("job worker stopped")


def running() -> bool:
    return _consumer is not None


def run(workers: int = 2, modules: Iterable[str] = ()) -> None:
    """`bizpilot worker`: run a consumer in the foreground until SIGINT or SIGTERM."""
    import_modules(modules)
    startup()
    consumer = create_consumer(workers=workers, embedded=False)
    log.info("worker ready: %d thread(s)", workers)
    consumer.run()
