"""How owners ask about their own API keys and sessions, and how the answers are said.

Routing: `list_api_keys` reads keys ("which API keys do I have?"); `revoke_api_keys` revokes
(always after a preview and confirmation); `list_sessions` is where the caller is signed in;
`end_other_sessions` signs the caller out everywhere but here (after a confirmation)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tools import phrasing as p
from tools.identity.access_schemas import (
    ApiKeyList,
    ApiKeyOut,
    EndOtherSessionsResult,
    RevokeApiKeysResult,
    SessionList,
)
from tools.language import ToolLanguage, declare, read_examples

EXAMPLES = read_examples(Path(__file__).with_name("access_examples.txt"))


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
    examples=EXAMPLES["list_api_keys"],
    phrase=p.typed(ApiKeyList, _keys),
))

IDLE = re.compile(r"\b(?:unused|idle|not (?:been )?used"
                  r"|(?:no ?one|nobody|anyone|we)(?:'s|’s|\s+(?:has|have|hasn'?t|haven'?t))(?:\s+been)?"
                  r"\s+(?:used|touched)"
                  r"|(?:hasn'?t|haven'?t|has not|have not)(?: been)? (?:used|touched))"
                  r"\D{0,30}?(?P<days>\d{1,4})\s*days?\b", re.I)


def _idle_days(text: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """"keys nobody has used in 60 days": the days a key has gone unused, not its age (both are
    numbers of days, and the generic reading gives them to whichever field it finds first)."""
    idle = IDLE.search(text)
    if idle is None:
        return {}
    days = int(idle.group("days"))
    return {"unused_days": days, "older_than_days": None} if args.get("older_than_days") == days else {
        "unused_days": days}


declare("revoke_api_keys", ToolLanguage(
    examples=EXAMPLES["revoke_api_keys"],
    phrase=p.typed(RevokeApiKeysResult, _revoked),
    questions={"api_key_id": "Which key (its id from the list of API keys), or how old?"},
    read=_idle_days,
    needs=lambda args: [] if any(args.get(k) for k in ("api_key_id", "older_than_days", "unused_days"))
    else ["api_key_id"],
))

declare("list_sessions", ToolLanguage(
    examples=EXAMPLES["list_sessions"],
    phrase=p.typed(SessionList, _sessions),
))

declare("end_other_sessions", ToolLanguage(
    examples=EXAMPLES["end_other_sessions"],
    phrase=p.typed(EndOtherSessionsResult, p.destructive),
))
