"""The demo tenant's automations: the two document 000 and 001 describe, ready to run. No runs
are invented: the weekly reminder runs on its first Monday tick once a worker is up (the
minute scan records its next tick), and the lead nurture runs for each new lead.

Written as rows in the stored form `tools.automations.service` produces (the store layer does
not import tools): a schedule trigger with its cron and time zone, an event trigger with its
conditions, and each action with its canonical name and delay in seconds.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import Automation

DEMO = (
    {"name": "Weekly Invoice Reminder", "kind": "schedule", "origin": "ops_copilot",
     "description": "Every Monday at 9, remind customers with an invoice unpaid for 30+ days.",
     "trigger": {"type": "schedule", "cron": "0 9 * * 1", "timezone": "UTC"},
     "actions": [{"type": "send_email", "action": "send_email", "delay": "0", "delay_seconds": 0,
                  "template": "invoice_reminder", "recipients": "overdue_customers", "days": 30}]},
    {"name": "Lead Nurture Campaign", "kind": "event", "origin": "workflow",
     "description": "Automatically nurture new leads.",
     "trigger": {"type": "event", "event": "customer.created", "conditions": {"status": "lead"}},
     "actions": [{"type": "email", "action": "send_email", "delay": "0", "delay_seconds": 0,
                  "template": "welcome_lead", "recipients": "triggering_customer"},
                 {"type": "email", "action": "send_email", "delay": "3_days", "delay_seconds": 259200,
                  "template": "feature_highlight", "recipients": "triggering_customer"}]},
)


def seed_automations(session: Session, tenant_id: str, owner_id: str | None, now: datetime) -> None:
    """Add the demo automations the tenant does not have yet (by name)."""
    have = set(session.scalars(select(Automation.name).where(Automation.tenant_id == tenant_id)))
    for spec in DEMO:
        if spec["name"] not in have:
            session.add(Automation(tenant_id=tenant_id, status="active", created_by=owner_id,
                                   created_at=now, updated_at=now, **spec))
