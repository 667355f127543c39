"""Workspaces under /api/v1 (raw, snake_case). A workspace is a tenant; the path's workspaceId
selects among the caller's own workspaces only (404 otherwise). A workspace's deals are served by
api.crm.deals."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from api.deps import CurrentPrincipal, WorkspacePrincipal
from api.family import RawRoute, respond
from api.idempotency import IdempotencyKey, once
from api.openapi_models import WorkspaceListV1, doc, snake
from api.ratelimit import api_limit
from tools.runtime import invoke
from tools.workspaces import tools as workspaces
from tools.workspaces.schemas import CreateWorkspaceInput, MemberList, WorkspaceOut

router = APIRouter(prefix="/api/v1", tags=["workspaces"], dependencies=[Depends(api_limit)],
                   route_class=RawRoute)


@router.post("/workspaces", status_code=201, responses=doc(201, snake(WorkspaceOut), "Created"))
async def create_workspace(request: Request, principal: CurrentPrincipal, body: CreateWorkspaceInput,
                           key: IdempotencyKey = None) -> Response:
    """A new workspace with the caller as its admin."""

    async def create() -> Response:
        out = await invoke(workspaces.create_workspace, principal, body)
        return respond(request, out.workspace, 201)

    return await once(request, principal, key, body.model_dump(mode="json"), create)


@router.get("/workspaces", responses=doc(200, WorkspaceListV1))
async def list_workspaces(principal: CurrentPrincipal) -> dict[str, Any]:
    """The caller's workspaces."""
    items = (await invoke(workspaces.list_workspaces, principal)).snake()["workspaces"]
    return {"workspaces": items, "total": len(items)}


@router.get("/workspaces/{workspaceId}", responses=doc(200, snake(WorkspaceOut)))
async def get_workspace(principal: WorkspacePrincipal) -> WorkspaceOut:
    """One of the caller's workspaces."""
    return (await invoke(workspaces.get_workspace, principal)).workspace


@router.get("/workspaces/{workspaceId}/members", responses=doc(200, snake(MemberList)))
async def list_members(principal: WorkspacePrincipal) -> MemberList:
    """{workspace_id, members, total}."""
    return await invoke(workspaces.list_workspace_members, principal)
