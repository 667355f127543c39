"""Hostile input stops at the edge, before any route, dependency or database sees it.

Pure ASGI middleware (streaming responses are untouched) that refuses, in the family's error
shape (`/mcp` gets a JSON-RPC error):

- a request body over `max_body` bytes (1 MiB): 413 PAYLOAD_TOO_LARGE, from the declared
  Content-Length before anything is read, else as soon as the streamed body passes the limit;
- JSON nested deeper than `max_depth` levels: json.loads raises RecursionError near 1000 levels
  (an unhandled 500 in code that parses bodies itself), and pydantic and the JSON columns fail on
  serialisation far earlier;
- the non-standard JSON constants NaN, Infinity and -Infinity, and numbers that overflow to an
  infinite float (1e400): RFC 8259 has no such values, Python's json accepts them, and a stored
  NaN would later break every response that includes it;
- NUL characters and unpaired surrogates in JSON strings (keys and values), the query string
  and the path: PostgreSQL text cannot hold NUL, and no database or UTF-8 response can hold a
  lone surrogate, so such a value could only ever end in a 500.

Every body is inspected whatever its Content-Type claims (code such as the auth rate limiter
parses bodies itself); a body that is not JSON at all, malformed JSON included, passes through
to the route's own validation.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import family, respond

MAX_BODY_BYTES = 1 << 20
MAX_JSON_DEPTH = 64
MCP_PATH = "/mcp"


class Refusal(Exception):
    def __init__(self, status: int, code: str, message: str, field: str = "body") -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


class _NotStandardJson(Exception):
    """NaN, Infinity or an overflowing number: not JSON (RFC 8259), whatever Python accepts."""


def _constant(name: str) -> Any:
    raise _NotStandardJson(name)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotStandardJson(text)
    return value


def bad_text(value: str) -> str | None:
    """Why this text cannot be stored or answered with, or None when it can."""
    if "\x00" in value:
        return "must not contain NUL (\\u0000) characters"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "must not contain unpaired UTF-16 surrogates"
    return None


def _walk(document: Any) -> Iterator[tuple[str, Any, int]]:
    """(path, value, depth) of every node, iteratively: the document may be deep."""
    stack: list[tuple[str, Any, int]] = [("", document, 1)]
    while stack:
        path, value, depth = stack.pop()
        yield path, value, depth
        if isinstance(value, dict):
            stack.extend((f"{path}.{k}" if path else str(k), v, depth + 1) for k, v in value.items())
            stack.extend((f"{path}.{k}" if path else str(k), k, depth) for k in value)
        elif isinstance(value, list):
            stack.extend((f"{path}.{i}" if path else str(i), v, depth + 1) for i, v in enumerate(value))


def inspect_json(body: bytes, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Raise Refusal for JSON that must not reach a route; malformed JSON is left to the route."""
    try:
        document = json.loads(body, parse_constant=_constant, parse_float=_finite)
    except RecursionError:
        raise Refusal(422, "VALIDATION_ERROR", f"JSON is nested more than {max_depth} levels deep") from None
    except _NotStandardJson as err:
        raise Refusal(422, "VALIDATION_ERROR",
                      f"{err} is not a JSON number: send a finite number") from None
    except ValueError:  # malformed, or not UTF-8: the route answers it in its own words
        return
    for path, value, depth in _walk(document):
        if depth > max_depth:
            raise Refusal(422, "VALIDATION_ERROR", f"JSON is nested more than {max_depth} levels deep")
        if isinstance(value, str) and (problem := bad_text(value)):
            raise Refusal(422, "VALIDATION_ERROR", f"Text {problem}", path or "body")


def inspect_target(scope: Scope) -> None:
    """NUL or unpaired surrogates in the (already decoded) path or in a query parameter."""
    if problem := bad_text(scope.get("path", "")):
        raise Refusal(422, "VALIDATION_ERROR", f"The path {problem}", "path")
    query = scope.get("query_string", b"").decode("latin-1")
    for key, value in parse_qsl(query, keep_blank_values=True):
        if (problem := bad_text(key) or bad_text(value)):
            raise Refusal(422, "VALIDATION_ERROR", f"Query parameter {problem}", key[:100])


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return ""


def _declared_length(scope: Scope) -> int | None:
    try:
        return int(_header(scope, b"content-length"))
    except ValueError:
        return None


def refusal_response(scope: Scope, refusal: Refusal) -> Response:
    if scope.get("path") == MCP_PATH:  # JSON-RPC clients read the error object
        code = -32600 if refusal.status == 413 else -32602
        body = {"jsonrpc": "2.0", "id": None, "error": {"code": code, "message": refusal.message}}
        return JSONResponse(body, status_code=refusal.status)
    status = 400 if refusal.status == 422 and family(scope.get("path", "")) == "openai" else refusal.status
    details = [{"field": refusal.field, "message": refusal.message}]
    return respond(Request(scope), status, refusal.code, refusal.message, details)


class InputGuard:
    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY_BYTES, max_depth: int = MAX_JSON_DEPTH) -> None:
        self.app = app
        self.max_body = max_body
        self.max_depth = max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            inspect_target(scope)
            messages = await self._read(scope, receive)
            body = b"".join(m.get("body", b"") for m in messages)
            if body:
                inspect_json(body, self.max_depth)
        except Refusal as refusal:
            await refusal_response(scope, refusal)(scope, receive, send)
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    async def _read(self, scope: Scope, receive: Receive) -> list[Message]:
        """The whole body (at most max_body bytes), as the messages that carried it."""
        too_large = Refusal(413, "PAYLOAD_TOO_LARGE",
                            f"The request body is larger than {self.max_body} bytes")
        declared = _declared_length(scope)
        if declared is not None and declared > self.max_body:
            raise too_large
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                return messages
            size += len(message.get("body", b""))
            if size > self.max_body:
                raise too_large
            if not message.get("more_body", False):
                return [{"type": "http.request", "body": b"".join(m.get("body", b"") for m in messages),
                         "more_body": False}]
