"""Webhook capabilities: subscriptions, their delivery log, redelivery and health.

Managing and reading webhooks needs the analyst role (URLs and delivered bodies carry business
data); document 002's /api/admin/webhooks routes ask for admin on top. A secret is returned once,
when it is issued (create, rotate), and never again.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import NotFound, ValidationFailed
from store.models import DomainEvent, Webhook, WebhookAttempt, WebhookDelivery
from tools import outbound
from tools.context import ToolContext
from tools.crm.schemas import Pagination
from tools.events import EVENT_TYPES
from tools.registry import tool
from tools.webhooks import delivery as sender
from tools.webhooks import signing
from tools.webhooks.schemas import (
    AttemptOut,
    CreateWebhookInput,
    DeleteWebhookInput,
    DeleteWebhookResult,
    DeliveryDetail,
    DeliveryIdInput,
    DeliveryList,
    DeliveryOut,
    DeliveryOutput,
    ListDeliveriesInput,
    ListWebhooksInput,
    RedeliverInput,
    RedeliverResult,
    RotateSecretInput,
    UpdateWebhookInput,
    WebhookHealth,
    WebhookHealthInput,
    WebhookHealthReport,
    WebhookIdInput,
    WebhookList,
    WebhookOut,
    WebhookOutput,
    WebhookWithSecret,
)

DOCUMENTED_EVENTS = frozenset({
    # 000
    "automation.completed", "security.issue.created",
    # 001
    "customer.created",
    # 002
    "user.created", "user.updated", "credit.purchased", "credit.used", "payment.completed",
    "payment.failed",
    # 004 (webhooks and the WebSocket)
    "deal.won", "deal.lost", "insight.critical", "integration.failed", "deal.created",
    "insight.generated", "integration.synced",
})
"""Event types the API documents name; a webhook may subscribe to them before anything emits them."""
SHOWN_SECRET_NOTE = ("Store this secret now: it is not shown again. Verify X-Signature (sha256=<hex> "
                     "HMAC of the body) or Webhook-Signature (t=<unix>,v1=<hex> over \"t.body\"; refuse t "
                     "older than 300 s).")


def known_events() -> frozenset[str]:
    return frozenset(EVENT_TYPES) | DOCUMENTED_EVENTS


def _check_events(events: Sequence[str]) -> list[str]:
    known = known_events()
    unknown = [e for e in events if e != "*" and not (
        e in known or (e.endswith(".*") and any(k.startswith(e[:-1]) for k in known)))]
    if unknown:
        raise ValidationFailed(
            f"Unknown event type{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. Known: "
            + ", ".join(sorted(known)),
            details=[{"field": "events", "message": f"unknown event type {e}"} for e in unknown])
    return list(events)


def check_url(url: str) -> str:
    """Refuse at once what delivery would refuse (SSRF); a name that does not resolve yet is
    accepted (deliveries will fail, visibly, until it does)."""
    try:
        outbound.vet(url)
    except outbound.Unresolvable:
        pass
    except outbound.Refused as err:
        raise ValidationFailed(f"The webhook URL is not allowed: {err}",
                               details=[{"field": "url", "message": str(err)}]) from None
    return url


def to_out(hook: Webhook) -> WebhookOut:
    return WebhookOut.model_validate(hook, from_attributes=True)


def load(session: Session, webhook_id: str) -> Webhook:
    hook = session.get(Webhook, webhook_id) if webhook_id else None
    if hook is None or hook.tenant_id != session.info.get("tenant_id", hook.tenant_id):
        raise NotFound("webhook", webhook_id)
    return hook


def _page(page: int, limit: int, total: int) -> Pagination:
    return Pagination(page=page, limit=limit, total=total,
                      total_pages=math.ceil(total / limit) if total else 0)


def _secret_message(hook: Webhook, what: str) -> str:
    return f"{what} {hook.url}. {SHOWN_SECRET_NOTE}"


@tool(
    name="create_webhook",
    toolset="admin",
    kind="write",
    min_role="analyst",
    description="""Subscribe a URL to events (e.g. customer.created, deal.won, deal.*, or * for
all): each event is POSTed to it as JSON, signed with the webhook's secret, retried with backoff
for 24 hours if the receiver fails. The URL must be a public http(s) address. The signing secret is
returned only in this result.""",
)
def create_webhook(ctx: ToolContext, args: CreateWebhookInput) -> WebhookWithSecret:
    check_url(args.url)
    secret = args.secret.get_secret_value() if args.secret else signing.new_secret()
    hook = Webhook(tenant_id=ctx.tenant_id, url=args.url, events=_check_events(args.events),
                   description=args.description, active=args.active, format=args.format,
                   secret_encrypted=signing.encrypt(secret), created_by=ctx.user_id or None,
                   failure_count=0, created_at=ctx.now, updated_at=ctx.now)
    ctx.session.add(hook)
    ctx.session.flush()
    return WebhookWithSecret(webhook=to_out(hook), secret=secret,
                             message=_secret_message(hook, "Created a webhook for"))


@tool(
    name="list_webhooks",
    toolset="admin",
    min_role="analyst",
    description="""List the workspace's webhooks (URL, events, active or paused, consecutive
failures, last success and failure, last error), newest first; filter by active or by an event
type they receive. Secrets are never shown.""",
)
def list_webhooks(ctx: ToolContext, args: ListWebhooksInput) -> WebhookList:
    stmt = select(Webhook).order_by(Webhook.created_at.desc(), Webhook.id)
    if args.active is not None:
        stmt = stmt.where(Webhook.active.is_(args.active))
    hooks = list(ctx.session.scalars(stmt))
    if args.event:
        hooks = [h for h in hooks if sender.wants(list(h.events or []), args.event)]
    start = (args.page - 1) * args.limit
    return WebhookList(webhooks=[to_out(h) for h in hooks[start:start + args.limit]],
                       pagination=_page(args.page, args.limit, len(hooks)))


@tool(name="get_webhook", toolset="admin", min_role="analyst",
      description="One webhook by id: URL, events, format, active, failure counts (never its secret).")
def get_webhook(ctx: ToolContext, args: WebhookIdInput) -> WebhookOutput:
    return WebhookOutput(webhook=to_out(load(ctx.session, args.webhook_id)))


@tool(
    name="update_webhook",
    toolset="admin",
    kind="write",
    idempotent=True,
    min_role="analyst",
    description="""Change a webhook: its URL, the events it receives, its description or format,
or pause (active=false) and resume it (active=true). Fields left out stay as they are.""",
)
def update_webhook(ctx: ToolContext, args: UpdateWebhookInput) -> WebhookOutput:
    hook = load(ctx.session, args.webhook_id)
    changes: dict[str, Any] = args.model_dump(exclude_unset=True, exclude={"webhook_id"})
    for key, value in changes.items():
        if value is None and key != "description":
            continue
        if key == "url":
            check_url(value)
        if key == "events":
            value = _check_events(value)
        setattr(hook, key, value)
    if changes.get("active") is True:
        hook.failure_count = 0  # a resumed webhook starts with a clean slate
    hook.updated_at = ctx.now
    ctx.session.flush()
    return WebhookOutput(webhook=to_out(hook))


def _preview_delete(ctx: ToolContext, args: DeleteWebhookInput) -> dict[str, Any]:
    hook = load(ctx.session, args.webhook_id)
    deliveries = ctx.session.scalar(select(func.count()).select_from(WebhookDelivery).where(
        WebhookDelivery.webhook_id == hook.id)) or 0
    waiting = ctx.session.scalar(select(func.count()).select_from(WebhookDelivery).where(
        WebhookDelivery.webhook_id == hook.id,
        WebhookDelivery.status.in_(("pending", "retrying")))) or 0
    more = f" {waiting} waiting deliver{'y' if waiting == 1 else 'ies'} will not be sent." if waiting else ""
    return {
        "message": f"This will delete the webhook to {hook.url} and its log of {deliveries} "
                   f"deliver{'y' if deliveries == 1 else 'ies'}.{more}",
        "webhook": to_out(hook).snake(),
        "deliveries": deliveries,
        "waiting": waiting,
    }


@tool(
    name="delete_webhook",
    toolset="admin",
    kind="destructive",
    min_role="analyst",
    preview=_preview_delete,
    description="""Delete a webhook with its delivery log; waiting deliveries are not sent. The
first call previews (URL, deliveries logged, deliveries waiting) and returns a confirmation_token;
call again with it to delete. To stop deliveries for a while, pause it with update_webhook.""",
)
def delete_webhook(ctx: ToolContext, args: DeleteWebhookInput) -> DeleteWebhookResult:
    hook = load(ctx.session, args.webhook_id)
    url = hook.url
    ctx.session.delete(hook)
    ctx.session.flush()
    return DeleteWebhookResult(status="done", message=f"Deleted the webhook to {url}.",
                               deleted_id=args.webhook_id)


@tool(
    name="rotate_webhook_secret",
    toolset="admin",
    kind="write",
    min_role="analyst",
    description="""Issue a new signing secret for a webhook (returned only in this result). The old
one stops at once, or keeps signing alongside for keep_old_hours so the receiver can switch over.""",
)
def rotate_webhook_secret(ctx: ToolContext, args: RotateSecretInput) -> WebhookWithSecret:
    hook = load(ctx.session, args.webhook_id)
    secret = signing.new_secret()
    if args.keep_old_hours:
        hook.previous_secret_encrypted = hook.secret_encrypted
        hook.previous_secret_expires_at = ctx.now + timedelta(hours=args.keep_old_hours)
    else:
        hook.previous_secret_encrypted = hook.previous_secret_expires_at = None
    hook.secret_encrypted = signing.encrypt(secret)
    hook.secret_rotated_at = hook.updated_at = ctx.now
    ctx.session.flush()
    kept = (f" The old secret also signs for {args.keep_old_hours} more hour"
            f"{'' if args.keep_old_hours == 1 else 's'}." if args.keep_old_hours else
            " The old secret no longer signs.")
    return WebhookWithSecret(webhook=to_out(hook), secret=secret,
                             message=_secret_message(hook, "New signing secret for") + kept)


# --- deliveries -----------------------------------------------------------------------------------


def delivery_out(d: WebhookDelivery, url: str | None) -> DeliveryOut:
    return DeliveryOut.model_validate({**{k: getattr(d, k) for k in DeliveryOut.model_fields
                                          if k != "webhook_url"}, "webhook_url": url})


def _urls(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Webhook.id, Webhook.url)).tuples().all())


def _load_delivery(session: Session, delivery_id: str, webhook_id: str | None) -> WebhookDelivery:
    found = session.get(WebhookDelivery, delivery_id)
    if found is None or found.tenant_id != session.info.get("tenant_id", found.tenant_id) or (
            webhook_id and found.webhook_id != webhook_id):
        raise NotFound("delivery", delivery_id)
    return found


@tool(
    name="list_webhook_deliveries",
    toolset="admin",
    min_role="analyst",
    description="""The webhook delivery log, newest first: per event and webhook, its status
(pending, retrying, succeeded, failed), attempts made, last HTTP status, error and next retry.
Filter by webhook_id, status (e.g. failed to see failures), event_type or event_id.""",
)
def list_webhook_deliveries(ctx: ToolContext, args: ListDeliveriesInput) -> DeliveryList:
    if args.webhook_id:
        load(ctx.session, args.webhook_id)
    conditions = []
    if args.webhook_id:
        conditions.append(WebhookDelivery.webhook_id == args.webhook_id)
    if args.status:
        conditions.append(WebhookDelivery.status == args.status)
    if args.event_type:
        conditions.append(WebhookDelivery.event_type == args.event_type)
    if args.event_id:
        conditions.append(WebhookDelivery.event_id == args.event_id)
    total = ctx.session.scalar(select(func.count()).select_from(WebhookDelivery).where(*conditions)) or 0
    rows = ctx.session.scalars(
        select(WebhookDelivery).where(*conditions)
        .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
        .offset((args.page - 1) * args.limit).limit(args.limit)).all()
    urls = _urls(ctx.session)
    return DeliveryList(deliveries=[delivery_out(d, urls.get(d.webhook_id)) for d in rows],
                        pagination=_page(args.page, args.limit, total))


@tool(
    name="get_webhook_delivery",
    toolset="admin",
    min_role="analyst",
    description="""One webhook delivery with every attempt (time, HTTP status, response excerpt,
error, duration) and the body that was sent.""",
)
def get_webhook_delivery(ctx: ToolContext, args: DeliveryIdInput) -> DeliveryOutput:
    d = _load_delivery(ctx.session, args.delivery_id, args.webhook_id)
    attempts = ctx.session.scalars(select(WebhookAttempt).where(
        WebhookAttempt.delivery_id == d.id).order_by(WebhookAttempt.number)).all()
    base = delivery_out(d, _urls(ctx.session).get(d.webhook_id))
    detail = DeliveryDetail(**base.model_dump(), request_body=d.request_body,
                            attempt_log=[AttemptOut.model_validate(a, from_attributes=True)
                                         for a in attempts])
    return DeliveryOutput(delivery=detail)


def _redeliver_one(ctx: ToolContext, d: WebhookDelivery) -> None:
    d.status, d.next_attempt_at, d.error = "pending", None, None
    d.retry_until = ctx.now + timedelta(hours=sender.get_settings().webhook_retry_hours)
    d.updated_at = ctx.now
    ctx.session.flush()
    sender.queue_attempt(ctx.session, d, number=d.attempts + 1, manual=True)


def _delivery_for_event(ctx: ToolContext, hook: Webhook, event_id: str) -> WebhookDelivery:
    """A first delivery of a past event to a webhook that never got it (e.g. created later)."""
    event = ctx.session.get(DomainEvent, event_id)
    if event is None or event.tenant_id != ctx.tenant_id:
        raise NotFound("event", event_id)
    d = WebhookDelivery(
        tenant_id=ctx.tenant_id, webhook_id=hook.id, event_id=event.id, event_type=event.type,
        status="pending", attempts=0, created_at=ctx.now, updated_at=ctx.now,
        payload=sender.payload_of(hook.format, event.id, event.type, event.occurred_at,
                                  dict(event.data or {})))
    ctx.session.add(d)
    ctx.session.flush()
    return d


@tool(
    name="redeliver_webhook",
    toolset="admin",
    kind="write",
    min_role="analyst",
    description="""Send a webhook delivery again now (by delivery_id), or an event again (by
event_id) to every webhook that had it, or to webhook_id only (also one that never had it). The
new attempts appear in the delivery log; failures are retried with backoff as usual.""",
)
def redeliver_webhook(ctx: ToolContext, args: RedeliverInput) -> RedeliverResult:
    chosen: list[WebhookDelivery]
    if args.delivery_id:
        chosen = [_load_delivery(ctx.session, args.delivery_id, args.webhook_id)]
    else:
        stmt = select(WebhookDelivery).where(WebhookDelivery.event_id == args.event_id)
        if args.webhook_id:
            stmt = stmt.where(WebhookDelivery.webhook_id == args.webhook_id)
        chosen = list(ctx.session.scalars(stmt))
        if not chosen and args.webhook_id and args.event_id:
            hook = load(ctx.session, args.webhook_id)
            chosen = [_delivery_for_event(ctx, hook, args.event_id)]
        if not chosen:
            raise NotFound("delivery", args.event_id)
    hooks = {h.id: h for h in ctx.session.scalars(select(Webhook).where(
        Webhook.id.in_({d.webhook_id for d in chosen})))}
    paused = [hooks[d.webhook_id].url for d in chosen if not hooks[d.webhook_id].active]
    if paused:
        raise ValidationFailed(f"The webhook to {paused[0]} is paused: resume it first "
                               "(update_webhook with active=true)",
                               details=[{"field": "webhook_id", "message": "webhook is paused"}])
    for d in chosen:
        _redeliver_one(ctx, d)
    urls = _urls(ctx.session)
    n = len(chosen)
    return RedeliverResult(
        deliveries=[delivery_out(d, urls.get(d.webhook_id)) for d in chosen],
        message=f"Queued {n} redeliver{'y' if n == 1 else 'ies'}.")


# --- health ---------------------------------------------------------------------------------------


def _state(hook: Webhook, attempts: int, failed: int, pending: int) -> str:
    if not hook.active:
        return "paused"
    if hook.failure_count and (hook.last_success_at is None or (
            hook.last_failure_at is not None and hook.last_failure_at > hook.last_success_at)):
        return "failing"
    if not attempts:
        return "waiting" if pending else "idle"
    return "degraded" if failed else "healthy"


def _failing_since(session: Session, hook: Webhook) -> datetime | None:
    if not hook.failure_count:
        return None
    stmt = (select(func.min(WebhookAttempt.started_at))
            .join(WebhookDelivery, WebhookDelivery.id == WebhookAttempt.delivery_id)
            .where(WebhookDelivery.webhook_id == hook.id, WebhookAttempt.status == "failed"))
    if hook.last_success_at is not None:
        stmt = stmt.where(WebhookAttempt.started_at > hook.last_success_at)
    return session.scalar(stmt)


@tool(
    name="webhook_health",
    toolset="admin",
    min_role="analyst",
    description="""Are the webhooks working? Per webhook over the last `hours` (default 24):
attempts, successes, failures, success rate in percent, deliveries waiting and given up, the last
error, and since when it has been failing; state is healthy, degraded (some failures), failing
(the latest attempts fail), paused, waiting (queued, nothing sent yet) or idle (nothing to send).""",
)
def webhook_health(ctx: ToolContext, args: WebhookHealthInput) -> WebhookHealthReport:
    since = ctx.now - timedelta(hours=args.hours)
    hooks = ([load(ctx.session, args.webhook_id)] if args.webhook_id else
             list(ctx.session.scalars(select(Webhook).order_by(Webhook.created_at.desc()))))
    counts: dict[tuple[str, str], int] = {}
    for hook_id, status, n in ctx.session.execute(
            select(WebhookDelivery.webhook_id, WebhookAttempt.status, func.count())
            .join(WebhookDelivery, WebhookDelivery.id == WebhookAttempt.delivery_id)
            .where(WebhookAttempt.started_at >= since)
            .group_by(WebhookDelivery.webhook_id, WebhookAttempt.status)).tuples():
        counts[(hook_id, status)] = n
    for hook_id, status, n in ctx.session.execute(
            select(WebhookDelivery.webhook_id, WebhookDelivery.status, func.count())
            .where((WebhookDelivery.status.in_(("pending", "retrying")))
                   | (WebhookDelivery.created_at >= since))
            .group_by(WebhookDelivery.webhook_id, WebhookDelivery.status)).tuples():
        counts[(hook_id, "delivery:" + status)] = n
    report = []
    for hook in hooks:
        ok, bad = counts.get((hook.id, "succeeded"), 0), counts.get((hook.id, "failed"), 0)
        pending = counts.get((hook.id, "delivery:pending"), 0) + counts.get((hook.id, "delivery:retrying"), 0)
        total = ok + bad
        report.append(WebhookHealth(
            webhook_id=hook.id, url=hook.url, active=hook.active,
            state=_state(hook, total, bad, pending),  # type: ignore[arg-type]
            attempts=total, succeeded=ok, failed=bad,
            success_rate=round(ok * 100 / total, 1) if total else None,
            pending=pending, failed_deliveries=counts.get((hook.id, "delivery:failed"), 0),
            last_success_at=hook.last_success_at, last_failure_at=hook.last_failure_at,
            last_error=hook.last_error, failing_since=_failing_since(ctx.session, hook)))
    return WebhookHealthReport(
        hours=args.hours, webhooks=report,
        healthy=sum(1 for h in report if h.state == "healthy"),
        failing=sum(1 for h in report if h.state == "failing"))
