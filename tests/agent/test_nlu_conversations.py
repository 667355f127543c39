"""Conversations and the edge of scope (stop 24, after the blind set weak16): a record's title
in lowercase is read as a name, a quoted title is no word of the request, a tag pointed at is the
one named, a sort of the list just shown sorts it, a later step's "its" takes the earlier step's
value, who changed a record is asked about, not a change, and the next thing after a change is a
request of its own. The test plays the tools."""

from __future__ import annotations

from tests.agent.test_nlu_model import Chat, customer, deal, first_call, found
from tests.agent.test_nlu_steps import planned


def _declines(text: str) -> bool:
    return "can't" in text or "cannot" in text or "not sure" in text


def test_a_lowercase_deal_title_is_read_as_a_name() -> None:
    """'open the monarch camping enterprise license deal' had been declined: the title's words
    are words of other tools' examples."""
    chat = Chat()
    lookup = chat.say("open the monarch camping enterprise license deal for me pls")
    title = "monarch camping enterprise license"
    assert first_call(lookup) == ("find_records", {"kind": "deal", "text": title, "limit": 5})
    name, args = first_call(chat.tool(found("deal", "monarch camping enterprise license",
                                            ("d1", "Monarch Camping - Enterprise license", 96.0))))
    assert (name, args) == ("get_deal", {"deal_id": "d1"})


def test_a_quoted_title_and_a_hedge_are_no_foreign_words() -> None:
    """'bags' (in the quoted title) and 'reckon' had made the new deal look like nothing the
    deal tools do."""
    chat = Chat()
    reply = chat.say("Put in a deal 'Lindqvist - Laptop bags', €2,200 (no customer record for them yet). "
                     "They reckon they'll sign on 15 February 2027.")
    name, args = first_call(reply)
    assert name == "create_deal"
    assert args["title"] == "Lindqvist - Laptop bags" and args["value"] == 2200
    assert args["currency"] == "EUR" and args["expected_close_date"] == "2027-02-15"


def test_two_factor_said_other_ways_filters_the_team() -> None:
    assert first_call(Chat().say("who on my team still hasn't switched on 2FA?")) == (
        "team_security", {"without_mfa_only": True})


def test_a_tag_pointed_at_is_the_one_named() -> None:
    """'take that tag off him' had removed a tag called 'that'."""
    chat = Chat()
    lookup = chat.say("Noah King isn't a VIP anymore, take that tag off him")
    assert first_call(lookup)[0] == "find_records"
    name, args = first_call(chat.tool(found("customer", "Noah King", ("c4", "Noah King", 97.0))))
    assert (name, args) == ("update_customer", {"customer_id": "c4", "remove_tags": ["vip"]})


def test_sorting_the_list_just_shown_sorts_it() -> None:
    """'sort them by how much they're worth' had listed the top customers instead."""
    chat = Chat()
    listed = chat.say("whats sitting in the proposal stage rn")
    assert first_call(listed) == ("list_deals", {"stage": "proposal"})
    chat.tool({"items": [], "total": 0})
    name, args = first_call(chat.say("sort them by how much they're worth, biggest on top"))
    assert name == "list_deals"
    assert args == {"stage": "proposal", "sort_by": "value", "sort_order": "desc"}


def test_a_later_step_pointing_back_takes_the_earlier_steps_value() -> None:
    """'then tell me how healthy its feed is' had asked which source."""
    assert planned("sync stripe now, then tell me how healthy its feed is") == ["sync_integration",
                                                                                 "trust_signals"]
    chat = Chat()
    assert first_call(chat.say("sync stripe now, then tell me how healthy its feed is")) == (
        "sync_integration", {"connection": "stripe"})
    assert first_call(chat.tool({"status": "queued"})) == ("trust_signals", {"platform": "stripe"})


def test_asking_which_system_set_a_field_is_no_change() -> None:
    """'which system set her status to what it is now?' had asked which customer to update."""
    chat = Chat()
    lookup = chat.say("Open Grace Wilson's record.")
    assert first_call(lookup)[0] == "find_records"
    name, _ = first_call(chat.tool(found("customer", "Grace Wilson", ("c5", "Grace Wilson", 97.0))))
    assert name == "get_customer"
    chat.tool(customer("c5", "Grace Wilson"))
    name, args = first_call(chat.say("which system set her status to what it is now?"))
    assert (name, args) == ("entity_lineage", {"customer_id": "c5", "field": "status"})


def test_the_next_thing_after_a_change_is_a_request_of_its_own() -> None:
    """'now order the kit from our supplier' had moved a deal found by 'backpacks' to won."""
    chat = Chat()
    chat.say("mark the Massive Dynamic expedition kit deal as won")
    name, _ = first_call(chat.tool(found("deal", "Massive Dynamic expedition kit",
                                         ("d2", "Massive Dynamic - Expedition kit", 96.0))))
    assert name == "move_deal_stage"
    chat.tool(deal("d2", "Massive Dynamic - Expedition kit", "closed_won"))
    reply = chat.say("now order the kit from our supplier, 40 backpacks and 40 tents")
    assert not reply.tool_calls and _declines(str(reply.content))


def test_and_the_other_one_too_still_follows_a_change() -> None:
    chat = Chat()
    chat.say("mark the Blue Sun deal as won")
    first_call(chat.tool(found("deal", "Blue Sun", ("d3", "Blue Sun - Team uniforms", 96.0))))
    chat.tool(deal("d3", "Blue Sun - Team uniforms", "closed_won"))
    lookup = chat.say("and the Monarch Camping one too")
    assert first_call(lookup) == ("find_records", {"kind": "deal", "text": "Monarch Camping", "limit": 5})
    name, args = first_call(chat.tool(found("deal", "Monarch Camping", ("d4", "Monarch Camping - Kit", 96))))
    assert (name, args) == ("move_deal_stage", {"stage": "closed_won", "deal_id": "d4"})


def test_a_breakdown_no_tool_gives_is_declined_not_answered_with_the_total() -> None:
    """'Split last month's revenue by country' had answered with last month's total."""
    reply = Chat().say("Split last month's revenue by country. How much came from Canada and how much "
                       "from the US?")
    assert not reply.tool_calls and _declines(str(reply.content))
    assert first_call(Chat().say("break revenue down by month for this year"))[0] == "revenue_trend"
    assert first_call(Chat().say("break the pipeline down by stage"))[0] == "pipeline_summary"
