"""Fixed-window rate limits per route family, with the documents' headers.

Limits (per minute) come from settings: authentication 10 (000, 002), AI query 30 (000), MCP
endpoints 60 (002), general API. Authentication is keyed by client address and account, so one
attacker cannot lock out everyone behind the same address and one account cannot be
brute-forced from many places slower than the limit allows per place.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import Request

from api.deps import CurrentPrincipal
from core.errors import RateLimited
from core.settings import get_settings


@dataclass
class Window:
    start: int
    count: int


class Limiter:
    def __init__(self) -> None:
        self._windows: dict[str, Window] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, limit: int, period: int = 60) -> tuple[int, int]:
        """Count one request; returns (remaining, reset epoch). Raises when over the limit."""
        now = int(time.time())
        start = now - now % period
        with self._lock:
            window = self._windows.get(key)
            if window is None or window.start != start:
                if len(self._windows) > 100_000:
                    self._windows = {k: w for k, w in self._windows.items() if w.start == start}
                window = self._windows[key] = Window(start, 0)
            window.count += 1
            count = window.count
        reset = start + period
        if count > limit:
            raise RateLimited("Too many requests", retry_after=max(1, reset - now), limit=limit)
        return limit - count, reset

    def clear(self) -> None:
        with self._lock:
            self._windows.clear()


LIMITER = Limiter()


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _caller(request: Request) -> str:
    auth = request.headers.get("authorization", "")
    if auth:
        return "tok:" + hashlib.sha256(auth.encode()).hexdigest()[:32]
    return "ip:" + client_ip(request)


def _record(request: Request, limit: int, remaining: int, reset: int) -> None:
    request.state.ratelimit = (limit, remaining, reset)


def limit(bucket: str, per_minute: Callable[[], int]) -> Callable[[Request], Awaitable[None]]:
    """A dependency limiting one route family per caller (token or address)."""

    async def dependency(request: Request) -> None:
        if not get_settings().rate_limit_enabled:
            return
        n = per_minute()
        remaining, reset = LIMITER.hit(f"{bucket}:{_caller(request)}", n)
        _record(request, n, remaining, reset)

    return dependency


async def _account_of(request: Request) -> str:
    """The account a request acts for: the email of a login/registration, the refresh token
    being rotated, or the bearer credential of a logout."""
    body: object = {}
    if request.method == "POST":
        try:
            body = json.loads(await request.body() or b"{}")
        except (ValueError, RecursionError):
            body = {}
    if isinstance(body, dict):
        if isinstance(body.get("email"), str):
            return "email:" + body["email"].strip().lower()
        for key in ("refreshToken", "refresh_token"):
            if isinstance(body.get(key), str):
                return "refresh:" + hashlib.sha256(body[key].encode()).hexdigest()[:32]
    auth = request.headers.get("authorization", "")
    return "bearer:" + hashlib.sha256(auth.encode()).hexdigest()[:32] if auth else ""


async def auth_limit(request: Request) -> None:
    """Authentication: per address and account (the email in the body, when there is one)."""
    settings = get_settings()
    if not settings.rate_limit_enabled:
        return
    account = await _account_of(request)
    n = settings.auth_rate_limit_per_minute
    key = f"auth:{client_ip(request)}:{account or request.url.path}"
    remaining, reset = LIMITER.hit(key, n)
    _record(request, n, remaining, reset)


ai_limit = limit("ai", lambda: get_settings().ai_rate_limit_per_minute)
mcp_limit = limit("mcp", lambda: 60)
api_limit = limit("api", lambda: get_settings().api_rate_limit_per_minute)


MFA_CODES_PER_MINUTE = 10


async def mfa_code_limit(request: Request, principal: CurrentPrincipal) -> None:
    """Second-factor codes sent by a signed-in user (confirming or disabling MFA): per user,
    counted after authentication so a bad token is still a 401 first."""
    if not get_settings().rate_limit_enabled:
        return
    remaining, reset = LIMITER.hit(f"mfa:{principal.user_id}", MFA_CODES_PER_MINUTE)
    _record(request, MFA_CODES_PER_MINUTE, remaining, reset)
