"""Every error, mapped once per response family. Nothing unexpected leaks a stack trace: an
unhandled error is INTERNAL_ERROR with a request id that the log also carries."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic.alias_generators import to_camel, to_snake
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.envelope import meta, request_id
from core.errors import AppError, RateLimited

log = logging.getLogger("bizpilot.api")

HTTP_CODES = {400: "BAD_REQUEST", 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND",
              405: "METHOD_NOT_ALLOWED", 409: "RESOURCE_CONFLICT", 413: "PAYLOAD_TOO_LARGE",
              415: "UNSUPPORTED_MEDIA_TYPE", 422: "VALIDATION_ERROR", 429: "RATE_LIMIT_EXCEEDED",
              500: "INTERNAL_ERROR"}
OPENAI_TYPES = {400: "invalid_request_error", 401: "authentication_error",
                403: "permission_error", 404: "not_found_error", 409: "invalid_request_error",
                422: "invalid_request_error", 429: "rate_limit_error", 500: "server_error"}


DOCUMENTED_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Malformed request (bad JSON, wrong content type)"},
    401: {"description": "Missing, invalid, expired or revoked credentials"},
    403: {"description": "The caller's role does not allow this"},
    404: {"description": "Not found, or not visible to this tenant (another tenant's ids look missing)"},
    409: {"description": "Conflict with existing data (duplicate, reused idempotency key)"},
    413: {"description": "Request body too large"},
    422: {"description": "Validation failed: details list the offending fields"},
    429: {"description": "Rate limit exceeded: see Retry-After and X-RateLimit-* headers"},
    500: {"description": "Internal error: only a code and a request id, never details"},
}
"""Every route can answer these, in its family's error shape (envelope, raw or OpenAI)."""


def family(path: str) -> str:
    if path.startswith("/v1/") or path == "/v1":
        return "openai"
    if path == "/health" or path.startswith("/api/v1"):
        return "raw"
    return "envelope"


NOT_FOUND_SPELLED_SHORT = ("/api/v1", "/health", "/api/crm/", "/api/analytics/", "/api/ai/predictions/",
                           "/api/ai/insights/", "/api/ai/automation/", "/api/marketplace/")
"""Route families whose clients know a missing record as NOT_FOUND; the rest of /api says
RESOURCE_NOT_FOUND. Decided here, by path, for every error the app answers."""


def spelled(path: str, code: str) -> str:
    """An error code as the path's family spells it."""
    if code == "RESOURCE_NOT_FOUND" and path.startswith(NOT_FOUND_SPELLED_SHORT):
        return "NOT_FOUND"
    return code

IDENTIFIER = re.compile(r"^[a-z][a-zA-Z0-9_]*$")


def _spell_fields(details: Any, spell: Callable[[str], str]) -> Any:
    """Field names in the family's spelling: camelCase under /api, snake_case under /api/v1."""
    if not isinstance(details, list):
        return details
    return [
        {**d, "field": ".".join(
            spell(part) if IDENTIFIER.match(part) else part for part in str(d["field"]).split("."))}
        if isinstance(d, dict) and "field" in d else d
        for d in details
    ]


def error_body(request: Request, status: int, code: str, message: str, details: Any) -> dict[str, Any]:
    kind = family(request.url.path)
    code = spelled(request.url.path, code)
    details = _spell_fields(details, to_camel if kind == "envelope" else to_snake)
    if kind == "openai":
        param = None
        if isinstance(details, list) and details and isinstance(details[0], dict):
            param = details[0].get("field")
        if status >= 500:  # as OpenAI does: the id to quote when reporting it (also in X-Request-Id)
            message = f"{message} (request id {request_id(request)})"
        return {"error": {"message": message, "type": OPENAI_TYPES.get(status, "api_error"),
                          "param": param, "code": code.lower()}}
    if kind == "raw":
        return {"success": False, "error": message, "code": code, "details": details,
                "request_id": request_id(request)}
    err: dict[str, Any] = {"code": code, "message": message, "details": details}
    if isinstance(details, list) and all(isinstance(d, dict) and "field" in d for d in details):
        err["fields"] = {d["field"]: d["message"] for d in details}
    return {"success": False, "data": None, "error": err, "meta": meta(request)}


def respond(request: Request, status: int, code: str, message: str, details: Any = None,
            headers: dict[str, str] | None = None) -> JSONResponse:
    body = error_body(request, status, code, message, details)
    return JSONResponse(body, status_code=status, headers=headers)


LOCATIONS = ("body", "query", "path", "header", "cookie")


def _field_name(loc: tuple[Any, ...]) -> str:
    """The field the client got wrong: the location prefix (body, query, ...) is dropped, a field
    that happens to be called "query" is kept."""
    parts = [str(p) for p in (loc[1:] if loc and loc[0] in LOCATIONS else loc)]
    return ".".join(parts) or "body"


def validation_details(exc: RequestValidationError) -> list[dict[str, str]]:
    details = []
    for e in exc.errors():
        if e.get("type") == "json_invalid":  # loc holds a character offset, not a field
            where = e.get("loc", ())[-1] if e.get("loc") else None
            error = (e.get("ctx") or {}).get("error", "")
            details.append({"field": "body", "message": f"not valid JSON ({error} at character {where})"
                            if error else "not valid JSON"})
            continue
        details.append({"field": _field_name(tuple(e.get("loc", ()))), "message": str(e.get("msg", ""))})
    return details


def _summary(details: list[dict[str, str]]) -> str:
    """One line naming the fields, for clients that only show `message`."""
    named = ", ".join(f"{d['field']}: {d['message']}" for d in details[:5])
    return f"Invalid input data ({named})" if named else "Invalid input data"


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    headers = None
    if isinstance(exc, RateLimited):
        reset = str(int(time.time()) + exc.retry_after)
        headers = {"Retry-After": str(exc.retry_after), "X-RateLimit-Limit": str(exc.limit),
                   "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset,
                   "X-Rate-Limit-Remaining": "0"}
    if exc.status_code == 401:
        headers = {"WWW-Authenticate": "Bearer"}
    return respond(request, exc.status_code, exc.code, exc.message, exc.details, headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = validation_details(exc)
    malformed = any(e.get("type") == "json_invalid" for e in exc.errors())
    status = 400 if malformed and family(request.url.path) == "openai" else 422
    message = "The request body is not valid JSON" if malformed else _summary(details)
    return respond(request, status, "VALIDATION_ERROR", message, details)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = HTTP_CODES.get(exc.status_code, "ERROR")
    if exc.status_code == 404 and family(request.url.path) != "openai":
        code = "RESOURCE_NOT_FOUND"  # spelled per family in error_body
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ").lower()
    return respond(request, exc.status_code, code, message, None, dict(exc.headers or {}) or None)


async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error [request %s]", request_id(request))
    # Sent by Starlette's outermost ServerErrorMiddleware, around RequestContext: name the request here.
    return respond(request, 500, "INTERNAL_ERROR", "Internal server error",
                   {"requestId": request_id(request)}, {"X-Request-Id": request_id(request)})


def install(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unhandled)
