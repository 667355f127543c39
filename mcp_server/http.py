"""MCP over streamable HTTP at exactly /mcp on the main app.

Stateless (no session id, a fresh transport per request, JSON responses), so any replica behind
a load balancer can answer any request of one client. Each request is authenticated on its own
by `BearerAuth`, and its tool calls run as that request's principal.

`create_mcp_http()` returns the ASGI endpoint (serve it as a route at the exact path: a Mount
would answer /mcp with a 307 to /mcp/) and a lifespan factory for the app's lifespan.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from anyio.lowlevel import RunVar
from mcp.server import Server
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecurityMiddleware, TransportSecuritySettings
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from core.settings import get_settings
from mcp_server.auth import BearerAuth, request_principal
from mcp_server.server import build_server

MCP_PATH = "/mcp"
MCP_METHODS = ["GET", "POST", "DELETE"]
LOCAL_HOSTS = ["127.0.0.1:*", "localhost:*", "[::1]:*", "testserver"]
Lifespan = Callable[[], AbstractAsyncContextManager[None]]


def transport_security(allowed_hosts: str) -> TransportSecuritySettings:
    """settings.mcp_allowed_hosts → DNS-rebinding protection: Host must be listed (`host:*` for any
    port) and a browser Origin must be one of them; `*` turns the check off."""
    hosts = [h.strip() for h in allowed_hosts.split(",") if h.strip()] or LOCAL_HOSTS
    if "*" in hosts:
        return TransportSecuritySettings(enable_dns_rebinding_protection=False)
    origins = [f"{scheme}://{host}" for host in hosts for scheme in ("http", "https")]
    return TransportSecuritySettings(allowed_hosts=hosts, allowed_origins=origins)


class HostGuard:
    """Refuse a foreign Host or Origin (421/403) before authentication, so a rebinding page learns
    nothing, not even whether a token would have worked."""

    def __init__(self, app: ASGIApp, security: TransportSecuritySettings) -> None:
        self.app = app
        self.check = TransportSecurityMiddleware(security)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            refusal = await self.check.validate_request(Request(scope), is_post=False)
            if refusal is not None:
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)


# Stateless: nothing is ever pushed to a client, so a GET stream would only idle on a connection;
# 405 is the spec's answer for a server that offers no stream.
_NO_STREAM = JSONResponse(
    {"error": "method_not_allowed", "error_description": "No server stream here; send requests with POST"},
    status_code=405, headers={"Allow": "POST, DELETE"},
)
_NOT_RUNNING = JSONResponse({"error": "unavailable", "error_description": "MCP is not running"},
                            status_code=503)


class McpEndpoint:
    """Hands each request to the session manager started by the lifespan of the event loop serving
    it. A manager runs once and belongs to one loop, while one app may be served by several
    (a TestClient and a uvicorn thread in tests), so each lifespan entry starts its own."""

    def __init__(self, server: Server[Any], security: TransportSecuritySettings) -> None:
        self.server = server
        self.security = security
        self._manager: RunVar[StreamableHTTPSessionManager | None] = RunVar("mcp_manager", default=None)

    @asynccontextmanager
    async def lifespan(self) -> AsyncIterator[None]:
        manager = StreamableHTTPSessionManager(
            app=self.server, stateless=True, json_response=True, security_settings=self.security
        )
        async with manager.run():
            token = self._manager.set(manager)
            try:
                yield
            finally:
                self._manager.reset(token)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        manager = self._manager.get()
        if scope.get("method") == "GET":
            await _NO_STREAM(scope, receive, send)
        elif manager is None:
            await _NOT_RUNNING(scope, receive, send)
        else:
            await manager.handle_request(scope, receive, send)


def mcp_route(endpoint: ASGIApp) -> Route:
    """The endpoint at exactly /mcp (no redirect), for GET, POST and DELETE."""
    return Route(MCP_PATH, endpoint=endpoint, methods=MCP_METHODS, include_in_schema=False)


def create_mcp_http() -> tuple[ASGIApp, Lifespan]:
    """A new server and endpoint per call: tests build several apps, and a session manager can
    run only once."""
    security = transport_security(get_settings().mcp_allowed_hosts)
    endpoint = McpEndpoint(build_server(request_principal), security)
    return HostGuard(BearerAuth(endpoint), security), endpoint.lifespan
