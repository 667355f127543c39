"""A user's own API keys and sessions: `/api/v1/api-keys`, `/api/v1/sessions` (raw) and the same
under `/api/users/me/...` (envelope). Every route runs a tool from tools.identity.access_tools."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from api.deps import CurrentPrincipal
from api.family import EnvelopeRoute, RawRoute
from api.openapi_models import Envelope, doc, snake
from api.ratelimit import api_limit
from tools.identity import access_tools as access
from tools.identity.access_schemas import (
    ApiKeyCreated,
    ApiKeyList,
    CreateApiKeyInput,
    ListApiKeysInput,
    SessionList,
)
from tools.runtime import invoke

router = APIRouter(tags=["access"], route_class=EnvelopeRoute, dependencies=[Depends(api_limit)])
router_v1 = APIRouter(tags=["access"], route_class=RawRoute, dependencies=[Depends(api_limit)])


class KeyBody(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")
    name: str = Field(..., min_length=1, max_length=120, description="What the key is for.")


async def _keys(principal: CurrentPrincipal, include_revoked: bool) -> ApiKeyList:
    return await invoke(access.list_api_keys, principal, ListApiKeysInput(include_revoked=include_revoked))


async def _create(principal: CurrentPrincipal, body: KeyBody) -> ApiKeyCreated:
    return await invoke(access.create_api_key, principal, CreateApiKeyInput(name=body.name))


async def _revoke(principal: CurrentPrincipal, key_id: str) -> None:
    await invoke(access.revoke_api_keys, principal, {"api_key_id": key_id}, confirmed=True)


async def _end(principal: CurrentPrincipal, session_id: str) -> None:
    await invoke(access.revoke_session, principal, {"session_id": session_id})


@router_v1.get("/api/v1/api-keys", responses=doc(200, snake(ApiKeyList)))
async def list_keys_v1(principal: CurrentPrincipal, include_revoked: bool = False) -> dict[str, Any]:
    """Your API keys in this workspace: prefix, created, last used. Never the keys themselves."""
    return (await _keys(principal, include_revoked)).snake()


@router_v1.post("/api/v1/api-keys", status_code=201, responses=doc(201, snake(ApiKeyCreated)))
async def create_key_v1(principal: CurrentPrincipal, body: KeyBody) -> dict[str, Any]:
    """A new API key; `key` is shown in this response only."""
    return (await _create(principal, body)).snake()


@router_v1.delete("/api/v1/api-keys/{key_id}", status_code=204)
async def revoke_key_v1(principal: CurrentPrincipal, key_id: str) -> None:
    """Revoke one of your API keys; calls made with it are refused from now on."""
    await _revoke(principal, key_id)


@router_v1.get("/api/v1/sessions", responses=doc(200, snake(SessionList)))
async def sessions_v1(principal: CurrentPrincipal) -> dict[str, Any]:
    """Your open sign-in sessions; `current` marks this one."""
    return (await invoke(access.list_sessions, principal)).snake()


@router_v1.delete("/api/v1/sessions/{session_id}", status_code=204)
async def end_session_v1(principal: CurrentPrincipal, session_id: str) -> None:
    """End a session: its access and refresh tokens stop working."""
    await _end(principal, session_id)


@router.get("/api/users/me/api-keys", responses=doc(200, Envelope[ApiKeyList]))
async def list_keys(principal: CurrentPrincipal, include_revoked: bool = False) -> ApiKeyList:
    """Your API keys in this workspace."""
    return await _keys(principal, include_revoked)


@router.post("/api/users/me/api-keys", status_code=201, responses=doc(201, Envelope[ApiKeyCreated]))
async def create_key(principal: CurrentPrincipal, body: KeyBody) -> ApiKeyCreated:
    """A new API key; `key` is shown in this response only."""
    return await _create(principal, body)


@router.delete("/api/users/me/api-keys/{key_id}", status_code=204)
async def revoke_key(principal: CurrentPrincipal, key_id: str) -> None:
    """Revoke one of your API keys."""
    await _revoke(principal, key_id)


@router.get("/api/users/me/sessions", responses=doc(200, Envelope[SessionList]))
async def sessions(principal: CurrentPrincipal) -> SessionList:
    """Your open sign-in sessions."""
    return await invoke(access.list_sessions, principal)


@router.delete("/api/users/me/sessions/{session_id}", status_code=204)
async def end_session(principal: CurrentPrincipal, session_id: str) -> None:
    """End a session."""
    await _end(principal, session_id)
