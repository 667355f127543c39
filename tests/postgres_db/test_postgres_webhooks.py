"""Webhooks and /ws on PostgreSQL: deliveries recorded, retried and logged by the real worker,
and the event stream reading the PostgreSQL sequence."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from fakes.webhook_receiver import Receiver
from fastapi.testclient import TestClient
from helpers import free_port, register


@pytest.fixture
def worker(app: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from core.settings import get_settings
    from tools.jobs import queue
    from tools.jobs import worker as jobs

    monkeypatch.setattr(get_settings(), "outbound_allow_private", True)
    monkeypatch.setattr(get_settings(), "webhook_retry_base_seconds", 0.2)
    queue.reset_huey()
    jobs.start_in_process(workers=2)
    yield
    jobs.stop()
    queue.reset_huey()


def test_delivery_retried_and_logged_on_postgres(client: TestClient, worker: None) -> None:
    owner = register(client)
    receiver = Receiver(free_port(), answers=[500]).start()
    try:
        r = client.post("/api/webhooks", headers=owner.headers,
                        json={"url": receiver.url, "events": ["customer.created"]})
        assert r.status_code == 201, r.text
        hook_id, receiver.secret = r.json()["data"]["webhook"]["id"], r.json()["data"]["secret"]
        client.post("/api/crm/customers", headers=owner.headers, json={"name": "Pg Hook"})
        assert receiver.wait_for(1, timeout=30)
        assert [x.status for x in receiver.requests] == [500, 200]
        assert all(x.verified for x in receiver.requests)
        deadline = time.time() + 10
        while time.time() < deadline:
            rows = client.get(f"/api/webhooks/{hook_id}/deliveries", headers=owner.headers).json()["data"]
            if rows["deliveries"] and rows["deliveries"][0]["status"] == "succeeded":
                break
            time.sleep(0.2)
        assert rows["deliveries"][0]["attempts"] == 2
        stranger = register(client)
        assert client.get(f"/api/webhooks/{hook_id}", headers=stranger.headers).status_code == 404
    finally:
        receiver.stop()


def test_ws_streams_postgres_events(client: TestClient) -> None:
    owner = register(client)
    with client.websocket_connect(f"/ws?token={owner.token}") as ws:
        assert ws.receive_json()["event"] == "connected"
        made = client.post("/api/crm/customers", headers=owner.headers, json={"name": "Pg Stream"})
        customer_id = made.json()["data"]["customer"]["id"]
        deadline = time.time() + 10
        while time.time() < deadline:  # heartbeats (15 s) may not come: the event arrives first
            frame = ws.receive_json()
            if frame["event"] == "customer.created":
                assert frame["data"]["customer"]["id"] == customer_id and frame["sequence"] > 0
                break
        else:
            raise AssertionError("no event")
