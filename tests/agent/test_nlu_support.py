"""Choosing between close tools by what the request gives them (agent.nlu.support)."""

from __future__ import annotations

from tests.agent.test_nlu_model import Chat, first_call


def test_a_named_customer_gets_the_one_customer_tool() -> None:
    """"the churn risk on leila king" is that customer's risk, not the list of everyone's, even
    written in lower case; "the churn risk of my customers" stays the list."""
    name, args = first_call(Chat().say("whats the churn risk on leila king"))
    assert (name, args["kind"], args["text"]) == ("find_records", "customer", "leila king")
    assert first_call(Chat().say("whats the churn risk of my customers"))[0] == "churn_risk"
