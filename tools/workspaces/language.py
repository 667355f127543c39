"""How owners ask for the workspace tools, and how their results are said.

Routing between the close ones: `get_workspace` is the workspace the owner is in now (its name,
plan, their role); `list_workspaces` is every workspace (business) they belong to;
`list_workspace_members` is the people in the current one ("who is on my team").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tools import phrasing as p
from tools.language import ToolLanguage, declare
from tools.workspaces.schemas import MemberList, MemberOut, WorkspaceList, WorkspaceOut, WorkspaceOutput


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
    examples=(
        "create a new workspace called Harbor Bikes East",
        "set up a second business named Bluebird Catering",
        "new workspace: Oakridge Dental Group",
        "I want a separate workspace for my side business",
        "make another organisation called Tidewater Events",
        "add a workspace",
        "start a new company space called Peak Trail Rentals",
        "can you spin up a workspace for our wholesale arm?",
        "create workspace Lumen Photo",
        "open a fresh workspace named Copperleaf Studio",
        "new org for the franchise in Leeds",
        "creat a new workspce",
        "I'm opening a second shop, give it its own workspace",
        "register a new business called Berg Cycles North",
        "set up a tenant for Marlowe Homes",
        "create a workspace named Riverside Pottery",
        "I need a new workspace for my cleaning business, call it Sparkle Cleaners",
        "add a new business: Northgate Auto Repair",
        "make a workspace called 'Test Shop' so i can try things out",
        "spin up a separate workspace for Fern & Fig Florist",
        "new biz workspace - Gold Coast Surf School",
        "start another workspace for the online store",
        "can i get a second workspace called Kettle & Crumb",
        "set up a brand new org named Alder Street Bakery",
        "create wrkspace Hollow Oak Farm",
        "we bought another company, create a workspace for it called Pine Ridge Supplies",
        "please make a new workspace, name: Saffron Kitchen",
        "i'd like a fresh space for my consulting side gig",
        "CREATE WORKSPACE MIDTOWN YOGA",
    ),
    phrase=p.typed(WorkspaceOutput, _created),
    questions={"name": "What should the new workspace be called?"},
))

declare("get_workspace", ToolLanguage(
    examples=(
        "what plan is this account on",
        "which pricing plan do we have",
        "what's our subscription plan?",
        "are we on the starter or the professional plan",
        "what tier are we paying for",
        "which workspace is this",
        "which subscription tier is this account on",
        "info about this workspace",
        "what's my role here?",
        "name of this organisation",
        "which account am I logged into",
        "show current workspace",
        "am I an admin in this workspace?",
        "what subscription does this business have",
        "give me the lowdown on this workspace",
        "when was this workspace created",
        "which business am I looking at right now",
        "what's the workspace called",
        "my access level in this account",
        "current org?",
        "am i the owner or just a member here",
        "are we on the free plan?",
        "workspace details pls",
        "what plan r we on",
        "do we have a paid subscription or the free tier",
        "tell me about the workspace i'm in",
        "what's this org's name and plan",
        "what permissions do i have in this workspace",
        "is this the Harbor Bikes workspace?",
    ),
    phrase=p.typed(WorkspaceOutput, _workspace),
))

declare("list_workspaces", ToolLanguage(
    examples=(
        "list my workspaces",
        "list the workspaces my login can access",
        "show all the businesses I have access to",
        "what other workspaces am I in",
        "how many workspaces do I have",
        "all my orgs",
        "which companies can I manage here",
        "workspaces list",
        "do I have access to more than one business?",
        "show every workspace I'm a member of",
        "list workspaces and my role in each",
        "my tenants",
        "what accounts am I part of",
        "workspces pls",
        "which of my businesses am I admin on",
        "which workspaces can i switch to",
        "show me all my businesses",
        "do i have other workspaces besides this one",
        "list every org i belong to",
        "how many businesses have i set up here",
        "all the workspaces on my login pls",
        "i run three shops, show me their workspaces",
        "wrkspaces",
        "which tenants do i have access to",
        "is my Bluebird Catering workspace still on my list?",
        "other companies i'm a member of",
        "where else do i have a workspace",
        "show the workspaces i'm part of with their plans",
        "LIST ALL WORKSPACES",
    ),
    phrase=p.typed(WorkspaceList, _workspaces),
))

declare("list_workspace_members", ToolLanguage(
    examples=(
        "who is in this account?",
        "who's part of this workspace",
        "who belongs to this org",
        "who are the users in here",
        "who's on the team?",
        "list team members",
        "who has access to this workspace",
        "show me my staff and their roles",
        "how many users are in this account",
        "who else can see our data",
        "members of this workspace",
        "list my colleagues",
        "which people are admins here",
        "who works here",
        "team list pls",
        "what roles do my employees have",
        "show everyone in this org",
        "memebers",
        "who can log in to this business",
        "people in my workspace",
        "who did i add to this workspace",
        "list of users and roles",
        "who's an analyst here",
        "team directory",
        "emails of everyone on the team",
        "when did each person join the workspace",
        "how big is the team",
        "which employees can use bizpilot here",
        "members list w/ roles",
    ),
    phrase=p.typed(MemberList, _members),
))
