"""Shared machinery of the security probes: the catalogue of every route the app serves (walked
from the router and the OpenAPI document, so a route added tomorrow is probed too), the error
shape each path family promises, sample requests built from the schemas, and a leak guard that
inspects every response the probes receive.

Test modules reach all of it through the `surface` fixture (conftest modules are not importable
by name), and get the guard for free: it is autouse.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from helpers import Account

from api.errors import family
from api.ratelimit import LIMITER
from store.db import unit_of_work
from tools.identity import service

PUBLIC_PATHS = frozenset({"/health", "/api/v1", "/docs", "/openapi.json", "/docs/oauth2-redirect",
                          "/redoc"})
AUTH_PREFIXES = ("/api/auth/", "/api/v1/auth/")
MCP_PATH = "/mcp"
MCP_ACCEPT = {"Accept": "application/json, text/event-stream"}
LEAK_MARKERS = ("password_hash", "passwordHash", "$argon2", "Traceback", 'File "/', "SELECT ",
                "sqlalchemy", "psycopg", "sqlite3", "token_hash", "key_hash", "mfa_secret",
                "mfaSecret")


@pytest.fixture(autouse=True)
def _fresh_limits() -> Iterator[None]:
    """Probes send bursts to the auth routes: every test starts with empty rate-limit windows."""
    LIMITER.clear()
    yield
    LIMITER.clear()


# --- the catalogue ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # the OpenAPI template, e.g. /api/crm/customers/{customer_id}
    operation: dict[str, Any] = field(hash=False, compare=False)
    public: bool = False

    @property
    def family(self) -> str:
        return "mcp" if self.path == MCP_PATH else family(self.path)

    @property
    def path_params(self) -> list[str]:
        return re.findall(r"{([^}:]+)", self.path)

    @property
    def query_params(self) -> list[dict[str, Any]]:
        return [p for p in self.operation.get("parameters", []) if p.get("in") == "query"]

    @property
    def body_schema(self) -> dict[str, Any] | None:
        content = self.operation.get("requestBody", {}).get("content", {})
        schema = content.get("application/json", {}).get("schema")
        return schema if isinstance(schema, dict) else None

    @property
    def takes_body(self) -> bool:
        return self.body_schema is not None or (self.path == MCP_PATH and self.method == "POST")

    def url(self, values: dict[str, str] | None = None, default: str = "") -> str:
        values = values or {}
        fill = default or str(uuid.uuid4())

        def one(match: re.Match[str]) -> str:
            return quote(values.get(match.group(1), fill), safe="")

        return re.sub(r"{([^}:]+)(?::[^}]*)?}", one, self.path)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _dependency_modules(route: Any) -> set[str]:
    modules: set[str] = set()
    stack = [getattr(route, "dependant", None)]
    while stack:
        dependant = stack.pop()
        if dependant is None:
            continue
        for sub in dependant.dependencies:
            modules.add(getattr(sub.call, "__module__", ""))
            stack.append(sub)
    return modules


def _is_public(route: Any, path: str) -> bool:
    """Documented public routes, and auth routes that take no token (register, login, refresh):
    an auth route with an authentication dependency (logout, me) is protected."""
    if path in PUBLIC_PATHS:
        return True
    return path.startswith(AUTH_PREFIXES) and "api.deps" not in _dependency_modules(route)


def catalogue(app: FastAPI) -> list[Endpoint]:
    paths: dict[str, Any] = app.openapi()["paths"]
    found: list[Endpoint] = []
    for route in iter_route_contexts(app.routes):
        path = re.sub(r"{([^}:]+):[^}]*}", r"{\1}", route.path or "")
        for method in sorted((route.methods or set()) - {"HEAD"}):
            operation = paths.get(path, {}).get(method.lower(), {})
            found.append(Endpoint(method, path, operation, _is_public(route, path)))
    return found


# --- sample requests from the schemas -----------------------------------------------------------


def _samples() -> dict[str, Any]:
    return {"email": f"probe-{uuid.uuid4().hex[:10]}@example.com", "password": "SecurePass123!",
            "messages": [{"role": "user", "content": "hello"}], "query": "hello", "message": "hello",
            "name": "Probe", "title": "Probe", "refreshToken": "rt_probe", "refresh_token": "rt_probe"}


class Schemas:
    """Turns the OpenAPI document's JSON schemas into minimal valid example values."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.components = document.get("components", {}).get("schemas", {})

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.components[schema["$ref"].rsplit("/", 1)[-1]]
        options = schema.get("anyOf") or schema.get("oneOf") or schema.get("allOf")
        if options:
            concrete = [o for o in options if self.resolve(o).get("type") != "null"]
            return self.resolve(concrete[0]) if concrete else {"type": "null"}
        return schema

    def properties(self, schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return {k: self.resolve(v) for k, v in self.resolve(schema).get("properties", {}).items()}

    def example(self, schema: dict[str, Any], name: str = "") -> Any:
        schema = self.resolve(schema)
        samples = _samples()
        if name in samples:
            return samples[name]
        if "enum" in schema or "const" in schema:
            return schema.get("enum", [schema.get("const")])[0]
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            return self.object_example(schema)
        if kind == "array":
            return [self.example(schema.get("items", {}))] if schema.get("minItems") else []
        if kind in ("integer", "number"):
            return schema.get("minimum", 1)
        if kind == "boolean":
            return False
        return self.string_example(schema)

    def object_example(self, schema: dict[str, Any]) -> dict[str, Any]:
        props = self.properties(schema)
        chosen = list(schema.get("required", []))
        if not chosen:  # a PATCH body: change one harmless field
            chosen = [k for k in ("name", "title", "stage", "status") if k in props][:1]
        return {k: self.example(props[k], k) for k in chosen if k in props}

    @staticmethod
    def string_example(schema: dict[str, Any]) -> str:
        fmt = schema.get("format", "")
        if fmt == "email":
            return f"probe-{uuid.uuid4().hex[:8]}@example.com"
        if fmt == "date":
            return "2025-01-15"
        if fmt == "date-time":
            return "2025-01-15T10:00:00Z"
        return "Probe".ljust(int(schema.get("minLength", 0)), "x")


# --- error shapes -------------------------------------------------------------------------------


def shape_problem(fam: str, response: httpx.Response, code: str | None = None) -> str | None:
    """Why this error response is not in its family's documented shape, or None if it is."""
    try:
        body = response.json()
    except ValueError:
        return f"not JSON: {response.text[:120]!r}"
    if not isinstance(body, dict):
        return f"not an object: {body!r:.120}"
    checks = {"envelope": _envelope_problem, "raw": _raw_problem, "openai": _openai_problem,
              "mcp": _mcp_problem}
    return checks[fam](body, response, code)


def _envelope_problem(body: dict[str, Any], response: httpx.Response, code: str | None) -> str | None:
    error = body.get("error")
    if body.get("success") is not False or not isinstance(error, dict):
        return f"not an envelope error: {body!r:.200}"
    if not isinstance(error.get("message"), str) or not error.get("code"):
        return f"error without code/message: {error!r:.200}"
    if code and error["code"] != code:
        return f"code {error['code']!r}, expected {code!r}"
    if body.get("meta", {}).get("requestId") != response.headers.get("x-request-id"):
        return "meta.requestId does not match the X-Request-Id header"
    return None


def _raw_problem(body: dict[str, Any], _response: httpx.Response, code: str | None) -> str | None:
    if body.get("success") is not False or not isinstance(body.get("error"), str) or not body.get("code"):
        return f"not a raw error: {body!r:.200}"
    if code and body["code"] != code:
        return f"code {body['code']!r}, expected {code!r}"
    return None


def _openai_problem(body: dict[str, Any], _response: httpx.Response, code: str | None) -> str | None:
    error = body.get("error")
    if not isinstance(error, dict) or not isinstance(error.get("message"), str) or not error.get("type"):
        return f"not an OpenAI error: {body!r:.200}"
    if code and error.get("code") != code.lower():
        return f"code {error.get('code')!r}, expected {code.lower()!r}"
    return None


def _mcp_problem(body: dict[str, Any], response: httpx.Response, code: str | None) -> str | None:
    if "jsonrpc" in body:
        return None if isinstance(body.get("error"), dict) else f"JSON-RPC without error: {body!r:.200}"
    if not isinstance(body.get("error"), str):
        return f"not an MCP HTTP error: {body!r:.200}"
    if response.status_code == 401 and not response.headers.get("www-authenticate", "").startswith("Bearer"):
        return "401 without a Bearer challenge"
    if code and response.status_code != 401 and body["error"] != code:
        return f"error {body['error']!r}, expected {code!r}"
    return None


# --- the surface fixture ------------------------------------------------------------------------


@dataclass
class Surface:
    """Everything a probe needs: the endpoints, sample requests, a never-raising sender and the
    family error-shape check."""

    client: TestClient
    endpoints: list[Endpoint]
    schemas: Schemas

    def protected(self) -> list[Endpoint]:
        return [e for e in self.endpoints if not e.public]

    def with_body(self) -> list[Endpoint]:
        return [e for e in self.endpoints if e.takes_body and e.path != MCP_PATH]

    def body(self, endpoint: Endpoint) -> Any:
        if endpoint.path == MCP_PATH:
            return {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
        schema = endpoint.body_schema
        return self.schemas.example(schema) if schema is not None else None

    def send(self, endpoint: Endpoint, url: str | None = None, *, headers: dict[str, str] | None = None,
             json_body: Any = None, content: bytes | str | None = None,
             params: dict[str, Any] | None = None) -> httpx.Response | str:
        """The response, or a description of the exception a 500 raised inside the app."""
        headers = dict(headers or {})
        if endpoint.path == MCP_PATH:
            headers = {**MCP_ACCEPT, **headers}
        if json_body is None and content is None and endpoint.takes_body:
            json_body = self.body(endpoint)
        try:
            return self.client.request(endpoint.method, url or endpoint.url(), headers=headers,
                                       json=json_body, content=content, params=params)
        except Exception as exc:  # raise_server_exceptions: an unhandled error in the app
            return f"500 (raised {type(exc).__name__}: {str(exc)[:200]})"

    @staticmethod
    def fresh_token(account: Account) -> str:
        """A new login (its own token family) without the rate-limited route: a probe that
        reaches logout revokes only this one."""
        with unit_of_work() as session:
            return service.login(session, email=account.email, password=account.password).access_token

    @staticmethod
    def problem(endpoint: Endpoint, response: httpx.Response | str, status: int | tuple[int, ...],
                code: str | None = None) -> str | None:
        """Why this response is not the expected error, or None."""
        if isinstance(response, str):
            return f"{endpoint}: {response}"
        allowed = (status,) if isinstance(status, int) else status
        if response.status_code not in allowed:
            return f"{endpoint}: {response.status_code} (expected {allowed}) {response.text[:200]}"
        if endpoint.method == "HEAD":
            return None
        found = shape_problem(endpoint.family, response, code)
        return f"{endpoint}: {found}" if found else None


    @staticmethod
    def report(problems: list[str | None]) -> str:
        found = [p for p in problems if p]
        return f"{len(found)} problem(s):\n" + "\n".join(found[:80])


@pytest.fixture(scope="module")
def surface(client: TestClient) -> Surface:
    app = client.app
    assert isinstance(app, FastAPI)
    return Surface(client, catalogue(app), Schemas(app.openapi()))


# --- the leak guard -----------------------------------------------------------------------------


def leaked_markers(response: httpx.Response, secret: str) -> list[str]:
    """Markers of internals in the body that the request itself did not carry (an echo of the
    caller's own input is not a leak)."""
    try:
        text = response.read().decode("utf-8", "replace")
    except httpx.StreamError:
        return []
    request = response.request
    sent = str(request.url) + bytes(request.content or b"").decode("utf-8", "replace")
    markers = [*LEAK_MARKERS, secret]
    found = [m for m in markers if m and m in text and m not in sent]
    if response.status_code >= 500 and response.headers.get("x-request-id", "") not in text:
        found.append("5xx without its request id")
    return found


@pytest.fixture(autouse=True)
def leak_guard(client: TestClient) -> Iterator[list[str]]:
    """Every response a probe receives is checked for stack traces, SQL, password hashes and the
    server's secret; the test fails at the end if any carried one."""
    secret = os.environ.get("SECRET_KEY", "")
    leaks: list[str] = []

    def inspect(response: httpx.Response) -> None:
        found = leaked_markers(response, secret)
        if found:
            leaks.append(f"{response.request.method} {response.request.url.path} "
                         f"{response.status_code}: {found}")

    client.event_hooks["response"].append(inspect)
    yield leaks
    client.event_hooks["response"].remove(inspect)
    assert not leaks, "responses leaked internals:\n" + "\n".join(leaks[:20])
