"""A webhook receiver as a customer would write one: a plain HTTP server on 127.0.0.1 that checks
both signatures independently of the product's code (HMAC-SHA256 of the raw body as `sha256=<hex>`,
and `t=<unix>,v1=<hex>` over "t.body" no older than 300 s) and deduplicates by event id.

`answers` scripts the status codes of the next requests (then 200); `delay` makes it slow."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def check_signatures(secret: str, body: bytes, headers: dict[str, str], now: float | None = None) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(headers.get("x-signature", ""), expected):
        return False
    fields = [part.split("=", 1) for part in headers.get("webhook-signature", "").split(",") if "=" in part]
    stamps = [v for k, v in fields if k == "t"]
    if len(stamps) != 1 or abs((now or time.time()) - int(stamps[0])) > 300:
        return False
    signed = stamps[0].encode() + b"." + body
    want = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(v, want) for k, v in fields if k == "v1")


@dataclass
class Received:
    event_id: str
    headers: dict[str, str]
    body: bytes
    verified: bool
    status: int
    at: float

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    port: int
    secret: str = ""
    answers: list[int] = field(default_factory=list)
    delay: float = 0.0
    requests: list[Received] = field(default_factory=list)
    events: dict[str, Received] = field(default_factory=dict)
    """First successful delivery of each event id (the receiver's dedupe)."""
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                if receiver.delay:
                    time.sleep(receiver.delay)
                headers = {k.lower(): v for k, v in self.headers.items()}
                with receiver._lock:
                    status = receiver.answers.pop(0) if receiver.answers else 200
                    event_id = headers.get("x-event-id", "")
                    verified = bool(receiver.secret) and check_signatures(receiver.secret, body, headers)
                    record = Received(event_id, headers, body, verified, status, time.time())
                    receiver.requests.append(record)
                    if status < 300 and event_id not in receiver.events:
                        receiver.events[event_id] = record
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"receiver error")

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def wait_for(self, count: int, timeout: float = 30.0) -> bool:
        """Until `count` distinct events arrived (True) or the time is up (False)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if len(self.events) >= count:
                return True
            time.sleep(0.05)
        return len(self.events) >= count
