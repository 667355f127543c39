"""Schedules and automation values as owners say them inside a request, read by the automation
tools' own reader (tools.automations.vocabulary), with the offline model filling the rest."""

from __future__ import annotations

from datetime import date

import pytest

from agent.nlu.catalog import build_catalog
from agent.nlu.fill import fill
from agent.nlu.utterance import Utterance
from tools.automations.timing import schedule_in


@pytest.mark.parametrize(
    ("text", "cron"),
    [
        ("every weekday at 7:30am New York time, create a task", "30 7 * * 1-5"),
        ("post to slack every friday 5pm", "0 17 * * 5"),
        ("fridays 4pm send the digest", "0 16 * * 5"),
        ("on the 15th of each month email lapsed customers", "0 9 15 * *"),
        ("at 10am on the 1st of January, April, July and October", "0 10 1 1,4,7,10 *"),
        ("quarterly, email every customer", "0 9 1 1,4,7,10 *"),
        ("follow up in 3 days at 9pm", None),
        ("every monday", None),  # a whole hour said without a time: the synonyms read it
    ],
)
def test_a_schedule_is_read_from_within_a_request(text: str, cron: str | None) -> None:
    assert schedule_in(text) == cron


def _args(text: str) -> dict[str, object]:
    catalog = build_catalog()
    filled = fill(Utterance(text, catalog.training.vocabulary), catalog.tools["create_automation"],
                  catalog.command_words, date(2026, 12, 6))
    return filled.args


def test_a_quoted_text_is_the_task_title_or_the_message_posted() -> None:
    task = _args("Every weekday at 7:30am New York time, create a task \"Call back yesterday's leads\".")
    assert task["title"] == "Call back yesterday's leads" and task["timezone"] == "America/New_York"
    assert "text" not in task  # "New York" is the time zone, not a text
    slack = _args("post to slack every friday 5pm saying 'weekly wrap-up time!'")
    assert slack["text"] == "weekly wrap-up time!" and slack["action"] == "post_slack"


def test_customers_who_have_not_bought_are_the_inactive_ones() -> None:
    args = _args("on the 15th of each month, anyone who hasn't bought anything in 60 days gets our "
                 "win-back email")
    assert args["recipients"] == "inactive_customers" and args["days"] == 60
