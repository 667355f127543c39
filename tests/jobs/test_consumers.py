"""Real Huey consumers: a cron job fires once per tick however many consumers run it, and a job
survives its consumer going away."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from huey import Huey
from jobs_support import job_row
from sqlalchemy import select

from store.db import unit_of_work
from store.models import JobRecord
from tools.jobs import runner
from tools.jobs.queue import build_huey, enqueue, get_huey, job, periodic, reset_huey
from tools.jobs.worker import create_consumer

RAN: Counter[str] = Counter()


@job("test.consumed", retries=0)
def consumed(payload: dict[str, Any]) -> None:
    RAN[payload["key"]] += 1


def wait_for(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_periodic_job_fires_once_per_tick_with_two_consumers(queue: Huey) -> None:
    ticks: Counter[str] = Counter()

    @periodic("test.every_second", "* * * * * *")
    def every_second(payload: dict[str, Any]) -> None:
        ticks[payload["tick"]] += 1

    first = create_consumer(queue, workers=2)
    second = create_consumer(build_huey(), workers=2)  # another "process" on the same queue
    try:
        first.start()
        second.start()
        wait_for(lambda: len(ticks) >= 3)
    finally:
        first.stop(graceful=True)
        second.stop(graceful=True)
        runner.unregister("test.every_second")
    assert set(ticks.values()) == {1}, ticks
    with unit_of_work() as session:
        rows = session.scalars(select(JobRecord).where(JobRecord.name == "test.every_second")).all()
    per_tick = Counter(r.payload["tick"] for r in rows)
    assert set(per_tick.values()) == {1}  # one recorded job per tick, not one per consumer
    assert set(ticks) <= set(per_tick)
    assert all(r.status == "succeeded" for r in rows if r.payload["tick"] in ticks)


def test_a_job_survives_its_consumer_going_away(queue: Huey) -> None:
    key = f"survivor-{time.time_ns()}"
    job_id = enqueue("test.consumed", {"key": key}, delay=2.5)
    first = create_consumer(queue, workers=1)
    first.start()
    wait_for(lambda: queue.pending_count() == 0)  # taken off the queue, into its schedule
    first.stop(graceful=True)
    reset_huey()  # the process is gone
    assert RAN[key] == 0 and job_row(job_id).status == "queued"
    restarted = create_consumer(get_huey(), workers=1)
    restarted.start()
    try:
        wait_for(lambda: job_row(job_id).status == "succeeded")
    finally:
        restarted.stop(graceful=True)
    assert RAN[key] == 1
