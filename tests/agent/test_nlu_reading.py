"""One request read as a call to one of a few named tools (what REST endpoints that take words,
like the predictive-analytics `ask`, use): the tool the classifier prefers among them, its
arguments from the chat's own extractors."""

from __future__ import annotations

from datetime import date

import pytest

from agent.nlu.reading import read_as

TODAY = date(2026, 12, 5)
FORECASTS = ("forecast_metric", "forecast_customer_spend")


@pytest.mark.parametrize(("text", "tool", "args", "references"), [
    ("What will my sales be next month?", "forecast_metric",
     {"metric": "revenue", "start_date": "2027-01-01", "end_date": "2027-01-31"}, {}),
    ("ok, how many new customers next quarter, 80% sure", "forecast_metric",
     {"metric": "customers", "confidence": 80, "start_date": "2027-01-01", "end_date": "2027-03-31"}, {}),
    ("what's the AOV going to be in March", "forecast_metric",
     {"metric": "average_order_value", "start_date": "2027-03-01"}, {}),
    ("how much will Summit Outfitters spend next quarter", "forecast_customer_spend",
     {"start_date": "2027-01-01"}, {"customer_id": "Summit Outfitters"}),
])
def test_reads_a_forecast_question(text: str, tool: str, args: dict[str, object],
                                   references: dict[str, str]) -> None:
    reading = read_as(text, FORECASTS, TODAY)
    assert reading.tool == tool
    assert {k: reading.args.get(k) for k in args} == args
    assert reading.references == references
    assert reading.describe().startswith(f"{tool}(")


def test_a_request_for_another_tool_is_still_read_as_one_of_those_asked() -> None:
    """"sales in january" is a revenue question to the chat (the past one); asked only among the
    forecast tools, it is read as a forecast of that month."""
    reading = read_as("sales in january", FORECASTS, TODAY)
    assert reading.tool == "forecast_metric" and reading.args["start_date"] == "2027-01-01"
    with pytest.raises(ValueError):
        read_as("sales in january", ("no_such_tool",), TODAY)


@pytest.mark.parametrize(("text", "outside"), [
    ("Who painted the Mona Lisa?", "_out_of_scope"),
    ("hello", "_greeting"),
    ("What will my sales be next month?", None),
    ("how much will Summit Outfitters spend next quarter", None),
])
def test_a_question_the_chat_would_decline_says_so(text: str, outside: str | None) -> None:
    assert read_as(text, FORECASTS, TODAY).outside == outside
