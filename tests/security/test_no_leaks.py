"""No response carries internals: no password hash (not even as a schema field), stack trace, SQL,
secret key or presented credential; an unhandled error in any family is an opaque INTERNAL_ERROR
with a request id that the log carries too. (Every probe in this folder also runs through the
autouse leak guard of conftest.py; these tests aim at what the other probes cannot reach.)
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from helpers import Account

from core.settings import get_settings

if TYPE_CHECKING:
    from tests.security.conftest import Endpoint, Surface

SENSITIVE = ('SELECT password_hash FROM users WHERE email = \'x\'; $argon2id$v=19$m=65536 '
             'File "/srv/bizpilot/store/db.py", line 1 sqlalchemy.exc.OperationalError')
FORBIDDEN_FIELD_WORDS = ("hash", "secret", "salt")
WEBHOOK_SECRET_FIELDS = {"secret", "secretRotatedAt", "secret_rotated_at"}
"""The one secret the documents put in bodies: a webhook's signing secret, sent by the client when
it registers the webhook (000, 002) or generated and shown in that one response (and a rotation's);
never in any read. tests/webhooks checks that it never comes back."""
WEBHOOK_SCHEMAS = {"CreateWebhookInput", "WebhookWithSecret", "WebhookCreatedV1Snake", "WebhookOut",
                   "WebhookOutSnake"}
MFA_SCHEMAS = {"MfaEnrollmentOut", "MfaEnrollmentOutSnake"}
"""Document 003's MFA enrolment returns the TOTP `secret` once, in that response only."""


def keys(document: Any) -> Iterator[str]:
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            yield from (str(k) for k in value)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


def test_openapi_has_no_hash_or_secret_fields(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    for name, schema in document["components"]["schemas"].items():
        fields = set(schema.get("properties", {}))
        bad = [f for f in fields if any(w in f.lower() for w in FORBIDDEN_FIELD_WORDS)]
        if name in WEBHOOK_SCHEMAS:
            bad = [f for f in bad if f not in WEBHOOK_SECRET_FIELDS]
        if name in MFA_SCHEMAS:
            bad = [f for f in bad if f != "secret"]
        assert not bad, (name, bad)
    text = json.dumps(document)
    assert "password_hash" not in text and "passwordHash" not in text
    assert get_settings().secret_key not in text


def test_user_shaped_responses_carry_no_password_material(client: TestClient, account: Account) -> None:
    h = account.headers
    responses = [
        client.post("/api/auth/login", json={"email": account.email, "password": account.password}),
        client.post("/api/v1/auth/login", json={"email": account.email, "password": account.password}),
        client.get("/api/users/me", headers=h), client.get("/api/v1/auth/me", headers=h),
        client.get(f"/api/v1/workspaces/{account.tenant_id}/members", headers=h),
        client.get(f"/api/v1/workspaces/{account.tenant_id}", headers=h),
    ]
    for r in responses:
        assert r.status_code == 200, r.text
        found = [k for k in keys(r.json()) if "password" in k.lower() or "hash" in k.lower()]
        assert not found, (r.request.url.path, found)
        assert account.password not in r.text


@pytest.fixture
def quiet_client(app: FastAPI) -> Iterator[TestClient]:
    """A client that receives 500s instead of raising them."""
    with TestClient(app, raise_server_exceptions=False) as quiet:
        yield quiet


@pytest.fixture
def exploding_tools(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every tool call of a signed-in caller fails with an error whose text is full of internals
    (signing in itself still works, so the probes can get a token)."""
    import tools.runtime

    original = tools.runtime._run

    def explode(spec: Any, *args: Any, **kwargs: Any) -> Any:
        if spec.public:
            return original(spec, *args, **kwargs)
        raise RuntimeError(SENSITIVE)

    monkeypatch.setattr(tools.runtime, "_run", explode)


def opaque_problem(endpoint: Endpoint, r: httpx.Response) -> str | None:
    if r.status_code != 500:
        return None
    rid = r.headers.get("x-request-id", "")
    text = r.text
    if any(marker in text for marker in ("password_hash", "$argon2", "SELECT", "File \"", "RuntimeError",
                                         "sqlalchemy")):
        return f"{endpoint}: 500 leaked internals: {text[:200]}"
    if not rid or rid not in text:
        return f"{endpoint}: 500 without its request id: {text[:200]}"
    body = r.json()
    code = {"envelope": lambda: body["error"]["code"], "raw": lambda: body["code"],
            "openai": lambda: body["error"]["code"].upper()}[endpoint.family]()
    return None if code == "INTERNAL_ERROR" else f"{endpoint}: 500 with code {code}"


@pytest.mark.usefixtures("exploding_tools")
def test_unhandled_errors_are_opaque_on_every_route(
    surface: Surface, quiet_client: TestClient, account: Account, caplog: pytest.LogCaptureFixture
) -> None:
    problems: list[str | None] = []
    opaque = 0
    values = {"workspaceId": account.tenant_id}
    with caplog.at_level(logging.ERROR, logger="bizpilot"):
        for endpoint in surface.protected():
            if endpoint.path == "/mcp":  # MCP answers failures as tool results, see below
                continue
            body = surface.body(endpoint) if endpoint.takes_body else None
            headers = {"Authorization": f"Bearer {surface.fresh_token(account)}"}
            r = quiet_client.request(endpoint.method, endpoint.url(values), headers=headers, json=body)
            problems.append(opaque_problem(endpoint, r))
            if r.status_code == 500:
                opaque += 1
                rid = r.headers["x-request-id"]
                if not any(rid in record.getMessage() for record in caplog.records):
                    problems.append(f"{endpoint}: the log does not carry request id {rid}")
    assert opaque >= 10 and not any(problems), surface.report(problems)
    families = {e.family for e in surface.protected()}
    assert {"envelope", "raw", "openai"} <= families


def test_an_openai_surface_500_is_opaque_too(quiet_client: TestClient, account: Account,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import api.chat.openai_routes

    class Broken:
        @staticmethod
        def list_models() -> list[dict[str, Any]]:
            raise RuntimeError(SENSITIVE)

    monkeypatch.setattr(api.chat.openai_routes, "agent_service", lambda: Broken)
    r = quiet_client.get("/v1/models", headers=account.headers)
    assert r.status_code == 500
    error = r.json()["error"]
    assert error["code"] == "internal_error" and error["type"] == "server_error"
    assert r.headers["x-request-id"] in error["message"]
    assert "password_hash" not in r.text and "RuntimeError" not in r.text


@pytest.mark.usefixtures("exploding_tools")
def test_mcp_tool_failures_are_opaque(client: TestClient, account: Account) -> None:
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": {"name": "list_customers", "arguments": {}}}
    r = client.post("/mcp", json=body, headers={"Accept": "application/json, text/event-stream",
                                                **account.headers})
    assert r.status_code == 200
    result = r.json()["result"]
    assert result["isError"] is True and "request id" in result["content"][0]["text"].lower()
    assert "password_hash" not in r.text and "SELECT" not in r.text and "RuntimeError" not in r.text


def test_presented_credentials_are_never_echoed(surface: Surface, account: Account) -> None:
    forged = account.token[:-4] + "AAAA"
    problems: list[str | None] = []
    for endpoint in surface.protected():
        for token in (forged, "bp_" + "k" * 40):
            r = surface.send(endpoint, headers={"Authorization": f"Bearer {token}"})
            text = r if isinstance(r, str) else r.text
            if token in text:
                problems.append(f"{endpoint}: echoed the presented credential")
    assert not any(problems), surface.report(problems)


def test_validation_errors_do_not_echo_input_values(client: TestClient, account: Account) -> None:
    marker = "Zq9-secret-looking-input"
    r = client.post("/api/crm/customers", headers=account.headers,
                    json={"name": marker * 20, "email": marker, "status": marker})
    assert r.status_code == 422 and marker not in r.text, r.text
    r = client.post("/api/auth/login", json={"email": f"a@{marker}", "password": marker * 10})
    assert marker not in r.text, r.text



@pytest.mark.parametrize("incoming", ["<script>alert(1)</script>", "x" * 500, "a b", "req_ok-1.2:3"])
def test_request_ids_are_reflected_only_when_safe(client: TestClient, incoming: str) -> None:
    r = client.get("/api/users/me", headers={"X-Request-Id": incoming})
    assert r.status_code == 401
    echoed = r.headers["x-request-id"]
    assert (echoed == incoming) == (incoming == "req_ok-1.2:3")
    assert "<script>" not in r.text and echoed in r.text
