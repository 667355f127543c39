"""The MCP server in process (mcp.Client on the server object) for a fixed principal: listing,
schemas and annotations, calls, error results, the preview/confirm protocol, meta tools,
toolset selection and tenant isolation."""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from helpers import Account
from mcp import Client
from mcp_types import CallToolResult
from sqlalchemy import select

import mcp_server.server as server_module
from core.settings import get_settings
from mcp_server.server import build_server
from mcp_server.toolsets import MAX_LISTED_TOOLS, listed_tools, parse_toolsets
from store.db import unit_of_work
from store.models import AuditLog
from tools.context import Principal
from tools.registry import all_tools

pytestmark = pytest.mark.anyio
FindCustomers = Callable[[Account, str], list[dict[str, Any]]]


def connect(principal: Principal, toolsets: str | None = None) -> Client:
    return Client(build_server(lambda _ctx: principal, toolsets_setting=toolsets))


def text_of(result: CallToolResult) -> str:
    return " ".join(getattr(block, "text", "") for block in result.content)


def unique(prefix: str = "Jane") -> str:
    return f"{prefix} {uuid.uuid4().hex[:10]}"


async def create(mcp: Client, name: str, **extra: Any) -> dict[str, Any]:
    result = await mcp.call_tool("create_customer", {"name": name, **extra})
    assert not result.is_error, text_of(result)
    return dict(result.structured_content["customer"])


async def test_lists_tools_with_registry_schemas_and_annotations(principal: Principal) -> None:
    async with connect(principal) as mcp:
        listed = {t.name: t for t in (await mcp.list_tools()).tools}
    specs = all_tools()
    expected = listed_tools(specs.values(), parse_toolsets(get_settings().mcp_toolsets))
    assert set(listed) == {s.name for s in expected} | {"search_tools", "call_tool"}
    assert len(listed) <= MAX_LISTED_TOOLS
    for name in ("list_customers", "create_customer", "delete_customer"):
        assert listed[name].input_schema == specs[name].input_schema()
        assert listed[name].output_schema == specs[name].output_schema()
        assert listed[name].description == specs[name].description
        annotations = listed[name].annotations
        assert annotations is not None and annotations.open_world_hint is False
    assert "name" in listed["create_customer"].input_schema["required"]
    assert "customer_id" in listed["delete_customer"].input_schema["properties"]
    hints = {n: (a.read_only_hint, a.destructive_hint, a.idempotent_hint)
             for n in ("list_customers", "create_customer", "delete_customer")
             if (a := listed[n].annotations) is not None}
    assert hints == {"list_customers": (True, False, True), "create_customer": (False, False, False),
                     "delete_customer": (False, True, False)}


async def test_create_customer_then_read_it_back(principal: Principal, account: Account,
                                                  other_account: Account,
                                                  find_customers: FindCustomers) -> None:
    name = unique()
    async with connect(principal) as mcp:
        result = await mcp.call_tool("create_customer", {"name": name, "company": "Tech Corp",
                                                         "email": f"{uuid.uuid4().hex[:8]}@example.com"})
    assert not result.is_error, text_of(result)
    created = result.structured_content["customer"]
    assert json.loads(text_of(result)) == result.structured_content
    assert created["name"] == name and created["status"] == "lead"
    found = find_customers(account, name)
    assert [c["id"] for c in found] == [created["id"]]
    assert found[0]["company"] == "Tech Corp"
    assert find_customers(other_account, name) == []
    with unit_of_work(account.tenant_id) as session:
        audited = session.scalars(select(AuditLog).where(AuditLog.tool == "create_customer",
                                                         AuditLog.user_id == account.user_id)).all()
    assert [(a.source, a.outcome, a.arguments["name"]) for a in audited] == [("mcp", "ok", name)]


async def test_invalid_arguments_are_an_error_result_naming_the_fields(principal: Principal) -> None:
    async with connect(principal) as mcp:
        result = await mcp.call_tool("create_customer", {"email": "not-an-email", "status": "vip"})
    assert result.is_error
    text = text_of(result)
    assert "VALIDATION_ERROR" in text
    for field in ("name", "email", "status"):
        assert f"{field}:" in text
    assert "Traceback" not in text


async def test_delete_previews_then_deletes_with_the_issued_token(principal: Principal) -> None:
    async with connect(principal) as mcp:
        customer = await create(mcp, unique())
        args = {"customer_id": customer["id"]}
        preview = await mcp.call_tool("delete_customer", args)
        assert not preview.is_error, text_of(preview)
        body = preview.structured_content
        assert body["status"] == "confirmation_required"
        assert body["preview"]["customer"]["id"] == customer["id"]
        assert customer["name"] in body["message"]
        still_there = await mcp.call_tool("get_customer", args)
        assert not still_there.is_error

        confirmed = {**args, "confirmation_token": body["confirmation_token"]}
        done = await mcp.call_tool("delete_customer", confirmed)
        assert not done.is_error, text_of(done)
        assert done.structured_content["status"] == "done"
        assert done.structured_content["deleted_id"] == customer["id"]
        gone = await mcp.call_tool("get_customer", args)
    assert gone.is_error and "not found" in text_of(gone).lower()


async def test_forged_or_mismatched_confirmation_tokens_are_refused(principal: Principal) -> None:
    async with connect(principal) as mcp:
        first, second = await create(mcp, unique()), await create(mcp, unique())
        token = (await mcp.call_tool("delete_customer", {"customer_id": first["id"]})
                 ).structured_content["confirmation_token"]
        other = (await mcp.call_tool("delete_customer", {"customer_id": second["id"]})
                 ).structured_content["confirmation_token"]
        attempts = [token[:-6] + ("A" * 6 if not token.endswith("A" * 6) else "B" * 6), other,
                    "not-a-token"]
        for forged in attempts:
            result = await mcp.call_tool("delete_customer",
                                         {"customer_id": first["id"], "confirmation_token": forged})
            assert result.is_error
            assert "confirmation_token" in text_of(result)
        alive = await mcp.call_tool("get_customer", {"customer_id": first["id"]})
    assert not alive.is_error


async def test_roles_are_enforced(principal: Principal) -> None:
    async with connect(principal) as mcp:
        customer = await create(mcp, unique())
    async with connect(dataclasses.replace(principal, role="user")) as mcp:
        result = await mcp.call_tool("delete_customer", {"customer_id": customer["id"]})
    assert result.is_error and "FORBIDDEN" in text_of(result)


async def test_search_tools_finds_tools_with_their_schemas(principal: Principal) -> None:
    async with connect(principal) as mcp:
        result = await mcp.call_tool("search_tools", {"query": "delete a customer"})
        empty = await mcp.call_tool("search_tools", {"query": "", "limit": 50})
    assert not result.is_error, text_of(result)
    top = result.structured_content["tools"][0]
    assert top["name"] == "delete_customer"
    assert top["destructive"] is True and top["listed"] is True
    assert top["input_schema"] == all_tools()["delete_customer"].input_schema()
    assert empty.structured_content["total"] == len(all_tools())


async def test_call_tool_runs_any_tool_through_the_same_path(principal: Principal, account: Account,
                                                             find_customers: FindCustomers) -> None:
    name = unique("Call")
    async with connect(principal) as mcp:
        made = await mcp.call_tool("call_tool", {"name": "create_customer", "arguments": {"name": name}})
        assert not made.is_error, text_of(made)
        customer_id = made.structured_content["customer"]["id"]
        invalid = await mcp.call_tool("call_tool", {"name": "create_customer", "arguments": {}})
        unknown = await mcp.call_tool("call_tool", {"name": "drop_database", "arguments": {}})
        meta = await mcp.call_tool("call_tool", {"name": "call_tool", "arguments": {}})
        preview = await mcp.call_tool("call_tool", {"name": "delete_customer",
                                                    "arguments": {"customer_id": customer_id}})
        token = preview.structured_content["confirmation_token"]
        done = await mcp.call_tool("call_tool", {"name": "delete_customer", "arguments": json.dumps(
            {"customer_id": customer_id, "confirmation_token": token})})
    assert invalid.is_error and "name: Field required" in text_of(invalid)
    assert unknown.is_error and "TOOL_NOT_FOUND" in text_of(unknown)
    assert meta.is_error
    assert preview.structured_content["status"] == "confirmation_required"
    assert done.structured_content["status"] == "done", text_of(done)
    assert find_customers(account, name) == []


async def test_toolset_subset_lists_less_and_call_tool_reaches_the_rest(
        principal: Principal, account: Account, find_customers: FindCustomers) -> None:
    admin = {s.name for s in all_tools().values() if s.toolset == "admin"}
    name = unique("Hidden")
    async with connect(principal, toolsets="admin") as mcp:
        listed = {t.name for t in (await mcp.list_tools()).tools}
        found = await mcp.call_tool("search_tools", {"query": "create customer"})
        made = await mcp.call_tool("call_tool", {"name": "create_customer", "arguments": {"name": name}})
    assert listed == admin | {"search_tools", "call_tool"}
    assert "create_customer" not in listed
    match = next(t for t in found.structured_content["tools"] if t["name"] == "create_customer")
    assert match["listed"] is False
    assert not made.is_error, text_of(made)
    assert [c["name"] for c in find_customers(account, name)] == [name]


def test_listing_is_capped_and_toolsets_parsed() -> None:
    spec = all_tools()["list_customers"]
    many = [dataclasses.replace(spec, name=f"tool_{i}") for i in range(60)]
    listed = listed_tools(many, ["crm"])
    assert len(listed) + 2 == MAX_LISTED_TOOLS
    assert [s.name for s in listed] == [f"tool_{i}" for i in range(len(listed))]
    assert listed_tools(many, ["admin"]) == []
    assert parse_toolsets(" CRM, bogus ,admin,crm") == ["crm", "admin"]
    assert parse_toolsets("all") == parse_toolsets("*") and "forecasting" in parse_toolsets("all")


async def test_tenant_isolation(principal: Principal, other_principal: Principal) -> None:
    async with connect(principal) as mcp:
        customer = await create(mcp, unique("Private"))
        token = (await mcp.call_tool("delete_customer", {"customer_id": customer["id"]})
                 ).structured_content["confirmation_token"]
    args = {"customer_id": customer["id"]}
    async with connect(other_principal) as mcp:
        read = await mcp.call_tool("get_customer", args)
        preview = await mcp.call_tool("delete_customer", args)
        stolen = await mcp.call_tool("delete_customer", {**args, "confirmation_token": token})
        update = await mcp.call_tool("update_customer", {**args, "name": "Mine now"})
        listing = await mcp.call_tool("list_customers", {"search": customer["name"]})
    for result in (read, preview, stolen, update):
        assert result.is_error
        assert "not found" in text_of(result).lower() or "confirmation_token" in text_of(result)
    assert "not found" in text_of(read).lower() and "not found" in text_of(preview).lower()
    assert listing.structured_content["pagination"]["total"] == 0
    async with connect(principal) as mcp:
        assert not (await mcp.call_tool("get_customer", args)).is_error


async def test_unexpected_errors_become_a_generic_result(principal: Principal,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    async def explode(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(server_module, "aexecute", explode)
    async with connect(principal) as mcp:
        result = await mcp.call_tool("list_customers", {})
    assert result.is_error
    assert text_of(result).startswith("Internal error (request id mcp_")
    assert "hunter2" not in text_of(result)
