"""A user's own API keys and sign-in sessions: list them, create a key, revoke either.

Only the caller's own keys (in the workspace the request acts in) and sessions are reachable;
another user's key or session id is answered as not found. A session is a refresh-token family:
one sign-in and every rotation of its tokens."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import NotFound, ValidationFailed
from store.models import ApiKey, RefreshToken
from tools import phrasing as p
from tools.context import ToolContext
from tools.identity import tokens
from tools.identity.access_schemas import (
    ApiKeyCreated,
    ApiKeyList,
    ApiKeyOut,
    CreateApiKeyInput,
    EndOtherSessionsInput,
    EndOtherSessionsResult,
    ListApiKeysInput,
    ListSessionsInput,
    RevokeApiKeysInput,
    RevokeApiKeysResult,
    RevokeSessionInput,
    RevokeSessionResult,
    SessionList,
    SessionOut,
)
from tools.registry import tool


def key_out(key: ApiKey, now: datetime) -> ApiKeyOut:
    return ApiKeyOut(id=key.id, name=key.name, prefix=key.prefix, created_at=key.created_at,
                     last_used_at=key.last_used_at, revoked_at=key.revoked_at,
                     age_days=max(0, (now - key.created_at).days))


def _own_keys(session: Session, ctx: ToolContext, *, revoked: bool) -> list[ApiKey]:
    stmt = select(ApiKey).where(ApiKey.user_id == ctx.user_id, ApiKey.tenant_id == ctx.tenant_id)
    if not revoked:
        stmt = stmt.where(ApiKey.revoked_at.is_(None))
    return list(session.scalars(stmt.order_by(ApiKey.created_at.desc(), ApiKey.id)))


@tool(name="list_api_keys", toolset="security", description="""List the caller's API keys in this
workspace: name, prefix (never the key), when each was created and last used (never used keys show
no last use), newest first.""")
def list_api_keys(ctx: ToolContext, args: ListApiKeysInput) -> ApiKeyList:
    keys = [key_out(k, ctx.now) for k in _own_keys(ctx.session, ctx, revoked=args.include_revoked)]
    return ApiKeyList(api_keys=keys, total=len(keys))


@tool(name="create_api_key", toolset="security", kind="write", exposed=False,
      description="Create an API key for the caller in this workspace; the key is shown once.")
def create_api_key(ctx: ToolContext, args: CreateApiKeyInput) -> ApiKeyCreated:
    row, raw = tokens.new_api_key(ctx.session, ctx.tenant_id, ctx.user_id, args.name)
    row.created_at = row.created_at or ctx.now
    return ApiKeyCreated(api_key=key_out(row, ctx.now), key=raw)


def _chosen(ctx: ToolContext, args: RevokeApiKeysInput) -> list[ApiKey]:
    if args.api_key_id is None and args.older_than_days is None and args.unused_days is None:
        raise ValidationFailed("Say which keys: api_key_id, older_than_days or unused_days",
                               details=[{"field": "api_key_id", "message": "required"}])
    keys = _own_keys(ctx.session, ctx, revoked=False)
    if args.api_key_id is not None:
        keys = [k for k in keys if k.id == args.api_key_id]
        if not keys:
            raise NotFound("API key", args.api_key_id)
    if args.older_than_days is not None:
        cutoff = ctx.now - timedelta(days=args.older_than_days)
        keys = [k for k in keys if k.created_at < cutoff]
    if args.unused_days is not None:
        idle = ctx.now - timedelta(days=args.unused_days)
        keys = [k for k in keys if (k.last_used_at or k.created_at) < idle]
    return keys


def _preview_revoke(ctx: ToolContext, args: RevokeApiKeysInput) -> dict[str, object]:
    keys = _chosen(ctx, args)
    return {"apiKeys": [key_out(k, ctx.now).camel() for k in keys], "count": len(keys),
            "effect": "Calls made with these keys will be refused from then on."}


@tool(name="revoke_api_keys", toolset="security", kind="destructive", preview=_preview_revoke,
      description="""Revoke the caller's API keys: one by id, or every key older than N days, or
not used in N days. The first call previews the keys it would revoke and returns a
confirmation_token; call again with it to revoke. Revoked keys stop working at once.""")
def revoke_api_keys(ctx: ToolContext, args: RevokeApiKeysInput) -> RevokeApiKeysResult:
    keys = _chosen(ctx, args)
    for key in keys:
        key.revoked_at = ctx.now
    out = [key_out(k, ctx.now) for k in keys]
    return RevokeApiKeysResult(status="done", revoked=out,
                               message=f"Revoked {len(out)} API key{'s' if len(out) != 1 else ''}.")


@tool(name="list_sessions", toolset="security", tenant_scoped=False, description="""List the
caller's open sign-in sessions (each sign-in and the tokens refreshed from it): when it started,
when it was last refreshed, when it expires, and which one is making this request.""")
def list_sessions(ctx: ToolContext, _args: ListSessionsInput) -> SessionList:
    rows = _open_sessions(ctx)
    return SessionList(sessions=rows, total=len(rows))


def _open_sessions(ctx: ToolContext) -> list[SessionOut]:
    """The caller's own open sessions, most recently used first."""
    stmt = (select(RefreshToken.family_id, func.min(RefreshToken.created_at),
                   func.max(RefreshToken.created_at), func.max(RefreshToken.expires_at))
            .where(RefreshToken.user_id == ctx.user_id, RefreshToken.revoked_at.is_(None),
                   RefreshToken.rotated_at.is_(None), RefreshToken.expires_at > ctx.now)
            .group_by(RefreshToken.family_id))
    rows = [SessionOut(id=fam, created_at=first, last_refreshed_at=last, expires_at=exp,
                       current=fam == ctx.principal.family_id)
            for fam, first, last, exp in ctx.session.execute(stmt)]
    rows.sort(key=lambda s: s.last_refreshed_at, reverse=True)
    return rows


def _other_sessions(ctx: ToolContext) -> list[SessionOut]:
    return [s for s in _open_sessions(ctx) if not s.current]


def _preview_end(ctx: ToolContext, _args: EndOtherSessionsInput) -> dict[str, object]:
    others = _other_sessions(ctx)
    return {"sessions": [s.camel() for s in others], "count": len(others),
            "message": (f"This will sign out {p.plural(len(others), 'other session')}: "
                        "their tokens stop working. The one you are using stays signed in.")}


@tool(name="end_other_sessions", toolset="security", kind="destructive", tenant_scoped=False,
      preview=_preview_end, description="""Sign the caller out everywhere else: every open session
but the one making this request ends, and its access and refresh tokens stop working (called with
an API key, every sign-in session ends). The first call previews the sessions and returns a
confirmation_token; call again with it to end them.""")
def end_other_sessions(ctx: ToolContext, _args: EndOtherSessionsInput) -> EndOtherSessionsResult:
    others = _other_sessions(ctx)
    for ended in others:
        tokens.revoke_family(ctx.session, ended.id, ctx.now)
    return EndOtherSessionsResult(status="done", ended=others,
                                  message=f"Signed out {p.plural(len(others), 'other session')}.")


@tool(name="revoke_session", toolset="security", kind="write", tenant_scoped=False,
      exposed=False, description="End one of the caller's sessions: its tokens stop working.")
def revoke_session(ctx: ToolContext, args: RevokeSessionInput) -> RevokeSessionResult:
    owner = ctx.session.scalar(select(RefreshToken.user_id).where(
        RefreshToken.family_id == args.session_id).limit(1))
    if owner != ctx.user_id:
        raise NotFound("session", args.session_id)
    tokens.revoke_family(ctx.session, args.session_id, ctx.now)
    return RevokeSessionResult(session_id=args.session_id, message="The session was ended.")
