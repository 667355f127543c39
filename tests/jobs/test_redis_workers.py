"""The distributed set-up, for real: Redis (REDIS_URL) as the queue, PostgreSQL as the database,
and `bizpilot worker` processes. The same code path as the embedded queue; several workers share
the work and never run one job twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import postgres
import pytest
import redis
import redis_server as redis_server_module
from helpers import use_database
from jobs_support import job_row
from sqlalchemy import select, text

from core.env import settings_env
from store.db import unit_of_work
from store.models import JobRecord, Tenant
from tools import events
from tools.context import Principal, ToolContext
from tools.jobs.queue import enqueue, get_huey, hand_off, job, reset_huey
from tools.jobs.worker import create_consumer

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
EVENTS = 1000
RAN: dict[str, int] = {}


@job("test.redis_job", retries=3, base_delay=0.05, max_delay=0.1)
def redis_job(payload: dict[str, Any]) -> None:
    RAN[payload["key"]] = RAN.get(payload["key"], 0) + 1
    if RAN[payload["key"]] <= payload.get("fail_times", 0):
        raise RuntimeError("not yet")


@pytest.fixture(scope="module")
def distributed(postgres_server: postgres.Server, redis_server: redis_server_module.Server,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """This module's settings: a fresh PostgreSQL database and the session's Redis."""
    url = postgres.create_database(postgres_server)
    with settings_env("DATABASE_URL", "CHECKPOINT_URL", "JOBS_DB", REDIS_URL=redis_server.url):
        use_database(url, tmp_path_factory.mktemp("workers"))  # sets the other three
        reset_huey()
        yield {"database_url": url, "redis_url": redis_server.url}
    reset_huey()


@pytest.fixture
def clean_redis(distributed: dict[str, str]) -> None:
    redis.Redis.from_url(distributed["redis_url"]).flushdb()


def test_redis_is_the_queue_when_configured_same_code_path(distributed: dict[str, str],
                                                           clean_redis: None) -> None:
    huey = get_huey()
    assert type(huey).__name__ == "RedisHuey"
    consumer = create_consumer(huey, workers=2)
    consumer.start()
    try:
        now = enqueue("test.redis_job", {"key": "now"})
        later = enqueue("test.redis_job", {"key": "later"}, delay=1.0)
        flaky = enqueue("test.redis_job", {"key": "flaky", "fail_times": 2})
        deadline = time.monotonic() + 20
        while {job_row(j).status for j in (now, later, flaky)} != {"succeeded"}:
            assert time.monotonic() < deadline, "jobs did not finish over Redis"
            time.sleep(0.05)
    finally:
        consumer.stop(graceful=True)
    assert RAN == {"now": 1, "later": 1, "flaky": 3}
    assert job_row(flaky).attempts == 3 and job_row(flaky).last_error == "RuntimeError: not yet"
    assert job_row(later).started_at >= job_row(later).created_at  # type: ignore[operator]


class Worker:
    """`bizpilot worker` as its own process."""

    def __init__(self, cwd: Path) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)])}
        self.output: list[str] = []
        self.ready = threading.Event()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bizpilot_cli.main", "worker", "--workers", "4",
             "--import", "counting_subscriber"],
            cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)
            if "worker ready" in line:
                self.ready.set()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # graceful: running jobs finish
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def test_two_worker_processes_deliver_1000_events_once_each(
        distributed: dict[str, str], clean_redis: None, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import counting_subscriber  # the subscriber the workers import too

    counter = events.subscribers()[counting_subscriber.NAME]
    monkeypatch.setattr(events, "_SUBSCRIBERS", {counter.name: counter})  # only this test's
    job_name = counter.job_name
    with unit_of_work() as session:
        session.execute(text("CREATE TABLE test_deliveries (event_id varchar(36) NOT NULL, "
                             "pid integer NOT NULL)"))
        tenant = Tenant(name="Busy Shop", slug=f"busy-shop-{time.time_ns()}")
        session.add(tenant)
    workers = [Worker(tmp_path), Worker(tmp_path)]  # they start while the events are written
    try:
        who = Principal(user_id="", tenant_id=tenant.id, role="admin")
        ids: list[str] = []
        for _batch in range(EVENTS // 100):  # 100 events per transaction, handed over at commit
            with unit_of_work(tenant.id) as session:
                ctx = ToolContext(session, who)
                ids += [events.emit(ctx, "customer.created", {"name": f"Customer {len(ids) + n}"})
                        for n in range(100)]
        with unit_of_work() as session:
            job_ids = list(session.scalars(select(JobRecord.id).where(JobRecord.name == job_name)))
        assert len(job_ids) == EVENTS
        for job_id in job_ids[::4]:  # a quarter delivered a second time, as a redelivery would be
            hand_off(job_id)
        for w in workers:
            assert w.ready.wait(60), "worker did not start:\n" + "".join(w.output)
        deadline = time.monotonic() + 120
        while True:
            with unit_of_work() as session:
                done = session.scalar(text("SELECT count(*) FROM jobs WHERE name = :n AND status = "
                                           "'succeeded'"), {"n": job_name})
            if done == EVENTS:
                break
            assert time.monotonic() < deadline, f"only {done} of {EVENTS} delivered"
            assert all(w.proc.poll() is None for w in workers), "a worker died:\n" + "".join(
                w.output[-1] if w.output else "" for w in workers)
            time.sleep(0.2)
        queue = redis.Redis.from_url(distributed["redis_url"])
        deadline = time.monotonic() + 30
        while queue.llen("huey.redis.bizpilot"):  # the duplicates still queued reach their claim
            assert time.monotonic() < deadline
            time.sleep(0.1)
        time.sleep(0.3)
    finally:
        for w in workers:
            w.stop()

    with unit_of_work() as session:
        rows = session.execute(text("SELECT event_id, pid FROM test_deliveries")).all()
        attempts = set(session.scalars(select(JobRecord.attempts).where(JobRecord.name == job_name)))
    delivered = [r[0] for r in rows]
    assert len(delivered) == EVENTS and set(delivered) == set(ids)  # each event once, none twice
    assert attempts == {1}
    pids = {r[1] for r in rows}
    assert pids == {w.proc.pid for w in workers}  # both processes did part of the work
    assert all(w.proc.returncode == 0 for w in workers), [w.output[-5:] for w in workers]
