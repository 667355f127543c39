"""Sign-up, sign-in, token refresh, sign-out and the current user, under /api (envelope) and
/api/v1 (raw). Every route runs an identity tool; the family shapes the answer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from api.deps import CurrentPrincipal
from api.family import EnvelopeRoute, RawRoute
from api.identity.presenters import (
    auth_camel,
    auth_snake,
    challenge_camel,
    challenge_snake,
    me_camel,
    user_snake,
)
from api.identity.schemas import LoginBody, LogoutBody, RefreshBody, RegisterBody
from api.openapi_models import (
    AuthCamel,
    AuthSnake,
    Envelope,
    LoginCamel,
    LoginSnake,
    LogoutV1,
    Me,
    Message,
    UserSnake,
    doc,
)
from api.ratelimit import api_limit, auth_limit
from tools.identity import tools as identity
from tools.identity.schemas import AuthSession, LoginResult, RefreshInput
from tools.runtime import invoke

router = APIRouter(tags=["auth"], route_class=EnvelopeRoute)
router_v1 = APIRouter(prefix="/api/v1/auth", tags=["auth"], route_class=RawRoute)
limited = [Depends(auth_limit)]


async def _register(body: RegisterBody) -> AuthSession:
    return await invoke(identity.register, None, body.to_input())


async def _login(body: LoginBody) -> LoginResult:
    return await invoke(identity.login, None, body.to_input())


async def _refresh(body: RefreshBody) -> AuthSession:
    return await invoke(identity.refresh_session, None, RefreshInput(refresh_token=body.token))


# --- /api -----------------------------------------------------------------------------------------


@router.post("/api/auth/register", status_code=201, dependencies=limited,
             responses=doc(201, Envelope[AuthCamel], "Registered and signed in"))
async def register(body: RegisterBody) -> dict[str, Any]:
    """Create an account with its own workspace (the caller is its admin) and sign in."""
    return auth_camel(await _register(body))


@router.post("/api/auth/login", dependencies=limited,
             responses=doc(200, Envelope[LoginCamel]))
async def login(body: LoginBody) -> dict[str, Any]:
    """Sign in: an access token (1 hour) and a single-use refresh token. With MFA on, the
    answer is `{mfaRequired: true, challenge}` instead: POST the challenge and a code to
    /api/auth/login/mfa to finish."""
    result = await _login(body)
    return auth_camel(result.session) if result.session else challenge_camel(result)


@router.post("/api/auth/refresh", dependencies=limited, responses=doc(200, Envelope[AuthCamel]))
async def refresh(body: RefreshBody) -> dict[str, Any]:
    """A new token pair. A refresh token works once; presenting it again ends the session."""
    return auth_camel(await _refresh(body))


@router.post("/api/auth/logout", dependencies=limited, responses=doc(200, Envelope[Message]))
async def logout(principal: CurrentPrincipal, body: LogoutBody | None = None) -> dict[str, Any]:
    """End this session; its access and refresh tokens stop working."""
    return (await invoke(identity.logout, principal, LogoutBody.to_input(body))).camel()


@router.get("/api/users/me", dependencies=[Depends(api_limit)], responses=doc(200, Envelope[Me]))
async def me(principal: CurrentPrincipal) -> dict[str, Any]:
    """The signed-in user, their role in the selected workspace, and all their workspaces."""
    return me_camel(await invoke(identity.get_me, principal))


# --- /api/v1 --------------------------------------------------------------------------------------


@router_v1.post("/register", status_code=201, dependencies=limited,
                responses=doc(201, AuthSnake, "Registered and signed in"))
async def register_v1(body: RegisterBody) -> dict[str, Any]:
    """Create an account with its own workspace and sign in."""
    return auth_snake(await _register(body))


@router_v1.post("/login", dependencies=limited, responses=doc(200, LoginSnake))
async def login_v1(body: LoginBody) -> dict[str, Any]:
    """Sign in: an access token and a single-use refresh token. With MFA on, the answer is
    `{mfa_required: true, challenge}` instead: POST the challenge and a code to
    /api/v1/auth/login/mfa to finish."""
    result = await _login(body)
    return auth_snake(result.session) if result.session else challenge_snake(result)


@router_v1.post("/refresh", dependencies=limited, responses=doc(200, AuthSnake))
async def refresh_v1(body: RefreshBody) -> dict[str, Any]:
    """A new token pair; a refresh token works once."""
    return auth_snake(await _refresh(body))


@router_v1.post("/logout", dependencies=limited, responses=doc(200, LogoutV1))
async def logout_v1(principal: CurrentPrincipal, body: LogoutBody | None = None) -> dict[str, Any]:
    """End this session."""
    out = await invoke(identity.logout, principal, LogoutBody.to_input(body))
    return {"success": True, "message": out.message}


@router_v1.get("/me", dependencies=[Depends(api_limit)], responses=doc(200, UserSnake))
async def me_v1(principal: CurrentPrincipal) -> dict[str, Any]:
    """The signed-in user."""
    me = await invoke(identity.get_me, principal)
    return user_snake(me.user, me.tenant_id, me.role)
