"""Identity under /api (documents 000, 001, 002): register, login, refresh, logout, users/me."""

from __future__ import annotations

from typing import Any

import anyio
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from api.deps import CurrentAuth
from api.envelope import ok
from api.openapi_models import AuthCamel, Envelope, Me, Message, doc
from api.presenters import auth_camel, tenant_brief, user_camel
from api.ratelimit import auth_limit
from api.schemas.auth import LoginBody, LogoutBody, RefreshBody, RegisterBody
from store.db import unit_of_work
from store.repositories import tenancy
from tools.identity import service
from tools.identity.service import AuthResult

router = APIRouter(tags=["auth"])
limited = [Depends(auth_limit)]


def do_register(body: RegisterBody) -> AuthResult:
    first, last = body.names()
    with unit_of_work() as session:
        return service.register(session, email=str(body.email), password=body.password,
                                first_name=first, last_name=last, tenant_name=body.tenantName)


def do_login(body: LoginBody) -> AuthResult:
    with unit_of_work() as session:
        return service.login(session, email=str(body.email), password=body.password)


def do_refresh(token: str) -> AuthResult:
    """Reuse detection must commit its revocation even though the request fails."""
    session_error: Exception | None = None
    with unit_of_work() as session:
        try:
            return service.refresh(session, token)
        except Exception as err:  # commit the revocation, then re-raise outside
            session_error = err
    assert session_error is not None
    raise session_error


def do_logout(family: str | None, refresh_token: str | None, user_id: str) -> None:
    with unit_of_work() as session:
        service.logout(session, family, refresh_token, user_id)


@router.post("/api/auth/register", status_code=201, dependencies=limited,
             responses=doc(201, Envelope[AuthCamel], "Registered and signed in"))
async def register(request: Request, body: RegisterBody) -> JSONResponse:
    result = await anyio.to_thread.run_sync(do_register, body)
    return ok(request, auth_camel(result), status=201)


@router.post("/api/auth/login", dependencies=limited, responses=doc(200, Envelope[AuthCamel]))
async def login(request: Request, body: LoginBody) -> JSONResponse:
    result = await anyio.to_thread.run_sync(do_login, body)
    return ok(request, auth_camel(result))


@router.post("/api/auth/refresh", dependencies=limited, responses=doc(200, Envelope[AuthCamel]))
async def refresh(request: Request, body: RefreshBody) -> JSONResponse:
    result = await anyio.to_thread.run_sync(do_refresh, body.token)
    return ok(request, auth_camel(result))


@router.post("/api/auth/logout", dependencies=limited, responses=doc(200, Envelope[Message]))
async def logout(request: Request, auth: CurrentAuth, body: LogoutBody | None = None) -> JSONResponse:
    raw = body.refreshToken or body.refresh_token if body else None
    await anyio.to_thread.run_sync(do_logout, auth.family_id, raw, auth.user.id)
    return ok(request, {"message": "Logged out"})


def me_data(auth: service.Authenticated) -> dict[str, Any]:
    p = auth.principal
    with unit_of_work() as session:
        tenants = [
            {**tenant_brief(m.tenant), "role": m.role}
            for m in tenancy.memberships_of(session, p.user_id)
        ]
    return {**user_camel(auth.user, p.tenant_id, p.role), "tenants": tenants}


@router.get("/api/users/me", responses=doc(200, Envelope[Me]))
async def me(request: Request, auth: CurrentAuth) -> JSONResponse:
    return ok(request, await anyio.to_thread.run_sync(me_data, auth))
