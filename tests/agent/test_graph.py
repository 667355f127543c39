"""The graph with a scripted model: tool call → tool result → answer, recoverable tool errors,
what the model is shown (tools, schemas, prompt), and the pure helpers it is built from."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

from agent import service
from agent.graph import build_prompt
from agent.prompts import CANCELLED, classify_reply
from agent.tool_binding import call_tool, input_schema, openai_tool, structured_tool, usable_tools
from agent.tool_selection import select_tools, tokenize
from tools.context import Principal
from tools.registry import all_tools, get_tool

if TYPE_CHECKING:
    from tests.agent.conftest import Script

pytestmark = pytest.mark.anyio


async def test_tool_call_then_answer(script: Script, me: Principal,
                                     customer_factory: Callable[..., str]) -> None:
    customer_factory("Jane Roe", company="Tech Corp")
    customer_factory("John Doe", company="Globex")
    script.add(
        script.call("list_customers", limit=5),
        lambda msgs: AIMessage(f"You have {script.tool_json(msgs)['pagination']['total']} customers."),
    )
    result = await service.run_turn(me, "How many customers do I have?")

    assert result.answer == "You have 2 customers."
    assert result.conversation_id.startswith("conv_")
    [record] = result.tool_calls
    assert (record.name, record.status, record.arguments) == ("list_customers", "ok", {"limit": 5})
    assert record.result is not None and record.result["pagination"]["total"] == 2
    assert result.prompt_tokens > 0 and result.completion_tokens > 0
    assert result.model == service.model_name()
    # The second model call saw the question, its own call and the tool's JSON.
    kinds = [type(m) for m in script.last_prompt]
    assert kinds == [SystemMessage, HumanMessage, AIMessage, ToolMessage]


async def test_model_sees_tool_schemas_without_confirmation_token(script: Script, me: Principal) -> None:
    script.add(AIMessage("Hello."))
    await service.run_turn(me, "delete a customer")
    tools = {t["function"]["name"]: t for t in script.tools[0]}
    # retrieval shows k tools, plus the name resolver when a shown tool needs it past k
    assert min(12, len(usable_tools(me))) <= len(tools) <= min(12, len(usable_tools(me))) + 1
    assert "delete_customer" in tools and "list_customers" in tools and "find_records" in tools
    params = tools["delete_customer"]["function"]["parameters"]
    assert "customer_id" in params["properties"]
    assert "confirmation_token" not in params["properties"]
    assert tools["list_customers"]["function"]["parameters"] == input_schema(get_tool("list_customers"))


async def test_tool_errors_are_recoverable(script: Script, me: Principal) -> None:
    seen: list[str] = []

    def remember(msgs: list) -> AIMessage:  # type: ignore[type-arg]
        seen.append(str(script.last_tool(msgs).content))
        return script.call("get_customer") if len(seen) == 1 else (
            script.call("no_such_tool") if len(seen) == 2 else AIMessage("I could not find that customer."))

    script.add(script.call("get_customer", customer_id="missing"), remember, remember, remember)
    result = await service.run_turn(me, "Show customer missing")

    assert seen[0] == "Error: RESOURCE_NOT_FOUND: Customer not found"
    assert seen[1].startswith("Error: VALIDATION_ERROR: Invalid input data (customer_id")
    assert seen[2].startswith("Error: RESOURCE_NOT_FOUND: There is no tool named 'no_such_tool'")
    assert result.answer == "I could not find that customer."
    assert [c.status for c in result.tool_calls] == ["error", "error", "error"]
    assert result.tool_calls[0].error == "RESOURCE_NOT_FOUND: Customer not found"


async def test_forbidden_tool_is_a_message_not_a_crash(script: Script, me: Principal,
                                                       customer_factory: Callable[..., str]) -> None:
    customer_id = customer_factory("Kept Customer")
    plain_user = Principal(user_id=me.user_id, tenant_id=me.tenant_id, role="user")
    script.add(script.call("delete_customer", customer_id=customer_id),
               lambda msgs: AIMessage(str(script.last_tool(msgs).content)))
    result = await service.run_turn(plain_user, "delete Kept Customer")
    assert result.answer.startswith("Error: FORBIDDEN:")
    assert result.pending_confirmation is None
    # A user-role caller is not even shown the analyst-only tool.
    assert "delete_customer" not in script.tool_names(0)


async def test_call_tool_never_raises(me: Principal, database: str) -> None:
    outcome = await call_tool("create_customer", {"name": ""}, me, "conv_x")
    assert outcome.status == "error" and outcome.content.startswith("Error: VALIDATION_ERROR:")
    outcome = await call_tool("list_customers", {"limit": 1}, me, "conv_x")
    assert outcome.status == "ok" and json.loads(outcome.content)["pagination"]["limit"] == 1


async def test_structured_tool_runs_through_the_runtime(me: Principal, database: str) -> None:
    tool = structured_tool(get_tool("list_customers"), me, "conv_st")
    content = await tool.ainvoke({"limit": 2})
    assert json.loads(content)["pagination"]["limit"] == 2


# --- helpers --------------------------------------------------------------------------------------


def test_prompt_closes_dangling_tool_calls_and_merges_system_text() -> None:
    messages = [
        SystemMessage("Answer in French."),
        HumanMessage("delete Acme"),
        AIMessage("", tool_calls=[{"name": "delete_customer", "args": {}, "id": "c1"}]),
        HumanMessage("never mind"),
    ]
    prompt = build_prompt(messages)
    assert isinstance(prompt[0], SystemMessage) and "Answer in French." in str(prompt[0].content)
    assert sum(isinstance(m, SystemMessage) for m in prompt) == 1
    assert isinstance(prompt[3], ToolMessage) and prompt[3].content == CANCELLED
    assert prompt[3].tool_call_id == "c1" and isinstance(prompt[4], HumanMessage)


@pytest.mark.parametrize(("reply", "decision"), [
    ("yes", "confirm"), ("Yes!", "confirm"), ("y", "confirm"), ("go ahead", "confirm"),
    ("OK, do it", "confirm"), ("sure", "confirm"), ("confirm", "confirm"),
    ("no", "decline"), ("No, cancel that", "decline"), ("don't", "decline"), ("stop", "decline"),
    ("yes... no, don't", "decline"),
    ("what is my revenue this month?", "other"), ("show me Globex instead", "other"), ("", "other"),
    ("yes but first tell me how many deals Acme has and what they are worth", "other"),
])
def test_classify_reply(reply: str, decision: str) -> None:
    assert classify_reply(reply) == decision


def test_tool_selection_is_deterministic_top_k_and_keeps_used_tools() -> None:
    specs = list(all_tools().values())
    assert len(select_tools("anything", specs, k=len(specs))) == len(specs)
    picked = [s.name for s in select_tools("delete the customer Acme Corp", specs, k=5)]
    assert len([p for p in picked if p != "find_records"]) <= 5 and "delete_customer" in picked
    assert "find_records" in picked, "the resolver comes with a tool that takes a reference (past k)"
    assert "list_customers" in picked  # the lookup a deletion by name needs
    revenue = [s.name for s in select_tools("what was revenue last month", specs, k=4)]
    assert "revenue_for_period" in revenue
    again = [s.name for s in select_tools("and the month before?", specs, k=4,
                                          always=["revenue_for_period"])]
    assert "revenue_for_period" in again and len([n for n in again if n != "find_records"]) == 4
    assert again == [s.name for s in select_tools("and the month before?", specs, k=4,
                                                  always=["revenue_for_period"])]
    team = [s.name for s in select_tools("who is on my team?", specs, k=4)]
    assert "list_workspace_members" in team


def test_tool_selection_adds_the_name_resolver_for_reference_fields() -> None:
    specs = list(all_tools().values())
    for query in ("move the Acme deal to negotiation", "delete the customer Acme Corp"):
        picked = [s.name for s in select_tools(query, specs, k=2)]
        assert "find_records" in picked, (query, picked)
    revenue = [s.name for s in select_tools("what was revenue last month", specs, k=2)]
    assert "find_records" not in revenue  # no tool there names a record


def test_tokenize_stems_and_splits() -> None:
    assert tokenize("listCustomers delete_customer Deleting") == ["list", "customer", "delet",
                                                                  "customer", "delet"]


def test_openai_tool_dict_shape() -> None:
    tool = openai_tool(get_tool("delete_customer"))
    assert tool["type"] == "function"
    assert tool["function"]["name"] == "delete_customer"
    assert "confirm" in tool["function"]["description"]
    assert tool["function"]["parameters"]["required"] == ["customer_id"]
