"""Helpers shared by the CRM route modules: run a tool as the caller, answer a paginated list."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from api.envelope import ok
from api.schemas.crm import pagination
from tools.context import Principal
from tools.runtime import aexecute
from tools.schemas import ToolModel

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing, malformed, expired or revoked token"},
    403: {"description": "The caller's role does not allow this"},
    404: {"description": "No such record in the caller's tenant (another tenant's rows look "
                         "exactly like missing ones), or X-Tenant-Id names a tenant the caller "
                         "does not belong to (TENANT_NOT_FOUND)"},
    409: {"description": "Conflict, e.g. a duplicate email or a reused Idempotency-Key"},
    429: {"description": "Rate limit exceeded; see Retry-After and X-RateLimit-* headers"},
}


async def call(tool: str, principal: Principal, args: Any = None, *, confirmed: bool = False) -> ToolModel:
    """The one way these routes reach a capability: validation, role, tenant scope and the
    transaction all happen in `tools.runtime`."""
    result = await aexecute(tool, principal, args, confirmed=confirmed)
    assert isinstance(result, ToolModel)
    return result


def listed(request: Request, data: dict[str, Any], page: int, limit: int, total: int) -> JSONResponse:
    """A list in every document's paginated style at once: 001's data.pagination, 002's top-level
    pagination and 000's meta.page/limit/total."""
    block = pagination(page, limit, total)
    data["pagination"] = block
    return ok(request, data, pagination=block,
              meta_extra={"page": page, "limit": limit, "total": total})
