"""How owners ask about security, and how the answers are said (every figure quoted from the
rules' results).

Routing: `security_score` is the posture as a whole ("how secure am I?", "what should I fix
first?"); `team_security` is per member ("who has no MFA?"); `list_audit_log` is what happened
("who deleted the Acme deal?", "failed logins this week")."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from tools import phrasing as p
from tools.language import ToolLanguage, declare, read_examples
from tools.security.audit_schemas import AuditEntry, AuditLogPage
from tools.security.schemas import SecurityScore, TeamSecurity

EXAMPLES = read_examples(Path(__file__).with_name("examples.txt"))


def _score(out: SecurityScore, _args: Mapping[str, Any]) -> str:
    b = out.breakdown
    text = (f"Your security score is {out.score} out of 100 (MFA adoption {b.mfa_adoption}, access "
            f"control {b.access_control}, data encryption {b.data_encryption}, compliance "
            f"{b.compliance}).")
    if not out.issues:
        return text + " No open issues: every rule passed."
    lines = [f"{i.severity}: {i.title}. Fix: {i.fix}" for i in out.issues]
    return (f"{text} Fix these first, most severe at the top "
            f"({p.plural(len(out.issues), 'open issue')}):\n" + p.bullets(lines))


def _team(out: TeamSecurity, args: Mapping[str, Any]) -> str:
    if args.get("without_mfa_only"):
        if not out.members:
            return "Everyone on the team uses MFA."
        names = ", ".join(f"{m.email} ({m.role})" for m in out.members)
        return f"{p.plural(out.total, 'member')} without MFA: {names}."
    lines = [f"{m.email} ({m.role}) — MFA {'on' if m.mfa_enabled else 'off'}, "
             + (f"last active {p.day(m.last_active_at)}" if m.last_active_at else "never signed in")
             + (", dormant" if m.dormant else "")
             + (f", {p.plural(m.api_keys, 'API key')}" if m.api_keys else "") for m in out.members]
    return (f"Your team has {p.plural(out.total, 'member')}, {p.count(out.without_mfa)} without "
            "MFA:\n" + p.bullets(lines))


def entry_line(e: AuditEntry) -> str:
    who = e.user_email or e.user_id or "the system"
    what = e.tool + (f" ({e.summary})" if e.summary and e.summary != e.tool else "")
    outcome = "" if e.outcome == "ok" else f" — {e.outcome}{f' {e.error_code}' if e.error_code else ''}"
    return f"{p.day(e.created_at)} {e.created_at:%H:%M} UTC: {who} via {e.source}: {what}{outcome}"


def _audit(out: AuditLogPage, _args: Mapping[str, Any]) -> str:
    total = out.pagination.total
    if total == 0:
        return "The audit trail has no entries matching that."
    return (f"{p.plural(total, 'audit entry', 'audit entries')} match:\n"
            + p.listing([entry_line(e) for e in out.entries], total, "newest"))


declare("security_score", ToolLanguage(
    examples=EXAMPLES["security_score"],
    phrase=p.typed(SecurityScore, _score),
))

declare("team_security", ToolLanguage(
    examples=EXAMPLES["team_security"],
    phrase=p.typed(TeamSecurity, _team),
    synonyms={"without_mfa_only": {"true": ("no mfa", "without mfa", "don't have mfa", "hasn't mfa",
                                             "not bothering with", "don't bother with", "doesn't bother with",
                                             "skipping the extra code", "skip the extra code",
                                             "haven't mfa", "hasn't got mfa", "mfa off",
                                             "hasn't turned on", "without two factor", "no 2fa",
                                             "haven't turned on", "haven't enabled", "without 2fa",
                                             "without two-factor", "no two factor", "needs to enable",
                                             "doesn't have mfa", "doesn't use mfa", "don't use mfa",
                                             "not using mfa", "isn't using mfa", "aren't using mfa",
                                             "mfa off", "mfa turned off", "hasn't set up mfa",
                                             "haven't set up mfa", "not using two-step",
                                             "doesn't have 2fa", "don't have 2fa", "doesn't use 2fa",
                                             "not using 2fa", "2fa off", "no second step",
                                             "just a password", "only a password", "password only",
                                             "without a second step", "hasn't switched on",
                                             "haven't switched on", "never switched on",
                                             "never turned on", "never enabled", "never set up",
                                             "hasn't set it up", "haven't set it up", "not set it up",
                                             "hasn't turned it on", "haven't turned it on",
                                             "not switched on", "not turned on", "not enabled",
                                             "did not turn on", "didn't turn on", "did not enable",
                                             "didn't enable", "did not switch on", "didn't switch on",
                                             "did not set up", "didn't set up")}},
))

TOOL_NAME = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


VERB_FORMS = {"delete": ("deleted", "delete", "deletes", "deleting", "removed", "remove", "removes",
                         "removing"),
              "create": ("created", "create", "creates", "creating", "added", "add", "adds", "adding"),
              "update": ("updated", "update", "updates", "updating", "changed", "change", "changes",
                         "changing", "edited", "edit", "editing")}
"""How a request says the action of a tool named `<verb>_<record>`: "who deleted a customer"."""


def _read_tool_name(text: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """A tool's own name in the request ("only the delete_deal calls"), or its action said in words
    with the record's noun ("who deleted a customer this week", "who removed the Tidewater Cafe
    customer"), is the `tool` filter."""
    from tools.registry import all_tools

    names = frozenset(all_tools())
    lowered = text.lower()
    found = next((m.group(0) for m in TOOL_NAME.finditer(lowered) if m.group(0) in names), None)
    if found is None:
        found = next((name for name, said in _actions(names) if said.search(lowered)), None)
    if found is None:
        return {}
    return {"tool": found, "search": None} if args.get("search") == found else {"tool": found}


@cache
def _actions(names: frozenset[str]) -> list[tuple[str, re.Pattern[str]]]:
    """Each `<verb>_<record>` tool with the words that say its action, compiled once: the verb
    before the record's noun, or the noun first and the verb on a pronoun ("a deal just vanished
    from the list. Who deleted it?")."""
    found = []
    for name in sorted(names):
        verb, _, noun = name.partition("_")
        if verb in VERB_FORMS and noun and "_" not in noun:
            verbs = "|".join(VERB_FORMS[verb])
            found.append((name, re.compile(rf"\b(?:{verbs})\b(?:\s+[\w'&.-]+){{0,6}}?\s+{noun}s?\b"
                                           rf"|\b{noun}s?\b[^.?!]*[.?!]?[^.?!]*\b(?:{verbs})\s+(?:it|them)\b")))
    return found


declare("list_audit_log", ToolLanguage(
    examples=EXAMPLES["list_audit_log"],
    phrase=p.typed(AuditLogPage, _audit),
    synonyms={
        "outcome": {"ok": ("succeeded", "successful", "worked"),
                    "error": ("failed", "failures", "errors", "errored", "refused"),
                    "confirmation_required": ("awaiting confirmation", "previewed", "not confirmed"),
                    "mfa_required": ("waiting for the code", "mfa challenge", "second step")},
        "source": {"rest": ("api", "rest", "rest api", "integration"),
                   "mcp": ("mcp", "mcp clients", "claude", "cursor"),
                   "agent": ("assistant", "chat", "ai", "bot"),
                   "system": ("system", "background", "automatically")},
    },
    read=_read_tool_name,
))
