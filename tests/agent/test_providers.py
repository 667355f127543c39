"""Model providers chosen by settings. The OpenAI-compatible path runs end to end against a
local fake server speaking the chat-completions wire format: the fake asks for a tool, our
tool runs on the real database, the fake answers from the result."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from langchain_core.messages import HumanMessage
from sqlalchemy import func, select

from agent import providers, service
from agent.tool_binding import input_schema, openai_tool
from core.errors import AIQueryFailed
from core.settings import get_settings
from store.db import unit_of_work
from store.models import Customer
from tests.fakes.openai_server import MODEL, FakeOpenAI
from tools.context import Principal
from tools.registry import get_tool

pytestmark = pytest.mark.anyio


@pytest.fixture
def configure(monkeypatch: pytest.MonkeyPatch, database: str) -> Iterator[Callable[..., None]]:
    """Switch provider settings for one test; the cached settings and agent are reset after."""

    def apply(**env: str) -> None:
        for key, value in env.items():
            monkeypatch.setenv(key.upper(), value)
        get_settings.cache_clear()
        service.reset()

    yield apply
    monkeypatch.undo()
    get_settings.cache_clear()
    service.reset()


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI().start()
    yield server
    server.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def customer_count(tenant_id: str) -> int:
    with unit_of_work(tenant_id) as session:
        return int(session.scalar(select(func.count()).select_from(Customer)) or 0)


async def test_openai_compatible_round_trip(configure: Callable[..., None], fake_openai: FakeOpenAI,
                                            me: Principal, customer_factory: Callable[..., str],
                                            agent_closed: None) -> None:
    for name in ("Ann", "Bob", "Cy"):
        customer_factory(name)
    configure(llm_provider="openai_compatible", llm_base_url=fake_openai.base_url,
              llm_api_key=fake_openai.api_key, llm_model=MODEL)

    result = await service.run_turn(me, "How many customers do I have?")

    count = customer_count(me.tenant_id)
    assert count == 3
    assert result.answer.strip() == f"You have {count} customers in total."
    assert result.model == MODEL == service.model_name()
    [record] = result.tool_calls
    assert (record.name, record.status, record.arguments) == ("list_customers", "ok", {"limit": 5})
    assert len(fake_openai.requests) == 2
    first, second = fake_openai.requests
    assert first["model"] == MODEL and first["stream"] is True
    tools = {t["function"]["name"]: t for t in first["tools"]}
    spec = get_tool("list_customers")
    assert tools["list_customers"] == openai_tool(spec)
    assert tools["list_customers"]["function"]["parameters"] == input_schema(spec)
    tool_messages = [m for m in second["messages"] if m["role"] == "tool"]
    assert len(tool_messages) == 1
    assert tool_messages[0]["tool_call_id"] == record.id
    assert json.loads(tool_messages[0]["content"])["pagination"]["total"] == count
    assert second["messages"][0]["role"] == "system"
    assert result.prompt_tokens > 0 and result.completion_tokens > 0


async def test_openai_compatible_without_streaming(configure: Callable[..., None],
                                                   fake_openai: FakeOpenAI, database: str) -> None:
    configure(llm_provider="openai_compatible", llm_base_url=fake_openai.base_url,
              llm_api_key=fake_openai.api_key, llm_model=MODEL)
    handle = providers.build_model()
    try:
        bound = handle.model.bind_tools([openai_tool(get_tool("list_customers"))])
        message = await bound.ainvoke([HumanMessage("how many customers?")])
    finally:
        await handle.aclose()
    assert fake_openai.requests[0].get("stream") in (None, False)
    assert message.tool_calls[0]["name"] == "list_customers"  # type: ignore[attr-defined]
    assert message.tool_calls[0]["args"] == {"limit": 5}  # type: ignore[attr-defined]


async def test_nothing_listening_is_ai_query_failed(configure: Callable[..., None],
                                                    me: Principal, agent_closed: None) -> None:
    port = free_port()
    configure(llm_provider="openai_compatible", llm_base_url=f"http://127.0.0.1:{port}/v1",
              llm_api_key="sk-very-secret-key")
    with pytest.raises(AIQueryFailed) as info:
        await service.run_turn(me, "hello")
    text = info.value.message + json.dumps(info.value.details)
    assert info.value.message == "The AI model provider could not be reached."
    assert str(port) not in text and "secret" not in text


async def test_rejected_key_is_ai_query_failed(configure: Callable[..., None], fake_openai: FakeOpenAI,
                                               me: Principal, agent_closed: None) -> None:
    configure(llm_provider="openai_compatible", llm_base_url=fake_openai.base_url,
              llm_api_key="sk-wrong-secret")
    with pytest.raises(AIQueryFailed) as info:
        await service.run_turn(me, "hello")
    assert info.value.message == "The AI model provider rejected the configured credentials."
    assert "wrong" not in info.value.message + json.dumps(info.value.details)


def test_provider_selection(configure: Callable[..., None]) -> None:
    configure(llm_provider="offline", openai_api_key="sk-test")
    assert get_settings().provider == "openai"
    handle = providers.build_model()
    assert type(handle.model).__name__ == "ChatOpenAI"
    assert handle.model.model_name == "gpt-4o-mini"  # type: ignore[attr-defined]
    assert service.list_models()[0]["provider"] == "openai"

    configure(llm_provider="anthropic", openai_api_key="", anthropic_api_key="sk-ant-test",
              llm_base_url="http://127.0.0.1:9", llm_model="claude-test")
    handle = providers.build_model()
    model: Any = handle.model
    assert type(model).__name__ == "ChatAnthropic"
    assert (model.model, model.anthropic_api_url) == ("claude-test", "http://127.0.0.1:9")
    assert service.model_name() == "claude-test"

    configure(llm_provider="openai_compatible", llm_base_url="", anthropic_api_key="")
    with pytest.raises(AIQueryFailed):
        providers.build_model()


async def test_offline_default_counts_demo_customers(offline: Principal, agent_closed: None) -> None:
    """The built-in offline model answers from a tool result on the seeded demo tenant."""
    result = await service.run_turn(offline, "how many customers do I have")
    count = customer_count(offline.tenant_id)
    assert count > 100
    assert str(count) in result.answer.replace(",", "")
    assert result.tool_calls and all(c.status == "ok" for c in result.tool_calls)
    assert result.model == "bizpilot-offline"


async def test_offline_model_goes_through_confirmation(offline: Principal, agent_closed: None) -> None:
    from tools.runtime import execute

    created = execute("create_customer", offline, {"name": "Zebulon Quartermaine"})
    customer_id = created.customer.id  # type: ignore[attr-defined]
    first = await service.run_turn(offline, "delete the customer Zebulon Quartermaine")
    assert first.pending_confirmation is not None
    assert first.pending_confirmation["arguments"] == {"customer_id": customer_id}
    with unit_of_work(offline.tenant_id) as session:
        assert session.get(Customer, customer_id) is not None
    await service.run_turn(offline, "yes", conversation_id=first.conversation_id)
    with unit_of_work(offline.tenant_id) as session:
        assert session.get(Customer, customer_id) is None
