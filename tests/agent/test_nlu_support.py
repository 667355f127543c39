"""Choosing between close tools by what the request gives them (agent.nlu.support)."""

from __future__ import annotations

import pytest

from tests.agent.test_nlu_model import Chat, first_call


def test_a_named_customer_gets_the_one_customer_tool() -> None:
    """"the churn risk on leila king" is that customer's risk, not the list of everyone's, even
    written in lower case; "the churn risk of my customers" stays the list."""
    name, args = first_call(Chat().say("whats the churn risk on leila king"))
    assert (name, args["kind"], args["text"]) == ("find_records", "customer", "leila king")
    assert first_call(Chat().say("whats the churn risk of my customers"))[0] == "churn_risk"


def test_an_id_written_with_its_kind_gets_the_tool_about_that_record() -> None:
    webhook = "7e9d1c3b-5a2f-4d6e-8c0b-1a2b3c4d5e6f"
    reply = Chat().say(f"what events is webhook {webhook} subscribed to")
    assert first_call(reply) == ("get_webhook", {"webhook_id": webhook})


def test_she_with_no_one_before_is_asked_about_not_answered_for_everyone() -> None:
    """"is she likely to stop ordering?" opening a conversation: which customer, not the list of
    every customer's risk."""
    reply = Chat().say("is she likely to stop ordering?")
    assert not reply.tool_calls
    assert "customer" in str(reply.content).lower()


def test_a_named_record_settles_an_unsure_read() -> None:
    """"pull up leila martin": the classifier is unsure, but the request names one customer for
    the tool that shows one; "give ava perez a call" scores as close to a decline and is not
    answered with her record."""
    name, args = first_call(Chat().say("pull up leila martin"))
    assert (name, args["kind"]) == ("find_records", "customer")
    reply = Chat().say("give ava perez a call and tell her the order shipped")
    assert not reply.tool_calls


def test_a_change_without_its_value_asks_for_it_rather_than_showing_the_record() -> None:
    reply = Chat().say("move the globex rental fleet deal")
    assert not reply.tool_calls
    assert "stage" in str(reply.content).lower()


def test_a_removal_goes_to_the_kind_of_record_named() -> None:
    reply = Chat().say("delete the old pied piper expedition kit deal, its just clutter")
    name, args = first_call(reply)
    assert (name, args["kind"]) == ("find_records", "deal")


def test_a_request_that_opens_with_a_removal_is_a_deletion_not_a_read() -> None:
    """"remove the Globex renewal deal from the system": "system" is a word of the lineage reads,
    but the verb asks for a deletion, so the deal is looked up to be deleted."""
    name, args = first_call(Chat().say("remove the Globex renewal deal from the system"))
    assert (name, args["kind"], args["text"]) == ("find_records", "deal", "Globex renewal")


def test_a_word_only_declined_requests_use_is_part_of_a_name() -> None:
    """"why is the sky blue" is a declined example; "Blue" in "Blue Sun" is still part of the name."""
    name, args = first_call(Chat().say("Blue Sun went with a competitor, mark the deal lost"))
    assert (name, args["kind"], args["text"]) == ("find_records", "deal", "Blue Sun")


def test_a_request_opening_with_its_tools_verb_is_not_declined_as_near_a_decline() -> None:
    """"pull up Grace Wilson for me" opens with a verb get_customer's examples open with: it is
    that tool's even when a not-yet example scores close behind."""
    name, args = first_call(Chat().say("pull up Grace Wilson for me"))
    assert (name, args["kind"], args["text"]) == ("find_records", "customer", "Grace Wilson")


@pytest.mark.parametrize("text", ["get Quinn Gallagher off our books, the record is junk",
                                  "Otto Brenner was a spam signup, bin him"])
def test_removal_phrasings_delete_the_named_customer(text: str) -> None:
    """"bin him" and "get X off our books" are removals however unsure the classifier is: the
    customer is looked up to be deleted (the deletion previews before it acts)."""
    name, args = first_call(Chat().say(text))
    assert (name, args["kind"]) == ("find_records", "customer")


def test_a_name_opening_a_declined_example_is_no_verb_of_work_not_built() -> None:
    """A not-yet example opens "Omar left the company, ...": "omar" is a name, and "omar taylor's
    expected spend" is still a forecast of his spend."""
    name, args = first_call(Chat().say("omar taylor's expected spend, broken down by week"))
    assert (name, args["kind"]) == ("find_records", "customer")
