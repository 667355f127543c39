"""Workspaces under /api/v1 (document 004), raw snake_case objects. A workspace is a tenant; the
path's workspaceId selects among the caller's own workspaces only (404 otherwise). The workspace
deal routes live in `deals_v1` and are included here."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from api.deps import CurrentPrincipal, WorkspacePrincipal
from api.idempotency import IdempotencyKey, once
from api.openapi_models import WorkspaceListV1, doc, snake
from api.ratelimit import api_limit
from api.routes import deals_v1
from api.routes.crm_common import ERROR_RESPONSES, call
from tools.workspaces.schemas import CreateWorkspaceInput, MemberList, WorkspaceOut

router = APIRouter(prefix="/api/v1", tags=["workspaces v1"], dependencies=[Depends(api_limit)],
                   responses=ERROR_RESPONSES)


@router.post("/workspaces", status_code=201, responses=doc(201, snake(WorkspaceOut), "Created"))
async def create_workspace(
    request: Request, principal: CurrentPrincipal, body: CreateWorkspaceInput,
    key: IdempotencyKey = None,
) -> Response:
    """A new tenant with the caller as its admin."""

    async def create() -> Response:
        out = await call("create_workspace", principal, body)
        return JSONResponse(out.snake()["workspace"], status_code=201)

    return await once(request, principal, key, body.model_dump(mode="json"), create)


@router.get("/workspaces", response_model=None, responses=doc(200, WorkspaceListV1))
async def list_workspaces(principal: CurrentPrincipal) -> dict[str, Any]:
    items = (await call("list_workspaces", principal)).snake()["workspaces"]
    return {"workspaces": items, "total": len(items)}


@router.get("/workspaces/{workspaceId}", response_model=None, responses=doc(200, snake(WorkspaceOut)))
async def get_workspace(principal: WorkspacePrincipal) -> dict[str, Any]:
    workspace: dict[str, Any] = (await call("get_workspace", principal)).snake()["workspace"]
    return workspace


@router.get("/workspaces/{workspaceId}/members", response_model=None,
             responses=doc(200, snake(MemberList)))
async def list_members(principal: WorkspacePrincipal) -> dict[str, Any]:
    """{workspace_id, members, total}."""
    return (await call("list_workspace_members", principal)).snake()


router.include_router(deals_v1.router)
