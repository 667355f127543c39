"""How the webhook tools' results are said: one line per webhook, delivery or health report, and
the answer for each tool (tools.webhooks.language declares which answers which)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tools import phrasing as p
from tools.webhooks.schemas import (
    DeleteWebhookResult,
    DeliveryList,
    DeliveryOut,
    DeliveryOutput,
    RedeliverResult,
    WebhookHealth,
    WebhookHealthReport,
    WebhookList,
    WebhookOut,
    WebhookOutput,
    WebhookWithSecret,
)


def events(hook: WebhookOut) -> str:
    return ", ".join(hook.events)


def webhook_line(hook: WebhookOut) -> str:
    state = "active" if hook.active else "paused"
    text = f"{hook.url} — {events(hook)} ({state})"
    if hook.failure_count:
        text += f", {p.plural(hook.failure_count, 'failure')} in a row, last: {hook.last_error or 'error'}"
    elif hook.last_success_at:
        text += f", last delivered {p.day(hook.last_success_at)}"
    return text


def webhooks(out: WebhookList, args: Mapping[str, Any]) -> str:
    total = out.pagination.total
    if total == 0:
        return "You have no webhooks" + (" matching that" if args.get("event") or
                                         args.get("active") is not None else "") + "."
    head = f"You have {p.plural(total, 'webhook')}."
    return f"{head} {p.listing([webhook_line(h) for h in out.webhooks], total, 'newest')}"


def webhook(out: WebhookOutput, args: Mapping[str, Any]) -> str:
    h = out.webhook
    text = f"The webhook to {h.url} receives {events(h)}; it is {'active' if h.active else 'paused'}"
    text += f" and sends the {h.format} format. Created {p.day(h.created_at)}."
    if h.failure_count:
        text += f" The last {p.plural(h.failure_count, 'attempt')} failed ({h.last_error or 'error'})."
    elif h.last_success_at:
        text += f" Last delivered {p.day(h.last_success_at)}."
    return text


def with_secret(out: WebhookWithSecret, args: Mapping[str, Any]) -> str:
    return f"{out.message} Secret: {out.secret}"


def updated(out: WebhookOutput, args: Mapping[str, Any]) -> str:
    h = out.webhook
    return (f"Updated the webhook: it sends {events(h)} to {h.url} and is "
            f"{'active' if h.active else 'paused'}.")


def deleted(out: DeleteWebhookResult, args: Mapping[str, Any]) -> str:
    return p.destructive(out, args)


def status_words(d: DeliveryOut) -> str:
    if not d.attempts:
        return f"{d.status}, not sent yet"
    return f"{d.status} after {p.plural(d.attempts, 'attempt')}"


def delivery_line(d: DeliveryOut) -> str:
    where = d.webhook_url or "a webhook"
    text = f"{d.event_type} to {where}: " + status_words(d)
    if d.status != "succeeded" and d.error:
        text += f" ({d.error})"
    if d.next_attempt_at:
        text += f", next try {p.day(d.next_attempt_at)}"
    return text


def deliveries(out: DeliveryList, args: Mapping[str, Any]) -> str:
    total = out.pagination.total
    what = f"{args['status']} " if args.get("status") else ""
    if total == 0:
        return f"There are no {what}webhook deliveries" + (" of that event" if args.get("event_type")
                                                           or args.get("event_id") else "") + "."
    noun = p.plural(total, what + "webhook delivery", what + "webhook deliveries")
    head = f"There {p.is_are(total)} {noun}."
    return f"{head} {p.listing([delivery_line(d) for d in out.deliveries], total, 'most recent')}"


def delivery(out: DeliveryOutput, args: Mapping[str, Any]) -> str:
    d = out.delivery
    lines = [f"attempt {a.number}: {a.status}"
             + (f", HTTP {a.response_status}" if a.response_status else "")
             + (f", {a.error}" if a.error and a.status == "failed" and not a.response_status else "")
             for a in d.attempt_log]
    text = f"The {d.event_type} delivery to {d.webhook_url or 'the webhook'} is {status_words(d)}."
    return text + ("\n" + p.bullets(lines[-p.LIST_LIMIT:]) if lines else "")


def redelivered(out: RedeliverResult, args: Mapping[str, Any]) -> str:
    lines = [f"{d.event_type} to {d.webhook_url or 'a webhook'}" for d in out.deliveries]
    return f"{out.message}\n{p.bullets(lines[: p.LIST_LIMIT])}" if lines else out.message


def health_line(h: WebhookHealth) -> str:
    text = f"{h.url}: {h.state}"
    if h.attempts:
        text += f", {h.succeeded} of {p.plural(h.attempts, 'attempt')} succeeded"
        if h.success_rate is not None:
            text += f" ({p.percent(h.success_rate)})"
    if h.state == "failing" and h.failing_since:
        text += f", failing since {p.day(h.failing_since)}"
    if h.last_error and h.state in ("failing", "degraded"):
        text += f", last error: {h.last_error}"
    if h.pending:
        text += f", {h.pending} waiting"
    if h.failed_deliveries:
        text += f", {h.failed_deliveries} given up"
    return text


def health(out: WebhookHealthReport, args: Mapping[str, Any]) -> str:
    hooks = out.webhooks
    if not hooks:
        return "You have no webhooks, so nothing is being sent."
    window = f"over the last {p.plural(out.hours, 'hour')}"
    if out.failing:
        verb = "is" if out.failing == 1 else "are"
        head = f"{p.plural(out.failing, 'webhook')} of {len(hooks)} {verb} failing {window}."
    elif out.healthy == len(hooks):
        head = f"All {p.plural(len(hooks), 'webhook')} are working {window}." if len(hooks) > 1 else \
            f"Your webhook is working {window}."
    elif len(hooks) == 1:
        head = f"Your webhook is not failing {window}."
    else:
        head = f"None of your {p.plural(len(hooks), 'webhook')} is failing {window}."
    return f"{head}\n{p.bullets(health_line(h) for h in hooks[: p.LIST_LIMIT])}"


# --- declarations ---------------------------------------------------------------------------------
