"""The connector tools over MCP: not in the default listing (toolset "connectors"), reached with
search_tools / call_tool or by serving that toolset; connecting previews and needs the token;
nothing a client sees carries a credential."""

from __future__ import annotations

import json

import pytest
from connectors.memory_connector import new_script
from mcp import Client
from mcp_types import CallToolResult

from mcp_server.server import build_server
from tools.context import Principal

pytestmark = pytest.mark.anyio


def text_of(result: CallToolResult) -> str:
    return " ".join(getattr(block, "text", "") for block in result.content)


async def test_default_listing_leaves_connectors_to_search(principal: Principal) -> None:
    async with Client(build_server(lambda _ctx: principal)) as mcp:
        names = {t.name for t in (await mcp.list_tools()).tools}
        assert "list_integrations" not in names
        found = await mcp.call_tool("search_tools", {"query": "which integrations are connected",
                                                     "toolset": "connectors"})
        assert "list_integrations" in {t["name"] for t in found.structured_content["tools"]}
        listed = await mcp.call_tool("call_tool", {"name": "list_integrations", "arguments": {}})
        assert not listed.is_error, text_of(listed)
        assert listed.structured_content["connections"] == []


async def test_connect_through_the_connectors_toolset(principal: Principal) -> None:
    key, _ = new_script()
    async with Client(build_server(lambda _ctx: principal, toolsets_setting="connectors")) as mcp:
        tools = {t.name: t for t in (await mcp.list_tools()).tools}
        assert {"list_integrations", "connect_integration", "sync_integration"} <= set(tools)
        assert tools["list_integrations"].annotations.read_only_hint is True  # type: ignore[union-attr]
        args = {"type": "memory", "credentials": {"apiKey": key}}
        preview = await mcp.call_tool("connect_integration", args)
        assert not preview.is_error, text_of(preview)
        assert preview.structured_content["status"] == "confirmation_required"
        token = preview.structured_content["confirmation_token"]
        done = await mcp.call_tool("connect_integration", {**args, "confirmation_token": token})
        assert done.structured_content["status"] == "done", text_of(done)
        listed = await mcp.call_tool("list_integrations", {})
        assert [c["type"] for c in listed.structured_content["connections"]] == ["memory"]
        status = await mcp.call_tool("get_sync_status", {"connection": "memory"})
        assert status.structured_content["connections"][0]["current_run"]["status"] == "queued"
        for result in (preview, done, listed, status):
            assert key not in json.dumps(result.structured_content) and key not in text_of(result)
