"""What owners say next to the tools (stop 26, after the blind set weak19): a record said to
be in a state before the request, a name followed by what is said of them, a new record named
after a colon, "make it 90" after one number, a list asked for in one breath, negated states,
and the words of lineage and insights. The test plays the tools."""

from __future__ import annotations

import pytest

from tests.agent.test_nlu_model import Chat, customer, deal, first_call, found


def test_a_statement_before_a_colon_is_no_request_of_its_own() -> None:
    """'Olivia Khan is a real customer now: flip her to active and open a 6k deal ...' had renamed
    her after the deal and opened no deal."""
    chat = Chat()
    reply = chat.say("Olivia Khan is a real customer now: flip her to active and open a 6k deal for her "
                     "called Blue Sun - Camp chairs")
    assert first_call(reply)[0] == "find_records"
    changed = chat.tool(found("customer", "Olivia Khan", ("c1", "Olivia Khan", 97.0)))
    assert first_call(changed) == ("update_customer", {"status": "active", "customer_id": "c1"})
    made = chat.tool({"customer": customer("c1", "Olivia Khan", "Blue Sun")})
    assert first_call(made) == ("create_deal", {"title": "Blue Sun - Camp chairs", "value": 6000.0,
                                                "customer_id": "c1"})


def test_what_is_said_of_a_person_is_no_part_of_their_name() -> None:
    chat = Chat()
    assert first_call(chat.say("Grace Wilson deserves the vip tag, pls add it")) == (
        "find_records", {"kind": "customer", "text": "Grace Wilson", "limit": 5})
    assert first_call(chat.tool(found("customer", "Grace Wilson", ("c2", "Grace Wilson", 97.0)))) == (
        "update_customer", {"add_tags": ["vip"], "customer_id": "c2"})


def test_a_new_deal_for_her_is_made_not_her_old_deal_changed() -> None:
    """'open one for her then: Aperture Labs - Trail backpacks, 11k' after her deals were listed had
    changed the value of the deal shown."""
    chat = Chat()
    chat.say("who is Chloe King?")
    chat.tool(found("customer", "Chloe King", ("c3", "Chloe King", 97.0)))
    chat.tool(customer("c3", "Chloe King", "Aperture Labs"))
    assert first_call(chat.say("does she have deals with us?"))[0] == "list_deals"
    chat.tool({"items": [deal("d9", "Aperture Labs - Corporate gifts", "closed_lost", "c3")], "total": 1})
    name, args = first_call(chat.say("open one for her then: Aperture Labs - Trail backpacks, 11k"))
    assert (name, args) == ("create_deal", {"value": 11000.0, "title": "Aperture Labs - Trail backpacks",
                                            "customer_id": "c3"})


def test_a_deal_said_to_have_no_customer_links_none() -> None:
    said = 'New deal pls: "Spring catalogue print run", 4.2k, no customer attached yet'
    name, args = first_call(Chat().say(said))
    assert name == "create_deal" and "customer_id" not in args
    assert (args["title"], args["value"]) == ("Spring catalogue print run", 4200.0)


def test_make_it_a_bare_number_changes_the_one_number_given() -> None:
    chat = Chat()
    assert first_call(chat.say("data quality trend for the last 30 days")) == ("quality_trends", {"days": 30})
    chat.tool({"days": 30, "points": []})
    assert first_call(chat.say("make it 90")) == ("quality_trends", {"days": 90})


def test_the_definite_record_alone_names_none() -> None:
    """'put the automation on hold for now, it's annoying people' had paused one called 'now it is
    annoying'."""
    reply = Chat().say("put the automation on hold for now, it's annoying people")
    assert not reply.tool_calls and "automation" in str(reply.content).lower()
    assert first_call(Chat().say("pause the automation called lead nurture")) == (
        "pause_automation", {"name": "lead nurture"})


@pytest.mark.parametrize(("text", "tool", "args"), [
    ("any data problems with shopify still hanging over us that nobody has fixed yet?", "trust_incidents",
     {"platform": "shopify", "status": "open"}),
    ("which qualified-stage deals are worth less than 10k?", "list_deals",
     {"stage": "qualified", "max_value": 10000.0}),
    ("my 5 fattest open deals, biggest first pls", "list_deals",
     {"limit": 5, "status": "open", "sort_by": "value", "sort_order": "desc"}),
    ("any insights flagging that I depend too much on one single customer?", "list_insights",
     {"type": "concentration"}),
    ("Where my data comes from - just the manual-entry source please, with its record count and quality "
     "score",
     "list_lineage_sources", {"type": "manual"}),
    ("Has the business been slowly dying this year or am I imagining things? Break it down month by month",
     "revenue_trend", {"period": "this_year", "granularity": "month"}),
])
def test_states_counts_and_kinds_in_owners_words(text: str, tool: str, args: dict[str, object]) -> None:
    reply = Chat().say(text)
    assert len(reply.tool_calls) == 1 and first_call(reply) == (tool, args)


def test_each_record_of_a_list_said_once_is_read() -> None:
    chat = Chat()
    reply = chat.say("pull up the Globex rental fleet and the Globex team uniforms deals")
    assert first_call(reply) == ("find_records", {"kind": "deal", "text": "Globex rental fleet", "limit": 5})
    shown = chat.tool(found("deal", "Globex rental fleet", ("d1", "Globex - Rental fleet", 97.0)))
    assert first_call(shown) == ("get_deal", {"deal_id": "d1"})
    assert first_call(chat.tool(deal("d1", "Globex - Rental fleet"))) == (
        "find_records", {"kind": "deal", "text": "Globex team uniforms", "limit": 5})


def test_which_system_says_he_works_somewhere_asks_about_him() -> None:
    chat = Chat()
    chat.say("pull up Noah King")
    chat.tool(found("customer", "Noah King", ("c4", "Noah King", 97.0)))
    chat.tool(customer("c4", "Noah King", "Acme Corp"))
    assert first_call(chat.say("which system says he works at Acme Corp?")) == (
        "entity_lineage", {"field": "company", "customer_id": "c4"})


def test_the_kind_of_record_asked_about_is_the_kind_named() -> None:
    chat = Chat()
    chat.say("Where did the stage on the Stark Supplies wholesale order deal come from?")
    name, args = first_call(chat.tool(found("deal", "Stark Supplies wholesale",
                                            ("d2", "Stark Supplies - Wholesale order", 95.0))))
    assert (name, args) == ("entity_lineage", {"field": "stage", "entity_type": "deal", "deal_id": "d2"})


def test_a_question_then_run_the_numbers_is_one_request() -> None:
    reply = Chat().say("would opening a second shop actually pay for itself? run the numbers on it for me")
    assert not reply.tool_calls and "revenue" in str(reply.content).lower()


def test_the_last_answer_made_into_a_document_is_declined() -> None:
    """'now turn that into a slide deck for monday's board meeting' had shown the pipeline again."""
    chat = Chat()
    assert first_call(chat.say("give me the pipeline overview"))[0] == "pipeline_summary"
    chat.tool({"stages": [], "total_value": 0, "open_deals": 0})
    reply = chat.say("now turn that into a slide deck for monday's board meeting")
    assert not reply.tool_calls and "can't" in str(reply.content)


def test_who_deleted_it_after_the_record_is_named_filters_the_log() -> None:
    said = "I'm really upset, a deal just vanished from the list. Who deleted it?"
    assert first_call(Chat().say(said)) == ("list_audit_log", {"tool": "delete_deal"})


def test_a_short_acronym_is_no_customer_name() -> None:
    """'what's our NPS score' had looked up a customer called 'NPS'."""
    reply = Chat().say("what's our NPS score")
    assert not reply.tool_calls
    reply = Chat().say("what NPS score did our customers give us this quarter? and the satisfaction trend")
    assert not reply.tool_calls
