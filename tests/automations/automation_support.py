"""Helpers of the automation tests: a movable clock, stepping the queue, a local HTTP receiver,
a local SMTP server, and shortcuts to run tools and read rows."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from helpers import Account, free_port
from huey import Huey

from core.ids import utcnow as real_utcnow
from tools.context import Principal


class Clock:
    """`now()` of the job system (tools.jobs: runner, recording, maintenance, queue) and of the
    automations (core.ids), starting at the real time and moved forward with `advance`."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return real_utcnow() + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import core.ids
        from tools.jobs import maintenance, queue, recording, runner

        for module in (core.ids, runner, recording, maintenance, queue):
            monkeypatch.setattr(module, "utcnow", self.now)


def run_pending(huey: Huey, timeout: float = 20.0) -> int:
    """Run what is queued (and due on Huey's own schedule) in this thread until nothing is left."""
    ran = 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for task in huey.read_schedule():
            huey.enqueue(task)
        task = huey.dequeue()
        if task is None:
            return ran
        huey.execute(task)
        ran += 1
    raise AssertionError("the queue did not settle")


def admin(account: Account) -> Principal:
    return Principal(user_id=account.user_id, tenant_id=account.tenant_id, role="admin", email=account.email)


def wait_for(condition: Callable[[], Any], timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@dataclass
class HttpSink:
    """A plain HTTP server on 127.0.0.1 that records every POSTed JSON body (a Slack incoming
    webhook or a customer's endpoint), answering `status`."""

    status: int = 200
    port: int = field(default_factory=free_port)
    bodies: list[Any] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/services/T000/B000/XXXXabcd"

    def start(self) -> HttpSink:
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                size = int(self.headers.get("Content-Length") or 0)
                sink.bodies.append(json.loads(self.rfile.read(size) or b"null"))
                sink.paths.append(self.path)
                self.send_response(sink.status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


class SmtpSink:
    """A local SMTP server (aiosmtpd) that keeps every message it accepts."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[Any] = []
        sink = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                sink.messages.append(envelope)
                return "250 Message accepted for delivery"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpSink:
        self.controller.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.controller.stop()
