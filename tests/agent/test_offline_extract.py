"""The offline model's extractors: money, periods against a fixed date, contacts, names, enums."""

from __future__ import annotations

from datetime import date

import pytest

from agent.offline.extract import (
    customer_status,
    deal_stage,
    deal_status,
    deal_value,
    email_of,
    extract_period,
    extract_periods,
    money_amounts,
    new_contact,
    percent_of,
    phone_of,
    target_query,
    value_bounds,
)
from agent.offline.shifts import period_from_call, relative_shift, shift_period

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(("text", "value"), [
    ("deals over 10k", 10_000), ("worth $2.5m", 2_500_000), ("over 10,000", 10_000),
    ("more than $25,000", 25_000), ("about 1.2 million", 1_200_000), ("50 grand", 50_000),
    ("12K please", 12_000), ("€5,000", 5_000), ("at least 750 dollars", 750),
])
def test_money_amounts(text: str, value: float) -> None:
    assert [a.value for a in money_amounts(text)] == [value]


@pytest.mark.parametrize("text", [
    "revenue last 90 days", "revenue in 2025", "probability 60%", "revenue since Sept 15",
    "5 deals", "email jane.smith.12@example.com", "call +1 555 123 4567",
])
def test_not_money(text: str) -> None:
    assert money_amounts(text) == []


@pytest.mark.parametrize(("text", "bounds"), [
    ("open deals over 10k", (10_000, None)),
    ("deals under $5,000", (None, 5_000)),
    ("deals between 10k and 50k", (10_000, 50_000)),
    ("deals 10k-50k", (10_000, 50_000)),
    ("deals 50k+", (50_000, None)),
    ("deals over $1.5k and under 20k", (1_500, 20_000)),
    ("deals of 20k or less", (None, 20_000)),
    ("deals worth 10k", (10_000, None)),
    ("all my deals", (None, None)),
])
def test_value_bounds(text: str, bounds: tuple[float | None, float | None]) -> None:
    assert value_bounds(text) == bounds


def test_deal_value_and_percent() -> None:
    assert deal_value("create a deal for Acme worth 12k") == 12_000
    assert deal_value("new deal: Initech, 8,500 dollars") == 8_500
    assert deal_value("make a $7,500 deal for Oscorp") == 7_500
    assert deal_value("deal for Acme, phone 555-123-4567") is None
    assert percent_of("set probability to 60%") == 60


@pytest.mark.parametrize(("text", "args"), [
    ("what was revenue last month", {"period": "last_month"}),
    ("revenue this quarter", {"period": "this_quarter"}),
    ("revenue this year", {"period": "this_year"}),
    ("ytd revenue", {"period": "this_year"}),
    ("sales last week", {"period": "last_week"}),
    ("revenue for the last 90 days", {"period": "last_90_days"}),
    ("over the past 12 months", {"period": "last_365_days"}),
    ("revenue in September", {"month": "2026-09"}),
    ("revenue in December", {"month": "2025-12"}),
    ("last November", {"month": "2025-11"}),
    ("sales September 2025", {"month": "2025-09"}),
    ("september of last year", {"month": "2025-09"}),
    ("revenue in 2025", {"period": "last_year"}),
    ("revenue in 2023", {"start_date": "2023-01-01", "end_date": "2023-12-31"}),
    ("Q3 2025", {"start_date": "2025-07-01", "end_date": "2025-09-30"}),
    ("the second quarter", {"start_date": "2026-04-01", "end_date": "2026-06-30"}),
    ("revenue since March 1", {"start_date": "2026-03-01", "end_date": "2026-11-24"}),
    ("from March 1 to March 15", {"start_date": "2026-03-01", "end_date": "2026-03-15"}),
    ("between 2026-01-01 and 2026-03-31", {"start_date": "2026-01-01", "end_date": "2026-03-31"}),
    ("revenue last 6 months", {"start_date": "2026-05-25", "end_date": "2026-11-24"}),
])
def test_periods(text: str, args: dict[str, str]) -> None:
    period = extract_period(text, TODAY)
    assert period is not None and period.args == args


def test_month_in_progress_counts_as_recent() -> None:
    assert extract_period("revenue in September", date(2026, 9, 10)).args == {"month": "2026-09"}  # type: ignore[union-attr]
    assert extract_period("revenue last September", date(2026, 9, 10)).args == {"month": "2025-09"}  # type: ignore[union-attr]


def test_several_periods_and_words_that_are_not_periods() -> None:
    found = extract_periods("compare september and october", TODAY)
    assert [p.args for p in found] == [{"month": "2026-09"}, {"month": "2026-10"}]
    assert extract_period("may I see the revenue", TODAY) is None
    assert extract_period("how many customers", TODAY) is None


@pytest.mark.parametrize(("previous", "follow", "args"), [
    ({"period": "last_month"}, "and the month before?", {"month": "2026-09"}),
    ({"period": "this_month"}, "the previous month", {"period": "last_month"}),
    ({"period": "this_year"}, "and the year before", {"period": "last_year"}),
    ({"period": "last_quarter"}, "and the one before that?",
     {"start_date": "2026-04-01", "end_date": "2026-06-30"}),
    ({"month": "2026-09"}, "same month last year", {"month": "2025-09"}),
    ({"period": "last_30_days"}, "the period before", {"start_date": "2026-09-26", "end_date": "2026-10-25"}),
])
def test_relative_shifts(previous: dict[str, str], follow: str, args: dict[str, str]) -> None:
    shift = relative_shift(follow)
    prev = period_from_call(previous, None, TODAY)
    assert shift is not None and prev is not None
    assert shift_period(prev, shift, TODAY).args == args


def test_dashboard_periods() -> None:
    assert extract_period("last 7 days", TODAY).dashboard_period() == "7d"  # type: ignore[union-attr]
    assert extract_period("this quarter", TODAY).dashboard_period() == "90d"  # type: ignore[union-attr]
    assert extract_period("this year", TODAY).dashboard_period() == "12m"  # type: ignore[union-attr]


def test_contacts() -> None:
    assert email_of("reach her at jane@techcorp.com.") == "jane@techcorp.com"
    assert phone_of("phone 555-123-4567 please") == "555-123-4567"
    assert phone_of("+1 555 987 6543") == "+1 555 987 6543"
    assert phone_of("revenue between 2026-01-01 and 2026-03-31") is None
    assert phone_of("deals over 1000000") is None


@pytest.mark.parametrize(("text", "name", "company"), [
    ("add Jane Smith from Tech Corp as a lead", "Jane Smith", "Tech Corp"),
    ("New lead: Marcus Reed, Reed Outdoors, marcus@reedoutdoors.com", "Marcus Reed", "Reed Outdoors"),
    ("create customer John Doe (john@doe.com) at Initech", "John Doe", "Initech"),
    ("add jane smith at tech corp", "Jane Smith", "Tech Corp"),
    ("add a lead named Maria Lopez who works at Globex", "Maria Lopez", "Globex"),
    ("add Priya Patel (Oscorp) as an active customer", "Priya Patel", "Oscorp"),
    ("I just met Sara Cole from Cole Camping, add her as a lead", "Sara Cole", "Cole Camping"),
    ("please add a customer called Ana Ruiz", "Ana Ruiz", None),
])
def test_new_contact(text: str, name: str, company: str | None) -> None:
    contact = new_contact(text)
    assert (contact.name, contact.company) == (name, company)


@pytest.mark.parametrize(("text", "query"), [
    ("move the Acme deal to negotiation", "Acme"),
    ("mark the Globex deal as won", "Globex"),
    ("Can you please push the Hooli opportunity to proposal stage", "Hooli"),
    ("change Jane Smith's status to active", "Jane Smith"),
    ("set the email of Jane Smith to jane@new.com", "Jane Smith"),
    ("change status to active for Jane Smith", "Jane Smith"),
    ("remove Jane Smith, she left", "Jane Smith"),
    ("mark Will Smith as churned", "Will Smith"),
])
def test_target_query(text: str, query: str) -> None:
    stage = r"\b(?:to|as)\s+(?:won|negotiation|proposal|active|churned)\b(?:\s+stage)?"
    assert target_query(text, (stage,)) == query


def test_enums() -> None:
    assert customer_status("how many leads") == "lead"
    assert customer_status("active clients") == "active"
    assert customer_status("customers we lost") == "churned"
    assert deal_stage("mark it as won") == "closed_won"
    assert deal_stage("we closed the deal") == "closed_won"
    assert deal_stage("it fell through") == "closed_lost"
    assert deal_stage("push it to negotiation") == "negotiation"
    assert deal_status("open deals") == "open"
    assert deal_status("which deals did we lose") == "lost"
