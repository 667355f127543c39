"""Authentication dependencies: the Principal every route acts as, from verified credentials."""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import Depends, Path, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from core.errors import InvalidToken, TenantNotFound, Unauthorized
from store.db import unit_of_work
from store.repositories import tenancy
from tools.context import Principal
from tools.identity.service import Authenticated, authenticate, plausible_id

BEARER = HTTPBearer(
    auto_error=False, scheme_name="bearer",
    description="An access token from sign-in (JWT), or a `bp_...` API key.",
)
TENANT = APIKeyHeader(
    name="X-Tenant-Id", auto_error=False, scheme_name="workspace",
    description="Optional: the id of one of your workspaces to act in (default: your default one).",
)
"""Declared as security schemes so the OpenAPI document (and "Authorize" in /docs) knows them;
the credential itself is read and verified below, the same way for every surface."""
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)]
TenantHeader = Annotated[str | None, Depends(TENANT)]


def bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Missing or invalid Authorization header")
    return token.strip()


def authenticate_for_tenant(token: str, tenant_id: str | None) -> Authenticated:
    """Blocking: resolve a bearer credential for a tenant (call it off the event loop)."""
    with unit_of_work() as session:
        return authenticate(session, token, tenant_id)


async def authenticated(request: Request, _credentials: Credentials,
                        x_tenant_id: TenantHeader = None) -> Authenticated:
    token = bearer(request)
    tenant = (x_tenant_id or "").strip() or None
    auth = await anyio.to_thread.run_sync(authenticate_for_tenant, token, tenant)
    request.state.auth = auth
    return auth


async def principal(auth: Annotated[Authenticated, Depends(authenticated)]) -> Principal:
    return auth.principal


class DeferredAuth:
    """A bearer credential read from the request and verified later, in the worker thread that runs
    the route's tool call (`tools.runtime.invoke` calls it there): one thread hop per request
    instead of two (a hop costs about 0.8 ms of CPU, a tenth of a list request).

    Callers get the same answers as with `CurrentPrincipal`: the credential is verified on every
    request, never cached, before the tool runs; and `settle`, which api.family runs before a
    request validation error or an endpoint's outcome is answered, verifies it first if nothing has
    yet, so a bad credential is still 401/404 ahead of a 422 or anything else. For routes that do
    nothing with the caller but hand it to `invoke`."""

    def __init__(self, token: str, tenant_id: str | None) -> None:
        self.token = token
        self.tenant_id = tenant_id
        self.checked = False

    def __call__(self) -> Principal:
        """Blocking: verify the credential for the tenant (call it off the event loop)."""
        self.checked = True
        return authenticate_for_tenant(self.token, self.tenant_id).principal


async def deferred_auth(request: Request, _credentials: Credentials,
                        x_tenant_id: TenantHeader = None) -> DeferredAuth:
    auth = DeferredAuth(bearer(request), (x_tenant_id or "").strip() or None)
    request.state.deferred_auth = auth
    return auth


async def settle(request: Request) -> None:
    """Verify the request's deferred credential if nothing has yet (raising its error if bad)."""
    auth: DeferredAuth | None = getattr(request.state, "deferred_auth", None)
    if auth is not None and not auth.checked:
        await anyio.to_thread.run_sync(auth)


async def workspace_principal(
    request: Request,
    workspace_id: Annotated[str, Path(alias="workspaceId", max_length=64)],
    _credentials: Credentials,
    x_tenant_id: TenantHeader = None,
) -> Principal:
    """For /api/v1/workspaces/{workspaceId}/...: the path selects the tenant, among the caller's
    own workspaces only; anything else is 404 as if it did not exist. An X-Tenant-Id sent along
    must name one of the caller's tenants too, as on every other route."""
    token = bearer(request)
    try:
        auth = await anyio.to_thread.run_sync(authenticate_for_tenant, token, workspace_id)
    except TenantNotFound:
        raise TenantNotFound("Workspace not found") from None
    header = (x_tenant_id or "").strip()
    if header and header != workspace_id:
        await anyio.to_thread.run_sync(authenticate_for_tenant, token, header)
    return auth.principal


def _owner_tenant(user_id: str, model: type, row_id: str) -> str | None:
    with unit_of_work() as session:
        tenant_ids = [m.tenant_id for m in tenancy.memberships_of(session, user_id)]
        return tenancy.tenant_of_row(session, model, row_id, tenant_ids)


async def principal_for_row(
    request: Request, auth: Authenticated, model: type, row_id: str, explicit_tenant: bool
) -> Principal:
    """For /api/v1/deals/{id}: act in whichever of the caller's workspaces holds the row. An
    explicit X-Tenant-Id wins; a row elsewhere stays invisible (the tool answers 404)."""
    if explicit_tenant or auth.principal.auth == "api_key" or not plausible_id(row_id):
        return auth.principal
    tenant = await anyio.to_thread.run_sync(_owner_tenant, auth.user.id, model, row_id)
    if tenant is None or tenant == auth.principal.tenant_id:
        return auth.principal
    try:
        return (await anyio.to_thread.run_sync(authenticate_for_tenant, bearer(request), tenant)).principal
    except TenantNotFound:
        raise InvalidToken("Token is malformed or invalid") from None


CurrentPrincipal = Annotated[Principal, Depends(principal)]
DeferredPrincipal = Annotated[DeferredAuth, Depends(deferred_auth)]
CurrentAuth = Annotated[Authenticated, Depends(authenticated)]
WorkspacePrincipal = Annotated[Principal, Depends(workspace_principal)]
