"""Requests told with context, news or shorthand: a removal needs words that ask for one; what
a sentence only tells is context, not a step; everyday words are no names; values negated
together; a follow-up to the call that takes what it says. The test plays the tools."""

from __future__ import annotations

from tests.agent.test_nlu_model import Chat, first_call, found
from tests.agent.test_nlu_steps import planned


def test_a_name_alone_never_chooses_a_removal() -> None:
    """"n hubspot?" after a sync status had disconnected HubSpot (confirmation stopped it)."""
    chat = Chat()
    assert first_call(chat.say("hows stripe syncing")) == ("get_sync_status", {"connection": "stripe"})
    chat.tool({"connection": "stripe", "status": "connected"})
    assert first_call(chat.say("n hubspot?")) == ("get_sync_status", {"connection": "hubspot"})
    for text in ("hubspot", "just HubSpot's ones please"):
        assert "disconnect_integration" not in planned(text)


def test_words_of_removal_still_choose_it() -> None:
    assert planned("unplug hub spot, we dont use it no more") == ["disconnect_integration"]
    assert planned("turn off one of my integrations pls") == ["disconnect_integration"]
    assert planned("someone might have my password. boot every other device off my account") == [
        "end_other_sessions"]


def test_an_everyday_word_opening_a_sentence_is_no_record_name() -> None:
    """'Spoke to Hooli ...' had looked up a deal called 'Spoke' and changed another deal."""
    chat = Chat()
    reply = chat.say("Spoke to Hooli this morning about the Hooli - Annual supply contract deal. They've "
                     "confirmed budget, so please bump it up to qualified.")
    name, args = first_call(reply)
    assert (name, args["kind"], args["text"]) == ("find_records", "deal", "Hooli - Annual supply contract")
    reply = chat.say("Finally some good news, the client said yes! Move their deal over to won, would you?")
    assert not reply.tool_calls
    assert "which" in str(reply.content).lower()


def test_news_and_the_request_for_the_same_change_make_one_change() -> None:
    assert planned("Great news, Globex signed! Mark the Globex - Rental fleet deal as won, and then show "
                   "me how the pipeline looks overall now.") == ["move_deal_stage", "pipeline_summary"]
    assert planned("Spoke to Hooli about the Hooli - Annual supply contract deal, move it to proposal") == [
        "move_deal_stage"]


def test_a_statement_is_context_not_a_change() -> None:
    """The first sentence had updated Olivia Martin to churned; it only tells why the owner asks."""
    chat = Chat()
    reply = chat.say("Olivia Martin's emails have gone short and chilly lately, not even a smiley anymore. "
                     "Is she about to walk away from us?")
    assert first_call(reply) == ("find_records", {"kind": "customer", "text": "Olivia Martin", "limit": 5})
    reply = chat.tool(found("customer", "Olivia Martin", ("c1", "Olivia Martin", 100.0)))
    assert first_call(reply) == ("customer_churn_risk", {"customer_id": "c1"})
    assert planned("A contractor we let go might still have one of my access keys for the system. To be "
                   "safe, cancel every key of mine that nobody has used in 60 days.") == ["revoke_api_keys"]
    assert planned("I import a lot of gear from Europe. Can you forecast where the euro to dollar "
                   "exchange rate will be next quarter?") == []


def test_a_wish_then_its_question_is_one_call() -> None:
    chat = Chat()
    reply = chat.say("I want to send holiday gifts to the people who spent the most with us this year. "
                     "Who are the top 15?")
    assert first_call(reply) == ("top_customers", {"period": "this_year", "limit": 15})
    assert planned("which custs r most likely to stop buying from us? top 5 pls") == ["churn_risk"]


def test_values_negated_together_leave_the_remaining_one() -> None:
    reply = Chat().say("Show me the deals that aren't won or lost yet and are worth 20k or more.")
    assert first_call(reply) == ("list_deals", {"status": "open", "min_value": 20000.0})


def test_a_new_records_title_and_name_as_said() -> None:
    chat = Chat()
    chat.say("put a 7.5k deal on omar taylor for window displays")
    name, args = first_call(chat.tool(found("customer", "omar taylor", ("c9", "Omar Taylor", 100.0))))
    assert (name, args["title"], args["value"]) == ("create_deal", "Window displays", 7500.0)
    reply = Chat().say("I'm opening a second shop across town and I want its numbers kept completely "
                       "apart. Could you set up a separate space in here for it?")
    assert not reply.tool_calls  # "Town" is no workspace name: it is asked for
    name, args = first_call(Chat().say("add our booking system as a data source. base url https://api.bookly"
                                       ".example.com/v2, bearer token tok_88ab12, call it bookly"))
    assert (name, args["name"]) == ("create_custom_connector", "bookly")


def test_a_follow_up_goes_to_the_call_that_takes_what_it_says() -> None:
    chat = Chat()
    reply = chat.say("How is the Shopify feed doing? Any warning signs I should know about?")
    assert first_call(reply) == ("trust_signals", {"platform": "shopify"})
    reply = chat.tool({"platform": "shopify", "score": 100, "signals": []})
    assert first_call(reply)[0] == "list_insights"
    chat.tool({"insights": [], "pagination": {"page": 1, "limit": 20, "total": 0, "pages": 0}})
    reply = chat.say("Alright. And what about Stripe's?")
    assert first_call(reply) == ("trust_signals", {"platform": "stripe"})


def test_the_record_is_asked_for_before_a_new_value() -> None:
    reply = Chat().say("One of our regulars changed her phone number last week. Could you update it on her "
                       "record?")
    assert not reply.tool_calls
    assert "Which customer" in str(reply.content)


def test_schedules_said_without_a_day() -> None:
    name, args = first_call(Chat().say("Once a month I'd like a 'we miss you' email to go out by itself to "
                                       "anyone who hasn't bought anything in 60 days."))
    assert name == "create_automation"
    assert (args["schedule"], args["days"], args["template"]) == ("0 9 1 * *", 60, "win_back")


def test_a_field_named_before_its_record_takes_the_number_after_to() -> None:
    """"the probability on the Globex deal to 80" had set the deal's value to $80."""
    chat = Chat()
    chat.say("bump the probability on the Globex deal to 80")
    reply = chat.tool(found("deal", "Globex", ("d1", "Globex - Rental fleet", 100.0)))
    assert first_call(reply) == ("update_deal", {"deal_id": "d1", "probability": 80})


def test_asking_whether_something_happened_changes_nothing() -> None:
    """"did shopify pull in the new orders today?" had started a sync."""
    assert planned("did shopify pull in the new orders today? when was the last update from it") == [
        "get_sync_status"]
    assert planned("can you sync stripe?") == ["sync_integration"]
