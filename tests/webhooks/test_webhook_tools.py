"""The webhook tools as the assistant and MCP clients call them: roles, tenant isolation, and the
pieces of delivery (signatures, backoff, event matching) on their own."""

from __future__ import annotations

import hashlib
import hmac
import time

import pytest
from fastapi.testclient import TestClient
from helpers import Account, register

from core.errors import Forbidden, NotFound, ValidationFailed
from tools.context import Principal
from tools.runtime import execute
from tools.webhooks import delivery, signing


def principal(account: Account, role: str = "admin") -> Principal:
    return Principal(user_id=account.user_id, tenant_id=account.tenant_id, role=role,  # type: ignore[arg-type]
                     email=account.email)


def test_signatures_verify_and_stale_timestamps_are_refused() -> None:
    body = b'{"id":"evt_1","event":"deal.won"}'
    h = signing.headers("s3cret-s3cret-s3cret", body, timestamp=int(time.time()))
    assert h["X-Signature"] == "sha256=" + hmac.new(b"s3cret-s3cret-s3cret", body, hashlib.sha256).hexdigest()
    assert signing.verify("s3cret-s3cret-s3cret", body, h)
    assert not signing.verify("another-secret-0000", body, h)
    assert not signing.verify("s3cret-s3cret-s3cret", body + b" ", h)
    old = signing.headers("s3cret-s3cret-s3cret", body, timestamp=int(time.time()) - 301)
    assert not signing.verify("s3cret-s3cret-s3cret", body, old), "older than 300 s is a replay"
    both = signing.headers("new-secret-0000000", body, previous="old-secret-0000000")
    assert both["Webhook-Signature"].count("v1=") == 2


def test_secrets_are_encrypted_at_rest() -> None:
    token = signing.encrypt("whsec_abc")
    assert "whsec_abc" not in token and signing.decrypt(token) == "whsec_abc"


def test_event_patterns() -> None:
    assert delivery.wants(["*"], "deal.won")
    assert delivery.wants(["deal.*"], "deal.won") and not delivery.wants(["deal.*"], "dealer.x")
    assert delivery.wants(["customer.created"], "customer.created")
    assert not delivery.wants(["customer.created"], "customer.updated")


def test_backoff_doubles_up_to_an_hour(monkeypatch: pytest.MonkeyPatch) -> None:
    from core.settings import get_settings

    monkeypatch.setattr(get_settings(), "webhook_retry_base_seconds", 10.0)
    for failures, expected in [(1, 10), (2, 20), (3, 40), (6, 320), (20, 3600)]:
        assert expected * 0.9 <= delivery.backoff(failures) <= expected * 1.1


def test_payload_shapes() -> None:
    from datetime import UTC, datetime

    at = datetime(2026, 2, 14, 10, 30, tzinfo=UTC)
    standard = delivery.payload_of("standard", "e1", "customer.created", at, {"customer": {"id": "c1"}})
    assert standard == {"id": "e1", "event": "customer.created", "timestamp": "2026-02-14T10:30:00Z",
                        "data": {"customer": {"id": "c1"}}}
    extended = delivery.payload_of("extended", "e1", "user.created", at, {"userId": "u1"})
    raw = delivery.body_bytes("extended", extended, "k" * 20)
    assert raw.startswith(b'{"eventId":"e1","eventType":"user.created"') and b'"signature":"sha256=' in raw


def test_roles(client: TestClient, account: Account) -> None:
    args = {"url": "https://93.184.216.34/x", "events": ["deal.won"]}
    with pytest.raises(Forbidden):
        execute("create_webhook", principal(account, "user"), args, source="mcp")
    with pytest.raises(Forbidden):
        execute("list_webhooks", principal(account, "user"), {}, source="mcp")
    made = execute("create_webhook", principal(account, "analyst"), args, source="mcp")
    assert made.secret  # type: ignore[attr-defined]


def test_tools_never_reach_another_tenants_webhooks(client: TestClient, account: Account) -> None:
    owner = principal(account)
    made = execute("create_webhook", owner, {"url": "https://93.184.216.34/hook", "events": ["*"]},
                   source="agent")
    hook_id = made.webhook.id  # type: ignore[attr-defined]
    execute("create_customer", owner, {"name": "Isolated Customer"}, source="agent")
    from sqlalchemy import select

    from store.db import unit_of_work
    from store.models import DomainEvent

    with unit_of_work(account.tenant_id) as session:
        event = session.scalars(select(DomainEvent).where(DomainEvent.type == "customer.created")).first()
    assert event is not None
    delivery.fan_out(event)
    log = execute("list_webhook_deliveries", owner, {"webhook_id": hook_id})
    delivery_id = log.deliveries[0].id  # type: ignore[attr-defined]

    stranger = principal(register(client))
    for name, args in [
        ("get_webhook", {"webhook_id": hook_id}),
        ("update_webhook", {"webhook_id": hook_id, "active": False}),
        ("rotate_webhook_secret", {"webhook_id": hook_id}),
        ("delete_webhook", {"webhook_id": hook_id}),
        ("list_webhook_deliveries", {"webhook_id": hook_id}),
        ("get_webhook_delivery", {"delivery_id": delivery_id}),
        ("redeliver_webhook", {"delivery_id": delivery_id}),
        ("redeliver_webhook", {"event_id": event.id}),
        ("redeliver_webhook", {"event_id": event.id, "webhook_id": hook_id}),
        ("webhook_health", {"webhook_id": hook_id}),
    ]:
        with pytest.raises(NotFound):
            execute(name, stranger, args, source="mcp")
    assert execute("list_webhooks", stranger, {}).pagination.total == 0  # type: ignore[attr-defined]
    assert execute("list_webhook_deliveries", stranger, {"event_id": event.id}).deliveries == []  # type: ignore[attr-defined]
    assert execute("webhook_health", stranger, {}).webhooks == []  # type: ignore[attr-defined]
    # a webhook of their own cannot be pointed at the other tenant's event either
    theirs = execute("create_webhook", stranger, {"url": "https://93.184.216.34/theirs", "events": ["*"]})
    with pytest.raises(NotFound):
        execute("redeliver_webhook", stranger, {"event_id": event.id,
                                                "webhook_id": theirs.webhook.id})  # type: ignore[attr-defined]
    assert execute("get_webhook", owner, {"webhook_id": hook_id}).webhook.active is True  # type: ignore[attr-defined]


def test_delete_previews_then_deletes(client: TestClient, account: Account) -> None:
    owner = principal(account)
    made = execute("create_webhook", owner, {"url": "https://93.184.216.34/del", "events": ["*"]})
    hook_id = made.webhook.id  # type: ignore[attr-defined]
    preview = execute("delete_webhook", owner, {"webhook_id": hook_id}, source="mcp")
    assert preview.status == "confirmation_required" and preview.confirmation_token  # type: ignore[attr-defined]
    execute("get_webhook", owner, {"webhook_id": hook_id})  # still there
    done = execute("delete_webhook", owner, {"webhook_id": hook_id,
                                             "confirmation_token": preview.confirmation_token},  # type: ignore[attr-defined]
                   source="mcp")
    assert done.status == "done"  # type: ignore[attr-defined]
    with pytest.raises(NotFound):
        execute("get_webhook", owner, {"webhook_id": hook_id})


def test_unknown_events_and_private_urls_are_refused(client: TestClient, account: Account,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from core.settings import get_settings

    owner = principal(account)
    with pytest.raises(ValidationFailed):
        execute("create_webhook", owner, {"url": "https://93.184.216.34/x", "events": ["nope.nothing"]})
    monkeypatch.setattr(get_settings(), "outbound_allow_private", False)
    with pytest.raises(ValidationFailed) as refused:
        execute("create_webhook", owner, {"url": "http://169.254.169.254/latest", "events": ["*"]})
    assert refused.value.details[0]["field"] == "url"


def test_a_chosen_secret_is_not_kept_in_the_audit_log(client: TestClient, account: Account) -> None:
    from sqlalchemy import select

    from store.db import unit_of_work
    from store.models import AuditLog

    chosen = "audit-must-not-keep-this-0001"
    execute("create_webhook", principal(account), {"url": "https://93.184.216.34/a", "events": ["*"],
                                                   "secret": chosen}, source="mcp")
    with unit_of_work() as session:
        rows = session.scalars(select(AuditLog).where(AuditLog.tool == "create_webhook")).all()
        assert rows and all(chosen not in str(r.arguments) for r in rows)
