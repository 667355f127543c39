"""What each action does when its step runs, and the outcome it reports.

An action never raises for a failure of the outside world (an SMTP refusal, a Slack 500, a
refused URL): the outcome says `failed` with the reason and the run goes on, so one broken
webhook does not hide that the e-mails went out. Outcomes state counts and the e-mail transport
(smtp or outbox) so the run history says exactly what happened.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from store.models import Automation, AutomationRun, Task, Tenant
from tools import outbound
from tools.automations import mailer, templates
from tools.automations import recipients as rules
from tools.webhooks import signing


@dataclass
class Scene:
    """Where an action runs: the run, its automation and the event that triggered it, if any."""

    session: Session
    automation: Automation
    run: AutomationRun
    now: datetime
    event_data: dict[str, Any] | None

    def business(self) -> dict[str, Any]:
        tenant = self.session.get(Tenant, self.automation.tenant_id)
        return {"name": tenant.name if tenant else "our team"}

    def context(self, recipient: rules.Recipient | None) -> dict[str, Any]:
        """What a template sees: the customer, what the rule found, the business, the automation."""
        extra = recipient.extra if recipient else {}
        return {**extra, "customer": recipient.customer if recipient else {},
                "business": self.business(), "automation": {"name": self.automation.name},
                "event": self.event_data or {}}


def outcome(status: str, detail: str, **fields: Any) -> dict[str, Any]:
    return {"status": status, "detail": detail[:500], **fields}


def _recipients(scene: Scene, spec: dict[str, Any]) -> list[rules.Recipient]:
    found: list[rules.Recipient] = []
    if spec.get("recipients"):
        found = rules.resolve(scene.session, spec["recipients"], now=scene.now, days=spec.get("days"),
                              event_data=scene.event_data)
    for address in spec.get("to") or []:
        found.append(rules.Recipient({"name": address, "first_name": "", "email": address}))
    return found


def send_email(scene: Scene, spec: dict[str, Any]) -> dict[str, Any]:
    template = templates.BUILT_IN.get(spec.get("template") or "")
    subject = spec.get("subject") or (template.subject if template else "")
    body = spec.get("body") or (template.body if template else "")
    people = _recipients(scene, spec)
    mails: list[mailer.Mail] = []
    skipped = unrendered = 0
    for person in people:
        if not person.email:
            skipped += 1
            continue
        try:
            rendered = templates.render(subject, body, scene.context(person))
        except ValueError:
            unrendered += 1
            continue
        mails.append(mailer.Mail(person.email, rendered, person.customer.get("id")))
    counts = mailer.deliver(scene.session, mails, now=scene.now, automation_id=scene.automation.id,
                            run_id=scene.run.id)
    transport = str(counts.pop("transport"))
    numbers = {"recipients": len(people), "skipped_no_email": skipped, "render_failed": unrendered,
               **{k: int(v) for k, v in counts.items()}}
    where = "sent through SMTP" if transport == "smtp" else "kept in the e-mail outbox (no SMTP configured)"
    delivered = int(counts["sent"]) + int(counts["queued"])
    if not people:
        return outcome("succeeded", "no recipients matched the rule", transport=transport, counts=numbers)
    status = "failed" if delivered == 0 and (counts["failed"] or unrendered or skipped) else "succeeded"
    detail = f"{delivered} of {len(people)} e-mail(s) {where}"
    if counts["failed"]:
        detail += f"; {counts['failed']} failed"
    if skipped:
        detail += f"; {skipped} recipient(s) without an e-mail address"
    return outcome(status, detail, transport=transport, counts=numbers)


def create_task(scene: Scene, spec: dict[str, Any]) -> dict[str, Any]:
    people = _recipients(scene, spec)
    if not people and scene.event_data is not None:
        people = rules.triggering_customer(scene.session, event_data=scene.event_data)
    due = (scene.now + timedelta(days=spec["due_in_days"])).date() if spec.get("due_in_days") is not None \
        else None
    targets: list[rules.Recipient | None] = list(people) or [None]
    made = 0
    for person in targets:
        title = templates.render_plain(spec["title"], scene.context(person))[:300] or "Follow up"
        scene.session.add(Task(tenant_id=scene.automation.tenant_id, title=title,
                               description=spec.get("description"), due_date=due,
                               customer_id=person.customer.get("id") if person else None,
                               automation_id=scene.automation.id, run_id=scene.run.id))
        made += 1
    return outcome("succeeded", f"{made} task(s) created", counts={"tasks": made})


def _post(scene: Scene, spec: dict[str, Any], body: dict[str, Any], what: str) -> dict[str, Any]:
    url = signing.decrypt(spec["webhook_url_sealed"])
    content = json.dumps(body, default=str).encode()
    try:
        response = outbound.post(url, content, {"Content-Type": "application/json"})
    except outbound.OutboundError as err:
        return outcome("failed", f"{what} not reached: {err}", counts={"status_code": 0})
    if response.ok:
        return outcome("succeeded", f"{what} answered {response.status_code}",
                       counts={"status_code": response.status_code})
    return outcome("failed", f"{what} answered {response.status_code}: {response.text(200)}",
                   counts={"status_code": response.status_code})


def _subject(scene: Scene, spec: dict[str, Any]) -> rules.Recipient | None:
    people = _recipients(scene, spec) if spec.get("recipients") else (
        rules.triggering_customer(scene.session, event_data=scene.event_data) if scene.event_data else [])
    return people[0] if people else None


def post_slack(scene: Scene, spec: dict[str, Any]) -> dict[str, Any]:
    text = templates.render_plain(spec["text"], scene.context(_subject(scene, spec)))
    return _post(scene, spec, {"text": text[:4000]}, "Slack")


def call_webhook(scene: Scene, spec: dict[str, Any]) -> dict[str, Any]:
    person = _subject(scene, spec)
    body = {"event": "automation.action", "timestamp": scene.now.isoformat(),
            "automation": {"id": scene.automation.id, "name": scene.automation.name},
            "runId": scene.run.id, "trigger": scene.run.trigger,
            "customer": person.customer if person else None, "data": spec.get("payload") or {}}
    if spec.get("text"):
        body["text"] = templates.render_plain(spec["text"], scene.context(person))
    return _post(scene, spec, body, "The webhook")


RUNNERS = {"send_email": send_email, "create_task": create_task, "post_slack": post_slack,
           "call_webhook": call_webhook}


def perform(scene: Scene, spec: dict[str, Any]) -> dict[str, Any]:
    """Run one action; a rendering error or a refused URL is a failed outcome, not an exception."""
    try:
        return RUNNERS[spec["action"]](scene, spec)
    except (ValueError, outbound.OutboundError) as err:
        return outcome("failed", str(err))
