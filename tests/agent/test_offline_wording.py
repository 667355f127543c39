"""The offline model on unseen wording: spelling variation is undone before the rules run (typos,
contractions, British spellings, symbols, numbers in words, abbreviations), passive and shorthand
requests read as the commands they are, implied topics are made explicit, and none of it turns a
name or a real word into something else."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from agent.offline.extract import extract_periods, value_bounds
from agent.offline.fallback import expand_shorthand, implied_topic
from agent.offline.lexicon import Text, normalize
from tests.agent.test_offline_model import Chat, first_call

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(("text", "expected"), [
    ("whats the revnue for septmber", "what is the revenue for september"),
    ("show oportunities in negotiaton", "show opportunities in negotiation"),
    ("clinets at acme", "clients at acme"),
    ("how're we doing", "how are we doing"),
    ("what're we negotiating", "what are we negotiating"),
    ("we dont know", "we do not know"),
    ("summarise the organisation", "summarize the organization"),
    ("what % of deals", "what percent of deals"),
    ("rev last qtr this yr", "revenue last quarter this year"),
    ("Acme deal -> won", "acme deal to won"),
])
def test_spelling_variants_become_one_form(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize("text", [
    "who bought the most", "contrast this month with last month", "we closed the deal", "who spends the most",
    "stark supplies", "monarch camping", "Septmbr Holdings",
])
def test_real_words_inflections_and_names_are_not_typos(text: str) -> None:
    assert normalize(text) == text.lower()


@pytest.mark.parametrize(("text", "bounds"), [
    ("deals over fifty thousand", (50_000, None)),
    ("deals worth more than ten thousand dollars", (10_000, None)),
    ("deals between twenty and fifty thousand", (20_000, 50_000)),
    ("deals over one million", (1_000_000, None)),
    ("deals over a hundred and fifty grand", (150_000, None)),
    ("deals between $5,000 and $20,000 please", (5_000, 20_000)),
    ("the second one", (None, None)),
])
def test_numbers_in_words(text: str, bounds: tuple[float | None, float | None]) -> None:
    assert value_bounds(text) == bounds


@pytest.mark.parametrize(("text", "args"), [
    ("revenue for 10/2026", {"month": "2026-10"}),
    ("sales 2025-03", {"month": "2025-03"}),
    ("what did we make over the weekend", {"start_date": "2026-11-21", "end_date": "2026-11-22"}),
    ("new customers since monday", {"start_date": "2026-11-23", "end_date": "2026-11-24"}),
    ("revenue on friday", {"start_date": "2026-11-20", "end_date": "2026-11-20"}),
])
def test_more_period_spellings(text: str, args: dict[str, Any]) -> None:
    assert extract_periods(text, TODAY)[0].args == args


def test_shorthand_statements_are_spelt_out() -> None:
    assert expand_shorthand("Cyberdyne deal: won") == "mark Cyberdyne deal as won"
    assert expand_shorthand("Jane Smith - inactive") == "mark Jane Smith as inactive"
    assert expand_shorthand("Acme deal probability 80%").startswith("set Acme deal probability to 80%")
    assert expand_shorthand("Acme Corp - Annual supply contract") == "Acme Corp - Annual supply contract"
    assert expand_shorthand("what's the Acme deal probability") == "what's the Acme deal probability"


def test_passive_requests_count_as_commands_and_fillers_are_skipped() -> None:
    assert {"mark", "delete", "create"} <= (Text("Jane should be marked inactive").word_set
                                            | Text("it needs to be deleted").word_set
                                            | Text("could a deal be created").word_set)
    assert "add" not in Text("customers added last week").word_set
    assert Text("who else has access").has_phrase(("who has access",))


@pytest.mark.parametrize(("text", "topic"), [
    ("who has churned recently?", "customers"), ("any new sign ups?", "customers"),
    ("what are we negotiating?", "deals"), ("what's on the table", "deals"), ("what's the weather", None),
])
def test_implied_topics(text: str, topic: str | None) -> None:
    assert implied_topic(Text(text)) == topic


@pytest.mark.parametrize(("text", "tool", "args"), [
    ("who has churned recently?", "list_customers", {"status": "churned"}),
    ("what are we negotiating right now?", "list_deals", {"stage": "negotiation"}),
    ("what's on the table right now", "list_deals", {"search": None}),
    ("give me a summary of how we're doing", "dashboard_metrics", {}),
    ("how are sales going this month?", "revenue_for_period", {"period": "this_month"}),
    ("Jane Smith should be marked inactive", "list_customers", {"search": "Jane Smith"}),
    ("has Jane Smith churned?", "list_customers", {"search": "Jane Smith"}),
    ("is the Acme deal won?", "list_deals", {"status": "won", "search": "Acme"}),
    ("show me deals we closed last month", "list_deals", {"search": None}),
    ("how many customers did we add last week?", "list_customers", {"created_before": "2026-11-23"}),
    ("list clients created before 2025", "list_customers", {"created_before": "2025-01-01"}),
    ("who is the best salesperson", None, {}),
    ("put Jane Smith on inactive", "list_customers", {"search": "Jane Smith"}),
    ("can u add peter parker from daily bugle as prospect", "create_customer",
     {"name": "Peter Parker", "company": "Daily Bugle", "status": "prospect"}),
    ("count of deals in qualifiation", "list_deals", {"stage": "qualified", "search": None}),
    ("set hooli store fit-out to 48k", "list_deals", {"search": "hooli"}),
])
def test_unseen_wording_routes(text: str, tool: str | None, args: dict[str, Any]) -> None:
    reply = Chat().say(text)
    if tool is None:
        assert not reply.tool_calls
        return
    name, called = first_call(reply)
    assert name == tool
    assert {k: called.get(k) for k in args} == args


def test_shorthand_and_passive_changes_reach_the_action() -> None:
    acme = {"id": "d1", "title": "Cyberdyne - Corporate gifts", "value": 18525, "currency": "USD",
            "stage": "proposal", "status": "open", "probability": 50}
    chat = Chat()
    chat.say("Cyberdyne deal: won")
    assert first_call(chat.tool({"deals": [acme], "total": 1})) == (
        "move_deal_stage", {"deal_id": "d1", "stage": "closed_won"})
    jane = {"id": "c9", "name": "Jane Smith", "company": "Soylent Foods", "status": "active"}
    chat = Chat()
    chat.say("Jane Smith should be marked inactive")
    assert first_call(chat.tool({"customers": [jane], "pagination": {"total": 1}})) == (
        "update_customer", {"customer_id": "c9", "status": "inactive"})
