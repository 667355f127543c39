"""Jobs: recorded before they are queued, run once, retried with backoff and jitter, delayed,
recovered after a lost hand-off or a dead worker, deduplicated, and visible per tenant."""

from __future__ import annotations

import random
import time
from collections import defaultdict
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from helpers import Account
from huey import Huey
from jobs_support import job_row, run_pending
from sqlalchemy import update

from core.ids import utcnow
from store.db import unit_of_work
from store.models import JobRecord
from tools.context import Principal
from tools.jobs import queue as jobs_queue
from tools.jobs import runner
from tools.jobs.queue import enqueue, get_huey, job, reset_huey
from tools.jobs.runner import backoff_delay, recover
from tools.runtime import execute

RUNS: dict[str, list[float]] = defaultdict(list)


@job("test.record", retries=0)
def record(payload: dict[str, Any]) -> None:
    RUNS[payload["key"]].append(time.time())


@job("test.flaky", retries=5, base_delay=0.2, max_delay=0.5)
def flaky(payload: dict[str, Any]) -> None:
    runs = RUNS[payload["key"]]
    runs.append(time.time())
    if len(runs) <= payload["fail_times"]:
        raise RuntimeError(f"failure number {len(runs)}")


@job("test.broken", retries=2, base_delay=0.01, max_delay=0.02)
def broken(payload: dict[str, Any]) -> None:
    RUNS[payload["key"]].append(time.time())
    raise ValueError("the receiving end said no")


def key() -> str:
    return f"k{random.getrandbits(48):x}"


def test_a_job_is_recorded_before_it_runs_and_runs_once(queue: Huey) -> None:
    k = key()
    job_id = enqueue("test.record", {"key": k})
    row = job_row(job_id)
    assert (row.status, row.attempts, row.max_attempts) == ("queued", 0, 1)
    assert run_pending(queue) == 1
    assert len(RUNS[k]) == 1
    row = job_row(job_id)
    assert row.status == "succeeded" and row.attempts == 1 and row.finished_at is not None
    # the queue delivers the same job again (a redelivery, a recovery that raced): nothing runs
    jobs_queue.hand_off(job_id)
    jobs_queue.hand_off(job_id)
    assert run_pending(queue) == 2
    assert len(RUNS[k]) == 1


def test_a_failing_job_is_retried_with_backoff_until_it_succeeds(queue: Huey,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner.random, "uniform", lambda low, high: high)  # the jitter's top
    k = key()
    job_id = enqueue("test.flaky", {"key": k, "fail_times": 2})
    run_pending(queue)  # the first attempt only: the retry is scheduled for later
    row = job_row(job_id)
    assert row.status == "retrying" and row.attempts == 1
    assert row.last_error == "RuntimeError: failure number 1"
    first_delay = row.run_at - row.started_at
    assert timedelta(seconds=0.2) <= first_delay <= timedelta(seconds=0.3)
    with monkeypatch.context() as frozen:  # delivered before it is due, however slow this machine
        frozen.setattr(runner, "utcnow", lambda: row.run_at - timedelta(seconds=0.05))
        runner.run_job(job_id)
    assert job_row(job_id).attempts == 1 and len(RUNS[k]) == 1
    run_pending(queue, until=lambda: job_row(job_id).attempts == 2)
    row = job_row(job_id)
    assert row.status == "retrying"
    assert timedelta(seconds=0.4) <= row.run_at - row.started_at < timedelta(seconds=0.6)  # doubled
    run_pending(queue, wait=True)
    row = job_row(job_id)
    assert (row.status, row.attempts) == ("succeeded", 3)
    assert row.last_error == "RuntimeError: failure number 2"  # the last error stays visible
    assert len(RUNS[k]) == 3


def test_a_job_that_always_fails_ends_failed_with_its_last_error(queue: Huey) -> None:
    k = key()
    job_id = enqueue("test.broken", {"key": k})
    run_pending(queue, wait=True)
    row = job_row(job_id)
    assert (row.status, row.attempts, row.max_attempts) == ("failed", 3, 3)
    assert row.last_error == "ValueError: the receiving end said no"
    assert row.finished_at is not None and len(RUNS[k]) == 3
    jobs_queue.hand_off(job_id)  # nothing brings a failed job back by accident
    run_pending(queue)
    assert len(RUNS[k]) == 3


def test_backoff_is_exponential_with_full_jitter() -> None:
    rng = random.Random(7)
    for attempt, cap in ((1, 2.0), (2, 4.0), (3, 8.0), (4, 16.0), (12, 3600.0), (30, 3600.0)):
        delays = [backoff_delay(attempt, 2.0, 3600.0, rng) for _ in range(400)]
        assert all(0.0 <= d <= cap for d in delays)
        assert max(delays) > cap * 0.9 and min(delays) < cap * 0.1  # spread over the whole range
        mean = sum(delays) / len(delays)
        assert cap * 0.4 < mean < cap * 0.6


def test_a_delayed_job_does_not_run_before_its_time(queue: Huey) -> None:
    k = key()
    queued_at = time.time()
    job_id = enqueue("test.record", {"key": k}, delay=1.5)
    run_pending(queue)
    assert RUNS[k] == [] and job_row(job_id).status == "queued"
    time.sleep(0.3)
    run_pending(queue)
    assert RUNS[k] == []
    run_pending(queue, wait=True)
    assert len(RUNS[k]) == 1 and RUNS[k][0] >= queued_at + 1.5
    assert job_row(job_id).status == "succeeded"


def test_a_delivery_ahead_of_time_goes_back_to_wait(queue: Huey) -> None:
    """A worker whose clock runs ahead of the one that scheduled the job does not run it early."""
    k = key()
    job_id = enqueue("test.record", {"key": k}, delay=1.0)
    queue.flush()  # the scheduled copy is gone; an early, unscheduled copy arrives instead
    queue.enqueue(queue._bizpilot_run.s(job_id))
    run_pending(queue)
    assert RUNS[k] == [] and job_row(job_id).status == "queued"
    run_pending(queue, wait=True)
    assert len(RUNS[k]) == 1


def test_jobs_survive_a_restart(queue: Huey) -> None:
    k = key()
    job_id = enqueue("test.record", {"key": k}, delay=0.3)
    run_pending(queue)  # this "process" moves it to its schedule, then goes away
    assert queue.scheduled_count() == 1
    reset_huey()  # the process is gone; a new one opens the same queue
    fresh = get_huey()
    assert fresh is not queue
    run_pending(fresh, wait=True)
    assert len(RUNS[k]) == 1 and job_row(job_id).status == "succeeded"


def test_a_job_whose_hand_off_was_lost_is_recovered(queue: Huey, monkeypatch: pytest.MonkeyPatch) -> None:
    """The process died between committing the job and queueing it: the recovery sweep of any
    worker queues it once it is overdue, and it runs once."""
    k = key()
    monkeypatch.setattr(jobs_queue, "hand_off", lambda *a, **kw: False)
    job_id = enqueue("test.record", {"key": k})
    monkeypatch.undo()
    assert run_pending(queue) == 0 and job_row(job_id).status == "queued"
    assert recover() == []  # not overdue yet: it may simply be waiting its turn
    later = utcnow() + runner.STALE_AFTER + timedelta(seconds=1)
    assert recover(now=later) == [job_id]
    assert recover(now=later) == []  # handed over once per stale period, not on every sweep
    run_pending(queue)
    assert len(RUNS[k]) == 1 and job_row(job_id).status == "succeeded"


def test_a_starting_worker_queues_what_waits_at_once(queue: Huey, monkeypatch: pytest.MonkeyPatch) -> None:
    """A server killed between commit and hand-off: its next start queues the job right away,
    and the copy that may also be in the queue changes nothing."""
    k = key()
    monkeypatch.setattr(jobs_queue, "hand_off", lambda *a, **kw: False)
    lost = enqueue("test.record", {"key": k})
    monkeypatch.undo()
    queued = enqueue("test.record", {"key": k})  # this one is in the queue as well
    later = enqueue("test.record", {"key": k}, delay=60)  # not due: left to its schedule
    runner.startup()
    run_pending(queue)
    assert len(RUNS[k]) == 2
    assert [job_row(j).status for j in (lost, queued, later)] == ["succeeded", "succeeded", "queued"]


def test_a_job_whose_worker_died_is_run_again_after_its_lease(queue: Huey) -> None:
    k = key()
    job_id = enqueue("test.flaky", {"key": k, "fail_times": 0})
    once = enqueue("test.record", {"key": k})  # no retries: a lost attempt is its last
    queue.flush()
    claim = runner._claim(job_id, utcnow())  # a worker claims them ... and dies
    assert claim is not None and runner._claim(once, utcnow()) is not None
    assert job_row(job_id).status == "running"
    assert recover() == []  # within its lease it is left alone
    after_lease = utcnow() + timedelta(seconds=runner.DEFAULT_LEASE + 1)
    assert recover(now=after_lease) == [job_id]
    row = job_row(job_id)
    assert row.status == "retrying" and row.last_error == runner.LOST
    lost = job_row(once)
    assert (lost.status, lost.last_error) == ("failed", runner.LOST)
    with unit_of_work() as session:  # due now by the recovering worker's clock
        session.execute(update(JobRecord).where(JobRecord.id == job_id).values(run_at=utcnow()))
    run_pending(queue)
    row = job_row(job_id)
    assert (row.status, row.attempts) == ("succeeded", 2) and len(RUNS[k]) == 1
    # the dead worker's late report does not overwrite the outcome
    assert runner._finish(job_id, claim.attempt, {"status": "failed"}) is False
    assert job_row(job_id).status == "succeeded"


def test_a_dedupe_key_records_and_runs_one_job(queue: Huey) -> None:
    k = key()
    first = enqueue("test.record", {"key": k}, dedupe_key=f"once:{k}")
    again = enqueue("test.record", {"key": k}, dedupe_key=f"once:{k}")
    assert first == again
    run_pending(queue)
    assert len(RUNS[k]) == 1


def test_a_job_enqueued_in_a_rolled_back_transaction_never_exists(queue: Huey) -> None:
    k = key()
    with pytest.raises(RuntimeError), unit_of_work() as session:
        job_id = enqueue("test.record", {"key": k}, session=session)
        raise RuntimeError("the change failed")
    with unit_of_work() as session:
        assert session.get(JobRecord, job_id) is None
    assert run_pending(queue) == 0 and RUNS[k] == []
    with unit_of_work() as session:
        committed = enqueue("test.record", {"key": k}, session=session)
        assert run_pending(queue) == 0  # not queued before the commit
    run_pending(queue)
    assert len(RUNS[k]) == 1 and job_row(committed).status == "succeeded"


def test_an_unknown_job_name_is_refused() -> None:
    with pytest.raises(ValueError, match="no job named"):
        enqueue("test.nobody", {})


# --- visible through the API and as a tool, per tenant ------------------------------------------


def _principal(account: Account) -> Principal:
    return Principal(user_id=account.user_id, tenant_id=account.tenant_id, role="admin",
                     email=account.email)


def test_job_status_and_last_error_per_tenant(queue: Huey, client: TestClient, account: Account,
                                              other_account: Account) -> None:
    k = key()
    failed = enqueue("test.broken", {"key": k}, tenant_id=account.tenant_id)
    done = enqueue("test.record", {"key": k}, tenant_id=account.tenant_id)
    enqueue("test.record", {"key": key()})  # a system job: no tenant's
    run_pending(queue, wait=True)

    listed = client.get("/api/jobs", headers=account.headers, params={"name": "test.*"})
    assert listed.status_code == 200, listed.text
    data = listed.json()["data"]
    assert {j["id"] for j in data["jobs"]} == {failed, done}
    assert data["pagination"]["total"] == 2 and listed.json()["meta"]["total"] == 2
    everything = client.get("/api/jobs", headers=account.headers, params={"limit": 100}).json()["data"]
    states = [j["status"] for j in everything["jobs"]]  # with the jobs of the account's own events
    assert everything["counts"] == {s: states.count(s) for s in everything["counts"]}
    assert everything["counts"]["failed"] == 1
    only_failed = client.get("/api/jobs", headers=account.headers, params={"status": "failed"}).json()
    [row] = only_failed["data"]["jobs"]
    assert row["id"] == failed and row["lastError"] == "ValueError: the receiving end said no"
    assert row["attempts"] == 3 and row["maxAttempts"] == 3
    assert client.get("/api/jobs", headers=account.headers,
                      params={"name": "test.record"}).json()["data"]["pagination"]["total"] == 1
    assert client.get("/api/jobs", headers=account.headers,
                      params={"name": "test.rec"}).json()["data"]["pagination"]["total"] == 0
    one = client.get(f"/api/jobs/{failed}", headers=account.headers)
    assert one.status_code == 200 and one.json()["data"]["job"]["status"] == "failed"
    raw = client.get("/api/v1/jobs", headers=account.headers, params={"limit": 1, "name": "test.*"}).json()
    assert raw["pagination"]["total"] == 2 and len(raw["jobs"]) == 1 and "last_error" in raw["jobs"][0]
    v1_one = client.get(f"/api/v1/jobs/{done}", headers=account.headers).json()
    assert v1_one["id"] == done and v1_one["status"] == "succeeded"

    # another tenant sees none of them, and asking for one by id is "not found"
    theirs = client.get("/api/jobs", headers=other_account.headers, params={"limit": 100}).json()["data"]
    assert not {j["id"] for j in theirs["jobs"]} & {failed, done}
    assert theirs["counts"]["failed"] == 0
    assert not [j for j in client.get("/api/v1/jobs", headers=other_account.headers).json()["jobs"]
                if j["name"].startswith("test.")]
    assert client.get(f"/api/jobs/{failed}", headers=other_account.headers).status_code == 404
    assert client.get(f"/api/v1/jobs/{failed}", headers=other_account.headers).status_code == 404
    assert client.get("/api/jobs").status_code == 401

    # the same through the tool runtime (the assistant's and MCP's path)
    out = execute("list_jobs", _principal(account), {"status": "failed"})
    assert [j.id for j in out.jobs] == [failed]  # type: ignore[attr-defined]
    assert execute("list_jobs", _principal(other_account), {"name": "test.*"}).pagination.total == 0  # type: ignore[attr-defined]
    user = Principal(user_id=account.user_id, tenant_id=account.tenant_id, role="user")
    with pytest.raises(Exception, match="analyst"):
        execute("list_jobs", user, {})
