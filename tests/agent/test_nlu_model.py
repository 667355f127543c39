"""The offline model on the registry's declarations, with the test playing the tools: routing and
arguments, names resolved by lookup (one match, several, none), questions for missing values and
their answers, several steps in one request, follow-ups, declines, streaming and token usage."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from typing import Any

import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.messages.utils import count_tokens_approximately

from agent.nlu.model import OfflineChatModel
from evals.harness import CallRecord, bound_tools
from evals.scoring import ungrounded

TODAY = date(2026, 11, 24)
REVENUE = {
    "label": "last month",
    "start_date": "2026-10-01",
    "end_date": "2026-10-31",
    "revenue": 70558.36,
    "orders": 1019,
    "average_order_value": 69.24,
    "currency": "USD",
    "previous_label": "September 2026",
    "previous_start_date": "2026-09-01",
    "previous_end_date": "2026-09-30",
    "previous_revenue": 78084.7,
    "previous_orders": 1108,
    "change_percent": -9.64,
    "sources": {"shopify": 710, "stripe": 309},
}


def customer(id_: str, name: str, company: str | None = None, status: str = "active") -> dict[str, Any]:
    return {
        "id": id_,
        "name": name,
        "email": f"{id_}@example.com",
        "phone": None,
        "company": company,
        "status": status,
        "tags": [],
        "custom_fields": {},
        "created_at": "2025-02-16T10:00:00Z",
        "updated_at": "2025-02-16T10:00:00Z",
    }


def deal(id_: str, title: str, stage: str = "negotiation", customer_id: str | None = None) -> dict[str, Any]:
    status = {"closed_won": "won", "closed_lost": "lost"}.get(stage, "open")
    return {
        "id": id_,
        "workspace_id": "t1",
        "title": title,
        "description": None,
        "value": 45575.0,
        "currency": "USD",
        "stage": stage,
        "status": status,
        "probability": 75,
        "customer_id": customer_id,
        "customer_name": "Pat Doe",
        "expected_close_date": "2026-12-15",
        "assigned_to": None,
        "closed_at": None,
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
    }


def found(kind: str, text: str, *rows: tuple[str, str, float]) -> dict[str, Any]:
    return {
        "kind": kind,
        "text": text,
        "candidates": [
            {"id": i, "kind": kind, "label": label, "detail": "", "score": score} for i, label, score in rows
        ],
    }


class Chat:
    """A conversation driven by hand: the test plays the tools."""

    def __init__(self, names: list[str] | None = None) -> None:
        tools = [t for t in bound_tools() if names is None or t["function"]["name"] in names]
        self.model = OfflineChatModel(today=TODAY).bind_tools(tools)
        self.messages: list[BaseMessage] = [SystemMessage("You are BizPilot.")]
        self.records: list[CallRecord] = []

    def say(self, text: str) -> AIMessage:
        self.messages.append(HumanMessage(text))
        self.records = []
        return self.step()

    def step(self) -> AIMessage:
        reply = self.model.invoke(self.messages)
        assert isinstance(reply, AIMessage)
        self.messages.append(reply)
        return reply

    def tool(self, output: dict[str, Any] | str) -> AIMessage:
        call = self.messages[-1].tool_calls[0]  # type: ignore[attr-defined]
        content = output if isinstance(output, str) else json.dumps(output)
        self.records.append(CallRecord(call["name"], call["args"], content))
        self.messages.append(ToolMessage(content, tool_call_id=call["id"]))
        return self.step()


def first_call(reply: AIMessage) -> tuple[str, dict[str, Any]]:
    assert reply.tool_calls, f"expected a tool call, got {reply.content!r}"
    return reply.tool_calls[0]["name"], reply.tool_calls[0]["args"]


@pytest.mark.parametrize(
    ("text", "tool", "args"),
    [
        ("how many customers do I have", "list_customers", {}),
        ("How many leads are in the CRM?", "list_customers", {"status": "lead"}),
        ("list my customers at Acme", "list_customers", {"company": "Acme"}),
        ("show my open deals over 10k", "list_deals", {"status": "open", "min_value": 10000}),
        ("deals between 20k and 50k", "list_deals", {"min_value": 20000, "max_value": 50000}),
        (
            "add Jane Smith from Tech Corp as a lead",
            "create_customer",
            {"name": "Jane Smith", "company": "Tech Corp", "status": "lead"},
        ),
        (
            "New lead: Marcus Reed, Reed Outdoors, marcus@reedoutdoors.com",
            "create_customer",
            {"name": "Marcus Reed", "company": "Reed Outdoors", "email": "marcus@reedoutdoors.com"},
        ),
        ("move the Acme deal to negotiation", "find_records", {"kind": "deal", "text": "Acme"}),
        ("change Jane Smith's status to active", "find_records", {"kind": "customer", "text": "Jane Smith"}),
        ("what was revenue last month", "revenue_for_period", {"period": "last_month"}),
        ("whats the revnue for septmber", "revenue_for_period", {"month": "2026-09"}),
        ("revenue for Q1 2026", "revenue_for_period", {"start_date": "2026-01-01", "end_date": "2026-03-31"}),
        ("monthly revenue for the last year", "revenue_trend", {"granularity": "month"}),
        ("quick overview of the last 7 days", "dashboard_metrics", {"period": "7d"}),
        ("what's my win rate", "pipeline_summary", {}),
        ("who is on my team", "list_workspace_members", {}),
        ("how many new customers this month?", "list_customers", {"created_after": "2026-11-01"}),
        (
            "Please add Kenji Watanabe as a customer. He is already buying from us, so not a lead. "
            "Phone +81 90 1234 5678.",
            "create_customer",
            {"name": "Kenji Watanabe", "status": "active", "phone": "+81 90 1234 5678"},
        ),
        ("make a customer record for Priyanka Rao", "create_customer", {"name": "Priyanka Rao"}),
        ("whose email is fatima.smith@example.com? need the name", "list_customers",
         {"search": "fatima.smith@example.com"}),
    ],
)
def test_routes_and_fills(text: str, tool: str, args: dict[str, Any]) -> None:
    name, called = first_call(Chat().say(text))
    assert name == tool
    assert {k: called.get(k) for k in args} == args


@pytest.mark.parametrize(
    ("text", "args"),
    [
        (
            "deals likely to close this month",
            {"status": "open", "expected_close_after": "2026-11-01", "expected_close_before": "2026-12-01"},
        ),
        (
            "which deals are expected to close next week?",
            {"status": "open", "expected_close_after": "2026-11-30", "expected_close_before": "2026-12-07"},
        ),
        (
            "opportunities expected to close in January",
            {"status": "open", "expected_close_after": "2027-01-01", "expected_close_before": "2027-02-01"},
        ),
        ("deals expected to close before 1 Feb 2027",
         {"status": "open", "expected_close_before": "2027-02-01"}),
        ("deals expected to close before 2027-02-01",
         {"status": "open", "expected_close_before": "2027-02-01"}),
        ("open deals closing by March 15", {"status": "open", "expected_close_before": "2027-03-16"}),
    ],
)
def test_expected_close_windows_look_ahead(text: str, args: dict[str, Any]) -> None:
    """A close date is in the future: "this month" is the whole month (the upper bound is
    exclusive), a bare month name is the coming one, "before" a day stops the day before and "by"
    a day takes it in, and "likely"/"expected" means open deals."""
    assert first_call(Chat().say(text)) == ("list_deals", args)


def test_revenue_answer_is_grounded_and_the_month_before_follows() -> None:
    chat = Chat()
    assert first_call(chat.say("what was revenue last month")) == (
        "revenue_for_period",
        {"period": "last_month"},
    )
    answer = chat.tool(REVENUE)
    assert "$70,558.36" in answer.content
    assert ungrounded(str(answer.content), chat.records) == []
    assert first_call(chat.say("and the month before?")) == ("revenue_for_period", {"month": "2026-09"})


def test_follow_ups_change_the_last_call() -> None:
    chat = Chat()
    chat.say("list my customers at Acme")
    chat.tool(
        {
            "customers": [customer("c1", "Noah King", "Acme Corp")],
            "pagination": {"page": 1, "limit": 20, "total": 1, "total_pages": 1},
        }
    )
    assert first_call(chat.say("only the active ones"))[1] == {"company": "Acme", "status": "active"}
    chat = Chat()
    chat.say("what was revenue last month")
    chat.tool(REVENUE)
    assert first_call(chat.say("what about 90 days?")) == ("revenue_for_period", {"period": "last_90_days"})
    chat = Chat()
    chat.say("what was revenue last month")
    chat.tool(REVENUE)
    assert first_call(chat.say("do it for 90 days")) == ("revenue_for_period", {"period": "last_90_days"})


def test_one_match_is_used_then_phrased() -> None:
    chat = Chat()
    chat.say("move the Acme deal to negotiation")
    reply = chat.tool(found("deal", "Acme", ("d1", "Acme Corp - Supply", 95.0)))
    assert first_call(reply) == ("move_deal_stage", {"deal_id": "d1", "stage": "negotiation"})
    answer = chat.tool({"deal": deal("d1", "Acme Corp - Supply")})
    assert "negotiation" in answer.content and ungrounded(str(answer.content), chat.records) == []


def test_several_matches_ask_which_then_the_reply_picks() -> None:
    chat = Chat()
    chat.say("mark the Globex deal as won")
    question = chat.tool(
        found(
            "deal",
            "Globex",
            ("d1", "Globex - Event sponsorship", 95.0),
            ("d2", "Globex - Rental fleet", 95.0),
        )
    )
    assert not question.tool_calls
    assert "Which one" in question.content and "Rental fleet" in question.content
    assert first_call(chat.say("the second one")) == (
        "move_deal_stage",
        {"deal_id": "d2", "stage": "closed_won"},
    )
    chat.messages = chat.messages[:-2]
    assert first_call(chat.say("the event sponsorship one"))[1]["deal_id"] == "d1"


def test_no_match_says_so() -> None:
    chat = Chat()
    chat.say("move the Zyx deal to proposal")
    answer = chat.tool(found("deal", "Zyx"))
    assert not answer.tool_calls and "couldn't find a deal" in answer.content


def test_a_missing_value_gets_the_tools_question_and_the_next_turn_completes_it() -> None:
    chat = Chat()
    question = chat.say("create a deal for Hooli")
    assert not question.tool_calls and question.content == "What's the deal's value?"
    lookup = chat.say("15k")
    assert first_call(lookup) == ("find_records", {"kind": "customer", "text": "Hooli", "limit": 5})
    name, args = first_call(chat.tool(found("customer", "Hooli", ("c7", "Olivia King", 95.0))))
    assert name == "create_deal"
    assert args == {"value": 15000.0, "customer_id": "c7", "title": "Hooli deal"}


def test_a_name_in_the_answer_is_the_title_when_the_customer_is_known() -> None:
    """"Ski hire partnership, 22 grand" answers the value and names the deal; the customer was
    given in the first turn, so the name is not a second link."""
    chat = Chat()
    chat.say("I want to log a deal for Omar Taylor")
    lookup = chat.say("Ski hire partnership, 22 grand")
    assert first_call(lookup) == ("find_records", {"kind": "customer", "text": "Omar Taylor", "limit": 5})
    name, args = first_call(chat.tool(found("customer", "Omar Taylor", ("c9", "Omar Taylor", 95.0))))
    assert (name, args) == ("create_deal", {"value": 22000.0, "customer_id": "c9",
                                            "title": "Ski hire partnership"})


def test_an_answer_that_gives_more_than_was_asked_completes_the_call() -> None:
    """Asked which customer, the owner also gives the status: nothing is asked twice."""
    chat = Chat()
    question = chat.say("change a customer's status")
    assert not question.tool_calls and "customer" in question.content
    lookup = chat.say("Maria Thomas -> active")
    assert first_call(lookup) == ("find_records", {"kind": "customer", "text": "Maria Thomas", "limit": 5})
    name, args = first_call(chat.tool(found("customer", "Maria Thomas", ("c3", "Maria Thomas", 97.0))))
    assert (name, args) == ("update_customer", {"status": "active", "customer_id": "c3"})


def test_renaming_without_the_new_title_asks_for_it() -> None:
    """A change of title has no default (a new record's title does: "Acme deal")."""
    chat = Chat()
    reply = chat.say("rename the Oscorp gifts deal")
    if reply.tool_calls:  # the deal is looked up first; the question comes before any change
        reply = chat.tool(found("deal", "Oscorp gifts", ("d1", "Oscorp gifts", 95.0)))
    assert not reply.tool_calls and "title" in reply.content


def test_a_later_sentence_about_the_person_is_a_detail_not_a_step() -> None:
    reply = Chat().say("Can you pop Siobhan O'Neill into the CRM as a prospect? She's with Glenview Lodges.")
    assert first_call(reply) == (
        "create_customer", {"name": "Siobhan O'Neill", "company": "Glenview Lodges", "status": "prospect"})


def test_a_new_record_for_her_after_adding_her_is_not_a_change_to_her() -> None:
    """"now open a 6k deal for her called ..." names a deal: a new deal linked to the customer
    just added, not a rename of that customer."""
    chat = Chat()
    chat.say("create a customer called Bea Lindqvist from Fjord Supply")
    reply = chat.tool({"customer": customer("c51", "Bea Lindqvist", "Fjord Supply", "lead")})
    assert not reply.tool_calls
    name, args = first_call(chat.say("now open a 6k deal for her called Fjord starter kit"))
    assert (name, args) == ("create_deal",
                            {"title": "Fjord starter kit", "value": 6000.0, "customer_id": "c51"})


def test_a_few_unsure_words_after_a_request_are_not_a_second_step() -> None:
    chat = Chat()
    assert first_call(chat.say("who deleted the acme deal? check the log"))[0] == "list_audit_log"
    reply = chat.tool({"entries": [], "total": 0, "limit": 20, "offset": 0})
    assert not reply.tool_calls


def test_a_record_the_best_tool_also_takes_stays_with_it() -> None:
    """webhook_health takes a webhook id too: "is webhook wh_3 failing?" is its health, not the
    webhook's settings (get_webhook)."""
    assert first_call(Chat().say("is webhook wh_3 failing?")) == ("webhook_health", {"webhook_id": "wh_3"})


def test_several_steps_use_earlier_results() -> None:
    chat = Chat()
    reply = chat.say("add Bob Lee from Initrode as a lead, then open a 12,500 deal for him in proposal")
    assert first_call(reply) == (
        "create_customer",
        {"name": "Bob Lee", "company": "Initrode", "status": "lead"},
    )
    name, args = first_call(chat.tool({"customer": customer("c42", "Bob Lee", "Initrode", "lead")}))
    assert name == "create_deal"
    assert args == {"value": 12500.0, "stage": "proposal", "customer_id": "c42", "title": "Bob Lee deal"}
    answer = chat.tool({"deal": deal("d9", "Bob Lee deal", "proposal", "c42")})
    assert "Bob Lee" in answer.content and "Bob Lee deal" in answer.content


def test_a_report_of_two_requests_runs_both() -> None:
    chat = Chat()
    first = chat.say("quick report: revenue for the last 30 days and how many customers I have")
    assert first_call(first) == ("revenue_for_period", {"period": "last_30_days"})
    second = chat.tool(REVENUE)
    assert first_call(second) == ("list_customers", {})


def test_a_pronoun_is_the_record_the_conversation_is_about() -> None:
    chat = Chat()
    chat.say("find Jane Smith")
    chat.tool(found("customer", "Jane Smith", ("c9", "Jane Smith", 100.0), ("c3", "Jane Scott", 70.0)))
    assert first_call(chat.say("change her status to active")) == (
        "update_customer",
        {"customer_id": "c9", "status": "active"},
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("what's the weather like tomorrow?", "can't help"),
        ("tell me a joke", "can't help"),
        ("how are my facebook ads doing this week?", "can't do that yet"),
        ("import contacts from a csv file", "can't do that yet"),
        ("delete all churned customers", "one customer at a time"),
        ("clear out all the churned customers, they're clutter", "one customer at a time"),
        # leads and prospects are customers by status
        ("delete all my leads", "one customer at a time"),
        ("remove every prospect", "one customer at a time"),
        ("reset Ben's password", "can't do that yet"),
        # declined well ahead of every tool: no tool is read into "today's orders"
        ("print shipping labels for today's orders", "can't do that yet"),
        # a verb only requests for work not built yet open with, to a read tool that is unsure
        ("refund Sam Wright's last order", "can't do that yet"),
        ("invite sarah@northwind.example.com to the team", "can't do that yet"),
        # a decline almost as likely as the tool chosen on shared words ("update ... to 120")
        ("update the price of the oak table to 120", "can't do that yet"),
    ],
)
def test_declines_plainly_without_calling_a_tool(text: str, words: str) -> None:
    reply = Chat().say(text)
    assert not reply.tool_calls and words in reply.content


def test_an_unsupported_integration_is_asked_of_connect_integration() -> None:
    """connect_integration itself answers which connector types exist (its error lists them)."""
    assert first_call(Chat().say("connect QuickBooks")) == ("connect_integration", {"type": "quickbooks"})


def test_security_questions_reach_the_security_tools() -> None:
    """Once declined as not built; now answered by the rules (never an unrelated customer list)."""
    assert first_call(Chat().say("how secure is my account?"))[0] == "security_score"
    assert first_call(Chat().say("who on the team hasn't set up MFA?"))[0] == "team_security"


def test_churn_questions_reach_the_churn_tools() -> None:
    """Once declined as not built; now answered by the churn model (never the list of customers
    already marked churned)."""
    assert first_call(Chat().say("which customers might churn?"))[0] == "churn_risk"
    assert first_call(Chat().say("who is likely to stop buying from us?"))[0] == "churn_risk"


def test_a_lowercase_name_after_a_lookup_verb_is_looked_up() -> None:
    """"find customer yuki moore" searches for that person, never lists every customer."""
    name, args = first_call(Chat().say("find customer yuki moore"))
    assert (name, args["kind"], args["text"].lower()) == ("find_records", "customer", "yuki moore")


def test_a_lowercase_name_beside_a_name_word_is_read_as_a_name() -> None:
    """"what's omar taylor's email": the unknown word beside a first name is a name, so the
    request is a lookup of that person, not a decline for words no tool uses; an unknown word
    on its own is not ("give me a recipe for chicken tikka masala" stays declined)."""
    assert first_call(Chat().say("what's omar taylor's email")) == (
        "find_records", {"kind": "customer", "text": "omar taylor", "limit": 5})
    chat = Chat()
    chat.say("how much did omar taylor spend")  # past spend, not a forecast of it
    reply = chat.tool(found("customer", "Omar Taylor", ("c7", "Omar Taylor", 100.0)))
    assert first_call(reply) == ("customer_overview", {"customer_id": "c7"})
    assert first_call(Chat().say("where did noah king's email come from"))[1]["text"] == "noah king"
    reply = Chat().say("give me a good recipe for chicken tikka masala")
    assert not reply.tool_calls and "can't" in str(reply.content)


def test_a_record_written_by_its_id_is_not_looked_up_by_name() -> None:
    """"cust 7c1e9a22-...": the id goes to the call as written (a lookup of the id as a name finds
    nothing); a connection's id too."""
    uid = "7c1e9a22-4b0d-4f3e-9a51-2d8e6f0b1c47"
    assert first_call(Chat().say(f"pull up customer {uid}")) == ("get_customer", {"customer_id": uid})
    assert first_call(Chat().say(f"move deal {uid} to won")) == (
        "move_deal_stage", {"stage": "closed_won", "deal_id": uid})
    assert first_call(Chat().say(f"is connection {uid} syncing ok?")) == (
        "get_sync_status", {"connection": uid})


def test_a_lowercase_deal_title_runs_on_to_its_noun() -> None:
    """"the hooli annual supply contract deal": the whole title is looked up, not "hooli" alone
    (or "it", later in the sentence); "the" before a name is no part of it."""
    reply = Chat().say("the hooli annual supply contract deal is a duplicate, can you just trash it")
    assert first_call(reply) == (
        "find_records", {"kind": "deal", "text": "hooli annual supply contract", "limit": 5})
    assert first_call(Chat().say("mvoe the cyberdyne deal to negociation"))[1]["text"] == "cyberdyne"


def test_a_request_to_move_a_deal_never_deletes_it() -> None:
    """"move the Hooli annual supply deal" shares words with examples of deleting deals; a request
    that opens with another tool's verb and asks to remove nothing calls no destructive tool."""
    chat = Chat()
    reply = chat.say("move the Hooli annual supply deal")
    if reply.tool_calls and first_call(reply)[0] == "find_records":
        rows = ("d4", "Hooli - Annual supply contract", 95.0)
        reply = chat.tool(found("deal", "Hooli annual supply", rows))
    assert not any(c["name"] == "delete_deal" for c in reply.tool_calls)
    assert first_call(Chat().say("delte webhook wh_71d2"))[0] == "delete_webhook"


def test_half_years_compact_windows_and_monthly_schedules_are_read() -> None:
    """"the first half of 2026" is six months; "kpis 90d" is the last 90 days; "on the first of
    every month at 10am" runs at ten, not at the nine a bare "every month" means."""
    assert first_call(Chat().say("revenue for the first half of 2026")) == (
        "revenue_for_period", {"start_date": "2026-01-01", "end_date": "2026-06-30"})
    assert first_call(Chat().say("revenue h2 last year"))[1] == {
        "start_date": "2025-07-01", "end_date": "2025-12-31"}
    assert first_call(Chat().say("kpis 90d")) == ("dashboard_metrics", {"period": "90d"})
    name, args = first_call(Chat().say("email the win-back template to inactive customers on the first of "
                                       "every month at 10am"))
    assert (name, args["schedule"]) == ("create_automation", "0 10 1 * *")


def test_an_automation_named_in_a_long_sentence_is_its_first_phrase() -> None:
    """"stop the lead nurture campaign for now, we're redoing the emails": the automation is the
    first phrase of plain words, not the stray "redoing"; what it does ("does it fire next") is
    no name."""
    name, args = first_call(Chat().say("stop the lead nurture campaign for now, we're redoing the emails"))
    assert name == "pause_automation" and "nurture" in args["name"]
    name, args = first_call(Chat().say("we're closed over the holidays, can you put the invoice reminder "
                                       "on hold until I say otherwise?"))
    assert (name, args) == ("pause_automation", {"name": "invoice reminder"})


def test_a_link_goes_to_the_kind_of_record_the_request_names() -> None:
    """"lineage of the Acme deal": the deal called Acme, not the customer at Acme."""
    assert first_call(Chat().say("lineage of the Acme deal")) == (
        "find_records", {"kind": "deal", "text": "Acme", "limit": 5})


def test_cancelled_and_failed_calls_are_said() -> None:
    chat = Chat()
    chat.say("delete customer Jane Smith")
    reply = chat.tool(found("customer", "Jane Smith", ("c9", "Jane Smith", 100.0)))
    assert first_call(reply) == ("delete_customer", {"customer_id": "c9"})
    assert "cancelled" in str(chat.tool("Cancelled by the user.").content)
    chat = Chat()
    chat.say("move the Acme deal to won")
    chat.tool(found("deal", "Acme", ("d1", "Acme Corp - Supply", 95.0)))
    answer = chat.tool("Error: RESOURCE_NOT_FOUND: Deal not found")
    assert not answer.tool_calls and "couldn't find" in answer.content and "Deal not found" in answer.content


def test_only_bound_tools_are_called() -> None:
    reply = Chat(names=["revenue_for_period"]).say("how many customers do I have")
    assert not reply.tool_calls and "can't" in reply.content


def test_usage_counts_only_what_was_read_and_written() -> None:
    chat = Chat()
    chat.say("what was revenue last month")
    chat.tool(REVENUE)
    chat.say("who is on my team")
    chat.tool({"workspace_id": "t1", "members": [], "total": 0})
    reply = chat.say("hi")
    usage = reply.usage_metadata
    assert usage is not None
    read = [m for m in chat.messages[:-1] if not isinstance(m, SystemMessage)]
    assert 0 < usage["input_tokens"] < count_tokens_approximately(read)
    assert usage["output_tokens"] == count_tokens_approximately([AIMessage(reply.content)])
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]


def test_stream_matches_invoke() -> None:
    call = {
        "name": "revenue_for_period",
        "args": {"period": "last_month"},
        "id": "call_1",
        "type": "tool_call",
    }
    messages = [
        HumanMessage("what was revenue last month"),
        AIMessage("", tool_calls=[call]),
        ToolMessage(json.dumps(REVENUE), tool_call_id="call_1"),
    ]
    model = OfflineChatModel(today=TODAY).bind_tools(bound_tools())
    chunks = list(model.stream(messages))
    assert len(chunks) > 3
    assert "".join(str(c.content) for c in chunks) == model.invoke(messages).content
    merged = None
    for chunk in model.stream([HumanMessage("revenue this year")]):
        merged = chunk if merged is None else merged + chunk
    assert merged is not None and merged.tool_calls[0]["args"] == {"period": "this_year"}
    assert merged.usage_metadata and merged.usage_metadata["input_tokens"] > 0


def test_async_invoke_and_the_start_of_a_long_message() -> None:
    model = OfflineChatModel(today=TODAY).bind_tools(bound_tools())
    reply = asyncio.run(model.ainvoke([HumanMessage("who is on my team")]))
    assert reply.tool_calls[0]["name"] == "list_workspace_members"
    padding = "lorem ipsum " * 100
    reply = model.invoke([HumanMessage(f"{padding} delete customer Jane Smith")])
    assert not any(c["name"].startswith("delete") for c in reply.tool_calls)


@pytest.mark.parametrize(("text", "field"), [
    ("update the probability on the Globex rental fleet deal", "probability"),
    ("set a close date on the Blue Sun uniforms deal", "expected close date"),
])
def test_a_change_without_its_value_asks_for_the_value_instead_of_reading_the_record(
    text: str, field: str
) -> None:
    """The field named is also what the read tool shows; "update"/"set" says it is to change."""
    reply = Chat().say(text)
    assert not reply.tool_calls and reply.content == f"What should the new {field} be?"


def test_a_part_without_its_own_verb_repeats_the_first_action() -> None:
    """The second part is another move; each lookup of "Tyrell" matches both deals, and the rest
    of each part says which one."""
    tyrell = (("d1", "Tyrell - Annual supply", 95.0), ("d2", "Tyrell - Seasonal restock", 95.0))
    chat = Chat()
    reply = chat.say(
        "move the Tyrell annual supply to proposal and the Tyrell seasonal restock to negotiation")
    assert first_call(reply) == ("find_records", {"kind": "deal", "text": "Tyrell", "limit": 5})
    moved = chat.tool(found("deal", "Tyrell", *tyrell))
    assert first_call(moved) == ("move_deal_stage", {"deal_id": "d1", "stage": "proposal"})
    lookup = chat.tool({"deal": deal("d1", "Tyrell - Annual supply", "proposal")})
    assert first_call(lookup)[0] == "find_records"
    second = chat.tool(found("deal", "Tyrell", *tyrell))
    assert first_call(second) == ("move_deal_stage", {"deal_id": "d2", "stage": "negotiation"})
    assert Chat().say("add Ana Ruiz as a lead and the Hooli deal").tool_calls[0]["name"] != "move_deal_stage"


def test_of_the_records_a_name_matches_the_one_just_shown_is_meant() -> None:
    """"list my deals in negotiation" showed one Gringotts deal: "the Gringotts one" is it."""
    chat = Chat()
    chat.say("list my deals in negotiation")
    shown = [deal("d3", "Gringotts Travel - Rental fleet"), deal("d7", "Globex - Event sponsorship")]
    chat.tool({"deals": shown, "total": 2, "total_value": 0})
    lookup = chat.say("move the Gringotts one to won")
    assert first_call(lookup)[0] == "find_records"
    both = found("deal", "Gringotts", ("d1", "Gringotts Travel - Expedition kit", 95.0),
                 ("d3", "Gringotts Travel - Rental fleet", 95.0))
    assert first_call(chat.tool(both)) == ("move_deal_stage", {"stage": "closed_won", "deal_id": "d3"})


@pytest.mark.parametrize("text", ["wipe every closed-lost deal out of the pipeline",
                                  "delete all my lost deals"])
def test_a_removal_in_bulk_is_refused_not_guessed(text: str) -> None:
    reply = Chat().say(text)
    assert not reply.tool_calls and "one deal at a time" in str(reply.content)


@pytest.mark.parametrize(
    ("text", "call"),
    [
        ("pause wh_3", ("update_webhook", {"webhook_id": "wh_3", "active": False})),
        ("delete wh_9", ("delete_webhook", {"webhook_id": "wh_9"})),
    ],
)
def test_a_prefixed_id_names_its_kind_of_record(text: str, call: tuple[str, dict[str, Any]]) -> None:
    """"wh_3" is a webhook's id: pausing or deleting it is not about an automation."""
    assert first_call(Chat().say(text)) == call


@pytest.mark.parametrize(
    "text",
    [
        "I'd like the Redwood Labs bench deal deleted please",  # "I'd" is no name; a deletion asked for
        "nuke the Tom Ruiz headset deal",
        "could you clear the Wayne restock deal out of the system?",
    ],
)
def test_removal_said_in_other_words_is_a_deletion(text: str) -> None:
    chat = Chat()
    assert first_call(chat.say(text))[0] == "find_records"  # the deal to delete, found first
    assert first_call(chat.tool(found("deal", "the deal", ("d1", "The deal", 100.0))))[0] == "delete_deal"


def test_a_deletion_reported_is_not_one_asked_for() -> None:
    reply = Chat().say("Somebody deleted the Acme deal. Who did it and when?")
    assert first_call(reply)[0] == "list_audit_log"


def test_a_later_sentence_for_the_same_tool_is_read_with_the_first() -> None:
    """It names no record of its own: it tells more about the same call (here, how long the old
    secret keeps working), not a second call missing its webhook."""
    reply = Chat().say("I think the signing secret for wh_6 leaked. Give it a new one, "
                       "but let the old one keep working for a day.")
    assert first_call(reply) == ("rotate_webhook_secret", {"webhook_id": "wh_6", "keep_old_hours": 24})


def test_a_tool_lacking_a_record_id_nothing_points_to_gives_way_to_a_close_one() -> None:
    """"delivery" could choose the webhook delivery tool, which would ask for a delivery id; the
    initiative analysis asks what the van costs and brings in (chosen outright or, when the
    webhook tool scores first, because it lacks a record nothing points to)."""
    reply = Chat().say("is it worth buying a new delivery van?")
    assert not reply.tool_calls and "cost" in reply.content


def test_a_change_naming_no_record_is_to_the_one_just_shown() -> None:
    chat = Chat()
    chat.say("what's in the Monarch Camping deal?")
    chat.tool(found("deal", "Monarch Camping", ("d5", "Monarch Camping - Enterprise license", 96.0)))
    chat.tool({"deal": deal("d5", "Monarch Camping - Enterprise license", "proposal")})
    assert first_call(chat.say("push the close date to jan 31")) == (
        "update_deal", {"expected_close_date": "2027-01-31", "deal_id": "d5"})


def test_a_change_naming_no_record_with_nothing_before_asks_which() -> None:
    reply = Chat().say("push the close date to jan 31")
    assert not reply.tool_calls and "deal" in reply.content.lower()


def test_a_correction_right_after_a_create_changes_the_new_record() -> None:
    """"oops" is no customer's name; the correction names no record, so it is the one just made."""
    chat = Chat()
    chat.say("create customer Tariq Aziz, tariq@aziztrading.ae")
    reply = chat.tool({"customer": customer("c8", "Tariq Aziz", None, "lead")})
    assert not reply.tool_calls
    assert first_call(chat.say("oops, the email should be tariq@aziz-trading.ae")) == (
        "update_customer", {"email": "tariq@aziz-trading.ae", "customer_id": "c8"})


def test_tagging_without_the_tag_asks_which_and_the_answer_gives_it() -> None:
    chat = Chat()
    question = chat.say("tag Sofia Khan")
    assert not question.tool_calls and question.content == "Which tag should I add?"
    lookup = chat.say("vip and wholesale")
    assert first_call(lookup)[0] == "find_records"
    name, args = first_call(chat.tool(found("customer", "Sofia Khan", ("c4", "Sofia Khan", 98.0))))
    assert (name, args) == ("update_customer", {"add_tags": ["vip", "wholesale"], "customer_id": "c4"})


def test_a_later_step_pointing_back_at_the_period_takes_it() -> None:
    chat = Chat()
    reply = chat.say("how much revenue did we make in october 2026 and who were the top 3 clients that month")
    assert first_call(reply) == ("revenue_for_period", {"month": "2026-10"})
    assert first_call(chat.tool(REVENUE)) == ("top_customers", {"limit": 3, "month": "2026-10"})


def test_its_in_a_later_step_points_to_what_the_step_before_acted_on() -> None:
    chat = Chat()
    assert first_call(chat.say("sync stripe then tell me its sync status")) == (
        "sync_integration", {"connection": "stripe"})
    assert first_call(chat.tool({"connection_id": "k1", "status": "queued"})) == (
        "get_sync_status", {"connection": "stripe"})


def test_a_quoted_name_keeps_the_words_it_shares_with_the_tools() -> None:
    """'Old Shopify' is no unknown name: its closing quote is not part of "shopify", which
    says the request is about a connection (it had read as "remove the somename": a customer)."""
    name, _ = first_call(Chat().say("remove the 'Old Shopify' connection"))
    assert name == "disconnect_integration"


@pytest.mark.parametrize(("answer", "when"), [
    ("every monday at 9", {"schedule": "0 9 * * 1"}),
    ("when a customer is created", {"event": "customer.created"}),
])
def test_an_automation_without_a_time_asks_when_and_the_answer_gives_it(
        answer: str, when: dict[str, str]) -> None:
    """Without a schedule or an event the tool can only refuse: the assistant asks first, and
    either kind of answer completes the request (an event answers "when should it run?" too)."""
    chat = Chat()
    question = chat.say("set up a new automation to email new leads")
    assert not question.tool_calls and question.content.startswith("When should it run?")
    name, args = first_call(chat.say(answer))
    assert name == "create_automation" and args["action"] == "send_email"
    assert {k: args.get(k) for k in when} == when


def test_a_move_without_its_stage_asks_for_it_not_an_update_of_nothing() -> None:
    """"move the Hooli deal" names no stage: an update of the deal would change nothing, so the
    move's own question is asked."""
    reply = Chat().say("move the Hooli deal")
    assert not reply.tool_calls and reply.content.startswith("Which stage should it go to")


def test_a_read_of_one_record_given_by_its_id_is_acted_on_when_the_words_are_unsure() -> None:
    """"auto_42" is an automation's id, the one thing get_automation needs: the request's many
    other words ("trigger, actions, status and last run") left the classifier unsure."""
    reply = Chat().say("Show automation auto_42: its trigger, actions, status and last run.")
    assert first_call(reply) == ("get_automation", {"name": "auto_42"})


def test_an_update_given_no_change_says_nothing_changed() -> None:
    """"update the Acme deal" names no field: the answer says nothing was changed and what can
    be, instead of "Updated the deal"."""
    chat = Chat()
    assert first_call(chat.say("update the Acme rental deal"))[0] == "find_records"
    name, args = first_call(chat.tool(found("deal", "Acme rental", ("d7", "Acme - Rental fleet", 97.0))))
    assert (name, args) == ("update_deal", {"deal_id": "d7"})
    answer = chat.tool({"deal": deal("d7", "Acme - Rental fleet")}).content
    assert answer.startswith("Nothing was changed on the deal “Acme - Rental fleet”")
    assert "Updated" not in answer


def test_a_first_name_one_example_uses_as_a_word_is_part_of_the_name() -> None:
    """"grace" is a word of one webhook example ("a 2 hour grace period"), but beside "Young" it is
    her first name: "show me Grace Young" had read as "show me grace <name>" and was declined."""
    assert first_call(Chat().say("show me Grace Young")) == (
        "find_records", {"kind": "customer", "text": "Grace Young", "limit": 5})


def test_a_plan_with_its_cost_asks_for_its_revenue_and_the_bare_answer_is_that() -> None:
    """The values belong to the plan, so a close tool that takes nothing (the workspace) does not
    stand in for it; "about 20k" answers the revenue question, not the cost given before."""
    chat = Chat()
    asked = chat.say("plan a summer promotion with a 5k budget")
    assert not asked.tool_calls and asked.content.startswith("How much revenue do you expect")
    assert first_call(chat.say("about 20k")) == (
        "analyze_initiative", {"investment": 5000.0, "expected_revenue": 20000.0})


def test_a_sentence_is_no_answer_to_a_question_for_an_id() -> None:
    chat = Chat()
    asked = chat.say("dismiss the first insight")
    assert not asked.tool_calls and "Which insight" in str(asked.content)
    reply = chat.say("should we hire another salesperson?")
    assert not any(c["name"] == "update_insight" for c in reply.tool_calls)


@pytest.mark.parametrize(("text", "args"), [
    ("show my vip customers", {"tag": "vip"}),
    ("how many wholesale tagged customers do we have", {"tag": "wholesale"}),
    ("list customers with tag b2b", {"tag": "b2b"}),
    ("customers tagged as retail at Globex", {"tag": "retail", "company": "Globex"}),
])
def test_customers_are_listed_by_tag(text: str, args: dict[str, Any]) -> None:
    assert first_call(Chat().say(text)) == ("list_customers", args)


def test_deals_closing_soon_are_the_open_ones_soonest_first() -> None:
    """It had listed every deal, closed ones too, the latest to close first."""
    assert first_call(Chat().say("any deals closing soon?")) == (
        "list_deals", {"sort_by": "expected_close_date", "sort_order": "asc", "status": "open"})


@pytest.mark.parametrize(("text", "before"), [
    ("revenue this month compared to last year", {"start_date": "2025-11-01", "end_date": "2025-11-24"}),
    ("how did we do in october vs last year", {"month": "2025-10"}),
])
def test_a_period_against_last_year_is_read_as_both(text: str, before: dict[str, str]) -> None:
    """"compared to last year" is the same period a year before; so far this month is compared with
    the same days, not with the whole month."""
    chat = Chat()
    assert first_call(chat.say(text))[0] == "revenue_for_period"
    assert first_call(chat.tool(REVENUE)) == ("revenue_for_period", before)


@pytest.mark.parametrize(("text", "tool"), [
    ("who deleted a customer this week?", "delete_customer"),
    ("who removed the Tidewater Cafe customer last month", "delete_customer"),
    ("someone changed a deal value, find out who", "update_deal"),
])
def test_the_audit_log_is_filtered_by_the_action_said_in_words(text: str, tool: str) -> None:
    name, args = first_call(Chat().say(text))
    assert name == "list_audit_log" and args["tool"] == tool


def test_a_request_for_work_not_built_is_no_other_tools_request() -> None:
    """"invite" opens only requests for work not built yet: the email in it does not make it a new
    customer (one called "Invite" had been added)."""
    reply = Chat().say("invite jo@example.com as an analyst")
    assert not reply.tool_calls and "can't do that yet" in str(reply.content)


@pytest.mark.parametrize("text", ["are my integrations ok", "are my integrations ok?"])
def test_a_question_about_the_connections_is_answered_not_thanked_for(text: str) -> None:
    """"ok" is a word of thank-yous, but a question is never one ("You're welcome!" had answered)."""
    assert first_call(Chat().say(text))[0] == "get_sync_status"


def test_a_quarter_written_in_capitals_is_a_period_not_a_name() -> None:
    """"Q3" is capitalised like a name; read as one, "revenue in Q3" was too unsure to answer."""
    name, args = first_call(Chat().say("revenue in Q3"))
    assert name == "revenue_for_period"
    assert (args["start_date"][4:], args["end_date"][4:]) == ("-07-01", "-09-30")


@pytest.mark.parametrize(("text", "tool"), [
    ("where am i loged in right now", "list_sessions"),
    ("what's maria@trailhead.co been changing this month", "list_audit_log"),
])
def test_another_form_of_a_known_word_is_known(text: str, tool: str) -> None:
    """A tense or spelling no example uses ("changing", "loged") is not an unknown word that
    pulls the request towards a decline."""
    assert first_call(Chat().say(text))[0] == tool


@pytest.mark.parametrize(("text", "tool", "field"), [
    ("kick off a sync for connection d211b4fc-70e1-4fab-9c24-89a1b6588770", "sync_integration",
     "connection"),
    ("show webhook b8f1c9a4-2e63-4d07-9135-0a7e6d2c8f41", "get_webhook", "webhook_id"),
])
def test_a_record_id_is_one_token_not_letters_that_choose(text: str, tool: str, field: str) -> None:
    """An id's letters and digits ("d211b4fc-70e1-...") are noise to the classifier's character
    n-grams: it reads as one placeholder, and goes to the call as written."""
    name, args = first_call(Chat().say(text))
    assert name == tool and args[field] == text.split()[-1]


@pytest.mark.parametrize("text", ["delete prediction pred_7f3a91c2",
                                  "Clear out all my old what-if simulations."])
def test_a_removal_no_tool_does_is_not_answered_by_showing_the_record(text: str) -> None:
    """No tool removes predictions or simulations: the tool that shows one must not answer."""
    reply = Chat().say(text)
    assert not reply.tool_calls and "can't do that yet" in reply.content


def test_a_change_to_a_kind_of_record_no_tool_changes_is_not_done_to_another() -> None:
    """delete_deal's words ("delete", "made") chose it, but the request is about a prediction,
    which no tool deletes: never a deal deletion."""
    reply = Chat().say("Delete the prediction I made yesterday, it was junk.")
    assert not reply.tool_calls and "can't do that yet" in reply.content
    assert first_call(Chat().say("delete the Initech store fit-out deal"))[0] == "find_records"


@pytest.mark.parametrize(("text", "tool", "start"), [
    ("forecast revenue for march", "forecast_metric", "2027-03-01"),  # the March ahead
    ("revenue for march", "revenue_for_period", "2026-03-01"),  # the March that is over
])
def test_a_month_without_its_year_is_the_next_one_for_a_forecast(text: str, tool: str, start: str) -> None:
    name, args = first_call(Chat().say(text))
    assert name == tool
    assert args.get("start_date", args.get("month", "") + "-01") == start


def test_unnamed_records_are_asked_for_and_the_answer_completes_the_call() -> None:
    chat = Chat()
    reply = chat.say("turn off one of my automations")
    assert not reply.tool_calls and "which automation" in str(reply.content).lower()
    keys = Chat()
    asked = keys.say("revoke some of my api keys")
    assert not asked.tool_calls and "which key" in str(asked.content).lower()
    assert first_call(keys.say("all the ones that havent been used in 90 days")) == (
        "revoke_api_keys", {"unused_days": 90})


def test_a_short_reply_naming_the_record_asked_for_is_the_whole_name() -> None:
    chat = Chat()
    assert not chat.say("delete a customer").tool_calls
    name, args = first_call(chat.say("ivan young"))
    assert (name, args["text"]) == ("find_records", "ivan young")


def test_i_meant_corrects_the_last_call() -> None:
    chat = Chat()
    assert first_call(chat.say("sync shopify now")) == ("sync_integration", {"connection": "shopify"})
    chat.tool({"connection": "shopify", "run_id": "r1", "status": "running"})
    assert first_call(chat.say("sorry, I meant Stripe")) == ("sync_integration", {"connection": "stripe"})


def test_the_one_named_in_a_reply_is_looked_up_whole() -> None:
    chat = Chat()
    assert not chat.say("mark a deal as lost").tool_calls
    name, args = first_call(chat.say("the Initech store fit-out one"))
    assert (name, args["text"]) == ("find_records", "Initech store fit-out")


def test_tags_said_around_the_word_tag() -> None:
    """"add the tag" names no tag: the one said elsewhere ("is VIP now") is it, and the words after
    "tag" that say something else ("but keep her other tags") are not tags."""
    chat = Chat()
    said = chat.say("Maria Lopez is VIP now, add the tag but keep her other tags")
    assert first_call(said)[0] == "find_records"
    assert first_call(chat.tool(found("customer", "Maria Lopez", ("c1", "Maria Lopez", 100.0)))) == (
        "update_customer", {"add_tags": ["vip"], "customer_id": "c1"})


def test_each_time_is_when_not_how_many() -> None:
    """"each time a deal is won ... drop a note" is a trigger, not a bulk removal."""
    name, args = first_call(Chat().say("each time a deal is won drop a note in slack, the url is "
                                       "https://hooks.slack.com/services/T000/B000/XXXX"))
    assert (name, args.get("event"), args.get("webhook_url")) == (
        "create_automation", "deal.won", "https://hooks.slack.com/services/T000/B000/XXXX")


def test_a_request_told_after_a_story_is_the_last_sentence() -> None:
    """The sentences before the request tell why it is asked; their words had turned it down. A
    story that names the record the request points back to is kept with it."""
    told = ("My cousin's bakery got hacked in the spring and she lost her whole customer list, I still "
            "think about it at night. Be straight with me, how exposed are we and what should I patch first?")
    assert first_call(Chat().say(told))[0] == "security_score"
    landlord = ("The landlord asked if we'd cope with another rent hike and I just stammered like an idiot. "
                "How much came in last month, and is that up or down on the month before?")
    assert first_call(Chat().say(landlord)) == ("revenue_for_period", {"period": "last_month"})
