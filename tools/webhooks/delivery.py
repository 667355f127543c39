"""Delivering events to webhooks: the "webhooks" event subscriber and the delivery job.

1. `fan_out` (subscribed to every domain event; it runs in a job after the event's transaction
   committed): for each active webhook of the event's tenant that wants the event type, records a
   `WebhookDelivery` (unique per webhook and event) and, in the same transaction, enqueues a
   delivery job (its dedupe key names the delivery and attempt, so a re-run queues nothing twice).
2. `deliver` (the job): one attempt. It builds the body, signs it, POSTs it through
   `tools.outbound` (SSRF checks at delivery time too), and records the attempt. A non-2xx answer,
   a timeout or a refused address schedules the next attempt with exponential backoff (base
   WEBHOOK_RETRY_BASE_SECONDS, doubling, at most an hour, with jitter) as a new delayed job in the
   same transaction as the record; once WEBHOOK_RETRY_HOURS have passed since the first attempt
   the delivery is marked failed and stays visible in the log.

Delivery is at least once: a process killed between the POST and its record repeats the attempt
after restart. Every request names the event (`X-Event-Id`, and `id`/`eventId` in the body) so
receivers deduplicate.
"""

from __future__ import annotations

import json
import logging
import random
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.ids import iso, new_id, utcnow
from core.settings import get_settings
from store.db import unit_of_work
from store.models import DomainEvent, Webhook, WebhookAttempt, WebhookDelivery
from tools import outbound
from tools.events import subscribe
from tools.jobs.queue import enqueue, job
from tools.webhooks import signing

log = logging.getLogger("bizpilot.webhooks")

DELIVER_JOB = "webhooks.deliver"
EXCERPT_CHARS = 2000
MAX_DELAY_SECONDS = 3600.0
STORED_BODY_BYTES = 256_000
LEASE_SECONDS = 60.0
"""A delivery job still running after this long (its worker died) is run again: well above the
outbound timeout, well below the job system's default, so a killed server resumes quickly."""


# --- which webhooks want an event ---------------------------------------------------------------


def wants(patterns: list[str], event_type: str) -> bool:
    """"*" is every event, "deal.*" every deal event, anything else an exact type."""
    for pattern in patterns:
        if pattern == "*" or pattern == event_type:
            return True
        if pattern.endswith(".*") and event_type.startswith(pattern[:-1]):
            return True
    return False


def payload_of(fmt: str, event_id: str, event_type: str, occurred_at: datetime,
               data: dict[str, Any]) -> dict[str, Any]:
    """The body before signing, in the webhook's format."""
    if fmt == "extended":  # document 002
        return {"eventId": event_id, "eventType": event_type, "timestamp": iso(occurred_at), "data": data}
    return {"id": event_id, "event": event_type, "timestamp": iso(occurred_at), "data": data}


def encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def body_bytes(fmt: str, payload: dict[str, Any], secret: str) -> bytes:
    """The exact bytes sent. Document 002's body also carries `signature`: sha256=<hex> of the
    compact JSON of the other four fields (the X-Signature header signs the whole body)."""
    if fmt == "extended":
        return encode({**payload, "signature": signing.signature(secret, encode(payload))})
    return encode(payload)


def queue_attempt(session: Session, delivery: WebhookDelivery, *, number: int,
                  delay: float | None = None, manual: bool = False) -> None:
    """Enqueue attempt `number` of a delivery, in the caller's transaction."""
    key = f"webhook:{delivery.id}:{number}" + (f":manual:{delivery.attempts}" if manual else "")
    enqueue(DELIVER_JOB, {"delivery_id": delivery.id, "tenant_id": delivery.tenant_id,
                          "attempt": number, "manual": manual},
            tenant_id=delivery.tenant_id, delay=delay, dedupe_key=key, session=session)


def fan_out(event: DomainEvent) -> None:
    """Record and queue one delivery per interested webhook (idempotent: safe to run twice)."""
    if not event.tenant_id:
        return
    with unit_of_work(event.tenant_id) as session:
        hooks = session.scalars(select(Webhook).where(Webhook.active.is_(True))).all()
        for hook in hooks:
            if not wants(list(hook.events or []), event.type):
                continue
            found = session.scalar(select(WebhookDelivery).where(
                WebhookDelivery.webhook_id == hook.id, WebhookDelivery.event_id == event.id))
            if found is not None:
                continue
            now = utcnow()
            delivery = WebhookDelivery(
                id=new_id(), tenant_id=event.tenant_id, webhook_id=hook.id, event_id=event.id,
                event_type=event.type, status="pending", attempts=0, created_at=now, updated_at=now,
                payload=payload_of(hook.format, event.id, event.type, event.occurred_at,
                                   dict(event.data or {})),
                retry_until=now + timedelta(hours=get_settings().webhook_retry_hours),
            )
            session.add(delivery)
            session.flush()
            queue_attempt(session, delivery, number=1)


subscribe("webhooks", fan_out)


# --- one attempt ----------------------------------------------------------------------------------


def backoff(failures: int) -> float:
    """Seconds before the next attempt after `failures` failed ones: base, 2x base, 4x ..., at
    most an hour, +-10% jitter so a recovering receiver is not hit by every retry at once."""
    base = get_settings().webhook_retry_base_seconds
    delay = min(base * (2 ** max(failures - 1, 0)), MAX_DELAY_SECONDS)
    return delay * random.uniform(0.9, 1.1)


def _request(delivery_id: str, tenant_id: str, attempt: int,
             manual: bool) -> tuple[str, bytes, dict[str, str]] | None:
    """What to send for this attempt, or None when there is nothing to do (done already, a
    duplicate job, a deleted webhook). A paused webhook fails the delivery."""
    with unit_of_work(tenant_id) as session:
        delivery = session.get(WebhookDelivery, delivery_id)
        if delivery is None or delivery.attempts >= attempt:
            return None  # deleted with its webhook, or this attempt was made already
        if delivery.status in ("succeeded", "failed") and not manual:
            return None
        hook = session.get(Webhook, delivery.webhook_id)
        if hook is None:
            return None
        if not hook.active:
            delivery.status, delivery.error, delivery.next_attempt_at = "failed", "webhook paused", None
            return None
        secret = signing.decrypt(hook.secret_encrypted)
        previous = None
        if hook.previous_secret_encrypted and hook.previous_secret_expires_at \
                and hook.previous_secret_expires_at > utcnow():
            previous = signing.decrypt(hook.previous_secret_encrypted)
        body = body_bytes(hook.format, dict(delivery.payload), secret)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "BizPilot-Webhooks/1.0",
            "X-Event-Id": delivery.event_id,
            "X-Event-Type": delivery.event_type,
            "X-Webhook-Id": hook.id,
            "X-Delivery-Id": delivery.id,
            "X-Delivery-Attempt": str(attempt),
            **signing.headers(secret, body, previous=previous),
        }
        return hook.url, body, headers


def _failure_streak(session: Session, delivery_id: str) -> int:
    """Failed attempts in a row, back to a success or a manual redelivery (which restarts the
    backoff)."""
    streak = 0
    for attempt in session.scalars(select(WebhookAttempt).where(
            WebhookAttempt.delivery_id == delivery_id).order_by(WebhookAttempt.number.desc())):
        if attempt.status != "failed":
            break
        streak += 1
        if attempt.manual:
            break
    return streak


def _record(delivery_id: str, tenant_id: str, attempt: int, manual: bool, body: bytes,
            started: datetime, result: outbound.OutboundResponse | None, error: str | None,
            duration_ms: int) -> None:
    succeeded = result is not None and result.ok
    if result is not None and not result.ok:
        error = f"HTTP {result.status_code}"
    excerpt = result.text(EXCERPT_CHARS) if result is not None else None
    now = utcnow()
    with unit_of_work(tenant_id) as session:
        delivery = session.get(WebhookDelivery, delivery_id)
        if delivery is None or delivery.attempts >= attempt:
            return  # deleted meanwhile, or recorded by a concurrent duplicate
        session.add(WebhookAttempt(
            tenant_id=tenant_id, delivery_id=delivery.id, number=attempt,
            status="succeeded" if succeeded else "failed",
            response_status=result.status_code if result is not None else None,
            response_excerpt=excerpt, error=(error or None) and error[:500],
            duration_ms=duration_ms, manual=manual, started_at=started))
        delivery.attempts = attempt
        delivery.last_attempt_at = started
        delivery.request_body = body[:STORED_BODY_BYTES].decode("utf-8", errors="replace")
        delivery.response_status = result.status_code if result is not None else None
        delivery.response_excerpt = excerpt
        delivery.duration_ms = duration_ms
        delivery.updated_at = now
        hook_stats = update(Webhook).where(Webhook.id == delivery.webhook_id)
        if succeeded:
            delivery.status, delivery.error = "succeeded", None
            delivery.delivered_at, delivery.next_attempt_at = now, None
            session.execute(hook_stats.values(failure_count=0, last_success_at=now, last_error=None))
            return
        delivery.error = (error or "failed")[:500]
        session.execute(hook_stats.values(failure_count=Webhook.failure_count + 1,
                                          last_failure_at=now, last_error=delivery.error))
        failures = _failure_streak(session, delivery.id)
        delay = backoff(max(failures, 1))
        window = timedelta(hours=get_settings().webhook_retry_hours)
        until = delivery.retry_until or (delivery.created_at + window)
        if now + timedelta(seconds=delay) > until:
            delivery.status, delivery.next_attempt_at = "failed", None
            log.warning("webhook delivery %s failed for good after %d attempts: %s",
                        delivery.id, attempt, delivery.error)
            return
        delivery.status = "retrying"
        delivery.next_attempt_at = now + timedelta(seconds=delay)
        session.flush()
        queue_attempt(session, delivery, number=attempt + 1, delay=delay)


@job(DELIVER_JOB, retries=8, base_delay=2.0, max_delay=300.0, lease=LEASE_SECONDS)
def deliver(payload: dict[str, Any]) -> None:
    """One attempt of one delivery (see the module docstring). Failures of the receiver are
    recorded and rescheduled here; only our own failures (the database) make the job retry."""
    delivery_id, tenant_id = str(payload["delivery_id"]), str(payload["tenant_id"])
    attempt, manual = int(payload.get("attempt") or 1), bool(payload.get("manual"))
    prepared = _request(delivery_id, tenant_id, attempt, manual)
    if prepared is None:
        return
    url, body, headers = prepared
    started = utcnow()
    result: outbound.OutboundResponse | None = None
    error: str | None = None
    try:
        result = outbound.post(url, body, headers)
    except outbound.Refused as err:
        error = f"refused: {err}"
    except outbound.OutboundError as err:
        error = str(err) or type(err).__name__
    duration = int((utcnow() - started).total_seconds() * 1000)
    try:
        _record(delivery_id, tenant_id, attempt, manual, body, started, result, error, duration)
    except IntegrityError:  # a duplicate run recorded this attempt first
        log.info("webhook delivery %s attempt %d was recorded by another run", delivery_id, attempt)
