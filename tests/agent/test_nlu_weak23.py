"""After the blind set weak23 (stop 28): event types as the system writes them, days of a month
ahead, a statement then two steps joined by "and", a lead-in before a colon, the record the first
step names for a later step that names none, "it" after a record was made, and windows said in
months. The test plays the tools."""

from __future__ import annotations

from evals.routing_dev import planned
from tests.agent.test_nlu_model import Chat, first_call, found


def test_any_event_type_written_as_the_system_writes_it() -> None:
    reply = Chat().say("Can we push every deal.won and payment.completed event to "
                       "https://ops.example.com/hooks? extended payload format pls")
    assert first_call(reply)[1]["events"] == ["deal.won", "payment.completed"]


def test_days_of_a_month_ahead_to_a_forecast() -> None:
    reply = Chat().say("Roughly how many orders should we expect over the christmas rush, 14th to 31st Dec?")
    assert first_call(reply)[1] == {"metric": "orders", "start_date": "2026-12-14", "end_date": "2026-12-31"}


def test_news_then_two_steps_joined_by_and() -> None:
    assert planned("Stark Supplies rental fleet with Arjun Brown is won. Move it to closed won and tag Arjun "
                   "as vip while you're at it") == ["move_deal_stage", "update_customer"]


def test_a_lead_in_before_a_colon_and_a_step_without_its_verb() -> None:
    assert planned("Just doing a bit of housekeeping: list my API keys and then my open sessions") == [
        "list_api_keys", "list_sessions"]


def test_the_context_that_says_which_is_kept() -> None:
    text = ("Our insurer wants to know about security. Give me the overall score, then list who on the "
            "team still hasn't set up MFA")
    assert planned(text) == ["security_score", "team_security"]


def test_a_later_step_about_the_customer_the_first_names() -> None:
    chat = Chat()
    reply = chat.say("Leila Martin: how much she spend this year, and forecast next 3 months spend")
    assert first_call(reply) == ("find_records", {"kind": "customer", "text": "Leila Martin", "limit": 5})
    reply = chat.tool(found("customer", "Leila Martin", ("c1", "Leila Martin", 97.0)))
    assert first_call(reply) == ("customer_overview", {"period": "this_year", "customer_id": "c1"})


def test_the_automation_whose_runs_were_shown_is_it() -> None:
    chat = Chat()
    reply = chat.say("Failed runs of the weekly invoice reminder — show me those, then pause it until I "
                     "figure out what's wrong")
    assert first_call(reply) == (
        "list_automation_runs", {"status": "failed", "automation": "weekly invoice reminder"})
    assert first_call(chat.tool({"runs": [], "total": 0})) == (
        "pause_automation", {"name": "weekly invoice reminder"})


def test_which_of_them_after_a_comma_says_more_of_the_request() -> None:
    assert planned("which data sources can the predictions use, also the disconnected ones") == [
        "list_data_sources"]


def test_windows_said_in_months() -> None:
    assert first_call(Chat().say("how is the shop doing in the last 3 months"))[1] == {"period": "3m"}
    reply = Chat().say("estimate pls how much Omar Chen will spend next 6 month")
    assert first_call(reply)[0] == "find_records"
    reply = Chat().say("forecast revenue for the next 6 month")
    assert first_call(reply)[1]["end_date"] == "2027-05-23"


def test_a_stuck_job_cannot_be_cancelled_yet() -> None:
    assert planned("cancel job 5521 its stuck forever") == []
