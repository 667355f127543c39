"""The offline model on breakdowns and rankings: revenue per month/week/day with the best and worst,
top customers, customers added in a period and the average deal, with follow-ups, on fake tool
results, and every figure it states taken from them."""

from __future__ import annotations

from typing import Any

import pytest

from evals.scoring import ungrounded
from tests.agent.test_offline_model import Chat, first_call


def bucket(label: str, start: str, end: str, revenue: float, orders: int,
           partial: bool = False) -> dict[str, Any]:
    return {"label": label, "start_date": start, "end_date": end, "revenue": revenue, "orders": orders,
            "partial": partial}


MARCH = bucket("March 2026", "2026-03-01", "2026-03-31", 91234.5, 1301)
JAN = bucket("January 2026", "2026-01-01", "2026-01-31", 43744.96, 632)
NOV = bucket("November 2026", "2026-11-01", "2026-11-24", 45371.54, 631, partial=True)
TREND = {"label": "this year", "start_date": "2026-01-01", "end_date": "2026-11-24", "granularity": "month",
         "currency": "USD", "buckets": [JAN, MARCH, NOV], "total_revenue": 180351.0, "total_orders": 2564,
         "average_revenue": 60117.0, "best": MARCH, "worst": JAN}
TOP = {"label": "last 365 days", "start_date": "2025-11-25", "end_date": "2026-11-24", "currency": "USD",
       "customers": [{"rank": 1, "customer_id": "c1", "name": "Mateo Lopez", "company": "Initech",
                      "status": "active", "orders": 80, "revenue": 6231.53, "share_percent": 0.8,
                      "last_order_date": "2026-11-08"},
                     {"rank": 2, "customer_id": "c2", "name": "Sofia Young", "company": None,
                      "status": "active", "orders": 79, "revenue": 6223.06, "share_percent": 0.79,
                      "last_order_date": "2026-11-23"}],
       "total_revenue": 769916.93, "total_orders": 10975, "customers_with_orders": 188,
       "unattributed_revenue": 0.0}
PIPELINE = {"stages": [], "open_count": 42, "open_value": 1086075.0, "weighted_value": 465780.0,
            "won_count": 8, "won_value": 198875.0, "lost_count": 14, "win_rate": 0.3636,
            "average_open_deal_value": 25858.93, "average_won_deal_value": 24859.38, "currency": "USD"}


@pytest.mark.parametrize(("text", "tool", "args"), [
    ("what's our best selling month this year?", "revenue_trend",
     {"period": "this_year", "granularity": "month"}),
    ("worst month last year", "revenue_trend", {"period": "last_year", "granularity": "month"}),
    ("revenue by week last quarter", "revenue_trend", {"period": "last_quarter", "granularity": "week"}),
    ("daily sales this month", "revenue_trend", {"period": "this_month", "granularity": "day"}),
    ("sales trend", "revenue_trend", {"granularity": "month"}),
    ("sales trend this month", "revenue_trend", {"period": "this_month", "granularity": "day"}),
    ("monthly revenue for October 2025", "revenue_for_period", {"month": "2025-10"}),
    ("who are my top customers?", "top_customers", {}),
    ("biggest customers last year", "top_customers", {"period": "last_year"}),
    ("who spends the most", "top_customers", {}),
    ("top five clients this year", "top_customers", {"period": "this_year", "limit": 5}),
    ("what's the average deal size?", "pipeline_summary", {}),
    ("how many new customers this month?", "list_customers", {"created_after": "2026-11-01"}),
    ("how many leads did we get in October", "list_customers",
     {"status": "lead", "created_after": "2026-10-01", "created_before": "2026-11-01"}),
    ("how many active clients have we got", "list_customers", {"status": "active", "created_after": None}),
    ("top deals", "list_deals", {"sort_by": "value"}),
    ("most recent customers", "list_customers", {}),
])
def test_routes_breakdowns_and_rankings(text: str, tool: str, args: dict[str, Any]) -> None:
    name, called = first_call(Chat().say(text))
    assert name == tool
    assert {k: called.get(k) for k in args} == args


def test_best_month_answer_is_grounded_and_names_both_ends() -> None:
    chat = Chat()
    chat.say("what's our best selling month this year?")
    answer = str(chat.tool(TREND).content)
    assert answer.startswith("Your best month this year")
    assert "March 2026 with $91,234.50 from 1,301 orders" in answer and "January 2026" in answer
    assert "$180,351" in answer and "Partial months" in answer
    assert ungrounded(answer, chat.outputs) == []
    chat.say("monthly revenue this year")
    listing = str(chat.tool(TREND).content)
    assert "November 2026 (partial)" in listing and ungrounded(listing, chat.outputs) == []


def test_trend_follow_ups_change_only_what_is_named() -> None:
    chat = Chat()
    chat.say("best month this year")
    chat.tool(TREND)
    assert first_call(chat.say("and last year?")) == (
        "revenue_trend", {"period": "last_year", "granularity": "month"})
    chat.tool({**TREND, "label": "last year"})
    assert first_call(chat.say("and by week?"))[1] == {"period": "last_year", "granularity": "week"}
    chat = Chat()
    chat.say("what was revenue last month")
    chat.tool({"label": "last month", "start_date": "2026-10-01", "end_date": "2026-10-31", "revenue": 1.0,
               "orders": 1, "currency": "USD", "previous_revenue": 1.0, "previous_orders": 1})
    assert first_call(chat.say("which week was best?")) == (
        "revenue_trend", {"period": "last_month", "granularity": "week"})


def test_no_orders_means_no_best_or_worst() -> None:
    chat = Chat()
    chat.say("best month this year")
    empty = {**TREND, "buckets": [], "total_revenue": 0, "total_orders": 0, "best": None, "worst": None}
    answer = str(chat.tool(empty).content)
    assert "no paid orders" in answer and ungrounded(answer, chat.outputs) == []


def test_top_customers_answer_and_follow_ups() -> None:
    chat = Chat()
    chat.say("who are my top customers?")
    answer = str(chat.tool(TOP).content)
    assert "Mateo Lopez (Initech), with $6,231.53 from 80 orders" in answer
    assert "2. Sofia Young — $6,223.06" in answer and "188 customers" in answer
    assert ungrounded(answer, chat.outputs) == []
    assert first_call(chat.say("and last year?")) == ("top_customers", {"period": "last_year"})
    chat.tool(TOP)
    assert first_call(chat.say("top 20?"))[1] == {"period": "last_year", "limit": 20}


def test_new_customers_answer_and_follow_up() -> None:
    chat = Chat()
    chat.say("how many new customers this month?")
    answer = str(chat.tool({"customers": [], "pagination": {"total": 10}}).content)
    assert answer == "You added 10 new customers this month (since Nov 1, 2026)."
    assert ungrounded(answer, chat.outputs) == []
    name, args = first_call(chat.say("and last month?"))
    window = (args["created_after"], args["created_before"])
    assert (name, window) == ("list_customers", ("2026-10-01", "2026-11-01"))
    answer = str(chat.tool({"customers": [], "pagination": {"total": 0}}).content)
    assert answer == "You added 0 new customers last month."


def test_average_deal_answer() -> None:
    chat = Chat()
    chat.say("what's the average won deal worth?")
    answer = str(chat.tool(PIPELINE).content)
    assert answer.startswith("Your average won deal was worth $24,859.38 (8 deals won")
    assert "$25,858.93" in answer and ungrounded(answer, chat.outputs) == []
    chat.say("average deal size")
    none = str(chat.tool({**PIPELINE, "average_open_deal_value": None, "average_won_deal_value": None,
                          "open_count": 0, "won_count": 0}).content)
    assert "no open deals" in none and "No deals have been won" in none


def test_asking_how_many_were_added_never_creates_one() -> None:
    for text in ("how many customers did we add last week?", "how many clients did we sign up in March"):
        name, args = first_call(Chat().say(text))
        assert name == "list_customers" and "created_after" in args, text
