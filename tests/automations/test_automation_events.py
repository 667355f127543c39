"""Event triggers: a workflow on customer.created with {status: lead} runs for leads only, once
per event however often the event is delivered; its 3-day step is a durable job that survives a
restart in the middle of the delay and is delivered once, when due (a movable clock)."""

from __future__ import annotations

from datetime import timedelta

from automation_support import Clock, admin, run_pending
from fastapi.testclient import TestClient
from helpers import Account
from huey import Huey
from sqlalchemy import select

from store.db import unit_of_work
from store.models import AutomationRun, DomainEvent, EmailOutbox, JobRecord
from tools.automations import engine
from tools.jobs import runner
from tools.jobs.queue import get_huey, reset_huey
from tools.runtime import execute

NURTURE = {"name": "Lead Nurture Campaign", "description": "Automatically nurture new leads",
           "trigger": {"type": "event", "config": {"event": "customer.created",
                                                    "conditions": {"status": "lead"}}},
           "actions": [{"type": "email", "config": {"template": "welcome_lead", "delay": "0"}},
                       {"type": "email", "config": {"template": "feature_highlight", "delay": "3_days"}}]}


def _customer(account: Account, name: str, status: str) -> str:
    out = execute("create_customer", admin(account), {"name": name, "email": f"{name.split()[0].lower()}"
                                                      "@example.com", "status": status})
    return str(out.customer.id)  # type: ignore[attr-defined]


def _emails(account: Account) -> list[EmailOutbox]:
    with unit_of_work(account.tenant_id) as session:
        rows = list(session.scalars(select(EmailOutbox).order_by(EmailOutbox.created_at)))
        session.expunge_all()
        return rows


def _runs(account: Account) -> list[AutomationRun]:
    with unit_of_work(account.tenant_id) as session:
        rows = list(session.scalars(select(AutomationRun).order_by(AutomationRun.started_at)))
        session.expunge_all()
        return rows


def test_conditions_select_the_customers_and_each_event_runs_once(client: TestClient, account: Account,
                                                                   queue: Huey) -> None:
    made = execute("create_workflow", admin(account), NURTURE, confirmed=True)
    workflow = made.automation  # type: ignore[attr-defined]
    assert workflow.trigger.conditions == {"status": "lead"} and workflow.kind == "event"
    lead = _customer(account, "Lena Lead", "lead")
    _customer(account, "Abe Active", "active")
    run_pending(queue)
    [run] = _runs(account)
    assert run.trigger["event"] == "customer.created" and run.trigger["data"]["id"] == lead
    [mail] = _emails(account)
    assert mail.to_address == "lena@example.com" and mail.customer_id == lead
    assert mail.transport == "outbox" and mail.status == "queued"  # no SMTP configured: nothing sent
    assert "Welcome" in mail.subject and "Lena" in mail.body_html

    # the same event delivered again (a retried subscriber, a second dispatch) starts nothing new
    with unit_of_work(account.tenant_id) as session:
        event = session.scalars(select(DomainEvent).where(DomainEvent.type == "customer.created")
                                .order_by(DomainEvent.sequence.desc()).limit(1)).one()
        session.expunge(event)
    lead_event = next(e for e in _events(account) if e.data.get("id") == lead)
    engine.on_event(lead_event)
    engine.on_event(lead_event)
    run_pending(queue)
    assert len(_runs(account)) == 1 and len(_emails(account)) == 1
    assert event.tenant_id == account.tenant_id

    # a case-insensitive match, a list of values
    execute("create_automation", admin(account), {
        "name": "VIP or active", "event": "customer.created",
        "conditions": {"status": ["Active", "vip"]}, "action": "create_task",
        "title": "Call {{ customer.name }}"},
        confirmed=True)
    _customer(account, "Cara Active", "active")
    _customer(account, "Lou Lead", "lead")
    run_pending(queue)
    names = sorted(r.automation_name for r in _runs(account))
    assert names == ["Lead Nurture Campaign", "Lead Nurture Campaign", "VIP or active"]


def _events(account: Account) -> list[DomainEvent]:
    with unit_of_work(account.tenant_id) as session:
        rows = list(session.scalars(select(DomainEvent).where(DomainEvent.type == "customer.created")))
        session.expunge_all()
        return rows


def test_a_three_day_step_survives_a_restart_and_is_delivered_once(client: TestClient, account: Account,
                                                                   queue: Huey, clock: Clock) -> None:
    execute("create_workflow", admin(account), NURTURE, confirmed=True)
    _customer(account, "Nina Newlead", "lead")
    run_pending(queue)
    [run] = _runs(account)
    assert run.status == "running" and run.steps_total == 2
    assert len(_emails(account)) == 1  # the welcome, at once
    with unit_of_work() as session:
        [step] = session.scalars(select(JobRecord).where(JobRecord.name == engine.STEP_JOB,
                                                         JobRecord.status == "queued")).all()
        due = step.run_at
    assert timedelta(days=3) - timedelta(minutes=1) < due - clock.now() <= timedelta(days=3)

    # the process goes away in the middle of the delay; a new one starts a day and a half later
    reset_huey()
    clock.advance(timedelta(days=1, hours=12))
    runner.startup()
    run_pending(get_huey())
    assert len(_emails(account)) == 1 and _runs(account)[0].status == "running"

    # another restart after the delay: the step is due, the starting worker hands it over
    reset_huey()
    clock.advance(timedelta(days=1, hours=12, minutes=1))
    runner.startup()
    run_pending(get_huey())
    mails = _emails(account)
    assert len(mails) == 2 and "a few things you can do" in mails[1].subject
    [run] = _runs(account)
    assert run.status == "succeeded" and run.finished_at is not None
    assert [(o["step"], o["status"], o["transport"]) for o in run.outcomes] == [
        (0, "succeeded", "outbox"), (1, "succeeded", "outbox")]

    # delivered once: more sweeps and restarts change nothing
    runner.startup()
    runner.recover(now=clock.now() + timedelta(minutes=5))
    run_pending(get_huey())
    assert len(_emails(account)) == 2
    with unit_of_work() as session:
        assert session.get(JobRecord, step.id).status == "succeeded"  # type: ignore[union-attr]
