"""Webhooks over REST for every family that documents them, delivered by the real job worker to a
real local receiver that checks both signatures and deduplicates by event id."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from fakes.webhook_receiver import Receiver, check_signatures
from fastapi.testclient import TestClient
from helpers import Account, register
from webhook_helpers import eventually, headers, with_role

pytestmark = pytest.mark.usefixtures("worker")


def create(client: TestClient, account: Account, url: str, events: list[str] | None = None,
           path: str = "/api/webhooks", **extra: Any) -> tuple[dict[str, Any], str]:
    r = client.post(path, headers=account.headers, json={"url": url, "events": events or ["*"], **extra})
    assert r.status_code == 201, r.text
    data = r.json() if path.startswith("/api/v1") else r.json()["data"]
    hook = data if path.startswith("/api/v1") else data["webhook"]
    return hook, data["secret"]


def add_customer(client: TestClient, account: Account, name: str = "Jane Smith") -> dict[str, Any]:
    r = client.post("/api/crm/customers", headers=account.headers, json={"name": name})
    assert r.status_code == 201, r.text
    return dict(r.json()["data"]["customer"])


def deliveries(client: TestClient, account: Account, hook_id: str, **params: Any) -> list[dict[str, Any]]:
    r = client.get(f"/api/webhooks/{hook_id}/deliveries", headers=account.headers, params=params)
    assert r.status_code == 200, r.text
    return list(r.json()["data"]["deliveries"])


def test_000_create_deliver_signed_and_logged(client: TestClient, account: Account,
                                              receiver: Receiver) -> None:
    hook, secret = create(client, account, receiver.url, ["customer.created"],
                          description="CRM sync")
    assert secret.startswith("whsec_") and hook["format"] == "standard" and hook["active"] is True
    receiver.secret = secret
    customer = add_customer(client, account)
    assert receiver.wait_for(1), "the event never arrived"
    got = next(iter(receiver.events.values()))
    assert got.verified, "both signatures must verify with the secret"
    body = got.json
    assert body["event"] == "customer.created" and body["data"]["customer"]["id"] == customer["id"]
    assert body["id"] == got.event_id and body["timestamp"].endswith("Z")
    assert got.headers["x-webhook-id"] == hook["id"] and got.headers["content-type"] == "application/json"
    assert got.headers["x-signature"].startswith("sha256=")
    assert got.headers["webhook-signature"].startswith("t=")
    assert got.headers["x-signature-timestamp"] == got.headers["webhook-signature"][2:12]

    logged = eventually(lambda: [d for d in deliveries(client, account, hook["id"])
                                 if d["status"] == "succeeded"])
    assert logged[0]["eventId"] == got.event_id and logged[0]["attempts"] == 1
    assert logged[0]["responseStatus"] == 200 and logged[0]["webhookUrl"] == receiver.url
    detail = client.get(f"/api/webhooks/{hook['id']}/deliveries/{logged[0]['id']}", headers=account.headers)
    assert detail.status_code == 200
    attempts = detail.json()["data"]["delivery"]["attemptLog"]
    assert [(a["number"], a["status"], a["responseStatus"]) for a in attempts] == [(1, "succeeded", 200)]
    assert json.loads(detail.json()["data"]["delivery"]["requestBody"]) == body


def test_only_subscribed_events_are_sent(client: TestClient, account: Account, receiver: Receiver) -> None:
    create(client, account, receiver.url, ["deal.*"])
    add_customer(client, account)
    r = client.post("/api/crm/deals", headers=account.headers, json={"title": "Fleet", "value": 100})
    assert r.status_code == 201
    assert receiver.wait_for(1)
    time.sleep(1.0)
    assert {rec.json["event"] for rec in receiver.events.values()} == {"deal.created"}


def test_a_receiver_answering_500_three_times_gets_the_fourth_attempt(
        client: TestClient, account: Account, receiver: Receiver) -> None:
    receiver.answers = [500, 500, 500]
    hook, secret = create(client, account, receiver.url, ["customer.created"])
    receiver.secret = secret
    add_customer(client, account)
    assert receiver.wait_for(1, timeout=40)
    assert [r.status for r in receiver.requests] == [500, 500, 500, 200]
    assert len({r.event_id for r in receiver.requests}) == 1 and all(r.verified for r in receiver.requests)
    assert [r.headers["x-delivery-attempt"] for r in receiver.requests] == ["1", "2", "3", "4"]

    done = eventually(lambda: [d for d in deliveries(client, account, hook["id"])
                               if d["status"] == "succeeded"])
    detail = client.get(f"/api/webhooks/{hook['id']}/deliveries/{done[0]['id']}", headers=account.headers)
    log = detail.json()["data"]["delivery"]["attemptLog"]
    assert [(a["number"], a["status"], a["responseStatus"]) for a in log] == [
        (1, "failed", 500), (2, "failed", 500), (3, "failed", 500), (4, "succeeded", 200)]
    assert all(a["error"] == "HTTP 500" for a in log[:3])
    again = client.get(f"/api/webhooks/{hook['id']}", headers=account.headers).json()["data"]["webhook"]
    assert again["failureCount"] == 0 and again["lastSuccessAt"] and again["lastFailureAt"]


def test_retries_stop_after_the_retry_window_and_the_delivery_is_failed(
        client: TestClient, account: Account, receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> None:
    from core.settings import get_settings

    monkeypatch.setattr(get_settings(), "webhook_retry_hours", 0)  # no time to retry at all
    receiver.answers = [503] * 10
    hook, _ = create(client, account, receiver.url, ["customer.created"])
    add_customer(client, account)
    failed = eventually(lambda: deliveries(client, account, hook["id"], status="failed"))
    assert failed[0]["attempts"] == 1 and failed[0]["error"] == "HTTP 503"
    assert failed[0]["nextAttemptAt"] is None
    health = client.get(f"/api/webhooks/{hook['id']}/health", headers=account.headers).json()["data"]
    state = health["webhooks"][0]
    assert state["state"] == "failing" and state["failedDeliveries"] == 1 and state["failingSince"]
    assert state["lastError"] == "HTTP 503" and state["successRate"] == 0


def test_redeliver_sends_again_and_logs_a_manual_attempt(client: TestClient, account: Account,
                                                          receiver: Receiver) -> None:
    hook, _ = create(client, account, receiver.url, ["customer.created"])
    add_customer(client, account)
    assert receiver.wait_for(1)
    done = eventually(lambda: deliveries(client, account, hook["id"], status="succeeded"))
    r = client.post(f"/api/webhooks/{hook['id']}/deliveries/{done[0]['id']}/redeliver",
                    headers=account.headers)
    assert r.status_code == 202, r.text
    eventually(lambda: len(receiver.requests) == 2)
    assert receiver.requests[0].event_id == receiver.requests[1].event_id
    detail = eventually(lambda: (lambda d: d if len(d["attemptLog"]) == 2 else None)(
        client.get(f"/api/webhooks/{hook['id']}/deliveries/{done[0]['id']}",
                   headers=account.headers).json()["data"]["delivery"]))
    assert [a["manual"] for a in detail["attemptLog"]] == [False, True]
    # by event id, to every webhook that had it
    r = client.post("/api/webhooks/redeliver", headers=account.headers, json={"eventId": done[0]["eventId"]})
    assert r.status_code == 202 and len(r.json()["data"]["deliveries"]) == 1
    eventually(lambda: len(receiver.requests) == 3)


def test_a_new_webhook_can_be_sent_a_past_event(client: TestClient, account: Account,
                                                receiver: Receiver) -> None:
    first, _ = create(client, account, receiver.url, ["customer.created"])
    add_customer(client, account)
    event_id = eventually(lambda: deliveries(client, account, first["id"]))[0]["eventId"]
    second, _ = create(client, account, receiver.url + "?second", ["customer.created"])
    r = client.post("/api/webhooks/redeliver", headers=account.headers,
                    json={"eventId": event_id, "webhookId": second["id"]})
    assert r.status_code == 202, r.text
    eventually(lambda: deliveries(client, account, second["id"], status="succeeded"))


def test_secrets_never_come_back(client: TestClient, account: Account, receiver: Receiver) -> None:
    hook, secret = create(client, account, receiver.url, ["*"], secret="my-own-secret-0123456789")
    assert secret == "my-own-secret-0123456789"
    reads = [client.get("/api/webhooks", headers=account.headers),
             client.get(f"/api/webhooks/{hook['id']}", headers=account.headers),
             client.get("/api/admin/webhooks", headers=account.headers),
             client.get(f"/api/v1/webhooks/{hook['id']}", headers=account.headers),
             client.get("/api/v1/webhooks", headers=account.headers),
             client.patch(f"/api/webhooks/{hook['id']}", headers=account.headers, json={"description": "x"}),
             client.get("/api/webhooks/deliveries", headers=account.headers)]
    for r in reads:
        assert r.status_code == 200, r.text
        assert secret not in r.text and '"secret"' not in r.text and "secretEncrypted" not in r.text
    rotated = client.post(f"/api/webhooks/{hook['id']}/rotate-secret", headers=account.headers)
    assert rotated.status_code == 200
    new = rotated.json()["data"]["secret"]
    assert new != secret
    assert new not in client.get(f"/api/webhooks/{hook['id']}", headers=account.headers).text
    from store.db import unit_of_work
    from store.models import Webhook

    with unit_of_work() as session:  # stored encrypted, not in clear
        stored = session.get(Webhook, hook["id"])
        assert stored is not None and new not in stored.secret_encrypted


def test_idempotent_create_replays_without_the_secret(client: TestClient, account: Account,
                                                       receiver: Receiver) -> None:
    h = {**account.headers, "Idempotency-Key": "hook-create-1"}
    body = {"url": receiver.url, "events": ["*"]}
    first = client.post("/api/webhooks", headers=h, json=body)
    again = client.post("/api/webhooks", headers=h, json=body)
    assert first.status_code == again.status_code == 201
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert first.json()["data"]["webhook"]["id"] == again.json()["data"]["webhook"]["id"]
    assert first.json()["data"]["secret"].startswith("whsec_")
    assert first.json()["data"]["secret"] not in again.text


def test_rotation_with_overlap_signs_with_both_secrets(client: TestClient, account: Account,
                                                       receiver: Receiver) -> None:
    hook, old = create(client, account, receiver.url, ["customer.created"])
    r = client.post(f"/api/webhooks/{hook['id']}/rotate-secret", headers=account.headers,
                    json={"keepOldHours": 1})
    new = r.json()["data"]["secret"]
    add_customer(client, account)
    assert receiver.wait_for(1)
    got = next(iter(receiver.events.values()))
    assert got.headers["webhook-signature"].count("v1=") == 2
    assert check_signatures(new, got.body, got.headers)
    # the old secret still verifies the timestamped signature (X-Signature uses the new one)
    only_old = {**got.headers, "x-signature": "sha256=" + __import__("hmac").new(
        old.encode(), got.body, "sha256").hexdigest()}
    assert check_signatures(old, got.body, only_old)


def test_002_admin_route_is_admin_only_and_uses_its_payload(client: TestClient, account: Account,
                                                             receiver: Receiver) -> None:
    analyst = with_role(client, account, "analyst")
    r = client.post("/api/admin/webhooks", headers=headers(analyst, account.tenant_id),
                    json={"url": receiver.url, "events": ["customer.created"]})
    assert r.status_code == 403
    assert client.get("/api/admin/webhooks", headers=headers(analyst, account.tenant_id)).status_code == 403
    # 000's route lets analysts manage webhooks; `user` members may not even read them
    ok = client.post("/api/webhooks", headers=headers(analyst, account.tenant_id),
                     json={"url": receiver.url + "?analyst", "events": ["deal.won"]})
    assert ok.status_code == 201
    staff = with_role(client, account, "user")
    assert client.get("/api/webhooks", headers=headers(staff, account.tenant_id)).status_code == 403

    r = client.post("/api/admin/webhooks", headers=account.headers,
                    json={"url": receiver.url, "events": ["customer.created"],
                          "secret": "your-webhook-secret-000", "active": True})
    assert r.status_code == 201, r.text
    hook = r.json()["data"]["webhook"]
    assert hook["format"] == "extended"
    receiver.secret = "your-webhook-secret-000"
    add_customer(client, account, "Ext Format")
    assert receiver.wait_for(1)
    got = next(iter(receiver.events.values()))
    body = got.json
    assert set(body) == {"eventId", "eventType", "timestamp", "data", "signature"}
    assert body["eventType"] == "customer.created" and body["eventId"] == got.event_id and got.verified
    unsigned = json.dumps({k: body[k] for k in ("eventId", "eventType", "timestamp", "data")},
                          separators=(",", ":"), ensure_ascii=False).encode()
    import hashlib
    import hmac

    assert body["signature"] == "sha256=" + hmac.new(b"your-webhook-secret-000", unsigned,
                                                     hashlib.sha256).hexdigest()
    put = client.put(f"/api/admin/webhooks/{hook['id']}", headers=account.headers, json={"active": False})
    assert put.status_code == 200 and put.json()["data"]["webhook"]["active"] is False


def test_v1_family_answers_raw_objects(client: TestClient, account: Account, receiver: Receiver) -> None:
    hook, secret = create(client, account, receiver.url, ["deal.won"], path="/api/v1/webhooks")
    assert hook["events"] == ["deal.won"] and "created_at" in hook and secret
    r = client.get(f"/api/v1/webhooks/{hook['id']}", headers=account.headers)
    assert r.status_code == 200 and r.json()["id"] == hook["id"] and "success" not in r.json()
    missing = client.get("/api/v1/webhooks/nope", headers=account.headers)
    assert missing.status_code == 404 and missing.json()["code"] == "NOT_FOUND"
    assert client.delete(f"/api/v1/webhooks/{hook['id']}", headers=account.headers).status_code == 204


def test_validation_and_ssrf_at_create_time(client: TestClient, account: Account,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from core.settings import get_settings

    bad_events = client.post("/api/webhooks", headers=account.headers,
                             json={"url": "https://hooks.example.com/x", "events": ["no.such.event"]})
    assert bad_events.status_code == 422 and bad_events.json()["error"]["details"][0]["field"] == "events"
    none = client.post("/api/webhooks", headers=account.headers,
                       json={"url": "https://hooks.example.com/x", "events": []})
    assert none.status_code == 422
    monkeypatch.setattr(get_settings(), "outbound_allow_private", False)
    for url in ("http://127.0.0.1:8000/hook", "http://169.254.169.254/latest/meta-data/",
                "http://[::1]/x", "http://2130706433/", "http://10.0.0.8/", "ftp://example.com/",
                "http://localhost/hook"):
        r = client.post("/api/webhooks", headers=account.headers, json={"url": url, "events": ["*"]})
        assert r.status_code == 422, (url, r.text)
        assert r.json()["error"]["code"] == "VALIDATION_ERROR"
        assert r.json()["error"]["details"][0]["field"] == "url"
    ok = client.post("/api/webhooks", headers=account.headers,
                     json={"url": "https://93.184.216.34/hook", "events": ["customer.created"]})
    assert ok.status_code == 201
    patch = client.patch(f"/api/webhooks/{ok.json()['data']['webhook']['id']}", headers=account.headers,
                         json={"url": "http://192.168.0.10/"})
    assert patch.status_code == 422


def test_ssrf_is_checked_again_at_delivery_time(client: TestClient, account: Account, receiver: Receiver,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A URL accepted earlier (or whose name now resolves somewhere private) is refused when sent."""
    from core.settings import get_settings

    hook, _ = create(client, account, receiver.url, ["customer.created"])
    monkeypatch.setattr(get_settings(), "outbound_allow_private", False)
    monkeypatch.setattr(get_settings(), "webhook_retry_hours", 0)
    add_customer(client, account)
    failed = eventually(lambda: deliveries(client, account, hook["id"], status="failed"))
    assert failed[0]["error"].startswith("refused:") and "loopback" in failed[0]["error"]
    assert receiver.requests == []


def test_delete_removes_the_webhook_and_its_log(client: TestClient, account: Account,
                                                receiver: Receiver) -> None:
    hook, _ = create(client, account, receiver.url, ["customer.created"])
    add_customer(client, account)
    eventually(lambda: deliveries(client, account, hook["id"], status="succeeded"))
    assert client.delete(f"/api/webhooks/{hook['id']}", headers=account.headers).status_code == 204
    r = client.get(f"/api/webhooks/{hook['id']}", headers=account.headers)
    assert r.status_code == 404 and r.json()["error"]["code"] == "RESOURCE_NOT_FOUND"
    assert client.get(f"/api/webhooks/{hook['id']}/deliveries", headers=account.headers).status_code == 404


def test_another_tenant_can_neither_see_nor_change_webhooks_or_deliveries(
        client: TestClient, account: Account, receiver: Receiver) -> None:
    hook, _ = create(client, account, receiver.url, ["customer.created"])
    add_customer(client, account)
    delivery = eventually(lambda: deliveries(client, account, hook["id"], status="succeeded"))[0]
    stranger = register(client)
    h = stranger.headers
    base = f"/api/webhooks/{hook['id']}"
    for method, path, body in [
        ("GET", base, None), ("PATCH", base, {"active": False}), ("PUT", base, {"active": False}),
        ("DELETE", base, None), ("POST", f"{base}/rotate-secret", None), ("GET", f"{base}/deliveries", None),
        ("GET", f"{base}/deliveries/{delivery['id']}", None), ("GET", f"{base}/health", None),
        ("POST", f"{base}/deliveries/{delivery['id']}/redeliver", None),
        ("GET", f"/api/admin/webhooks/{hook['id']}", None), ("GET", f"/api/v1/webhooks/{hook['id']}", None),
    ]:
        r = client.request(method, path, headers=h, json=body)
        assert r.status_code == 404, (method, path, r.status_code, r.text)
    r = client.post("/api/webhooks/redeliver", headers=h, json={"eventId": delivery["eventId"]})
    assert r.status_code == 404
    r = client.post("/api/webhooks/redeliver", headers=h, json={"eventId": delivery["eventId"],
                                                               "webhookId": hook["id"]})
    assert r.status_code == 404
    assert client.get("/api/webhooks", headers=h).json()["data"]["pagination"]["total"] == 0
    assert client.get("/api/webhooks/deliveries", headers=h).json()["data"]["deliveries"] == []
    assert client.get("/api/webhooks/deliveries", headers=h,
                      params={"eventId": delivery["eventId"]}).json()["data"]["deliveries"] == []
    # the stranger's own customers never reach the first tenant's webhook
    before = len(receiver.requests)
    stranger_hook, _ = create(client, stranger, receiver.url + "?stranger", ["customer.created"])
    add_customer(client, stranger, "Stranger's customer")
    eventually(lambda: deliveries(client, stranger, stranger_hook["id"], status="succeeded"))
    time.sleep(0.5)
    assert [r.headers["x-webhook-id"] for r in receiver.requests[before:]] == [stranger_hook["id"]]
    assert len(deliveries(client, account, hook["id"])) == 1
    # still intact for its owner
    assert client.get(base, headers=account.headers).json()["data"]["webhook"]["active"] is True


def test_004_deal_won_payload(client: TestClient, account: Account, receiver: Receiver) -> None:
    """Document 004's planned webhook: {event: "deal.won", timestamp, data: {deal_id, value,
    workspace_id}}."""
    _, receiver.secret = create(client, account, receiver.url, ["deal.won"], path="/api/v1/webhooks")
    deal = client.post("/api/crm/deals", headers=account.headers,
                       json={"title": "Big Win", "value": 25000}).json()["data"]["deal"]
    r = client.patch(f"/api/crm/deals/{deal['id']}/stage", headers=account.headers,
                     json={"stage": "closed_won"})
    assert r.status_code == 200, r.text
    assert receiver.wait_for(1)
    got = next(iter(receiver.events.values()))
    body = got.json
    assert got.verified and body["event"] == "deal.won" and body["timestamp"].endswith("Z")
    assert body["data"]["deal_id"] == deal["id"] and body["data"]["value"] == 25000
    assert body["data"]["workspace_id"] == account.tenant_id
