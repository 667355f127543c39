"""Webhook subscriptions: create, list, read, change, delete, and rotate the signing secret.

Managing and reading webhooks needs the analyst role (URLs and delivered bodies carry business
data). A secret is returned once, when it is issued (create, rotate), and never again.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import NotFound, ValidationFailed
from store.models import Webhook, WebhookDelivery
from tools import outbound
from tools.context import ToolContext
from tools.crm.schemas import Pagination
from tools.events import EVENT_TYPES
from tools.registry import tool
from tools.webhooks import delivery as sender
from tools.webhooks import signing
from tools.webhooks.schemas import (
    CreateWebhookInput,
    DeleteWebhookInput,
    DeleteWebhookResult,
    ListWebhooksInput,
    RotateSecretInput,
    UpdateWebhookInput,
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


def pagination_of(page: int, limit: int, total: int) -> Pagination:
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
                       pagination=pagination_of(args.page, args.limit, len(hooks)))


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

