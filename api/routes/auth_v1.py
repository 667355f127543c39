"""Identity under /api/v1 (document 003): raw snake_case objects."""

from __future__ import annotations

from typing import Any

import anyio
from fastapi import APIRouter, Depends

from api.deps import CurrentAuth
from api.openapi_models import AuthSnake, LogoutV1, UserSnake, doc
from api.presenters import auth_snake, user_snake
from api.ratelimit import auth_limit
from api.routes.auth import do_login, do_logout, do_refresh, do_register
from api.schemas.auth import LoginBody, LogoutBody, RefreshBody, RegisterBody

router = APIRouter(prefix="/api/v1/auth", tags=["auth v1"])
limited = [Depends(auth_limit)]


@router.post("/register", status_code=201, dependencies=limited, response_model=None,
             responses=doc(201, AuthSnake, "Registered and signed in"))
async def register(body: RegisterBody) -> dict[str, Any]:
    return auth_snake(await anyio.to_thread.run_sync(do_register, body))


@router.post("/login", dependencies=limited, response_model=None, responses=doc(200, AuthSnake))
async def login(body: LoginBody) -> dict[str, Any]:
    return auth_snake(await anyio.to_thread.run_sync(do_login, body))


@router.post("/refresh", dependencies=limited, response_model=None, responses=doc(200, AuthSnake))
async def refresh(body: RefreshBody) -> dict[str, Any]:
    return auth_snake(await anyio.to_thread.run_sync(do_refresh, body.token))


@router.post("/logout", dependencies=limited, response_model=None, responses=doc(200, LogoutV1))
async def logout(auth: CurrentAuth, body: LogoutBody | None = None) -> dict[str, Any]:
    raw = body.refreshToken or body.refresh_token if body else None
    await anyio.to_thread.run_sync(do_logout, auth.family_id, raw, auth.user.id)
    return {"success": True, "message": "Logged out"}


@router.get("/me", response_model=None, responses=doc(200, UserSnake))
async def me(auth: CurrentAuth) -> dict[str, Any]:
    p = auth.principal
    return user_snake(auth.user, p.tenant_id, p.role)
