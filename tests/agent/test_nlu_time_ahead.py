"""Time said ahead of today (stop 26): 'the next 6 months' and '6 months ahead' are a window
from today (the forecast had run 30 days, or the six months behind today), a prediction '12
weeks ahead, in weekly steps' looks 12 steps ahead, and 'next to' compares two periods."""

from __future__ import annotations

from dateutil.relativedelta import relativedelta

from tests.agent.test_nlu_model import REVENUE, TODAY, Chat, first_call


def test_months_ahead_are_a_window_from_today() -> None:
    for said in ("forecast revenue for the next 6 months", "forecast revenue 6 months ahead",
                 "revenue forecast over the coming 6 months"):
        name, args = first_call(Chat().say(said))
        assert name == "forecast_metric", said
        assert (args["start_date"], args["end_date"]) == (
            TODAY.isoformat(), (TODAY + relativedelta(months=6, days=-1)).isoformat()), said


def test_weeks_ahead_in_weekly_steps_are_a_horizon() -> None:
    assert first_call(Chat().say("kick off a prediction 12 weeks ahead, in weekly steps")) == (
        "create_prediction", {"granularity": "week", "horizon": 12})


def test_next_to_compares_two_periods() -> None:
    chat = Chat()
    assert first_call(chat.say("revenue in March 2026 next to March 2025")) == (
        "revenue_for_period", {"month": "2026-03"})
    assert first_call(chat.tool(REVENUE)) == ("revenue_for_period", {"month": "2025-03"})
