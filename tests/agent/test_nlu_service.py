"""The offline model in the real agent graph on the seeded demo tenant: names resolved by lookup
calls the graph runs, several steps in one request, questions answered in the next turn of a
checkpointed conversation, and honest token usage, through the service and through the
OpenAI-compatible chat API."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from fastapi.testclient import TestClient
from langchain_core.messages import SystemMessage
from langchain_core.messages.utils import count_tokens_approximately
from sqlalchemy import select

from agent import service
from agent.prompts import system_prompt
from agent.tool_binding import openai_tool, usable_tools
from core.settings import get_settings
from store.db import unit_of_work
from store.models import Customer, Deal
from tests.agent.conftest import principal_of
from tools.context import Principal

pytestmark = pytest.mark.anyio


def schema_tokens(principal: Principal) -> int:
    """What the system prompt and every tool schema alone would count, once."""
    tools = [openai_tool(spec) for spec in usable_tools(principal)]
    return count_tokens_approximately([SystemMessage(system_prompt(date.today()))], tools=tools)  # type: ignore[arg-type]


async def test_a_name_is_looked_up_then_used(offline: Principal, agent_closed: None) -> None:
    result = await service.run_turn(offline, "what's jane smith's phone number?")
    assert [c.name for c in result.tool_calls] == ["find_records", "get_customer"]
    assert all(c.status == "ok" for c in result.tool_calls)
    assert "+1555" in result.answer
    # Usage counts what the model read (the turn's messages and results), not a prompt with every
    # tool schema it never looks at.
    assert 0 < result.prompt_tokens < schema_tokens(offline)


async def test_several_steps_in_one_request(offline: Principal, agent_closed: None) -> None:
    result = await service.run_turn(
        offline, "add Bob Lee from Initrode as a lead, then open a 12,500 deal for him in proposal"
    )
    assert [c.name for c in result.tool_calls] == ["create_customer", "create_deal"]
    with unit_of_work(offline.tenant_id) as session:
        bob = session.scalars(select(Customer).where(Customer.name == "Bob Lee")).one()
        made = session.scalars(select(Deal).where(Deal.customer_id == bob.id)).one()
        assert (bob.company, bob.status, float(made.value), made.stage) == (
            "Initrode",
            "lead",
            12500.0,
            "proposal",
        )
    assert "Bob Lee" in result.answer and "$12,500.00" in result.answer


async def test_the_next_turn_answers_the_question(offline: Principal, agent_closed: None) -> None:
    first = await service.run_turn(offline, "mark the Globex deal as won")
    assert [c.name for c in first.tool_calls] == ["find_records"]
    assert "Which one do you mean?" in first.answer and "Rental fleet" in first.answer
    picked = await service.run_turn(offline, "the rental fleet one", conversation_id=first.conversation_id)
    [move] = picked.tool_calls
    assert move.name == "move_deal_stage" and move.result is not None
    assert move.result["deal"]["title"] == "Globex - Rental fleet"
    assert move.result["deal"]["stage"] == "closed_won"


async def test_follow_ups_in_a_checkpointed_conversation(offline: Principal, agent_closed: None) -> None:
    first = await service.run_turn(offline, "what was revenue last month")
    [call] = first.tool_calls
    assert call.arguments == {"period": "last_month"}
    follow = await service.run_turn(offline, "and the month before?", conversation_id=first.conversation_id)
    [again] = follow.tool_calls
    assert again.name == "revenue_for_period" and set(again.arguments) == {"month"}
    assert again.result is not None and again.result["end_date"] < call.result["start_date"]  # type: ignore[index]


async def test_out_of_scope_is_declined_without_data(offline: Principal, agent_closed: None) -> None:
    result = await service.run_turn(offline, "can you launch a google ads campaign for our spring sale?")
    assert not result.tool_calls and "can't" in result.answer


def test_openai_compatible_chat(client: TestClient, demo_account: Any) -> None:
    get_settings.cache_clear()
    service.reset()
    headers = {**demo_account.headers, "X-Conversation-Id": "conv_nlu_api"}
    body = {"model": "bizpilot", "messages": [{"role": "user", "content": "how many leads do we have?"}]}
    r = client.post("/v1/chat/completions", headers=headers, json=body)
    assert r.status_code == 200, r.text
    data = r.json()
    answer = data["choices"][0]["message"]["content"]
    assert "leads" in answer
    usage = data["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert 0 < usage["prompt_tokens"] < schema_tokens(principal_of(demo_account))
    body["messages"] = [{"role": "user", "content": "what about the prospects?"}]
    follow = client.post("/v1/chat/completions", headers=headers, json=body).json()
    assert "prospect" in follow["choices"][0]["message"]["content"]
    service.reset()


async def test_a_forecast_follow_up_moves_forward(offline: Principal, agent_closed: None) -> None:
    """"and the quarter after?" is the quarter after the one forecast (it had forecast the same
    quarter again, read "quarter" as a quarterly breakdown), and "the month after that" follows the
    end of that quarter."""
    first = await service.run_turn(offline, "what will revenue be next quarter?")
    [call] = first.tool_calls
    end = date.fromisoformat(call.arguments["end_date"])
    after = await service.run_turn(offline, "and the quarter after?", conversation_id=first.conversation_id)
    [again] = after.tool_calls
    assert again.name == "forecast_metric" and "granularity" not in again.arguments
    start = date.fromisoformat(again.arguments["start_date"])
    assert start == end + timedelta(days=1)
    assert date.fromisoformat(again.arguments["end_date"]) == start + relativedelta(months=3, days=-1)
    month = await service.run_turn(offline, "what about the month after that?",
                                   conversation_id=first.conversation_id)
    [last] = month.tool_calls
    assert last.arguments["start_date"] == (start + relativedelta(months=3)).isoformat()


async def test_the_second_one_is_the_second_of_the_last_list(offline: Principal, agent_closed: None) -> None:
    """Automations are named by name or id (ToolLanguage.names_record): "the second one" after a
    list passes that automation's id (it had been looked up as an automation called "second one"),
    and after a call about one of them, "the first one" still counts in the list."""
    listed = await service.run_turn(offline, "what automations do I have?")
    [call] = listed.tool_calls
    assert call.result is not None
    ids = [row["id"] for row in call.result["automations"]]  # type: ignore[index]
    assert len(ids) >= 2
    conversation = listed.conversation_id
    shown = await service.run_turn(offline, "show me the second one", conversation_id=conversation)
    assert [(c.name, c.arguments) for c in shown.tool_calls] == [("get_automation", {"name": ids[1]})]
    paused = await service.run_turn(offline, "pause it", conversation_id=conversation)
    assert [(c.name, c.arguments) for c in paused.tool_calls] == [("pause_automation", {"name": ids[1]})]
    first = await service.run_turn(offline, "delete the first one", conversation_id=conversation)
    assert [(c.name, c.arguments["name"]) for c in first.tool_calls] == [("delete_automation", ids[0])]
    assert "Reply yes to confirm" in first.answer


async def test_a_later_step_acts_on_what_the_step_before_did(offline: Principal,
                                                             agent_closed: None) -> None:
    """"... and tag him wholesale" tags the customer being added, in the same creation (it had been
    a second call updating him); "... and add a note: ..." writes the note on the deal just moved,
    where the note had been dropped."""
    added = await service.run_turn(offline, "add Tom Baker from Initech as a lead and tag him wholesale")
    [created] = added.tool_calls
    assert created.name == "create_customer"
    assert created.arguments == {"name": "Tom Baker", "company": "Initech", "status": "lead",
                                 "tags": ["wholesale"]}
    assert "name is now" not in added.answer
    opened = await service.run_turn(offline, "open a 3k deal called Baker trial for Tom Baker")
    assert opened.tool_calls[-1].name == "create_deal"
    moved = await service.run_turn(
        offline, "mark the Baker trial deal as lost and add a note: went with a cheaper supplier")
    calls = [(c.name, c.arguments) for c in moved.tool_calls if c.name != "find_records"]
    assert [name for name, _ in calls] == ["move_deal_stage", "update_deal"]
    assert calls[1][1]["description"] == "went with a cheaper supplier"
    assert calls[1][1]["deal_id"] == calls[0][1]["deal_id"]


async def test_how_many_is_asked_of_the_list_just_shown(offline: Principal, agent_closed: None) -> None:
    """"how many is that?" had been read as a forecast, "how many are there?" declined."""
    listed = await service.run_turn(offline, "show my deals in negotiation")
    [call] = listed.tool_calls
    for question in ("how many is that?", "how many are there?"):
        again = await service.run_turn(offline, question, conversation_id=listed.conversation_id)
        assert [(c.name, c.arguments) for c in again.tool_calls] == [(call.name, call.arguments)]
        assert again.answer.split(".")[0] == listed.answer.split(".")[0]



async def test_her_deal_is_the_deal_of_the_person_just_named(offline: Principal, agent_closed: None) -> None:
    """Many customers have a "Corporate gifts" deal: "her gifts deal" is Jane Thomas's."""
    result = await service.run_turn(
        offline, "Update Jane Thomas's phone to +1 555 018 7734 and move her gifts deal to proposal")
    assert [c.name for c in result.tool_calls] == ["find_records", "update_customer", "find_records",
                                                   "move_deal_stage"]
    moved = result.tool_calls[-1].result
    assert moved is not None and moved["deal"]["title"] == "Oscorp - Corporate gifts"
    with unit_of_work(offline.tenant_id) as session:
        deal = session.get(Deal, moved["deal"]["id"])
        jane = session.get(Customer, deal.customer_id) if deal else None
        assert deal is not None and deal.stage == "proposal"
        assert jane is not None and jane.name == "Jane Thomas"


async def test_the_one_named_by_its_title_words_is_of_the_list_just_shown(
        offline: Principal, agent_closed: None) -> None:
    """"the annual supply one": ordinary words between "the" and "one" name the record, and of the
    many "Annual supply contract" deals the one the last answer listed is meant."""
    first = await service.run_turn(offline, "maria chen's deals?")
    assert "Hooli - Annual supply contract" in first.answer
    second = await service.run_turn(offline, "close the annual supply one as lost",
                                    conversation_id=first.conversation_id)
    moved = second.tool_calls[-1]
    assert moved.name == "move_deal_stage" and moved.result is not None
    assert (moved.result["deal"]["title"], moved.result["deal"]["stage"]) == (
        "Hooli - Annual supply contract", "closed_lost")
