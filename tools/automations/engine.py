"""Automations on the job system: schedule ticks, event runs, and steps with durable delays.

- Schedules: each active schedule automation has its next tick recorded as the job
  `automations.tick`, due at the tick, with the dedupe key `automation-tick:<id>:<tick>`; a tick
  records the run and records the following tick. However many workers run, and however often a
  tick is recorded, it fires once: the jobs table claims each job once and keeps one job per
  key, and a run is unique per (automation, trigger key). The periodic job
  `automations.schedule` (every minute, itself once per tick) re-records the next tick of any
  automation whose chain was lost; ticks missed while nothing ran are skipped, not replayed.
- Events: the subscriber `automations` sees every committed domain event once; each active
  event automation of the tenant whose conditions the event's record meets gets one run per
  event (trigger key `event:<event id>`).
- Steps: a run's actions are grouped by delay; each group is the job `automations.step`, due
  `delay` after the trigger, dedupe key `automation-step:<run>:<step>`. It is in the jobs table
  from the moment the run is, so a restart in the middle of a three-day delay loses nothing, and
  the job is claimed once, so the step is delivered once. (Outbox e-mails and tasks commit with
  the step's outcome: exactly once. An SMTP send or HTTP call made just before a worker dies is
  repeated by the retry: at least once, as with any outside system.)
Every step writes its outcome into the run and one audit row per action; a finished run raises
`automation.completed` (webhooks can subscribe to it).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import ids
from store.db import unit_of_work
from store.models import Automation, AutomationRun, DomainEvent
from tools import audit
from tools.automations import timing
from tools.automations.actions import Scene, perform
from tools.automations.service import EVENTS
from tools.context import Principal, ToolContext
from tools.events import emit, subscribe
from tools.jobs.runner import JobRequest, enqueue, enqueue_many, job, periodic

log = logging.getLogger("bizpilot.automations")

TICK_JOB, STEP_JOB = "automations.tick", "automations.step"
SCAN_BATCH = 5000
LATE = timedelta(minutes=5)
"""A recorded tick this far in the past is not re-recorded by the scan: the next one is."""


def now() -> datetime:
    """The clock automations read (tests move it through `core.ids.utcnow`)."""
    return ids.utcnow()


# --- schedules ---------------------------------------------------------------------------------


def schedule_next(session: Session, automation: Automation, after: datetime) -> datetime:
    """Record the automation's first tick after `after` as a job (once per tick)."""
    trig = automation.trigger
    tick = timing.next_tick(trig["cron"], after, trig.get("timezone"))
    automation.next_run_at = tick
    enqueue(TICK_JOB, {"tenant_id": automation.tenant_id, "automation_id": automation.id,
                       "tick": tick.isoformat(), "cron": trig["cron"]},
            tenant_id=automation.tenant_id, delay=(tick - now()).total_seconds(),
            dedupe_key=f"automation-tick:{automation.id}:{tick.isoformat()}", session=session)
    return tick


@job(TICK_JOB, retries=3, base_delay=5.0, max_delay=300.0)
def run_tick(payload: dict[str, Any]) -> None:
    with unit_of_work(payload["tenant_id"]) as session:
        automation = session.get(Automation, payload["automation_id"])
        if automation is None or automation.status != "active" or automation.kind != "schedule" \
                or automation.trigger.get("cron") != payload["cron"]:
            return  # deleted, paused or rescheduled since: its own next tick is recorded
        tick = datetime.fromisoformat(payload["tick"])
        start_run(session, automation, {"type": "schedule", "tick": payload["tick"],
                                        "cron": payload["cron"]}, f"tick:{payload['tick']}")
        schedule_next(session, automation, max(tick, now()))


@periodic("automations.schedule", "* * * * *")
def scan_schedules(_payload: dict[str, Any]) -> None:
    ensure_schedules()


def ensure_schedules(at: datetime | None = None) -> int:
    """Record the next tick of every active schedule automation whose tick is not recorded or is
    long past (a lost chain). Idempotent: one job per (automation, tick)."""
    at = at or now()
    with unit_of_work() as session:
        rows = list(session.scalars(
            select(Automation).where(Automation.kind == "schedule", Automation.status == "active")
            .order_by(Automation.next_run_at).limit(SCAN_BATCH)))
        for automation in rows:
            due = automation.next_run_at
            if due is not None and due > at - LATE:
                enqueue(TICK_JOB, {"tenant_id": automation.tenant_id, "automation_id": automation.id,
                                   "tick": due.isoformat(), "cron": automation.trigger["cron"]},
                        tenant_id=automation.tenant_id, delay=(due - now()).total_seconds(),
                        dedupe_key=f"automation-tick:{automation.id}:{due.isoformat()}", session=session)
            else:
                schedule_next(session, automation, at)
    return len(rows)


# --- events ------------------------------------------------------------------------------------


def _same(actual: Any, wanted: Any) -> bool:
    if isinstance(actual, list):
        return any(_same(a, wanted) for a in actual)
    if isinstance(actual, str) and isinstance(wanted, str):
        return actual.strip().lower() == wanted.strip().lower()
    return bool(actual == wanted)


def matches(conditions: dict[str, Any], data: dict[str, Any]) -> bool:
    """Every condition holds on the event's record (or its nested `customer`/`deal`): a list
    means any of its values, a string compares without case, a list field contains the value."""
    nested = [data] + [data[k] for k in ("customer", "deal") if isinstance(data.get(k), dict)]
    for key, wanted in conditions.items():
        actual = next((d[key] for d in nested if key in d), None)
        options = wanted if isinstance(wanted, list) else [wanted]
        if not any(_same(actual, w) for w in options):
            return False
    return True


def on_event(event: DomainEvent) -> None:
    with unit_of_work(event.tenant_id) as session:
        rows = session.scalars(select(Automation).where(Automation.kind == "event",
                                                        Automation.status == "active"))
        for automation in rows:
            trig = automation.trigger
            if trig.get("event") != event.type or not matches(trig.get("conditions") or {},
                                                                dict(event.data or {})):
                continue
            start_run(session, automation, {"type": "event", "event": event.type, "eventId": event.id,
                                            "occurredAt": event.occurred_at.isoformat(),
                                            "data": event.data}, f"event:{event.id}")


subscribe("automations", on_event, types=EVENTS)


# --- runs and steps ----------------------------------------------------------------------------


def steps_of(actions: list[dict[str, Any]]) -> list[tuple[int, list[int]]]:
    """(delay in seconds, action indices) per step, earliest first."""
    delays = sorted({int(a.get("delay_seconds") or 0) for a in actions})
    return [(d, [i for i, a in enumerate(actions) if int(a.get("delay_seconds") or 0) == d]) for d in delays]


def start_run(session: Session, automation: Automation, trigger: dict[str, Any],
              key: str) -> AutomationRun | None:
    """Record the run and its steps' jobs, once per (automation, key). None if it exists."""
    at = now()
    steps = steps_of(automation.actions)
    run = AutomationRun(tenant_id=automation.tenant_id, automation_id=automation.id,
                        automation_name=automation.name, trigger_key=key[:120], trigger=trigger,
                        status="running", steps_total=len(steps), outcomes=[], started_at=at)
    try:
        with session.begin_nested():
            session.add(run)
            session.flush()
    except IntegrityError:
        return None  # this tick or event has its run already
    automation.last_run_at, automation.run_count = at, (automation.run_count or 0) + 1
    enqueue_many([JobRequest(STEP_JOB, {"tenant_id": automation.tenant_id, "run_id": run.id,
                                        "step": n, "indices": indices}, tenant_id=automation.tenant_id,
                             delay=float(delay),
                             dedupe_key=f"automation-step:{run.id}:{n}")
                  for n, (delay, indices) in enumerate(steps)], session)
    return run


@job(STEP_JOB, retries=3, base_delay=5.0, max_delay=600.0)
def run_step(payload: dict[str, Any]) -> None:
    with unit_of_work(payload["tenant_id"]) as session:
        run = session.get(AutomationRun, payload["run_id"])
        if run is None or any(o.get("step") == payload["step"] for o in run.outcomes):
            return  # deleted with its automation, or this step is done
        automation = session.get(Automation, run.automation_id)
        at = now()
        results = []
        for index in payload["indices"]:
            spec = automation.actions[index] if automation and index < len(automation.actions) else {}
            if automation is None or automation.status != "active":
                result = {"status": "skipped", "detail": "the automation was paused or deleted"}
            else:
                scene = Scene(session, automation, run, at, (run.trigger or {}).get("data"))
                result = perform(scene, spec)
            results.append({"step": payload["step"], "index": index, "type": spec.get("action", "?"),
                            "at": at.isoformat(), **result})
        finish_step(session, run, automation, results, at)


def finish_step(session: Session, run: AutomationRun, automation: Automation | None,
                results: list[dict[str, Any]], at: datetime) -> None:
    """Add the step's outcomes to the run (re-read under a row lock: steps may finish together),
    audit each action, and close the run after its last step."""
    session.flush()
    session.refresh(run, with_for_update=True)
    run.outcomes = [*run.outcomes, *results]
    done = {o["step"] for o in run.outcomes}
    user = automation.created_by if automation else None
    for r in results:
        audit.record(session, tenant_id=run.tenant_id, user_id=user, source="system",
                     action=f"automation.{r['type']}",
                     arguments={"automation_id": run.automation_id, "run_id": run.id, "step": r["step"],
                                "index": r["index"], "transport": r.get("transport")},
                     outcome="ok" if r["status"] != "failed" else "error",
                     error_code="ACTION_FAILED" if r["status"] == "failed" else None,
                     summary=f"{run.automation_name}: {r.get('detail', '')}"[:500])
    if len(done) < run.steps_total:
        return
    states = {o["status"] for o in run.outcomes}
    run.status = ("failed" if states == {"failed"} else "partial" if "failed" in states else "succeeded")
    run.finished_at = at
    ctx = ToolContext(session, Principal(user_id=user or "", tenant_id=run.tenant_id, role="admin"), now=at)
    emit(ctx, "automation.completed", {"automation_id": run.automation_id, "run_id": run.id,
                                       "status": "success" if run.status == "succeeded" else run.status})
