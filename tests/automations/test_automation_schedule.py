"""Schedule triggers: a cron automation fires exactly once per tick with two workers (two
consumers, each its own Huey instance, on one queue and one database); the minute scan keeps the
chain of ticks without duplicating it; pausing stops the ticks, resuming restarts them; a bad
cron is refused naming the field."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from automation_support import Clock, admin, wait_for
from fastapi.testclient import TestClient
from helpers import Account
from huey import Huey
from sqlalchemy import delete, func, select

from core.errors import ValidationFailed
from store.db import unit_of_work
from store.models import Automation, AutomationRun, JobRecord, Task
from tools.automations import engine
from tools.jobs.queue import build_huey
from tools.jobs.worker import create_consumer
from tools.runtime import execute

EVERY_SECOND = {"name": "Every second", "schedule": "* * * * * *", "action": "create_task",
                "title": "Check the till"}


def _count(model: type, tenant_id: str, *where: object) -> int:
    with unit_of_work(tenant_id) as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_a_cron_automation_fires_once_per_tick_with_two_workers(client: TestClient, account: Account,
                                                                 queue: Huey) -> None:
    made = execute("create_automation", admin(account), EVERY_SECOND, confirmed=True)
    automation_id = made.automation.id  # type: ignore[attr-defined]
    first = create_consumer(queue, workers=2)
    second = create_consumer(build_huey(), workers=2)  # another "process" on the same queue
    try:
        first.start()
        second.start()
        wait_for(lambda: _count(AutomationRun, account.tenant_id, AutomationRun.status == "succeeded") >= 4)
        execute("pause_automation", admin(account), {"name": automation_id})
    finally:
        first.stop(graceful=True)
        second.stop(graceful=True)
    with unit_of_work(account.tenant_id) as session:
        runs = list(session.scalars(select(AutomationRun)
                                    .where(AutomationRun.automation_id == automation_id)))
        tasks = session.scalar(select(func.count()).select_from(Task)) or 0
        ticks = [j.payload["tick"] for j in session.scalars(
            select(JobRecord).where(JobRecord.name == engine.TICK_JOB))]
    per_tick = Counter(r.trigger["tick"] for r in runs)
    assert len(per_tick) >= 4 and set(per_tick.values()) == {1}
    assert set(Counter(ticks).values()) == {1}  # one recorded tick job per tick, not one per worker
    # each run's action ran once: a run ticked just before the pause is skipped when its step runs,
    # and one still queued when the workers stopped has not run yet (it runs at the next start)
    performed = sum(1 for r in runs for o in r.outcomes if o.get("status") == "succeeded")
    assert tasks == performed
    assert all(len(r.outcomes) == 1 for r in runs if r.status == "succeeded")
    seconds = sorted(per_tick)
    assert len(set(seconds)) == len(seconds)


def test_the_scan_keeps_the_chain_and_pausing_stops_it(client: TestClient, account: Account, queue: Huey,
                                                       clock: Clock) -> None:
    weekly = {"schedule": "every Monday at 9", "action": "send_email", "template": "invoice_reminder",
              "recipients": "overdue_customers"}
    made = execute("create_automation", admin(account), weekly, confirmed=True)
    out = made.automation  # type: ignore[attr-defined]
    assert out.trigger.cron == "0 9 * * 1" and out.next_run_at.weekday() == 0
    assert out.name.startswith("E-mail invoice reminder to overdue customers")

    def tick_jobs() -> list[JobRecord]:
        with unit_of_work() as session:
            return list(session.scalars(select(JobRecord).where(JobRecord.name == engine.TICK_JOB,
                                                                 JobRecord.tenant_id == account.tenant_id)))

    assert len(tick_jobs()) == 1
    engine.ensure_schedules()
    engine.ensure_schedules()
    assert len(tick_jobs()) == 1  # recorded once per tick however often the scan runs
    with unit_of_work() as session:  # the chain is lost (a tick job pruned, say)
        session.execute(delete(JobRecord).where(JobRecord.name == engine.TICK_JOB,
                                                JobRecord.tenant_id == account.tenant_id))
    engine.ensure_schedules()
    assert [j.payload["tick"] for j in tick_jobs()] == [out.next_run_at.isoformat()]

    # paused: the recorded tick finds it paused and records no run; resumed: ticks again
    execute("pause_automation", admin(account), {"name": out.name})
    clock.advance(timedelta(days=8))
    [job] = tick_jobs()
    engine.run_tick(job.payload)
    assert _count(AutomationRun, account.tenant_id) == 0
    with unit_of_work(account.tenant_id) as session:
        assert session.get(Automation, out.id).next_run_at is None  # type: ignore[union-attr]
    resumed = execute("resume_automation", admin(account), {"name": "invoice reminder overdue"})
    nxt = resumed.automation.next_run_at  # type: ignore[attr-defined]
    assert nxt > clock.now() - clock.offset and nxt.weekday() == 0 and nxt.hour == 9  # the tool's own clock
    assert [j.payload["tick"] for j in tick_jobs()] == [nxt.isoformat()]  # that tick's job, once


def test_time_zones_and_bad_schedules(client: TestClient, account: Account, queue: Huey) -> None:
    made = execute("create_automation", admin(account), {
        "trigger": {"type": "schedule", "cron": "0 9 * * 1", "timezone": "America/New_York"},
        "actions": [{"type": "send_email", "template": "win_back", "recipients": "inactive_customers"}]},
        confirmed=True)
    out = made.automation  # type: ignore[attr-defined]
    assert out.next_run_at.hour in (13, 14)  # 9 in New York
    for bad, field in (({"schedule": "sometimes"}, "schedule"),
                       ({"trigger": {"type": "schedule", "cron": "61 * * * *"}}, "trigger.cron"),
                       ({"trigger": {"cron": "0 9 * * 1", "timezone": "Mars/Olympus"}}, "trigger.timezone")):
        with pytest.raises(ValidationFailed) as err:
            execute("create_automation", admin(account), {**bad, "action": "create_task", "title": "x"},
                    confirmed=True)
        assert err.value.code == "VALIDATION_ERROR"
        assert field in {d["field"] for d in err.value.details}, err.value.details
    assert _count(Automation, account.tenant_id) == 1
