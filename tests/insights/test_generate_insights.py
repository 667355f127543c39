"""generate_insights / list_insights / update_insight as tools: stored once while open, not again
after a dismissal, announced as events, the churn rule from the model, tenant isolation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from churn.builders import plan, seed_tenant
from helpers import Account
from insights.builders import add, customer, invoice, month_start, order, security_issue

from core.errors import NotFound
from core.ids import utcnow
from store.db import unit_of_work
from tools.context import Principal
from tools.runtime import execute


def admin(account: Account) -> Principal:
    return Principal(user_id=account.user_id, tenant_id=account.tenant_id, role="admin")


def events(tenant_id: str, kind: str) -> int:
    from sqlalchemy import func, select

    from store.models import DomainEvent

    with unit_of_work() as session:
        return int(session.scalar(select(func.count()).where(DomainEvent.tenant_id == tenant_id,
                                                             DomainEvent.type == kind)) or 0)


def test_generated_once_while_open_and_announced(account: Account, other_account: Account) -> None:
    t, now = account.tenant_id, utcnow()
    add(t, order(t, 300, month_start(now, 1) + timedelta(days=2)),
        order(t, 1000, month_start(now, 2) + timedelta(days=2)),
        invoice(t, 2500, (now - timedelta(days=3)).date()), security_issue(t, "critical"))
    first = execute("generate_insights", admin(account), {})
    rules = {i.rule: i for i in first.insights}  # type: ignore[attr-defined]
    assert first.generated == 3 and set(rules) == {"revenue_change", "overdue_invoices",  # type: ignore[attr-defined]
                                                   "security_issues"}
    assert rules["revenue_change"].priority == "critical" and rules["revenue_change"].confidence == 1.0
    assert rules["overdue_invoices"].recommendation
    assert [s.rule for s in first.skipped] == ["churn_risk"]  # type: ignore[attr-defined]
    assert "too little history" in first.skipped[0].reason.lower()  # type: ignore[attr-defined]
    assert events(t, "insight.generated") == 3 and events(t, "insight.critical") == 2
    again = execute("generate_insights", admin(account), {})
    assert again.generated == 0 and len(again.insights) == 3  # type: ignore[attr-defined]
    assert events(t, "insight.generated") == 3

    dismissed = rules["overdue_invoices"].id
    out = execute("update_insight", admin(account), {"insight_id": dismissed, "status": "dismissed"})
    assert out.insight.status == "dismissed"  # type: ignore[attr-defined]
    done = execute("update_insight", admin(account), {"insight_id": rules["revenue_change"].id,
                                                      "status": "actioned"})
    assert done.insight.status == "actioned"  # type: ignore[attr-defined]
    third = execute("generate_insights", admin(account), {"data_type": "revenue"})
    assert third.generated == 1 and [i.rule for i in third.insights] == ["revenue_change"]  # type: ignore[attr-defined]

    listed = execute("list_insights", admin(account), {})
    assert {i.status for i in listed.insights} == {"new"}  # type: ignore[attr-defined]
    assert [i.priority for i in listed.insights] == ["critical", "critical"]  # type: ignore[attr-defined]
    everything = execute("list_insights", admin(account), {"all": True})
    assert everything.pagination.total == 4  # type: ignore[attr-defined]
    only = execute("list_insights", admin(account), {"status": "dismissed"})
    assert [i.id for i in only.insights] == [dismissed]  # type: ignore[attr-defined]

    stranger = admin(other_account)
    assert execute("list_insights", stranger, {"all": True}).pagination.total == 0  # type: ignore[attr-defined]
    with pytest.raises(NotFound):
        execute("update_insight", stranger, {"insight_id": dismissed, "status": "viewed"})


def test_customers_at_high_churn_risk_come_from_the_model(account: Account) -> None:
    with unit_of_work(account.tenant_id) as session:
        seed_tenant(session, account.tenant_id, plan(n=100, seed=21, now=utcnow()))
    out = execute("generate_insights", admin(account), {"data_type": "customers"})
    [churn] = [i for i in out.insights if i.rule == "churn_risk"]  # type: ignore[attr-defined]
    assert churn.type == "churn_risk" and churn.data["high"] >= 1
    assert churn.confidence == churn.data["auc"] and churn.data["auc"] >= 0.6
    assert churn.priority in ("high", "medium")
    assert all(c["churn_risk"] >= 0.5 for c in churn.data["customers"])


def test_scheduled_daily_once_per_workspace_and_stored(account: Account) -> None:
    from sqlalchemy import func, select

    from store.models import Insight, JobRecord
    from tools.insights.schedule import GENERATE_JOB, generate_for, schedule_insights

    t, now = account.tenant_id, utcnow()
    add(t, customer(t, "Ada"), order(t, 300, month_start(now, 1) + timedelta(days=2)),
        order(t, 1000, month_start(now, 2) + timedelta(days=2)))
    tick = now.replace(hour=6, minute=0, second=0, microsecond=0).isoformat()
    schedule_insights({"tick": tick})
    schedule_insights({"tick": tick})  # a second worker firing the same tick queues nothing more
    with unit_of_work() as session:
        queued = session.scalar(select(func.count()).where(JobRecord.name == GENERATE_JOB,
                                                           JobRecord.tenant_id == t))
    assert queued == 1
    generate_for({"tenant_id": t})
    with unit_of_work(t) as session:
        rules = set(session.scalars(select(Insight.rule)))
    assert "revenue_change" in rules, rules
