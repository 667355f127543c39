"""Actions against real local servers: e-mail through SMTP (aiosmtpd) when configured and into
the outbox otherwise, the run saying which; templates autoescaped (a customer named <script>
arrives as text); Slack incoming webhooks and outgoing webhooks get their JSON; a failing
receiver is a failed outcome in the run and the audit log, not a lost one."""

from __future__ import annotations

import email
import uuid
from collections.abc import Iterator
from email.message import Message

import pytest
from automation_support import HttpSink, SmtpSink, admin, run_pending
from fastapi.testclient import TestClient
from helpers import Account
from huey import Huey
from sqlalchemy import select

from core.settings import get_settings
from store.db import unit_of_work
from store.models import AuditLog, Automation, AutomationRun, Customer, EmailOutbox, Task
from tools.automations import engine
from tools.runtime import execute

XSS = "<script>alert('x')</script> Mallory"


def fire(account: Account, automation_id: str, queue: Huey) -> AutomationRun:
    """One run now, as a tick would start it, then its steps."""
    with unit_of_work(account.tenant_id) as session:
        automation = session.get(Automation, automation_id)
        assert automation is not None
        run = engine.start_run(session, automation, {"type": "manual"}, f"test:{uuid.uuid4()}")
        assert run is not None
        run_id = run.id
    run_pending(queue)
    with unit_of_work(account.tenant_id) as session:
        done = session.get(AutomationRun, run_id)
        assert done is not None
        session.expunge(done)
        return done


def customers(account: Account, *names: str) -> None:
    with unit_of_work(account.tenant_id) as session:
        for name in names:
            handle = uuid.uuid4().hex[:6]
            session.add(Customer(tenant_id=account.tenant_id, name=name, email=f"{handle}@example.com",
                                 status="active", company="<b>Bold</b> Ltd"))


def automation(account: Account, actions: list[dict[str, object]]) -> str:
    out = execute("create_automation", admin(account), {"trigger": {"cron": "0 9 * * 1"}, "actions": actions},
                  confirmed=True)
    return str(out.automation.id)  # type: ignore[attr-defined]


def outbox(account: Account) -> list[EmailOutbox]:
    with unit_of_work(account.tenant_id) as session:
        rows = list(session.scalars(select(EmailOutbox)))
        session.expunge_all()
        return rows


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpSink]:
    with SmtpSink() as server:
        for key, value in {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(server.port), "SMTP_STARTTLS": "false",
                           "SMTP_FROM": "Shop <shop@example.com>"}.items():
            monkeypatch.setenv(key, value)
        get_settings.cache_clear()
        yield server
    monkeypatch.undo()
    get_settings.cache_clear()


def test_email_goes_to_the_outbox_without_smtp_and_is_escaped(client: TestClient, account: Account,
                                                              queue: Huey) -> None:
    customers(account, XSS, "Ada Plain")
    aid = automation(account, [{"type": "send_email", "recipients": "all_customers",
                                "subject": "Hi {{ customer.name }}",
                                "body": "<p>Dear {{ customer.name }} of {{ customer.company }}</p>"}])
    run = fire(account, aid, queue)
    [outcome] = run.outcomes
    assert run.status == "succeeded" and outcome["transport"] == "outbox"
    assert outcome["counts"]["queued"] == 2 and outcome["counts"]["sent"] == 0
    assert "outbox" in outcome["detail"]
    mails = {m.subject: m for m in outbox(account)}
    bad = mails[f"Hi {XSS}"]  # a subject is a header, not HTML: kept as typed, on one line
    assert "<script>" not in bad.body_html and "&lt;script&gt;" in bad.body_html
    assert "&lt;b&gt;Bold&lt;/b&gt;" in bad.body_html  # the author's own markup stays, the data's is escaped
    assert bad.body_html.startswith("<p>Dear ")
    assert "<script>alert('x')</script> Mallory" in bad.body_text  # plain text needs no escaping
    assert all(m.status == "queued" and m.transport == "outbox" and m.sent_at is None for m in mails.values())


def test_email_through_smtp_and_the_run_says_so(client: TestClient, account: Account, queue: Huey,
                                                smtp: SmtpSink) -> None:
    customers(account, "Sam Smtp")
    aid = automation(account, [{"type": "send_email", "template": "welcome_lead",
                                "recipients": "all_customers"},
                               {"type": "send_email", "template": "win_back", "to": ["boss@example.com"]}])
    run = fire(account, aid, queue)
    assert run.status == "succeeded"
    assert [o["transport"] for o in run.outcomes] == ["smtp", "smtp"]
    assert [o["counts"]["sent"] for o in run.outcomes] == [1, 1]
    assert len(smtp.messages) == 2
    received: Message = email.message_from_bytes(smtp.messages[0].content)
    assert received["From"] == "Shop <shop@example.com>" and "Welcome" in received["Subject"]
    html = next(p for p in received.walk() if p.get_content_type() == "text/html")
    assert "Sam" in html.get_payload(decode=True).decode()
    assert {m.transport for m in outbox(account)} == {"smtp"}
    assert {m.status for m in outbox(account)} == {"sent"}
    listed = execute("list_automation_runs", admin(account), {"automation": aid})
    assert listed.runs[0].email_transport == "smtp" and listed.emails == {"smtp": 2}  # type: ignore[attr-defined]


def test_an_unreachable_smtp_server_fails_the_outcome(client: TestClient, account: Account, queue: Huey,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from helpers import free_port

    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(free_port()))  # nobody listens
    get_settings.cache_clear()
    try:
        customers(account, "Una Reachable")
        run = fire(account, automation(account, [{"type": "send_email", "template": "win_back",
                                                  "recipients": "all_customers"}]), queue)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert run.status == "failed" and run.outcomes[0]["counts"]["failed"] == 1
    [mail] = outbox(account)
    assert mail.status == "failed" and "SMTP connection failed" in (mail.error or "")


def test_slack_and_webhook_actions_reach_local_servers(client: TestClient, account: Account,
                                                       queue: Huey) -> None:
    slack, hook, broken = HttpSink().start(), HttpSink().start(), HttpSink(status=500).start()
    try:
        customers(account, "Wes Hook")
        aid = automation(account, [
            {"type": "post_slack", "webhook_url": slack.url, "text": "Weekly check: {{ business.name }}"},
            {"type": "call_webhook", "webhook_url": hook.url, "payload": {"kind": "weekly"},
             "recipients": "all_customers"},
            {"type": "call_webhook", "webhook_url": broken.url},
            {"type": "create_task", "title": "Call {{ customer.name }}", "recipients": "all_customers",
             "due_in_days": 2}])
        run = fire(account, aid, queue)
    finally:
        for sink in (slack, hook, broken):
            sink.stop()
    [said] = slack.bodies
    assert set(said) == {"text"} and said["text"].startswith("Weekly check: Tenant")
    [body] = hook.bodies
    assert body["event"] == "automation.action" and body["data"] == {"kind": "weekly"}
    assert body["automation"]["id"] == aid and body["customer"]["name"] == "Wes Hook"
    assert [o["status"] for o in run.outcomes] == ["succeeded", "succeeded", "failed", "succeeded"]
    assert "500" in run.outcomes[2]["detail"] and run.status == "partial"
    with unit_of_work(account.tenant_id) as session:
        [task] = session.scalars(select(Task)).all()
        assert task.title == "Call Wes Hook" and task.due_date is not None and task.run_id == run.id
        audit = list(session.scalars(select(AuditLog).where(AuditLog.tool.like("automation.%"))))
        stored = session.get(Automation, aid)
        assert stored is not None and slack.url not in str(stored.actions)  # the Slack URL is sealed
    assert sorted(a.tool for a in audit) == ["automation.call_webhook", "automation.call_webhook",
                                             "automation.create_task", "automation.post_slack"]
    assert {a.outcome for a in audit if a.error_code == "ACTION_FAILED"} == {"error"}
    shown = execute("get_automation", admin(account), {"name": aid}).automation  # type: ignore[attr-defined]
    assert shown.actions[0].webhook_url.endswith("abcd") and "services" not in shown.actions[0].webhook_url
