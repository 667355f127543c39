"""Who an MCP caller is: from the bearer token of each HTTP request, or from the environment for
stdio. The tenant and user always come from the credential (an optional X-Tenant-Id only selects
among the caller's own tenants); tool arguments never name them, and the token goes nowhere."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import anyio
from mcp.server import ServerRequestContext
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from core.errors import AppError, Unauthorized
from store.db import unit_of_work
from tools.context import Principal
from tools.identity.service import authenticate

PRINCIPAL_SCOPE_KEY = "bizpilot.principal"
REALM = 'Bearer realm="bizpilot"'


class MissingCredential(Exception):
    """stdio was started without BIZPILOT_API_KEY or BIZPILOT_TOKEN."""


def resolve_principal(credential: str, tenant_id: str | None) -> Principal:
    """JWT access token or bp_ API key → Principal, in one short transaction (it records the key's
    last use). Raises Unauthorized or TenantNotFound."""
    tenant = (tenant_id or "").strip() or None
    with unit_of_work() as session:
        return authenticate(session, credential, tenant).principal


def principal_from_env(env: Mapping[str, str]) -> Principal:
    """For `bizpilot mcp`: BIZPILOT_API_KEY wins over BIZPILOT_TOKEN (an access token expires
    within the hour); BIZPILOT_TENANT_ID optionally picks one of the caller's tenants."""
    credential = env.get("BIZPILOT_API_KEY", "").strip() or env.get("BIZPILOT_TOKEN", "").strip()
    if not credential:
        raise MissingCredential(
            "set BIZPILOT_API_KEY (create one with `bizpilot api-key`) or BIZPILOT_TOKEN "
            "(an access token from POST /api/auth/login)"
        )
    return resolve_principal(credential, env.get("BIZPILOT_TENANT_ID"))


def request_principal(ctx: ServerRequestContext[Any, Any]) -> Principal:
    """The Principal BearerAuth attached to the HTTP request carrying this call. It lives in that
    request's own ASGI scope, so concurrent requests cannot see each other's."""
    scope = getattr(ctx.request, "scope", None)
    principal = scope.get(PRINCIPAL_SCOPE_KEY) if isinstance(scope, dict) else None
    if not isinstance(principal, Principal):
        raise Unauthorized("Missing or invalid Authorization header")
    return principal


def _bearer(headers: Headers) -> str | None:
    scheme, _, token = headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def _refuse(send: Send, status: int, body: dict[str, str], challenge: str | None) -> None:
    headers = [(b"content-type", b"application/json")]
    if challenge:
        headers.append((b"www-authenticate", challenge.encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": json.dumps(body).encode()})


class BearerAuth:
    """ASGI wrapper for /mcp: resolve the bearer credential (off the event loop) before the MCP
    transport sees the request, and refuse it otherwise: 401 with a Bearer challenge for a
    missing or bad token, 404 for an X-Tenant-Id that is not one of the caller's tenants."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        token = _bearer(headers)
        if token is None:
            body = {"error": "invalid_request", "error_description": "Bearer token required"}
            await _refuse(send, 401, body, REALM)
            return
        try:
            principal = await anyio.to_thread.run_sync(resolve_principal, token, headers.get("x-tenant-id"))
        except Unauthorized as err:
            body = {"error": "invalid_token", "error_description": err.message}
            await _refuse(send, 401, body, f'{REALM}, error="invalid_token"')
            return
        except AppError as err:
            await _refuse(send, err.status_code, {"error": err.code, "error_description": err.message}, None)
            return
        scope[PRINCIPAL_SCOPE_KEY] = principal
        await self.app(scope, receive, send)
