"""The offline model's engine, trained from small language declarations made here: nothing in
`agent/` names a tool, so a tool with its declaration is routed, filled and phrased, and a request
no declaration covers is declined. Also: deterministic training, training time and routing
latency on the real registry."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from agent.nlu.catalog import build_catalog
from agent.nlu.classifier import IntentClassifier
from agent.nlu.features import id_noun, unknown_words
from agent.nlu.model import OfflineChatModel
from agent.nlu.training import OUT_OF_SCOPE, build
from tools.crm.schemas import CustomerOutput
from tools.crm.schemas_analytics import RevenueOutput
from tools.language import ToolLanguage, all_languages

TODAY = date(2026, 11, 24)


def _revenue(out: RevenueOutput, args: Mapping[str, Any]) -> str:
    return f"Takings {out.label}: {out.revenue}."


def _updated(out: CustomerOutput, args: Mapping[str, Any]) -> str:
    return f"{out.customer.name} is now {out.customer.status}."


LANGUAGES = {
    "revenue_for_period": ToolLanguage(
        examples=(
            "revenue last month",
            "how much did we sell this year",
            "sales in march",
            "takings this week",
            "what did we make yesterday",
            "income for q3",
            "revenue ytd",
            "how were sales last quarter",
            "turnover in 2025",
            "total sales for the last 90 days",
            "how much money came in this month",
        ),
        phrase=lambda out, args: _revenue(RevenueOutput.model_validate(out), args),
    ),
    "update_customer": ToolLanguage(
        examples=(
            "mark Dana Whitfield as churned",
            "change Kofi Mensah's status to active",
            "Rosa Delgado is a paying customer now",
            "set Hugo Lambert to prospect",
            "update the email for Ines Moreau to ines@example.com",
            "Marcus Bell has churned",
            "make Tanya Okafor an active customer",
            "switch Raj Patel to inactive",
            "Beth Collins left us",
            "flag Kenji Watanabe as a lead",
        ),
        phrase=lambda out, args: _updated(CustomerOutput.model_validate(out), args),
        synonyms={
            "status": {
                "active": ("active", "paying"),
                "churned": ("churned", "left us"),
                "prospect": ("prospect",),
                "inactive": ("inactive",),
                "lead": ("lead",),
            }
        },
        references={"customer_id": "customer"},
        questions={"customer_id": "Which customer do you mean?"},
    ),
    "find_records": all_languages()["find_records"],
}


def chat(messages: list[BaseMessage]) -> AIMessage:
    model = OfflineChatModel(today=TODAY, languages=LANGUAGES)
    reply = model.invoke(messages)
    assert isinstance(reply, AIMessage)
    return reply


def test_the_catalog_is_what_was_declared() -> None:
    catalog = build_catalog(LANGUAGES)
    assert set(catalog.tools) == set(LANGUAGES)
    assert set(catalog.classifier.labels) >= set(LANGUAGES) | {OUT_OF_SCOPE}
    slots = catalog.tools["update_customer"]
    assert slots.get("customer_id").kind == "reference"  # type: ignore[union-attr]
    assert slots.get("status").values == ("lead", "prospect", "active", "inactive", "churned")  # type: ignore[union-attr]


def test_a_declared_tool_is_routed_and_filled() -> None:
    reply = chat([HumanMessage("what were the takings last month?")])
    assert reply.tool_calls[0]["name"] == "revenue_for_period"
    assert reply.tool_calls[0]["args"] == {"period": "last_month"}


def test_its_result_is_phrased_by_its_declaration() -> None:
    call = {"name": "revenue_for_period", "args": {"period": "last_month"}, "id": "c1", "type": "tool_call"}
    output = {
        "label": "last month",
        "start_date": "2026-10-01",
        "end_date": "2026-10-31",
        "revenue": 1234.5,
        "orders": 3,
        "average_order_value": 411.5,
        "currency": "USD",
        "previous_label": "September",
        "previous_start_date": "2026-09-01",
        "previous_end_date": "2026-09-30",
        "previous_revenue": 1000.0,
        "previous_orders": 2,
        "change_percent": 23.45,
        "sources": {},
    }
    reply = chat(
        [
            HumanMessage("revenue last month"),
            AIMessage("", tool_calls=[call]),
            ToolMessage(json.dumps(output), tool_call_id="c1"),
        ]
    )
    assert reply.content == "Takings last month: 1234.5."


def test_a_name_is_resolved_with_the_lookup_tool_then_used() -> None:
    first = chat([HumanMessage("mark Zed Quinlan as churned")])
    [lookup] = first.tool_calls
    assert lookup["name"] == "find_records"
    assert lookup["args"] == {"kind": "customer", "text": "Zed Quinlan", "limit": 5}
    found = {
        "kind": "customer",
        "text": "Zed Quinlan",
        "candidates": [
            {"id": "c-9", "kind": "customer", "label": "Zed Quinlan", "detail": "Acme", "score": 100.0}
        ],
    }
    second = chat(
        [
            HumanMessage("mark Zed Quinlan as churned"),
            first,
            ToolMessage(json.dumps(found), tool_call_id=lookup["id"]),
        ]
    )
    assert second.tool_calls[0]["name"] == "update_customer"
    assert second.tool_calls[0]["args"] == {"customer_id": "c-9", "status": "churned"}


def test_requests_no_declaration_covers_are_declined() -> None:
    for text in ("what's the weather like tomorrow?", "tell me a joke", "write a python function"):
        reply = chat([HumanMessage(text)])
        assert not reply.tool_calls
        assert "can't" in str(reply.content)


def test_training_is_deterministic() -> None:
    training = build(LANGUAGES)
    assert build(LANGUAGES).fingerprint == training.fingerprint
    first, second = IntentClassifier(training), IntentClassifier(training)
    for text in ("revenue last month", "mark Jane as churned", "book me a flight"):
        assert first.ranked(text) == second.ranked(text)


def test_the_registry_trains_a_classifier_that_routes_its_requests() -> None:
    """Training time and routing latency are `make bench` targets (benchmarks/nlu.py), not
    asserted here: a timed test fails on a loaded machine and proves nothing on an idle one."""
    classifier = IntentClassifier(build(all_languages()))
    expected = {
        "how many customers do I have": "list_customers",
        "move the Acme deal to negotiation": "move_deal_stage",
        "revenue last month": "revenue_for_period",
        "what's the weather like tomorrow?": OUT_OF_SCOPE,
    }
    assert {text: classifier.ranked(text)[0][0] for text in expected} == expected


@pytest.mark.parametrize("text", ["hi", "thanks!", "what can you do?"])
def test_conversation_moves_call_no_tool(text: str) -> None:
    reply = chat([HumanMessage(text)])
    assert not reply.tool_calls and reply.content


def test_an_id_prefix_is_read_as_the_one_kind_of_record_it_abbreviates() -> None:
    nouns = frozenset({"webhook", "delivery", "deal", "data source", "event", "automation"})
    assert [id_noun(p, nouns) for p in ("wh", "dlv", "evt", "auto", "d", "xy")] == [
        "webhook", "delivery", "event", "automation", None, None]


def test_s_after_a_person_before_a_past_participle_is_has() -> None:
    from agent.nlu.text import expand_contractions

    assert expand_contractions("show me what he's spent this year") == "show me what he has spent this year"
    assert expand_contractions("she's with Glenview Lodges") == "she is with Glenview Lodges"


def test_words_no_tool_uses_are_a_signal_and_examples_see_them_as_new_requests_would() -> None:
    """A request mostly in words no tool's examples use ("moons", "sky") carries that as a
    feature; an example's word counts as known only if another example has it too, so that
    training sees such words where a new request would."""
    training = build(LANGUAGES)
    assert "sales" in training.shared_words and "yesterday" not in training.shared_words
    assert "yesterday" in training.tool_words
    assert unknown_words("how many moons does somename have", training.tool_words) == [
        "unknownword", "mostlyunknown"]
    assert unknown_words("what did we make yesterday", training.tool_words) == []
    assert unknown_words("what did we make yesterday", training.shared_words) == [
        "unknownword", "mostlyunknown"]
    assert unknown_words("revenue and sales yesterday", training.shared_words) == ["unknownword"]
    assert unknown_words("revenue at https://x.example.com/h 'quoted thing' sales", training.tool_words) == []


def test_general_questions_in_unseen_words_are_declined_on_the_registry() -> None:
    model = OfflineChatModel(today=TODAY)
    for text in ("how many moons does Jupiter have", "who sang Dancing Queen"):
        reply = model.invoke([HumanMessage(text)])
        assert isinstance(reply, AIMessage) and not reply.tool_calls, text
