"""The simulator over MCP: the "simulation" toolset lists its tools with honest annotations, a
what-if comes back as structured content with its effects, and an unknown metric is an error
result naming the metrics the simulator knows."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from helpers import Account, register
from mcp import Client
from simulation.funnel import seed_funnel

from mcp_server.server import build_server
from tools.context import Principal

pytestmark = pytest.mark.anyio
TOOLS = {"simulator_relationships", "simulate_change", "get_simulation", "list_simulations",
         "analyze_initiative", "list_initiatives"}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def shop(client: TestClient) -> Account:
    account = register(client)
    seed_funnel(account.tenant_id, days=150, noise=False)
    return account


async def test_simulation_toolset(shop: Account) -> None:
    who = Principal(user_id=shop.user_id, tenant_id=shop.tenant_id, role="admin", email=shop.email)
    async with Client(build_server(lambda _ctx: who, toolsets_setting="simulation")) as mcp:
        tools = {t.name: t for t in (await mcp.list_tools()).tools}
        assert set(tools) >= TOOLS
        assert tools["simulator_relationships"].annotations.read_only_hint is True  # type: ignore[union-attr]
        assert tools["simulate_change"].annotations.read_only_hint is False  # type: ignore[union-attr]
        out = await mcp.call_tool("simulate_change", {"metric_id": "marketing_spend", "change_percent": 20})
        assert not out.is_error
        body = out.structured_content
        assert body is not None and body["input_change"]["change"] == "+20%"
        assert [e["lag"] for e in body["effects"]] == ["1 week", "2 weeks", "3 weeks"]
        again = await mcp.call_tool("get_simulation", {"simulation_id": body["simulation_id"]})
        assert again.structured_content == body
        bad = await mcp.call_tool("simulate_change", {"metric_id": "profit", "change_percent": 20})
        assert bad.is_error and "marketing_spend" in " ".join(getattr(c, "text", "") for c in bad.content)
