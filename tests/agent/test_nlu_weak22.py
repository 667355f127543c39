"""After the blind set weak22 (stop 28): why a request is asked is no part of it, a step that fails
does not stop one that does not need it, a statement before a request of several steps is left out
when it gives the request nothing, a thank-you is no step, and values said as people say them
("the last fortnight", "goes by", "every deal we win", "January to March" ahead). The test plays
the tools."""

from __future__ import annotations

from evals.routing_dev import planned
from tests.agent.test_nlu_model import Chat, first_call, found


def test_why_it_is_asked_is_not_what_is_asked() -> None:
    """'... then list all our webhooks so I can check it's there' had checked a webhook's health."""
    assert planned("Create a webhook to https://hooks.example.com/deals for deal.won and deal.lost, then "
                   "list all our webhooks so I can check it's there") == ["create_webhook", "list_webhooks"]
    assert first_call(Chat().say("Create a webhook to https://hooks.example.com/deals for deal.won and "
                                 "deal.lost")) == (
        "create_webhook", {"url": "https://hooks.example.com/deals", "events": ["deal.won", "deal.lost"]})


def test_its_setup_is_the_record_just_changed() -> None:
    """'turn the weekly invoice reminder back on and then show me its setup' had resumed it twice."""
    assert planned("turn the weekly invoice reminder back on and then show me its setup") == [
        "resume_automation", "get_automation"]


def test_a_failed_step_does_not_stop_one_that_does_not_need_it() -> None:
    chat = Chat()
    assert first_call(chat.say("Revoke key key_0c1d and then show me what keys I've still got")) == (
        "revoke_api_keys", {"api_key_id": "key_0c1d"})
    assert first_call(chat.tool("Error: NOT_FOUND: Api key not found.")) == ("list_api_keys", {})


def test_two_records_by_id_are_two_steps() -> None:
    assert planned("mark insight ins_8c21 as actioned and dismiss ins_8c22, that one's not relevant") == [
        "update_insight", "update_insight"]


def test_a_thank_you_and_an_introduction_are_no_steps() -> None:
    assert planned("Olivia here. The family board wants numbers on the Glasgow pop-up before Friday. It's "
                   "18k up front and we reckon 30k revenue over a year - can you analyse that, then list "
                   "every initiative we've looked at so I can compare them side by side? Thanks!") == [
        "analyze_initiative", "list_initiatives"]


def test_a_statement_before_two_steps_is_left_out_unless_it_gives_them_values() -> None:
    assert planned("We've got a security questionnaire from a big wholesale buyer and one of the questions "
                   "is about stale credentials. Show me my API keys, then revoke any that are older than "
                   "180 days.") == ["list_api_keys", "revoke_api_keys"]
    chat = Chat()
    assert first_call(chat.say("We're thinking about a kayak rental line: it costs 30k up front and should "
                               "bring in about 80k over a year. Is it worth it? Then show me all the ideas "
                               "I've had you analyse so far.")) == (
        "analyze_initiative", {"investment": 30000.0, "expected_revenue": 80000.0, "timeline": "1 year"})


def test_a_day_in_the_story_is_not_the_period_asked_about() -> None:
    """'Meeting the bank on Wednesday ... What was our revenue in November?' had also reported Wednesday."""
    reply = Chat().say("Meeting the bank on Wednesday about extending the overdraft and they'll want to see "
                       "recent trading. What was our revenue in November? Cheers.")
    assert [c["name"] for c in reply.tool_calls] == ["revenue_for_period"]
    assert reply.tool_calls[0]["args"] == {"month": "2026-11"}


def test_a_removal_said_not_to_be_done_and_a_plan_of_the_owner_are_not_asked() -> None:
    stop = "the Weekly Invoice Reminder keeps emailing people, stop it for now (don't delete it)"
    assert planned(stop) == ["pause_automation"]
    hold = "put the invoice reminder emails on hold for a while, ill switch them back on later"
    assert planned(hold) == ["pause_automation"]


def test_what_the_owner_means_to_do_next_is_no_step() -> None:
    text = ("Ben admitted at lunch that he never set up the authenticator app. Who else on the team is "
            "still logging in without two-factor? I want to nag everyone at once.")
    assert planned(text) == ["team_security"]


def test_a_connector_named_before_its_address_and_its_address_asked_first() -> None:
    reply = Chat().say("Create a custom connector called trailhead_pos — base URL "
                       "https://api.trailheadpos.com/v1, bearer token tp_live_4471ab.")
    assert first_call(reply)[1]["name"] == "trailhead_pos"
    assert "URL" in str(Chat().say("set up a custom connector for our supplier's api").content)


def test_a_new_deal_without_its_value_asks_for_it() -> None:
    """'Create a deal called Hooli - Ski rental fleet' had searched the deals for Hooli."""
    assert "value" in str(Chat().say("Create a deal called Hooli - Ski rental fleet").content)


def test_the_title_of_a_deal_names_the_deal_not_the_new_title() -> None:
    reply = Chat().say("Change the title of the Tyrell Trading annual supply contract deal")
    assert "title" in str(reply.content)


def test_values_said_as_people_say_them() -> None:
    chat = Chat()
    assert first_call(chat.say("Mia Scott got married, she goes by Mia Delgado now")) == (
        "find_records", {"kind": "customer", "text": "Mia Scott", "limit": 5})
    assert first_call(chat.tool(found("customer", "Mia Scott", ("c1", "Mia Scott", 97.0)))) == (
        "update_customer", {"name": "Mia Delgado", "customer_id": "c1"})
    reply = Chat().say("Has our data quality been slipping? Day by day for the last fortnight")
    assert first_call(reply) == ("quality_trends", {"days": 14})
    assert first_call(Chat().say("forecast revenue for January to March"))[1] == {
        "start_date": "2027-01-01", "end_date": "2027-03-31", "metric": "revenue"}
    reply = Chat().say("Our accounting software needs to hear about every deal we win. Send them over to "
                       "https://ledger.example.com/hooks")
    assert first_call(reply)[1]["events"] == ["deal.won"]
    assert first_call(Chat().say("what did I simulate last week?"))[1]["type"] == "simulation"
    reply = Chat().say("Shopify numbers look off. Re-import absolutely everything from it, not just what's "
                       "changed.")
    assert first_call(reply) == ("sync_integration", {"connection": "shopify", "full": True})


def test_an_acronym_is_no_name() -> None:
    """'She's emailed asking us to erase her details under GDPR. Delete her please.' had looked up GDPR."""
    chat = Chat()
    chat.say("show me Jane Thomas's record")
    reply = chat.tool(found("customer", "Jane Thomas", ("c1", "Jane Thomas", 97.0)))
    reply = chat.say("She's emailed asking us to erase her details under GDPR. Delete her please.")
    assert all("GDPR" not in str(call["args"]) for call in reply.tool_calls)


def test_a_change_to_a_kind_no_tool_changes_is_declined() -> None:
    assert planned("Delete the initiative I analysed yesterday for the pop-up shop, it's a dead idea") == []
