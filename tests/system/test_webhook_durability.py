"""Webhook deliveries survive a killed server: `bizpilot serve` (with its in-process worker) is
SIGKILLed while deliveries are pending (the receiver is down, so they are being retried, and the
last events may not even be dispatched yet). After a restart, with the receiver up, every event
reaches it (the receiver deduplicates by event id), none is lost, and each one is in the delivery
log exactly once, delivered.

Most arrive within a second or two of the restart (retries scheduled in the queue file); a job
recorded but not yet handed to the queue when the process died waits for the job system's
recovery sweep (a minute or two)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fakes.webhook_receiver import Receiver
from helpers import free_port

ROOT = Path(__file__).resolve().parents[2]
EVENTS = 20
LATE = 5
TOTAL = EVENTS + LATE


class Server:
    def __init__(self, data_dir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "DATA_DIR": str(data_dir),
                    "DATABASE_URL": f"sqlite:///{data_dir / 'app.db'}",
                    "CHECKPOINT_URL": str(data_dir / "checkpoints.db"), "JOBS_DB": str(data_dir / "jobs.db"),
                    "PORT": str(self.port), "RUN_WORKER": "true", "OUTBOUND_ALLOW_PRIVATE": "true",
                    "WEBHOOK_RETRY_BASE_SECONDS": "0.5", "RATE_LIMIT_ENABLED": "false",
                    "PYTHONPATH": str(ROOT)}
        self.env.pop("SECRET_KEY", None)  # the server keeps its own (webhook secrets are encrypted with it)
        self.cwd = data_dir
        self.proc: subprocess.Popen[str] | None = None
        self.log = data_dir / "server.log"

    def start(self) -> None:
        out = self.log.open("a")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bizpilot_cli.main", "serve", "--host", "127.0.0.1", "--no-seed"],
            env=self.env, cwd=self.cwd, stdout=out, stderr=subprocess.STDOUT, text=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.kill()
        raise AssertionError(f"server did not start:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL: no shutdown hook, no graceful worker stop, nothing flushed on purpose."""
        if self.proc is not None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=20)
            self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            self.proc = None


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    s = Server(tmp_path)
    yield s
    s.stop()


def _all_deliveries(client: httpx.Client, hook_id: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    page = 1
    while True:
        r = client.get(f"/api/webhooks/{hook_id}/deliveries", params={"page": page, "limit": 100})
        assert r.status_code == 200, r.text
        data = r.json()["data"]
        rows += data["deliveries"]
        if page >= data["pagination"]["totalPages"]:
            return rows
        page += 1


def test_sigkill_while_deliveries_are_pending_loses_nothing(server: Server) -> None:
    receiver = Receiver(free_port())  # not started yet: the receiver is down
    server.start()
    email = f"durable-{uuid.uuid4().hex[:8]}@example.com"
    r = httpx.post(f"{server.url}/api/auth/register", json={
        "email": email, "password": "SecurePass123!", "name": "Durable Owner", "tenantName": "Durable Co"})
    assert r.status_code == 201, r.text
    token = r.json()["data"]["token"]
    client = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30)

    r = client.post("/api/webhooks", json={"url": receiver.url, "events": ["customer.created"]})
    assert r.status_code == 201, r.text
    hook_id, receiver.secret = r.json()["data"]["webhook"]["id"], r.json()["data"]["secret"]

    customers = []
    for i in range(EVENTS):
        r = client.post("/api/crm/customers", json={"name": f"Durable Customer {i}"})
        assert r.status_code == 201, r.text
        customers.append(r.json()["data"]["customer"]["id"])
    time.sleep(1.0)  # some deliveries attempted (refused: receiver down) and waiting for a retry
    pending = [d for d in _all_deliveries(client, hook_id) if d["status"] in ("pending", "retrying")]
    assert pending, "deliveries should be pending (retrying) before the server is killed"
    for i in range(LATE):  # killed right after these: their events may not even be dispatched yet
        r = client.post("/api/crm/customers", json={"name": f"Late Customer {i}"})
        assert r.status_code == 201, r.text
        customers.append(r.json()["data"]["customer"]["id"])
    client.close()
    server.kill()

    receiver.start()
    try:
        server.start()
        client = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        arrived = receiver.wait_for(TOTAL, timeout=420)  # a retry may back off for minutes under load
        got = {rec.json["data"]["customer"]["id"] for rec in receiver.events.values()}
        assert arrived and got == set(customers), (
            f"{len(got)} of {TOTAL} events arrived; missing {set(customers) - got}\n"
            + server.log.read_text()[-3000:])
        assert all(rec.verified for rec in receiver.events.values())

        deadline = time.time() + 30
        while True:
            log = _all_deliveries(client, hook_id)
            if all(d["status"] == "succeeded" for d in log) or time.time() > deadline:
                break
            time.sleep(0.5)
        assert len(log) == TOTAL, "one delivery per event in the log"
        assert {d["eventId"] for d in log} == set(receiver.events), "every delivered event is logged"
        assert all(d["status"] == "succeeded" and d["attempts"] >= 1 for d in log), log
        assert any(d["attempts"] > 1 for d in log), "some deliveries were retried across the restart"
        client.close()
    finally:
        receiver.stop()
