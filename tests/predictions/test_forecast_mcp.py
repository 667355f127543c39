"""The forecasting tools over MCP: served with the "forecasting" toolset (typed, read-only
annotations on reads), reached by search otherwise; REST-only capabilities stay hidden; too little
history comes back as an error result with the reason, not a number."""

from __future__ import annotations

import pytest
from helpers import Account
from mcp import Client
from mcp_types import CallToolResult
from predictions.conftest import principal_of
from predictions.seasonal import Seeded

from mcp_server.server import build_server

pytestmark = pytest.mark.anyio
EXPOSED = {"forecast_metric", "forecast_customer_spend", "prediction_templates", "create_prediction",
           "list_predictions", "get_prediction"}
HIDDEN = {"predict_revenue", "hub_forecast", "workspace_forecast", "ask_forecast", "train_prediction_model"}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def text_of(result: CallToolResult) -> str:
    return " ".join(getattr(block, "text", "") for block in result.content)


async def test_forecasting_toolset(shop: tuple[Account, Seeded]) -> None:
    who = principal_of(shop[0])
    async with Client(build_server(lambda _ctx: who, toolsets_setting="forecasting")) as mcp:
        tools = {t.name: t for t in (await mcp.list_tools()).tools}
        assert set(tools) >= EXPOSED and not HIDDEN & set(tools)
        assert tools["forecast_metric"].annotations.read_only_hint is True  # type: ignore[union-attr]
        assert tools["create_prediction"].annotations.read_only_hint is False  # type: ignore[union-attr]
        out = await mcp.call_tool("forecast_metric", {"metric": "orders", "granularity": "week"})
        assert not out.is_error, text_of(out)
        body = out.structured_content
        assert body["granularity"] == "week" and body["lower"] <= body["total"] <= body["upper"]
        assert body["backtest"]["origins"] > 0


async def test_search_finds_forecasts_and_no_history_is_an_error(account: Account) -> None:
    who = principal_of(account)
    async with Client(build_server(lambda _ctx: who)) as mcp:
        found = await mcp.call_tool("search_tools", {"query": "forecast revenue next quarter"})
        assert "forecast_metric" in {t["name"] for t in found.structured_content["tools"]}
        out = await mcp.call_tool("call_tool", {"name": "forecast_metric", "arguments": {}})
        assert out.is_error and "0 periods" in text_of(out)
