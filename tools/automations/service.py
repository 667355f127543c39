"""Automation records: checking and storing a definition, finding one by id or name, and the
output shapes. Everything a definition names (cron, time zone, event, template, recipient rule,
URL, delay) is checked here before anything is stored, each refusal naming its field."""

from __future__ import annotations

import re
from typing import Any, get_args

from pydantic.alias_generators import to_snake
from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import NotFound, ValidationFailed
from store.models import Automation
from tools import outbound
from tools.automations import recipients as rules
from tools.automations import templates, timing
from tools.automations.inputs import EventName
from tools.automations.schemas import (
    ACTION_ALIASES,
    ActionIn,
    ActionOut,
    AutomationOut,
    TriggerIn,
    TriggerOut,
)
from tools.webhooks import signing

EVENTS: tuple[str, ...] = get_args(EventName)
MAX_CONDITIONS = 20
DEFAULT_SLACK = ('Automation "{{ automation.name }}" ran{% if customer.name %} for {{ customer.name }}'
                 '{% endif %}.')
DEFAULT_TASK = "Follow up with {{ customer.name }}"
_ID = re.compile(r"^[0-9a-f-]{36}$")


def refuse(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, details=[{"field": field, "message": message}])


def check_trigger(trigger: TriggerIn) -> tuple[str, dict[str, Any]]:
    """(kind, the trigger as stored)."""
    kind = trigger.type or ("event" if trigger.event and not trigger.cron else "schedule")
    if kind == "schedule":
        if not trigger.cron:
            raise refuse("trigger.cron", "A schedule trigger needs a cron expression or a schedule "
                                         "such as \"every Monday at 9\"")
        try:
            cron = timing.to_cron(trigger.cron)
            tz = timing.zone(trigger.timezone).key
        except timing.TimingError as err:
            field = "trigger.timezone" if "time zone" in str(err) else "trigger.cron"
            raise refuse(field, str(err)) from None
        return "schedule", {"type": "schedule", "cron": cron, "timezone": tz}
    if trigger.event not in EVENTS:
        raise refuse("trigger.event", f"Unknown event {trigger.event!r}; events: {', '.join(EVENTS)}")
    conditions = {to_snake(str(k)): v for k, v in (trigger.conditions or {}).items()}
    if len(conditions) > MAX_CONDITIONS:
        raise refuse("trigger.conditions", f"at most {MAX_CONDITIONS} conditions")
    for key, value in conditions.items():
        values = value if isinstance(value, list) else [value]
        if not all(v is None or isinstance(v, str | int | float | bool) for v in values):
            raise refuse(f"trigger.conditions.{key}", "a value or a list of values")
    return "event", {"type": "event", "event": trigger.event, "conditions": conditions}


def _url(value: str | None, field: str) -> dict[str, str]:
    if not value:
        raise refuse(field, "A URL is needed for this action")
    try:
        outbound.vet(value, resolve_names=False)
    except outbound.OutboundError as err:
        raise refuse(field, f"URL refused: {err}") from None
    host = outbound.parse(value)[1]
    return {"webhook_url_sealed": signing.encrypt(value), "webhook_hint": f"{host}/…{value[-4:]}"}


def check_action(i: int, a: ActionIn, kind: str) -> dict[str, Any]:
    """One action as stored: its canonical name, its delay in seconds, its parameters checked."""
    at = f"actions.{i}"
    action = ACTION_ALIASES.get(a.type.strip().lower())
    if action is None:
        raise refuse(f"{at}.type", f"Unknown action {a.type!r}; actions: send_email, create_task, "
                                   "post_slack, call_webhook")
    try:
        delay = timing.parse_delay(a.delay)
    except timing.TimingError as err:
        raise refuse(f"{at}.delay", str(err)) from None
    out: dict[str, Any] = {"type": a.type, "action": action, "delay": a.delay or "0",
                           "delay_seconds": int(delay.total_seconds())}
    rule = a.recipients or ("triggering_customer" if kind == "event" and action == "send_email"
                            and not a.to else None)
    if rule is not None:
        rules.check_rule(rule, f"{at}.recipients")
        if rule == "triggering_customer" and kind != "event":
            raise refuse(f"{at}.recipients", "triggering_customer needs an event trigger")
    if action == "send_email":
        if a.template:
            templates.check_template(a.template, f"{at}.template")
        elif not (a.subject and a.body):
            raise refuse(f"{at}.template", "An e-mail needs a template ("
                         f"{', '.join(templates.TEMPLATE_NAMES)}) or an inline subject and body")
        for name in ("subject", "body"):
            if getattr(a, name):
                templates.check_source(getattr(a, name), f"{at}.{name}")
        if rule is None and not a.to:
            raise refuse(f"{at}.recipients", "Who gets it? A recipient rule ("
                         f"{', '.join(rules.RULE_NAMES)}) or addresses in `to`")
        out.update(template=a.template, subject=a.subject, body=a.body, recipients=rule,
                   to=[str(t) for t in a.to or []] or None, days=a.days)
    elif action == "create_task":
        title = a.title or (DEFAULT_TASK if rule or kind == "event" else None)
        if not title:
            raise refuse(f"{at}.title", "A task needs a title")
        templates.check_source(title, f"{at}.title")
        out.update(title=title, description=a.description, due_in_days=a.due_in_days,
                   recipients=rule, days=a.days)
    else:
        out.update(_url(a.webhook_url, f"{at}.webhook_url"))
        text = a.text or DEFAULT_SLACK
        templates.check_source(text, f"{at}.text")
        out.update(text=text if action == "post_slack" else a.text, payload=a.payload,
                   recipients=rule, days=a.days)
    return {k: v for k, v in out.items() if v is not None}


def check_actions(actions: list[ActionIn], kind: str) -> list[dict[str, Any]]:
    if not actions:
        raise refuse("actions", "At least one action is needed")
    return [check_action(i, a, kind) for i, a in enumerate(actions)]


def resolve(session: Session, ref: str) -> Automation:
    """By id, else by name (exact, then the closest close one, then the only one whose name
    shares a word of 4+ letters with it): the session is tenant-scoped, so another tenant's
    automation is never found."""
    ref = ref.strip()
    if _ID.match(ref):
        found = session.get(Automation, ref)
        if found is not None:
            return found
    rows = list(session.scalars(select(Automation).order_by(Automation.created_at.desc()).limit(2000)))
    exact = [a for a in rows if a.name.lower() == ref.lower()]
    if exact:
        return exact[0]
    best = process.extractOne(ref.lower(), [a.name.lower() for a in rows], scorer=fuzz.WRatio,
                              score_cutoff=80)
    if best is not None:
        return rows[best[2]]
    said = _words(ref)  # "the nurture sequence": the one automation with "nurture" in its name
    sharing = [a for a in rows if said & _words(a.name)]
    if len(sharing) == 1:
        return sharing[0]
    raise NotFound("automation", ref)


def _words(name: str) -> set[str]:
    """The words of a name that can tell one automation from another (4+ letters)."""
    return {w for w in re.findall(r"[a-z0-9]+", name.lower()) if len(w) >= 4}


def trigger_out(t: dict[str, Any]) -> TriggerOut:
    if t.get("type") == "schedule":
        tz = t.get("timezone") or "UTC"
        said = timing.describe_cron(t["cron"]) + ("" if tz == "UTC" else f" ({tz})")
        return TriggerOut(type="schedule", cron=t["cron"], timezone=tz, description=said,
                          config={"cron": t["cron"], "timezone": tz})
    conditions = t.get("conditions") or {}
    said = f"when {t.get('event')}" + (" with " + ", ".join(f"{k} = {v}" for k, v in conditions.items())
                                       if conditions else "")
    return TriggerOut(type="event", event=t.get("event"), conditions=conditions, description=said,
                      config={"event": t.get("event"), "conditions": conditions})


def action_out(a: dict[str, Any]) -> ActionOut:
    fields = {k: v for k, v in a.items() if k not in ("webhook_url_sealed", "webhook_hint")}
    fields["webhook_url"] = a.get("webhook_hint")
    config = {k: v for k, v in fields.items() if k not in ("type", "action") and v is not None}
    return ActionOut(**fields, config=config)


def to_out(a: Automation) -> AutomationOut:
    return AutomationOut(
        id=a.id, workflow_id=a.id, name=a.name, description=a.description, kind=a.kind,  # type: ignore[arg-type]
        trigger=trigger_out(a.trigger), actions=[action_out(x) for x in a.actions],
        status=a.status, origin=a.origin, created_by=a.created_by,  # type: ignore[arg-type]
        created_at=a.created_at, updated_at=a.updated_at, next_run_at=a.next_run_at,
        last_run_at=a.last_run_at, run_count=a.run_count)


def default_name(kind: str, trigger: dict[str, Any], actions: list[dict[str, Any]]) -> str:
    first = actions[0]
    what = {"send_email": "E-mail", "create_task": "Task", "post_slack": "Slack post",
            "call_webhook": "Webhook call"}[first["action"]]
    if first.get("template"):
        what += f" {first['template'].replace('_', ' ')}"
    if first.get("recipients"):
        what += f" to {first['recipients'].replace('_', ' ')}"
    return f"{what}, {trigger_out(trigger).description}"[:200]
