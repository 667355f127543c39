"""MCP over streamable HTTP at /mcp of the real app on a real socket (the `live_server`), with the
official client: bearer auth per request, tenant selection, DNS-rebinding protection, calls that
land in the caller's tenant and nowhere else, and concurrent callers kept apart."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import httpx
import httpx2
import jwt
import pytest
from fastapi.testclient import TestClient
from helpers import Account, LiveServer
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError
from mcp_types import CallToolResult

from core.settings import get_settings
from mcp_server.http import transport_security
from tools.identity.tokens import ACCESS_AUDIENCE

FindCustomers = Callable[[Account, str], list[dict[str, Any]]]
ACCEPT = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                         "clientInfo": {"name": "test", "version": "1"}}}


@asynccontextmanager
async def mcp_http(server: LiveServer, token: str, tenant: str | None = None,
                   mode: str = "auto") -> AsyncIterator[Client]:
    headers = {"Authorization": f"Bearer {token}"} | ({"X-Tenant-Id": tenant} if tenant else {})
    async with httpx2.AsyncClient(headers=headers, timeout=15) as http:
        transport = streamable_http_client(f"{server.url}/mcp", http_client=http)
        async with Client(transport, mode=mode) as mcp:
            yield mcp


def text_of(result: CallToolResult) -> str:
    return " ".join(getattr(block, "text", "") for block in result.content)


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:10]}"


def post_initialize(server: LiveServer, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(f"{server.url}/mcp", json=INITIALIZE, headers={**ACCEPT, **headers},
                      follow_redirects=False, timeout=10)


def test_post_mcp_is_served_at_the_exact_path(client: TestClient, account: Account) -> None:
    anonymous = client.post("/mcp", json=INITIALIZE, headers=ACCEPT, follow_redirects=False)
    assert anonymous.status_code == 401
    r = client.post("/mcp", json=INITIALIZE, headers={**ACCEPT, **account.headers}, follow_redirects=False)
    assert r.status_code == 200, r.text
    assert r.json()["result"]["serverInfo"]["name"] == "bizpilot"
    assert "mcp-session-id" not in r.headers
    stream = client.get("/mcp", headers={**ACCEPT, **account.headers})
    assert stream.status_code == 405  # stateless: no idle server stream to hold a connection open


def expired_token(account: Account) -> str:
    past = datetime.now(UTC) - timedelta(hours=2)
    claims = {"sub": account.user_id, "tid": account.tenant_id, "aud": ACCESS_AUDIENCE, "iat": past,
              "exp": past + timedelta(minutes=5), "jti": "x"}
    return jwt.encode(claims, get_settings().secret_key, algorithm="HS256")


def test_missing_or_bad_tokens_get_401_with_a_bearer_challenge(live_server: LiveServer,
                                                               account: Account) -> None:
    for headers in ({}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer not-a-jwt"},
                    {"Authorization": "Bearer bp_no_such_key"},
                    {"Authorization": f"Bearer {expired_token(account)}"}):
        r = post_initialize(live_server, headers)
        assert r.status_code == 401, (headers, r.text)
        assert r.headers["www-authenticate"].startswith("Bearer")
    assert 'error="invalid_token"' in post_initialize(
        live_server, {"Authorization": "Bearer not-a-jwt"}).headers["www-authenticate"]


def test_foreign_tenant_and_foreign_host_are_refused(live_server: LiveServer, account: Account,
                                                     other_account: Account) -> None:
    own = post_initialize(live_server, {**account.headers, "X-Tenant-Id": account.tenant_id})
    assert own.status_code == 200, own.text
    foreign = post_initialize(live_server, {**account.headers, "X-Tenant-Id": other_account.tenant_id})
    assert foreign.status_code == 404
    assert foreign.json()["error"] == "TENANT_NOT_FOUND"
    assert post_initialize(live_server, {**account.headers, "Host": "evil.example.com"}).status_code == 421
    origin = {**account.headers, "Origin": "http://evil.example.com"}
    assert post_initialize(live_server, origin).status_code == 403


@pytest.mark.anyio
async def test_mcp_client_is_refused_without_valid_credentials(live_server: LiveServer, account: Account,
                                                               other_account: Account) -> None:
    for token, tenant in (("not-a-jwt", None), (account.token, other_account.tenant_id)):
        with pytest.raises(ExceptionGroup) as caught:
            async with mcp_http(live_server, token, tenant) as mcp:
                await mcp.list_tools()
        assert caught.group_contains(MCPError)


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_list_and_create_land_in_the_callers_tenant(live_server: LiveServer, account: Account,
                                                          other_account: Account,
                                                          find_customers: FindCustomers, mode: str) -> None:
    name = unique("Http")
    async with mcp_http(live_server, account.token, account.tenant_id, mode=mode) as mcp:
        names = {t.name for t in (await mcp.list_tools()).tools}
        result = await mcp.call_tool("create_customer", {"name": name, "company": "Tech Corp"})
    assert {"list_customers", "create_customer", "delete_customer", "search_tools", "call_tool"} <= names
    assert not result.is_error, text_of(result)
    created = result.structured_content["customer"]
    assert [c["id"] for c in find_customers(account, name)] == [created["id"]]
    assert find_customers(other_account, name) == []
    async with mcp_http(live_server, other_account.token) as other:
        hidden = await other.call_tool("get_customer", {"customer_id": created["id"]})
    assert hidden.is_error and "not found" in text_of(hidden).lower()


@pytest.mark.anyio
async def test_invalid_arguments_and_confirmation_over_stateless_http(live_server: LiveServer,
                                                                      account: Account,
                                                                      make_api_key: Callable[[Account], str]
                                                                      ) -> None:
    async with mcp_http(live_server, make_api_key(account)) as mcp:
        invalid = await mcp.call_tool("create_customer", {"name": "", "email": "nope"})
        made = await mcp.call_tool("create_customer", {"name": unique("Doomed")})
        args = {"customer_id": made.structured_content["customer"]["id"]}
        preview = await mcp.call_tool("delete_customer", args)
        token = preview.structured_content["confirmation_token"]
        done = await mcp.call_tool("delete_customer", {**args, "confirmation_token": token})
    assert invalid.is_error
    assert "name:" in text_of(invalid) and "email:" in text_of(invalid)
    assert preview.structured_content["status"] == "confirmation_required"
    assert done.structured_content["status"] == "done", text_of(done)


@pytest.mark.anyio
async def test_concurrent_requests_each_run_as_their_own_principal(live_server: LiveServer,
                                                                   account: Account,
                                                                   other_account: Account) -> None:
    tag = uuid.uuid4().hex[:10]
    async with mcp_http(live_server, account.token) as a, mcp_http(live_server, other_account.token) as b:
        async with anyio.create_task_group() as tg:
            for i in range(6):
                tg.start_soon(a.call_tool, "create_customer", {"name": f"{tag} A{i}"})
                tg.start_soon(b.call_tool, "create_customer", {"name": f"{tag} B{i}"})
        seen_a = await a.call_tool("list_customers", {"search": tag, "limit": 100})
        seen_b = await b.call_tool("list_customers", {"search": tag, "limit": 100})
    names_a = sorted(c["name"] for c in seen_a.structured_content["customers"])
    names_b = sorted(c["name"] for c in seen_b.structured_content["customers"])
    assert names_a == [f"{tag} A{i}" for i in range(6)]
    assert names_b == [f"{tag} B{i}" for i in range(6)]


def test_allowed_hosts_setting() -> None:
    local = transport_security("127.0.0.1:*,localhost:*,testserver")
    assert local.enable_dns_rebinding_protection
    assert "http://localhost:*" in local.allowed_origins and "testserver" in local.allowed_hosts
    assert transport_security("*").enable_dns_rebinding_protection is False
    assert "127.0.0.1:*" in transport_security(" ").allowed_hosts
