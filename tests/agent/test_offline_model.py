"""The offline chat model: routing of paraphrases, follow-ups, multi-step flows on fake tool
results, streaming, and that every figure it states comes from a tool result."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from typing import Any

import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage

from agent.offline import OfflineChatModel
from evals.harness import CallRecord
from evals.scoring import ungrounded
from tools.registry import all_tools

TODAY = date(2026, 11, 24)
REVENUE = {"label": "last month", "start_date": "2026-10-01", "end_date": "2026-10-31", "revenue": 70558.36,
           "orders": 1019, "average_order_value": 69.24, "currency": "USD", "previous_label": "period before",
           "previous_revenue": 78084.7, "previous_orders": 1108, "change_percent": -9.64,
           "sources": {"shopify": 710, "stripe": 251, "manual": 58}}


def tool_dicts(names: list[str] | None = None) -> list[dict[str, Any]]:
    return [{"type": "function", "function": {"name": n, "description": s.description,
                                              "parameters": s.input_schema()}}
            for n, s in all_tools().items() if names is None or n in names]


def model(names: list[str] | None = None) -> Any:
    return OfflineChatModel(today=TODAY).bind_tools(tool_dicts(names))


def deal(id_: str, title: str, value: float, stage: str = "negotiation") -> dict[str, Any]:
    status = {"closed_won": "won", "closed_lost": "lost"}.get(stage, "open")
    return {"id": id_, "title": title, "value": value, "currency": "USD", "stage": stage, "status": status,
            "probability": 75, "customer_name": "Pat Doe", "expected_close_date": "2026-12-15"}


def customer(id_: str, name: str, company: str | None = None, status: str = "active") -> dict[str, Any]:
    return {"id": id_, "name": name, "company": company, "status": status, "email": f"{id_}@example.com",
            "phone": None, "tags": [], "created_at": "2025-02-16T10:00:00Z"}


class Chat:
    """A conversation driven by hand: the test plays the tools."""

    def __init__(self, names: list[str] | None = None) -> None:
        self.model = model(names)
        self.messages: list[BaseMessage] = [SystemMessage("You are BizPilot.")]
        self.outputs: list[CallRecord] = []

    def say(self, text: str) -> AIMessage:
        self.messages.append(HumanMessage(text))
        self.outputs = []
        return self.step()

    def step(self) -> AIMessage:
        reply = self.model.invoke(self.messages)
        self.messages.append(reply)
        return reply

    def tool(self, output: dict[str, Any] | str) -> AIMessage:
        call = self.messages[-1].tool_calls[0]  # type: ignore[attr-defined]
        content = output if isinstance(output, str) else json.dumps(output)
        self.outputs.append(CallRecord(call["name"], call["args"], content))
        self.messages.append(ToolMessage(content, tool_call_id=call["id"]))
        return self.step()


def first_call(reply: AIMessage) -> tuple[str, dict[str, Any]]:
    assert reply.tool_calls, f"expected a tool call, got {reply.content!r}"
    return reply.tool_calls[0]["name"], reply.tool_calls[0]["args"]


@pytest.mark.parametrize(("text", "tool", "args"), [
    ("how many customers do I have", "list_customers", {}),
    ("How many leads are in the CRM?", "list_customers", {"status": "lead"}),
    ("how many active clients have we got", "list_customers", {"status": "active"}),
    ("list my customers at Acme", "list_customers", {"company": "Acme"}),
    ("Find Jane Smith", "list_customers", {"search": "Jane Smith"}),
    ("show my open deals over 10k", "list_deals", {"status": "open", "min_value": 10000}),
    ("deals in negotiation", "list_deals", {"stage": "negotiation"}),
    ("deals worth more than $25,000", "list_deals", {"min_value": 25000}),
    ("add Jane Smith from Tech Corp as a lead", "create_customer",
     {"name": "Jane Smith", "company": "Tech Corp", "status": "lead"}),
    ("create a deal for Acme worth 12k", "list_customers", {"search": "Acme"}),
    ("move the Acme deal to negotiation", "list_deals", {"search": "Acme"}),
    ("mark the Globex deal as won", "list_deals", {"search": "Globex"}),
    ("change Jane Smith's status to active", "list_customers", {"search": "Jane Smith"}),
    ("delete customer Jane Smith", "list_customers", {"search": "Jane Smith"}),
    ("what was revenue last month", "revenue_for_period", {"period": "last_month"}),
    ("revenue this year", "revenue_for_period", {"period": "this_year"}),
    ("revenue in September", "revenue_for_period", {"month": "2026-09"}),
    ("how did sales do last quarter compared to the one before", "revenue_for_period",
     {"period": "last_quarter"}),
    ("show me the pipeline", "pipeline_summary", {}),
    ("what's my win rate", "pipeline_summary", {}),
    ("give me a dashboard", "dashboard_metrics", {"period": "30d"}),
    ("how is the business doing?", "dashboard_metrics", {}),
    ("what workspace am I in", "get_workspace", {}),
    ("who is on my team", "list_workspace_members", {}),
    ("whats the revnue for last month", "revenue_for_period", {"period": "last_month"}),
])
def test_routes_paraphrases(text: str, tool: str, args: dict[str, Any]) -> None:
    name, called = first_call(Chat().say(text))
    assert name == tool
    assert {k: called.get(k) for k in args} == args


@pytest.mark.parametrize("text", ["hi", "thanks!", "what can you do?", "what's the weather like tomorrow?"])
def test_answers_without_tools(text: str) -> None:
    reply = Chat().say(text)
    assert not reply.tool_calls and reply.content


def test_revenue_answer_and_follow_up_month_before() -> None:
    chat = Chat()
    reply = chat.say("what was revenue last month")
    assert first_call(reply) == ("revenue_for_period", {"period": "last_month"})
    answer = chat.tool(REVENUE)
    assert "$70,558.36" in answer.content and "down 9.64%" in answer.content and "Oct 1" in answer.content
    assert ungrounded(str(answer.content), chat.outputs) == []
    assert first_call(chat.say("and the month before?")) == ("revenue_for_period", {"month": "2026-09"})


def test_list_follow_ups_keep_earlier_filters() -> None:
    chat = Chat()
    chat.say("list my customers at Acme")
    chat.tool({"customers": [customer("c1", "Noah King", "Acme Corp")], "pagination": {"total": 1}})
    _, args = first_call(chat.say("what about active ones?"))
    assert args["company"] == "Acme" and args["status"] == "active"
    chat = Chat()
    chat.say("show my open deals over 10k")
    chat.tool({"deals": [], "total": 0, "total_value": 0})
    _, args = first_call(chat.say("and over 50k?"))
    assert args["min_value"] == 50000 and args["status"] == "open"


def test_move_deal_single_match_then_answer() -> None:
    chat = Chat()
    chat.say("move the Acme deal to negotiation")
    reply = chat.tool({"deals": [deal("d1", "Acme Corp - Supply", 45575, "qualified")], "total": 1})
    assert first_call(reply) == ("move_deal_stage", {"deal_id": "d1", "stage": "negotiation"})
    answer = chat.tool({"deal": deal("d1", "Acme Corp - Supply", 45575, "negotiation")})
    assert "negotiation" in answer.content and "$45,575" in answer.content
    assert ungrounded(str(answer.content), chat.outputs) == []


def test_several_matches_ask_which_then_pick() -> None:
    chat = Chat()
    chat.say("mark the Globex deal as won")
    deals = [deal("d1", "Globex - Event sponsorship", 85850), deal("d2", "Globex - Rental fleet", 85375)]
    question = chat.tool({"deals": deals, "total": 2})
    assert not question.tool_calls
    assert "Rental fleet" in question.content and "Event sponsorship" in question.content
    picked = chat.say("the second one")
    assert first_call(picked) == ("move_deal_stage", {"deal_id": "d2", "stage": "closed_won"})
    chat.messages = chat.messages[:-2]  # take back "the second one" and its reply
    assert first_call(chat.say("the event sponsorship one"))[1]["deal_id"] == "d1"


def test_no_match_falls_back_then_says_so() -> None:
    chat = Chat()
    chat.say("move the Zyx deal to proposal")
    reply = chat.tool({"deals": [], "total": 0})
    assert first_call(reply) == ("list_customers", {"search": "Zyx", "limit": 25})
    answer = chat.tool({"customers": [], "pagination": {"total": 0}})
    assert not answer.tool_calls and "couldn't find" in answer.content


def test_create_deal_resolves_the_company_first() -> None:
    chat = Chat()
    chat.say("create a deal for Acme worth 12k")
    people = [customer("c1", "Olivia Miller", "Acme Corp", "lead"), customer("c2", "Noah King", "Acme Corp")]
    name, args = first_call(chat.tool({"customers": people, "pagination": {"total": 2}}))
    assert name == "create_deal" and args["customer_id"] == "c2" and args["value"] == 12000
    assert args["title"].startswith("Acme Corp")


def test_update_and_delete_customer_flows() -> None:
    chat = Chat()
    chat.say("change Jane Smith's status to active")
    jane = customer("c9", "Jane Smith", "Soylent Foods", "inactive")
    found = {"customers": [jane], "pagination": {"total": 1}}
    assert first_call(chat.tool(found)) == ("update_customer", {"customer_id": "c9", "status": "active"})
    chat = Chat()
    chat.say("delete customer Jane Smith")
    assert first_call(chat.tool(found)) == ("delete_customer", {"customer_id": "c9"})
    assert "cancel" in str(chat.tool("Cancelled by the user.").content).lower()


def test_tool_errors_become_plain_answers() -> None:
    chat = Chat()
    chat.say("move the Acme deal to won")
    chat.tool({"deals": [deal("d1", "Acme Corp - Supply", 45575)], "total": 1})
    answer = chat.tool("Error: RESOURCE_NOT_FOUND: Deal not found")
    assert not answer.tool_calls and "couldn't find" in answer.content and "Deal not found" in answer.content


def test_only_bound_tools_are_called() -> None:
    reply = Chat(names=["revenue_for_period"]).say("how many customers do I have")
    assert not reply.tool_calls and "can't" in reply.content


def test_figures_only_from_tool_results() -> None:
    """Lists, pipeline and dashboard answers state only numbers the tools returned."""
    cases: list[tuple[str, dict[str, Any]]] = [
        ("show me the pipeline", {"stages": [{"stage": "lead", "count": 11, "value": 262175.0},
                                            {"stage": "negotiation", "count": 9, "value": 350400.0}],
                                 "open_count": 20, "open_value": 612575.0, "weighted_value": 288017.5,
                                 "won_count": 8, "won_value": 198875.0, "lost_count": 14, "win_rate": 0.3636,
                                 "currency": "USD"}),
        ("give me a dashboard", {"period": "30d", "start_date": "2026-10-26", "end_date": "2026-11-24",
                                 "currency": "USD", "revenue": {"current": 58031.62, "previous": 71599.2,
                                                                "change": "-18.9%", "change_percent": -18.95},
                                 "customers": {"total": 240, "new": 10, "churned": 4},
                                 "deals": {"open": 42, "won": 1, "value": 1086075.0}}),
        ("deals in negotiation", {"deals": [deal(f"d{i}", f"Deal {i}", 1000 + i) for i in range(12)],
                                  "total": 37, "limit": 10, "total_value": 412345.5}),
    ]
    for text, output in cases:
        chat = Chat()
        chat.say(text)
        answer = str(chat.tool(output).content)
        assert ungrounded(answer, chat.outputs) == [], answer


def test_stream_matches_invoke() -> None:
    call = {"name": "revenue_for_period", "args": {"period": "last_month"}, "id": "call_1",
            "type": "tool_call"}
    messages = [HumanMessage("what was revenue last month"), AIMessage("", tool_calls=[call]),
                ToolMessage(json.dumps(REVENUE), tool_call_id="call_1")]
    bound = model()
    chunks = list(bound.stream(messages))
    assert len(chunks) > 3
    assert "".join(str(c.content) for c in chunks) == bound.invoke(messages).content
    calls = list(bound.stream([HumanMessage("revenue this year")]))
    merged = calls[0]
    for chunk in calls[1:]:
        merged += chunk
    assert merged.tool_calls[0]["name"] == "revenue_for_period"
    assert merged.tool_calls[0]["args"] == {"period": "this_year"}


def test_async_invoke() -> None:
    reply = asyncio.run(model().ainvoke([HumanMessage("who is on my team")]))
    assert reply.tool_calls[0]["name"] == "list_workspace_members"
    assert reply.tool_calls[0]["id"].startswith("call_")


def test_only_the_start_of_a_long_message_is_interpreted() -> None:
    """A pasted page is not a command: text past the router's reading window is ignored."""
    padding = "lorem ipsum " * 100
    reply = model().invoke([HumanMessage(f"how many customers do I have? {padding} delete customer Jane")])
    assert [c["name"] for c in reply.tool_calls] == ["list_customers"]
    reply = model().invoke([HumanMessage(f"{padding} delete customer Jane Smith")])
    assert not any(c["name"].startswith("delete") for c in reply.tool_calls)
