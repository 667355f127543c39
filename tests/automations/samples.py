"""Every automation tool once or more on one workspace, for the tool-language checks:
`run(name, args, **options)` runs a tool as the workspace's admin and records the call. One run
is carried out (its step jobs run in this thread) so the run history has something to say."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from store.db import unit_of_work
from store.models import Automation, JobRecord
from tools.automations import engine
from tools.jobs.runner import run_job


def _fire(tenant_id: str, automation_id: str) -> None:
    with unit_of_work(tenant_id) as session:
        automation = session.get(Automation, automation_id)
        assert automation is not None
        run = engine.start_run(session, automation, {"type": "manual"}, f"sample:{datetime.now(UTC)}")
        assert run is not None
        key = f"automation-step:{run.id}:%"
    with unit_of_work() as session:
        steps = list(session.scalars(select(JobRecord.id).where(JobRecord.dedupe_key.like(key))))
    for job_id in steps:
        run_job(job_id)


def automation_calls(run: Callable[..., Any], tenant_id: str) -> None:
    today = datetime.now(UTC).date()
    weekly = {"schedule": "every monday at 9", "action": "send_email", "template": "invoice_reminder",
              "recipients": "overdue_customers", "days": 45}
    run("create_automation", weekly)  # the draft
    made = run("create_automation", weekly, confirmed=True)
    run("create_automation", {"name": "Won deals to Slack", "event": "deal.won", "action": "post_slack",
                              "webhook_url": "https://93.184.216.34/services/T0/B0/abcd"}, confirmed=True)
    run("create_workflow", {"name": "Lead Nurture Campaign", "status": "lead"})
    flow = run("create_workflow", {"name": "Lead Nurture Campaign", "status": "lead"}, confirmed=True)
    run("list_automations", {})
    run("list_automations", {"status": "paused"})
    run("list_automations", {"kind": "event", "limit": 1})
    name = made.automation.name
    run("get_automation", {"name": made.automation.id})
    run("pause_automation", {"name": name})
    run("resume_automation", {"name": name})
    run("list_automation_runs", {})
    _fire(tenant_id, made.automation.id)
    _fire(tenant_id, flow.automation.id)
    run("list_automation_runs", {})
    run("list_automation_runs", {"start_date": str(today - timedelta(days=7)), "status": "succeeded"})
    run("list_automation_runs", {"automation": name, "start_date": str(today + timedelta(days=3))})
    run("delete_automation", {"name": flow.automation.id})
    run("delete_automation", {"name": flow.automation.id}, confirmed=True)
