"""Workspace (= tenant) capabilities. A workspace is the tenant that owns all business data."""

from __future__ import annotations

from core.errors import NotFound
from store.models import Tenant
from store.repositories import tenancy as repo
from tools.context import ToolContext
from tools.crm.schemas import NoInput
from tools.events import emit
from tools.registry import tool
from tools.workspaces.schemas import (
    CreateWorkspaceInput,
    MemberList,
    MemberOut,
    WorkspaceList,
    WorkspaceOut,
    WorkspaceOutput,
)


def _out(ctx: ToolContext, tenant: Tenant, role: str | None) -> WorkspaceOut:
    return WorkspaceOut(
        id=tenant.id, name=tenant.name, slug=tenant.slug, plan=tenant.plan,
        owner_id=tenant.owner_id, role=role,  # type: ignore[arg-type]
        member_count=len(repo.members_of(ctx.session, tenant.id)),
        created_at=tenant.created_at, updated_at=tenant.updated_at,
    )


@tool(
    name="create_workspace",
    toolset="admin",
    kind="write",
    tenant_scoped=False,
    description="Create a new workspace (a separate business with its own data); the caller "
    "becomes its admin.",
)
def create_workspace(ctx: ToolContext, args: CreateWorkspaceInput) -> WorkspaceOutput:
    user = repo.get_user(ctx.session, ctx.user_id)
    if user is None:
        raise NotFound("user", ctx.user_id)
    tenant = repo.create_tenant(ctx.session, args.name, user)
    out = _out(ctx, tenant, "admin")
    emit(ctx, "workspace.created", {**out.snake(), "workspace_id": tenant.id, "created_by": ctx.user_id},
         tenant_id=tenant.id)
    return WorkspaceOutput(workspace=out)


@tool(
    name="get_workspace",
    toolset="admin",
    description="Details of the current workspace: name, plan, member count, the caller's role.",
)
def get_workspace(ctx: ToolContext, args: NoInput) -> WorkspaceOutput:
    tenant = repo.get_tenant(ctx.session, ctx.tenant_id)
    if tenant is None:
        raise NotFound("workspace", ctx.tenant_id)
    return WorkspaceOutput(workspace=_out(ctx, tenant, ctx.principal.role))


@tool(
    name="list_workspaces",
    toolset="admin",
    tenant_scoped=False,
    description="List the workspaces (businesses) the caller belongs to, with the caller's role.",
)
def list_workspaces(ctx: ToolContext, args: NoInput) -> WorkspaceList:
    items = [_out(ctx, m.tenant, m.role) for m in repo.memberships_of(ctx.session, ctx.user_id)]
    return WorkspaceList(workspaces=items)


@tool(
    name="list_workspace_members",
    toolset="admin",
    description="List the people in the current workspace with their roles (team members).",
)
def list_workspace_members(ctx: ToolContext, args: NoInput) -> MemberList:
    members = [
        MemberOut(
            id=m.id, user_id=u.id, email=u.email, name=u.full_name, full_name=u.full_name,
            first_name=u.first_name, last_name=u.last_name, role=m.role,  # type: ignore[arg-type]
            joined_at=m.created_at,
        )
        for m, u in repo.members_of(ctx.session, ctx.tenant_id)
    ]
    return MemberList(workspace_id=ctx.tenant_id, members=members, total=len(members))
