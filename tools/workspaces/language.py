"""How owners ask for the workspace tools, and how their results are said.

Routing between the close ones: `get_workspace` is the workspace the owner is in now (its name,
plan, their role); `list_workspaces` is every workspace (business) they belong to;
`list_workspace_members` is the people in the current one ("who is on my team").
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tools import phrasing as p
from tools.language import ToolLanguage, declare, read_examples
from tools.workspaces.schemas import MemberList, MemberOut, WorkspaceList, WorkspaceOut, WorkspaceOutput

EXAMPLES = read_examples(Path(__file__).with_name("examples.txt"))


def _workspace_line(w: WorkspaceOut) -> str:
    return f"{w.name} — your role: {w.role or 'none'}, plan {w.plan}, {p.plural(w.member_count, 'member')}"


def _workspace(out: WorkspaceOutput, args: Mapping[str, Any]) -> str:
    w = out.workspace
    return (f"You are in the workspace {w.name} (plan: {w.plan}), which has "
            f"{p.plural(w.member_count, 'member')}; your role is {w.role or 'not set'}. "
            f"It was created {p.day(w.created_at)}.")


def _workspaces(out: WorkspaceList, args: Mapping[str, Any]) -> str:
    items = out.workspaces
    if not items:
        return "You don't belong to any workspace yet."
    lines = [_workspace_line(w) for w in items]
    return (f"You belong to {p.plural(len(items), 'workspace')}. "
            f"{p.listing(lines, len(items))}")


def _member_line(m: MemberOut) -> str:
    return f"{m.full_name or m.name} ({m.email}) — {m.role}, joined {p.day(m.joined_at)}"


def _members(out: MemberList, args: Mapping[str, Any]) -> str:
    if not out.members:
        return "Nobody is in this workspace yet."
    lines = [_member_line(m) for m in out.members]
    return f"Your team has {p.plural(out.total, 'member')}. {p.listing(lines, out.total)}"


def _created(out: WorkspaceOutput, args: Mapping[str, Any]) -> str:
    w = out.workspace
    return f"Created the workspace {w.name} (plan: {w.plan}); you are its {w.role or 'member'}."


declare("create_workspace", ToolLanguage(
    examples=EXAMPLES["create_workspace"],
    phrase=p.typed(WorkspaceOutput, _created),
    questions={"name": "What should the new workspace be called (the name your team will see)?"},
))

declare("get_workspace", ToolLanguage(
    examples=EXAMPLES["get_workspace"],
    phrase=p.typed(WorkspaceOutput, _workspace),
))

declare("list_workspaces", ToolLanguage(
    examples=EXAMPLES["list_workspaces"],
    phrase=p.typed(WorkspaceList, _workspaces),
))

declare("list_workspace_members", ToolLanguage(
    examples=EXAMPLES["list_workspace_members"],
    phrase=p.typed(MemberList, _members),
))
