"""Owners' own words (stop 25, after the blind set weak17): a record pointed at with nothing
before it is the one the request calls by name, a period turned away is not read, a follow-up
that only changes the last call's window runs it again, a list sorted by name reads A first, a
person pointed at is no lowercase phrase, a step that removes nothing is no removal, and stages,
statuses and verdicts said in the trade's words. The test plays the tools."""

from __future__ import annotations

from tests.agent.test_nlu_model import Chat, customer, deal, first_call, found


def test_a_record_pointed_at_with_nothing_before_is_the_one_named() -> None:
    """'GLOBEX SIGNED!!! the event sponsorship one, mark it please' had asked which deal."""
    chat = Chat()
    lookup = chat.say("GLOBEX SIGNED!!! the event sponsorship one, mark it please")
    assert first_call(lookup) == ("find_records", {"kind": "deal", "text": "event sponsorship", "limit": 5})
    name, args = first_call(chat.tool(found("deal", "event sponsorship",
                                            ("d1", "Globex - Event sponsorship", 95.0))))
    assert (name, args) == ("move_deal_stage", {"stage": "closed_won", "deal_id": "d1"})


def test_a_pronoun_still_points_at_the_record_just_shown() -> None:
    chat = Chat()
    chat.say("open the Blue Sun uniforms deal")
    shown = chat.tool(found("deal", "Blue Sun uniforms", ("d2", "Blue Sun - Team uniforms", 95.0)))
    assert first_call(shown)[0] == "get_deal"
    chat.tool(deal("d2", "Blue Sun - Team uniforms"))
    assert first_call(chat.say("the customer signed, mark it as won")) == (
        "move_deal_stage", {"stage": "closed_won", "deal_id": "d2"})


def test_a_period_turned_away_is_not_read() -> None:
    """'look at the whole past week, not only the last 24h' had been declined after the
    webhooks' health: two windows, and neither a cue of a follow-up."""
    chat = Chat()
    assert first_call(chat.say("are my webhooks delivering ok?")) == ("webhook_health", {})
    chat.tool({"webhooks": [], "hours": 24})
    assert first_call(chat.say("look at the whole past week, not only the last 24h")) == (
        "webhook_health", {"hours": 168})
    assert first_call(Chat().say("revenue for last month instead of this month")) == (
        "revenue_for_period", {"period": "last_month"})


def test_a_list_sorted_by_name_reads_a_first() -> None:
    """'sort them alphabetically' had listed Z first (the schema's default order is newest first)."""
    chat = Chat()
    assert first_call(chat.say("list my leads")) == ("list_customers", {"status": "lead"})
    chat.tool({"items": [], "total": 0})
    assert first_call(chat.say("sort them alphabetically pls")) == (
        "list_customers", {"status": "lead", "sort_by": "name", "sort_order": "asc"})
    name, args = first_call(Chat().say("list customers z-a"))
    assert name == "list_customers" and args.get("sort_order") == "desc"


def test_a_person_pointed_at_is_no_lowercase_phrase() -> None:
    """'take the vip tag off him, he doesn't want special treatment' had looked up a customer
    called 'special treatment'."""
    chat = Chat()
    chat.say("Show me Noah King's details")
    shown = chat.tool(found("customer", "Noah King", ("c1", "Noah King", 97.0)))
    assert first_call(shown)[0] == "get_customer"
    chat.tool(customer("c1", "Noah King"))
    assert first_call(chat.say("take the vip tag off him, he said he doesn't want special treatment")) == (
        "update_customer", {"remove_tags": ["vip"], "customer_id": "c1"})


def test_a_step_that_removes_nothing_is_no_removal() -> None:
    """The first step of 'create a webhook pointing at https://... that gets won and lost deals,
    then check whether it's healthy' had been read as deleting a webhook."""
    reply = Chat().say("create a webhook pointing at https://hooks.example.com/crm for won deals, "
                       "then check whether it's healthy")
    assert first_call(reply)[0] == "create_webhook"


def test_stages_statuses_and_verdicts_in_the_trades_words() -> None:
    assert first_call(Chat().say("which deals are still up in the air?")) == (
        "list_deals", {"status": "open"})
    assert first_call(Chat().say("is any background job getting retried over and over?")) == (
        "list_jobs", {"status": "retrying"})
    assert first_call(Chat().say("which of the ideas you analysed came back as a no-go?")) == (
        "list_initiatives", {"verdict": "reconsider"})


def test_undoing_is_declined_not_read_as_a_removal_or_a_report() -> None:
    """'A deal got deleted by accident ... restore it' had asked which deal to delete."""
    for text in ("A deal got deleted by accident. Get it back out of the trash and restore it.",
                 "undo the last shopify sync, it pulled in garbage"):
        reply = Chat().say(text)
        assert not reply.tool_calls and "can't" in str(reply.content)
    assert first_call(Chat().say("delete the Hooli store fit-out deal"))[0] == "find_records"
