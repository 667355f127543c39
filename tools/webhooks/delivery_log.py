"""The webhook delivery log: list and read deliveries with their attempts, and redeliver."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import NotFound, ValidationFailed
from store.models import DomainEvent, Webhook, WebhookAttempt, WebhookDelivery
from tools.context import ToolContext
from tools.registry import tool
from tools.webhooks import delivery as sender
from tools.webhooks.schemas import (
    AttemptOut,
    DeliveryDetail,
    DeliveryIdInput,
    DeliveryList,
    DeliveryOut,
    DeliveryOutput,
    ListDeliveriesInput,
    RedeliverInput,
    RedeliverResult,
)
from tools.webhooks.subscriptions import load, pagination_of


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
                        pagination=pagination_of(args.page, args.limit, total))


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
