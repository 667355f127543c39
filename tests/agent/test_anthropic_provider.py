"""The Anthropic provider end to end against a local fake of the Messages API: the fake asks
for a tool with a tool_use block, our tool runs on the real database, the fake answers from the
tool_result."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import func, select

from agent import service
from core.settings import get_settings
from store.db import unit_of_work
from store.models import Customer
from tests.fakes.anthropic_server import MODEL, FakeAnthropic
from tools.context import Principal

pytestmark = pytest.mark.anyio


@pytest.fixture
def anthropic_settings(monkeypatch: pytest.MonkeyPatch, database: str) -> Iterator[FakeAnthropic]:
    fake = FakeAnthropic().start()
    for key, value in {"LLM_PROVIDER": "anthropic", "LLM_BASE_URL": fake.base_url,
                       "ANTHROPIC_API_KEY": fake.api_key, "LLM_MODEL": MODEL}.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    service.reset()
    yield fake
    monkeypatch.undo()
    get_settings.cache_clear()
    service.reset()
    fake.stop()


async def test_anthropic_round_trip(anthropic_settings: FakeAnthropic, me: Principal,
                                    customer_factory: Callable[..., str], agent_closed: None) -> None:
    for name in ("Ann", "Bob"):
        customer_factory(name)
    result = await service.run_turn(me, "How many customers do I have?")

    with unit_of_work(me.tenant_id) as session:
        count = int(session.scalar(select(func.count()).select_from(Customer)) or 0)
    assert result.answer.strip() == f"You have {count} customers in total."
    [record] = result.tool_calls
    assert (record.name, record.status) == ("list_customers", "ok")
    first, second = anthropic_settings.requests
    assert first["model"] == MODEL
    assert "list_customers" in {t["name"] for t in first["tools"]}
    tool_results = [b for m in second["messages"] if isinstance(m["content"], list)
                    for b in m["content"] if b.get("type") == "tool_result"]
    assert tool_results and tool_results[0]["tool_use_id"] == record.id
    content = tool_results[0]["content"]
    text = content if isinstance(content, str) else content[0]["text"]
    assert json.loads(text)["pagination"]["total"] == count
