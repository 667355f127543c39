"""Response shapes. `/api/...` answers in the envelope {success, data, error, meta};
`/api/v1/...` and `/health` answer with raw objects (documents 003 and 004)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from core.ids import iso, utcnow

API_VERSION = "1.0"


def request_id(request: Request) -> str:
    return getattr(request.state, "request_id", "")


def meta(request: Request, **extra: Any) -> dict[str, Any]:
    return {"timestamp": iso(utcnow()), "requestId": request_id(request), "version": API_VERSION,
            **extra}


def ok(request: Request, data: Any, *, status: int = 200, meta_extra: dict[str, Any] | None = None,
       **top: Any) -> JSONResponse:
    """Envelope success. `top` adds documented siblings of `data` (e.g. 002's `pagination`)."""
    body = {"success": True, "data": data, "error": None, **top,
            "meta": meta(request, **(meta_extra or {}))}
    return JSONResponse(body, status_code=status)


def no_content() -> Response:
    return Response(status_code=204)
