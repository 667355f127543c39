"""Values read by what tools declare (their synonyms, readers and needs) and by the generic
extractors, in owners' words: the calls made, through the offline chat model."""

from __future__ import annotations

from typing import Any

import pytest

from tests.agent.test_nlu_model import Chat, first_call


@pytest.mark.parametrize(("text", "tool", "args"), [
    ("Which 5 customers am I most likely to lose?", "churn_risk", {"limit": 5}),
    ("which of my automations run on a timer?", "list_automations", {"kind": "schedule"}),
    ("Show me the syncs that didn't go through.", "list_sync_runs", {"status": "failed"}),
    ("what is quality of the records we enter by our hand?", "data_quality", {"source": "manual"}),
    ("what can my forecasts draw data from? include disconnected ones too", "list_data_sources",
     {"include_disconnected": True}),
    ("call https://api.mybakery.io/v2/orders and tell me its fields. Use the header Authorization: "
     "Bearer tok_9981", "detect_api_schema",
     {"url": "https://api.mybakery.io/v2/orders", "headers": {"Authorization": "Bearer tok_9981"}}),
    ("Is a pop-up store worth doing? It costs 15k and should bring in 40k over 9 months.",
     "analyze_initiative", {"name": "Pop-up store", "investment": 15000, "expected_revenue": 40000}),
    ("which of my app hookups are broken? include the ones I unplugged", "list_integrations",
     {"include_disconnected": True}),
    ("who's been going around deleting customers? check the paper trail", "list_audit_log",
     {"tool": "delete_customer"}),
    ("who's about to ghost me? customers i mean. only the really risky ones", "churn_risk",
     {"risk_level": "high"}),
])
def test_reads_what_the_tool_declares(text: str, tool: str, args: dict[str, Any]) -> None:
    reply = Chat().say(text)
    assert [c["name"] for c in reply.tool_calls] == [tool]
    called = reply.tool_calls[0]["args"]
    assert {k: called.get(k) for k in args} == args


def test_a_slack_post_without_its_url_asks_for_it_and_the_answer_completes_it() -> None:
    chat = Chat()
    reply = chat.say("ping our slack channel whenever a new customer signs up")
    assert not reply.tool_calls and "url" in str(reply.content).lower()
    name, args = first_call(chat.say("https://hooks.slack.com/services/T000/B000/XXXX"))
    assert (name, args["action"], args["event"], args["webhook_url"]) == (
        "create_automation", "post_slack", "customer.created", "https://hooks.slack.com/services/T000/B000/XXXX")


def test_an_example_given_after_a_request_is_the_same_request() -> None:
    reply = Chat().say("which of my numbers actually move the others? like what pushes sales up")
    assert [c["name"] for c in reply.tool_calls] == ["simulator_relationships"]


def test_a_name_alone_after_a_question_is_read_with_it() -> None:
    """"what's the churn risk for one of my customers?" - "Sam Allen": that customer's churn risk,
    not their overview (which a name alone would ask for)."""
    chat = Chat()
    chat.say("what's the churn risk for one of my customers?")
    chat.tool({"customers": []})
    name, args = first_call(chat.say("Sam Allen"))
    assert (name, args["kind"], args["text"]) == ("find_records", "customer", "Sam Allen")
    found = {"kind": "customer", "text": "Sam Allen", "candidates": [
        {"id": "c5", "kind": "customer", "label": "Sam Allen", "detail": "Stark Supplies", "score": 100.0}]}
    assert first_call(chat.tool(found)) == ("customer_churn_risk", {"customer_id": "c5"})
