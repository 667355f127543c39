"""Local fakes of Shopify, Stripe, HubSpot and a custom JSON API, speaking each one's wire format.

What every fake shares lives here: the knobs that make a provider misbehave (a revoked key, 429s,
500s, a server that breaks mid-sync), the call log tests assert pagination and headers on, and
deterministic people so that several providers know some of the same customers (every fifth
customer of Shopify, Stripe and HubSpot has the same `shared_email`: a merge by email has ~20%
overlap to find). Records are generated from their index on demand, so a fake can serve 50,000
orders without holding them.
"""

from __future__ import annotations

import json
import random
import threading
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from fakes.local_server import LocalServer
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

BASE_TIME = datetime(2024, 1, 1, tzinfo=UTC)
FIRST = ["Ava", "Liam", "Noah", "Emma", "Olivia", "Mateo", "Sofia", "Yuki", "Amara", "Chen",
         "Fatima", "Lucas", "Priya", "Jonas", "Ines", "Omar", "Zoe", "Ivan", "Leila", "Hugo"]
LAST = ["Smith", "Garcia", "Nguyen", "Okafor", "Rossi", "Kowalski", "Tanaka", "Haddad",
        "Johansson", "Silva", "Murphy", "Schmidt", "Dubois", "Patel", "Kim", "Novak", "Moreau"]
COMPANIES = ["Northwind Traders", "Blue Harbor Cafe", "Acme Tools", "Greenleaf Studio",
             "Copperline Bikes", "Lumen Dental", None, None]

Handler = Callable[[Request], Awaitable[Response]]


def rng(kind: str, i: int) -> random.Random:
    """The same random stream for the same record, on every run and in every process."""
    return random.Random(zlib.crc32(kind.encode()) * 1_000_003 + i)


def person(i: int) -> tuple[str, str]:
    return FIRST[(i * 7) % len(FIRST)], LAST[(i * 11 + 3) % len(LAST)]


def shared_email(n: int) -> str:
    """The email of the n-th customer several providers have in common."""
    first, last = person(n * 5)
    return f"{first}.{last}.{n}@shared-customers.example".lower()


def email_for(i: int, provider_domain: str) -> str:
    """Customer i's email at one provider: a shared one for every fifth customer."""
    if i % 5 == 0:
        return shared_email(i // 5)
    first, last = person(i)
    return f"{first}.{last}{i}@{provider_domain}".lower()


def at(step_minutes: float, i: int, extra_minutes: float = 0) -> datetime:
    """Record i's timestamp: increasing with i, so `since` filters are a binary search away."""
    return BASE_TIME + timedelta(minutes=step_minutes * i + extra_minutes)


def first_at_or_after(count: int, key: Callable[[int], datetime], when: datetime) -> int:
    """The first index in [0, count) whose (non-decreasing) timestamp is at or after `when`."""
    lo, hi = 0, count
    while lo < hi:
        mid = (lo + hi) // 2
        if key(mid) < when:
            lo = mid + 1
        else:
            hi = mid
    return lo


@dataclass
class Call:
    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]
    body: Any = None


@dataclass
class FakeProvider:
    """Knobs and the call log. Subclasses say how they authenticate and how they answer errors."""

    key: str
    calls: list[Call] = field(default_factory=list)
    revoked: bool = False
    _rate_limited: int = 0
    _retry_after: str = "1"
    _failing: int = 0
    _fail_after: int | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- knobs -----------------------------------------------------------------------------------

    def revoke(self) -> None:
        """The key stops working (a merchant uninstalled the app mid-sync)."""
        self.revoked = True

    def rate_limit_next(self, n: int = 1, retry_after: str = "1") -> None:
        self._rate_limited, self._retry_after = n, retry_after

    def fail_next(self, n: int = 1) -> None:
        self._failing = n

    def fail_after_calls(self, k: int) -> None:
        """Every call from the k-th on (counting from 1 over the whole log) answers 500."""
        self._fail_after = k

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.revoked, self._rate_limited, self._failing, self._fail_after = False, 0, 0, None

    # --- what subclasses define ------------------------------------------------------------------

    def presented_key(self, request: Request) -> str | None:
        raise NotImplementedError

    def unauthorized(self, presented: str | None) -> Response:
        return JSONResponse({"error": "unauthorized"}, status_code=401)

    def too_many(self) -> Response:
        return JSONResponse({"error": "rate limited"}, status_code=429,
                            headers={"Retry-After": self._retry_after})

    def server_error(self) -> Response:
        return JSONResponse({"error": "internal error"}, status_code=500)

    # --- plumbing --------------------------------------------------------------------------------

    async def gate(self, request: Request) -> Response | None:
        """Log the call and answer it with a failure when a knob says so."""
        body: Any = None
        raw = await request.body()
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw.decode(errors="replace")
        with self._lock:
            self.calls.append(Call(request.method, request.url.path, dict(request.query_params),
                                   {k.lower(): v for k, v in request.headers.items()}, body))
            count = len(self.calls)
            if self._fail_after is not None and count >= self._fail_after:
                return self.server_error()
            if self._failing > 0:
                self._failing -= 1
                return self.server_error()
            if self._rate_limited > 0:
                self._rate_limited -= 1
                return self.too_many()
        presented = self.presented_key(request)
        if presented != self.key or self.revoked:
            return self.unauthorized(presented)
        return None

    def guarded(self, handler: Handler) -> Handler:
        async def wrapped(request: Request) -> Response:
            refused = await self.gate(request)
            return refused if refused is not None else await handler(request)

        return wrapped

    def calls_to(self, suffix: str) -> list[Call]:
        return [c for c in self.calls if c.path.endswith(suffix)]


def serve(app: Any) -> tuple[LocalServer, str]:
    """Start `app` on a loopback port: (server, base URL)."""
    server = LocalServer(app).start()
    return server, f"http://127.0.0.1:{server.port}"


TEST_PAGE_SIZE = 50
TEST_MAX_RETRIES = 3
"""What tests/connectors/conftest.py sets CONNECTOR_PAGE_SIZE and CONNECTOR_MAX_RETRIES to."""


def drain(connector: Any, resource: str, since: str | None = None, cursor: str | None = None,
          max_pages: int = 1000) -> list[Any]:
    """Page a connector through one resource to the end: every item, in order."""
    items: list[Any] = []
    for _ in range(max_pages):
        page = connector.fetch(resource, cursor, since)
        items.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            return items
    raise AssertionError("pagination did not end")
