"""A record the owner can only give by id (a webhook, an insight) is shown, not asked for, when
the request describes it; values said negated; a condition and its question; "the hooli one" of
a list. The test plays the tools."""

from __future__ import annotations

from typing import Any

from tests.agent.test_nlu_model import Chat, deal, first_call
from tests.agent.test_nlu_steps import planned

WHEN = "2026-11-01T09:00:00Z"


def webhook(id_: str, events: list[str], active: bool = True) -> dict[str, Any]:
    return {"id": id_, "url": f"https://example.com/{id_}", "events": events, "description": None,
            "active": active, "format": "json", "created_by": None, "created_at": WHEN, "updated_at": WHEN,
            "secret_rotated_at": None, "failure_count": 0, "last_success_at": None, "last_failure_at": None,
            "last_error": None}


def listed(*hooks: dict[str, Any]) -> dict[str, Any]:
    return {"webhooks": list(hooks), "pagination": {"page": 1, "limit": 20, "total": len(hooks), "pages": 1}}


def test_a_described_webhook_is_listed_then_acted_on_when_the_list_leaves_no_doubt() -> None:
    chat = Chat()
    assert first_call(chat.say("Delete the webhook that's been paused, nobody uses it any more.")) == (
        "list_webhooks", {"active": False})
    reply = chat.tool(listed(webhook("wh_1", ["deal.won"], active=False)))
    assert first_call(reply) == ("delete_webhook", {"webhook_id": "wh_1"})


def test_several_described_webhooks_are_shown_and_the_owner_asked_which() -> None:
    chat = Chat()
    assert first_call(chat.say("rotate the signing secret on the webhook for won deals")) == (
        "list_webhooks", {"event": "deal.won"})
    reply = chat.tool(listed(webhook("wh_1", ["deal.won"]), webhook("wh_2", ["deal.won", "deal.lost"])))
    assert not reply.tool_calls
    assert "Which webhook" in str(reply.content)


def test_an_empty_list_ends_the_turn_without_a_call() -> None:
    chat = Chat()
    first_call(chat.say("Delete the webhook that's been paused"))
    reply = chat.tool(listed())
    assert not reply.tool_calls


def test_a_webhook_not_described_at_all_is_asked_for() -> None:
    """"delete a webhook" says nothing to filter or pick by: the question, as before."""
    reply = Chat().say("delete a webhook")
    assert not reply.tool_calls
    assert "Which webhook" in str(reply.content)


def test_the_change_asked_for_is_no_filter_of_the_list() -> None:
    """"pause it": the webhooks listed are not only the paused ones."""
    chat = Chat()
    name, args = first_call(chat.say("Stop sending new-customer events to the webhook that feeds our "
                                     "mailing tool. Don't delete it, just pause it."))
    assert name == "list_webhooks"
    assert "active" not in args


def test_a_value_said_negated_is_the_other_of_two() -> None:
    chat = Chat()
    assert first_call(chat.say("Are there any data problems with my feeds that haven't been fixed yet?")) == (
        "trust_incidents", {"status": "open"})


def test_a_condition_and_its_question_are_one_request() -> None:
    said = "If I put 25% more money into marketing, what happens to sales over the next 60 days?"
    assert planned(said) == ["simulate_change"]


def test_a_word_of_one_row_picks_it_from_the_list_just_shown() -> None:
    chat = Chat()
    chat.say("show me the deals that are in negotiation")
    chat.tool({"deals": [deal("d1", "Globex - Event sponsorship"), deal("d2", "Hooli - Store fit-out")]})
    assert first_call(chat.say("the hooli one just closed, we won it!")) == (
        "move_deal_stage", {"stage": "closed_won", "deal_id": "d2"})
