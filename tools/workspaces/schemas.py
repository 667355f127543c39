"""Inputs and outputs of the workspace (tenant) tools."""

from __future__ import annotations

from datetime import datetime

from pydantic import EmailStr, Field

from tools.context import Role
from tools.schemas import ToolModel


class WorkspaceOut(ToolModel):
    id: str
    name: str
    slug: str
    plan: str
    owner_id: str | None
    role: Role | None = Field(None, description="The caller's role in this workspace.")
    member_count: int
    created_at: datetime
    updated_at: datetime


class WorkspaceOutput(ToolModel):
    workspace: WorkspaceOut


class CreateWorkspaceInput(ToolModel):
    """The plan is not the caller's to choose: new workspaces start on the free plan."""

    name: str = Field(
        ..., min_length=1, max_length=200,
        description='Name of the new workspace (a separate business with its own data), 1 to 200 '
        'characters, e.g. "Acme Retail".',
    )


class MemberOut(ToolModel):
    id: str
    user_id: str
    email: EmailStr | str
    name: str
    full_name: str
    first_name: str
    last_name: str
    role: Role
    joined_at: datetime


class MemberList(ToolModel):
    workspace_id: str
    members: list[MemberOut]
    total: int


class WorkspaceList(ToolModel):
    workspaces: list[WorkspaceOut]
