"""Time zones as owners say them, read into the IANA names the automation schedule takes."""

from __future__ import annotations

import pytest

from tools.automations.timing import timezone_in


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("every weekday at 8am new york time", "America/New_York"),
        ("every monday at 9 Europe/London", "Europe/London"),
        ("fridays at 5pm EST", "America/New_York"),
        ("daily at 7, sydney time", "Australia/Sydney"),
        ("every day at 9 pacific time", "America/Los_Angeles"),
        ("every day at 9", None),
        ("the best customers every monday", None),
    ],
)
def test_a_time_zone_is_read_from_the_words_owners_use(text: str, zone: str | None) -> None:
    assert timezone_in(text) == zone
