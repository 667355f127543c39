"""How owners ask about their own API keys and sessions, and how the answers are said.

Routing: `list_api_keys` reads keys ("which API keys do I have?"); `revoke_api_keys` revokes
(always after a preview and confirmation); `list_sessions` is where the caller is signed in."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tools import phrasing as p
from tools.identity.access_schemas import ApiKeyList, ApiKeyOut, RevokeApiKeysResult, SessionList
from tools.language import ToolLanguage, declare


def key_line(key: ApiKeyOut) -> str:
    used = f"last used {p.day(key.last_used_at)}" if key.last_used_at else "never used"
    text = f"{key.name} ({key.prefix}…) — created {p.day(key.created_at)}, {used}"
    return text + (f", revoked {p.day(key.revoked_at)}" if key.revoked_at else "")


def _keys(out: ApiKeyList, _args: Mapping[str, Any]) -> str:
    if not out.api_keys:
        return "You have no API keys in this workspace."
    return (f"You have {p.plural(out.total, 'API key')}:\n"
            + p.listing([key_line(k) for k in out.api_keys], out.total, "newest"))


def _revoked(out: RevokeApiKeysResult, args: Mapping[str, Any]) -> str:
    if out.status == "confirmation_required":
        keys = (out.preview or {}).get("apiKeys", [])
        if not keys:
            return "No API key matches that, so there is nothing to revoke."
        names = ", ".join(f"{k['name']} ({k['prefix']}…)" for k in keys)
        return (f"This would revoke {p.plural(len(keys), 'API key')}: {names}. Calls made with "
                "them will be refused. Please confirm to go ahead, or cancel.")
    return p.destructive(out, args)


def _sessions(out: SessionList, _args: Mapping[str, Any]) -> str:
    if not out.sessions:
        return "You have no open sessions."
    lines = [f"signed in {p.day(s.created_at)}, last refreshed {p.day(s.last_refreshed_at)}"
             + (" (this one)" if s.current else "") for s in out.sessions]
    return f"You have {p.plural(out.total, 'open session')}:\n" + p.bullets(lines)


declare("list_api_keys", ToolLanguage(
    examples=(
        "which API keys do I have",
        "list my api keys",
        "show my API keys and when they were last used",
        "do I have any unused api keys?",
        "my keys for the API",
        "api keys pls",
        "when was my MCP key last used",
        "how many API tokens have I created",
        "show api keys including revoked ones",
        "any old api keys lying around?",
        "list of my developer keys",
    ),
    phrase=p.typed(ApiKeyList, _keys),
))

declare("revoke_api_keys", ToolLanguage(
    examples=(
        "revoke my old API keys",
        "revoke api keys older than 90 days",
        "kill the api keys I haven't used in 30 days",
        "disable my unused api keys",
        "revoke api key 5d2c9e10",
        "delete old api keys",
        "get rid of stale API tokens",
        "revoke every key older than a year",
        "cancel my api key",
        "remove api keys not used for 60 days",
    ),
    phrase=p.typed(RevokeApiKeysResult, _revoked),
    questions={"api_key_id": "Which key (its id from the list of API keys), or how old?"},
))

declare("list_sessions", ToolLanguage(
    examples=(
        "where am I signed in",
        "list my sessions",
        "show my active logins",
        "which devices are logged in to my account",
        "am I logged in anywhere else?",
        "open sessions",
        "how many sessions do I have",
        "show active sign-ins",
        "my login sessions",
        "is someone else logged into my account",
    ),
    phrase=p.typed(SessionList, _sessions),
))
