"""How owners ask about their own API keys and sessions, and how the answers are said.

Routing: `list_api_keys` reads keys ("which API keys do I have?"); `revoke_api_keys` revokes
(always after a preview and confirmation); `list_sessions` is where the caller is signed in;
`end_other_sessions` signs the caller out everywhere but here (after a confirmation)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tools import phrasing as p
from tools.identity.access_schemas import (
    ApiKeyList,
    ApiKeyOut,
    EndOtherSessionsResult,
    RevokeApiKeysResult,
    SessionList,
)
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
        "what api keys have i made for my scripts",
        "show my access tokens",
        "which of my api keys are still active",
        "my api keys, revoked ones as well",
        "when did i create my zapier key",
        "API KEYS",
        "do i still have the key for the mcp server on my laptop?",
        "show key prefixes so i can tell which is which",
        "apikeys list",
        "have i ever used the key called Reporting Script",
        "how many personal api keys do i have in this workspace",
        "show me my tokens and their last use",
        "what api credentials have i generated",
        "has my old api key been revoked already?",
        "check my keys for the claude desktop connection",
        "list api keys incl. revoked",
        "my dev tokens?",
        "api key inventory",
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
        "i think my api key leaked, revoke it",
        "revoke the key 3a7f0c21-88b4-4e0d-b1a9-6c2e5d9f7a10",
        "deactivate keys untouched for 6 months",
        "clean up api tokens older than 180 days",
        "revoke the api key named Zapier",
        "invalidate all my api keys",
        "revoke keys i haven't touched in 2 months",
        "pls nuke my unused tokens",
        "Revoke API key 9e1b44d0 now",
        "expire any access token over a year old",
        "shut off the old mcp key",
        "my laptop got stolen, kill my api keys",
        "remove tokens not used in the last 90 days",
        "revoke all keys created more than 30 days ago",
        "get rid of api keys that were never used",
        "disable api key id 71c2",
        "revok old keys",
        "block the key we gave the developer",
        "the reporting script key isn't needed anymore, revoke it",
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
        "am i still signed in on my old phone?",
        "where is my account logged in right now",
        "my active sessions pls",
        "when did i last sign in on each device",
        "how many places am i logged in",
        "sessions list",
        "show sign-ins that are still open for me",
        "i forgot to log out at the library, am i still logged in there?",
        "which of my logins are active and when do they expire",
        "current session info",
        "open logins on my account",
        "devices i'm signed in on",
        "am i logged in on another computer",
        "show my sesions",
        "check if my login is being used somewhere i don't recognise",
        "my sign in sessions and when they were last refreshed",
        "how long until my session expires",
        "am I signed in twice?",
        "Which Browsers Am I Logged Into",
    ),
    phrase=p.typed(SessionList, _sessions),
))

declare("end_other_sessions", ToolLanguage(
    examples=(
        "sign me out of every other session",
        "log out all my other devices",
        "sign out everywhere else",
        "end my other sessions",
        "kick out any other logins on my account",
        "log me out on my old phone and everywhere else",
        "someone else might be logged in, sign them out",
        "revoke all other sign-ins",
        "close every session except this one",
        "log out of all other browsers",
        "i left myself logged in at the library, log that out",
        "terminate my other sessions pls",
        "sign out other devices",
    ),
    phrase=p.typed(EndOtherSessionsResult, p.destructive),
))
