"""Inputs and outputs of the tools a user manages their own access with: API keys and sessions."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from tools.schemas import ConfirmableInput, DestructiveResult, ToolModel


class ApiKeyOut(ToolModel):
    id: str = Field(description="API key id.")
    name: str = Field(description="What the key is for.")
    prefix: str = Field(description="The key's first characters, to recognise it (never the key).")
    created_at: datetime | None = Field(description="When it was created.")
    last_used_at: datetime | None = Field(description="When it last authenticated a call; null: never.")
    revoked_at: datetime | None = Field(description="When it was revoked; null while it works.")
    age_days: int = Field(description="Days since it was created.")


class ListApiKeysInput(ToolModel):
    include_revoked: bool = Field(False, description="Also list revoked keys.")


class ApiKeyList(ToolModel):
    api_keys: list[ApiKeyOut] = Field(description="The caller's API keys in this workspace, newest first.")
    total: int = Field(description="How many are listed.")


class CreateApiKeyInput(ToolModel):
    name: str = Field(..., min_length=1, max_length=120, description="What the key is for, e.g. "
                      "\"MCP on my laptop\".")


class ApiKeyCreated(ToolModel):
    api_key: ApiKeyOut = Field(description="The new key's record.")
    key: str = Field(description="The key itself, shown once: send it as `Authorization: Bearer <key>`.")


class RevokeApiKeysInput(ConfirmableInput):
    api_key_id: str | None = Field(None, max_length=64, description="Revoke this key (its id).")
    older_than_days: int | None = Field(None, ge=0, le=3650, description="Revoke every key of the "
                                        "caller created more than this many days ago.")
    unused_days: int | None = Field(None, ge=0, le=3650, description="Revoke every key of the caller "
                                    "not used in this many days (never-used keys included).")


class RevokeApiKeysResult(DestructiveResult):
    revoked: list[ApiKeyOut] = Field(default_factory=list, description="The keys revoked.")


class SessionOut(ToolModel):
    id: str = Field(description="Session id (a sign-in and every token refreshed from it).")
    created_at: datetime = Field(description="When the sign-in happened.")
    last_refreshed_at: datetime = Field(description="When its tokens were last refreshed.")
    expires_at: datetime = Field(description="When it ends unless refreshed.")
    current: bool = Field(description="True for the session making this request.")


class ListSessionsInput(ToolModel):
    """No arguments: the caller's own open sessions."""


class SessionList(ToolModel):
    sessions: list[SessionOut] = Field(description="Open sessions, most recently used first.")
    total: int = Field(description="How many are listed.")


class EndOtherSessionsInput(ConfirmableInput):
    """No other arguments: every open session of the caller but the one making the request."""


class EndOtherSessionsResult(DestructiveResult):
    ended: list[SessionOut] = Field(default_factory=list, description="The sessions ended.")


class RevokeSessionInput(ToolModel):
    session_id: str = Field(..., min_length=1, max_length=64, description="The session to end.")


class RevokeSessionResult(ToolModel):
    session_id: str = Field(description="The session ended.")
    message: str = Field(description="What happened.")
