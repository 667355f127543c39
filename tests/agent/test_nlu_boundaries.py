"""The line between what the assistant can and cannot do (stop 23, after the blind set weak15):
a request of its own after a list is declined, not read as a follow-up of the list; a request
that gives a change all it needs, one declared value among them, is done; a closing sentence that
only tells is context; a pronoun or an "any" opening a removal is no other tool's verb. The test
plays the tools."""

from __future__ import annotations

from tests.agent.test_nlu_model import Chat, first_call
from tests.agent.test_nlu_steps import planned


def _declines(text: str) -> bool:
    return "can't" in text or "cannot" in text or "not sure" in text


def test_a_request_of_its_own_after_a_list_is_declined_not_a_follow_up() -> None:
    """'send each of them a gift basket' had listed the VIP customers again."""
    chat = Chat()
    assert first_call(chat.say("who are my vip customers?"))[0] == "list_customers"
    chat.tool({"items": [], "total": 0})
    reply = chat.say("send each of them a gift basket for the holidays")
    assert not reply.tool_calls
    assert _declines(str(reply.content))


def test_short_follow_ups_still_follow_the_list() -> None:
    chat = Chat()
    assert first_call(chat.say("revenue last quarter"))[0] == "revenue_for_period"
    chat.tool({"revenue": 100.0, "orders": 2})
    assert first_call(chat.say("and the one before that?"))[0] == "revenue_for_period"


def test_a_change_told_in_full_is_done_though_a_decline_scores_close() -> None:
    """The deal's name and 'a win' (closed_won) had been declined as close to work not built."""
    assert planned("Wonka Goods just signed for the rental fleet!! book it as a win") == ["move_deal_stage"]


def test_a_closing_sentence_that_only_tells_is_context() -> None:
    """'We already sent them our proposal.' had been read alone, as a stage change of no deal."""
    text = ("Put a 6.5k opportunity on the board called 'Fleece jackets bulk order'. We already sent them "
            "our proposal.")
    assert planned(text) == ["create_deal"]


def test_values_do_not_rescue_work_no_tool_does() -> None:
    assert planned("ring lucas moore at globex and tell him the rental fleet quote is ready") == []
    assert planned("automatically assign every new lead to Marco as their owner") == []


def test_a_removal_that_opens_with_no_verb_is_still_a_removal() -> None:
    """'any' and 'we' open other tools' examples; they had turned these removals down."""
    assert planned("any API key nobody has touched in the last 60 days - shut it off") == ["revoke_api_keys"]
    assert planned("We moved off HubSpot last week. Cut it loose so it stops pulling data in, but leave "
                   "the contacts it already brought over.") == ["disconnect_integration"]


def test_one_request_said_twice_in_two_sentences_is_one_step() -> None:
    """The second sentence had become a step of its own (the integrations list, an automation
    called 'set')."""
    assert planned("Can I trust the figures flowing in from our connected apps? Give each feed a health "
                   "grade.") == ["trust_health"]
    assert planned("do we have any outside URLs that get pinged automatically when stuff happens in here? "
                   "show me what's set up") == ["list_webhooks"]


def test_sentences_said_to_come_next_or_as_well_stay_steps() -> None:
    assert planned("data quality scores now, and then how they've trended over the last 2 weeks") == [
        "data_quality", "quality_trends"]
    assert planned("which customer is the highest churn risk right now? show me everything about "
                   "them") == ["churn_risk", "customer_overview"]


def test_a_removal_verb_never_asks_for_a_creation() -> None:
    """'scrap it' had created another automation from the words that described the old one."""
    assert planned("that weekly thing that nags people about unpaid invoices every monday - scrap it "
                   "completely") == ["delete_automation"]
    assert planned('delete my old "Test shop" workspace') == []  # no tool removes a workspace


def test_what_is_asked_to_have_run_names_the_automation() -> None:
    chat = Chat()
    reply = chat.say("did the monday invoice reminder actually do anything? show me each time it ran")
    assert first_call(reply) == ("list_automation_runs", {"automation": "monday invoice reminder"})
    reply = Chat().say("did my automations do anything this week")
    name, args = first_call(reply)
    assert name == "list_automation_runs" and "automation" not in args


def test_only_the_ones_that_narrows_the_request_before_it() -> None:
    assert planned("Has the Shopify feed had any hiccups, like going stale or suddenly sending fewer "
                   "records? only the ones that aren't sorted yet") == ["trust_incidents"]


def test_a_change_no_field_makes_is_declined_not_asked_about() -> None:
    """'Switch the webhook payloads to XML' had asked which webhook, as if it could then do it."""
    assert planned("Our old ERP only reads XML. Switch the webhook payloads from JSON to XML.") == []
    chat = Chat()
    reply = chat.say("One of our regulars changed her phone number last week. Could you update it on her "
                     "record?")
    assert not reply.tool_calls and "which" in str(reply.content).lower()


def test_a_tool_the_classifier_and_the_sentence_head_agree_on_is_taken() -> None:
    """Just short of sure, it had been turned down as a guess."""
    assert planned("who all has access to the Northwind account, and what is each of them allowed to "
                   "do?") == ["list_workspace_members"]
    assert planned("a/b test two subject lines for the win back email") == []  # a decline as near


def test_a_follow_up_asking_what_no_tool_does_is_declined() -> None:
    """'and how much VAT ...' had shown last month's revenue again; 'stretch' is no such word."""
    chat = Chat()
    assert first_call(chat.say("what did we make last month?"))[0] == "revenue_for_period"
    chat.tool({"revenue": 100.0, "orders": 2})
    reply = chat.say("and how much VAT do I have to pay on that?")
    assert not reply.tool_calls and _declines(str(reply.content))
    chat = Chat()
    reply = chat.say("show me how the data quality moved over the past two weeks")
    assert first_call(reply)[0] == "quality_trends"
    chat.tool({"days": []})
    assert first_call(chat.say("can u stretch that to 90 days"))[0] == "quality_trends"


def test_a_request_then_a_colon_lists_what_it_covers() -> None:
    assert planned("Give me the headline metrics for the last 30 days: revenue, new and churned customers, "
                   "and open pipeline.") == ["dashboard_metrics"]
    assert planned("quick report: revenue for the last 30 days and how many customers I have") == [
        "revenue_for_period", "list_customers"]  # a heading before the colon asks nothing


def test_a_story_that_gives_the_request_nothing_is_not_read_into_its_values() -> None:
    """'bookkeeper quit lol switch' had been taken as the automation's name."""
    chat = Chat()
    reply = chat.say("ok the bookkeeper quit lol. switch the monday unpaid-invoice reminders back on")
    assert first_call(reply) == ("resume_automation", {"name": "monday unpaid-invoice reminders"})
    # a story that names what the request points back to is still read with it
    assert planned("POP THE CHAMPAGNE!! Globex finally signed on the dotted line for the rental fleet. "
                   "Mark that deal as won.") == ["move_deal_stage"]


def test_a_decline_offers_the_tools_nearest_in_meaning() -> None:
    """The classifier's nearest had been offered: 'pause automation, forecast metric or list sync
    runs' for a gift basket."""
    chat = Chat()
    assert first_call(chat.say("who are my vip customers?"))[0] == "list_customers"
    chat.tool({"items": [], "total": 0})
    reply = str(chat.say("send each of them a gift basket for the holidays").content)
    assert "top customers" in reply and "list sync runs" not in reply
    assert "list customers" in str(Chat().say("Export all of my customers to an Excel file").content)
