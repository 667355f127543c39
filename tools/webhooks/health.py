"""Webhook health: per webhook, attempts, successes and failures over recent hours, and a state."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import Webhook, WebhookAttempt, WebhookDelivery
from tools.context import ToolContext
from tools.registry import tool
from tools.webhooks.schemas import WebhookHealth, WebhookHealthInput, WebhookHealthReport
from tools.webhooks.subscriptions import load


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
