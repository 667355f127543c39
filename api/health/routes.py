"""`GET /health` and `GET /api/v1` (raw objects)."""

from __future__ import annotations

from fastapi import APIRouter

from api.family import RawRoute
from api.openapi_models import ApiInfo, Health, doc
from core.ids import iso, utcnow
from core.settings import get_settings
from store.db import ping

router = APIRouter(tags=["health"], route_class=RawRoute)
VERSION = "0.1.0"


@router.get("/health", responses=doc(200, Health))
def health() -> dict[str, object]:
    """Liveness plus the database check an operator needs; `status` is "ok" or "degraded"."""
    db_ok = ping()
    settings = get_settings()
    return {
        "status": "ok" if db_ok else "degraded",
        "service": "bizpilot",
        "timestamp": iso(utcnow()),
        "version": VERSION,
        "model": settings.llm_model or settings.provider,
        "checks": {"database": "ok" if db_ok else "error"},
    }


@router.get("/api/v1", responses=doc(200, ApiInfo))
def api_info() -> dict[str, str]:
    """The API's name and version."""
    return {"message": "BizPilot API v1", "version": VERSION}
