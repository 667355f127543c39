"""Health and API info (document 004)."""

from __future__ import annotations

from fastapi import APIRouter

from api.openapi_models import ApiInfo, Health, doc
from core.ids import iso, utcnow
from core.settings import get_settings
from store.db import ping

router = APIRouter(tags=["health"])
VERSION = "0.1.0"


@router.get("/health", response_model=None, responses=doc(200, Health))
def health() -> dict[str, object]:
    """Liveness plus the database check an operator needs; `status` stays "ok" as 004 shows."""
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


@router.get("/api/v1", response_model=None, responses=doc(200, ApiInfo))
def api_info() -> dict[str, str]:
    return {"message": "BizPilot API v1 (VectorOS-compatible)", "version": VERSION}
