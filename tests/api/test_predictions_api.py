"""Predictive analytics over REST: document 000's module and hub forecast, 001's revenue
prediction, 003's predictions, 004's workspace forecast; shapes, status codes, isolation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from helpers import Account, register
from huey import Huey
from jobs.jobs_support import run_pending
from predictions.seasonal import Seeded, seasonal_orders

from store.db import unit_of_work
from store.models import Customer
from tools.jobs.queue import get_huey, reset_huey

BASE = "/api/modules/predictive-analytics"


@pytest.fixture(scope="module")
def shop(client: TestClient) -> tuple[Account, Seeded]:
    account = register(client)
    return account, seasonal_orders(account.tenant_id, name_prefix="Harbor")


@pytest.fixture
def queue(database: str) -> Iterator[Huey]:
    reset_huey()
    huey = get_huey()
    huey.flush()
    yield huey
    huey.flush()
    reset_huey()


def data(r: Any, status: int = 200) -> Any:
    assert r.status_code == status, r.text
    return r.json()["data"]


def test_templates_paginate_and_filter(client: TestClient, account: Account) -> None:
    page = client.get(f"{BASE}/templates?limit=3", headers=account.headers)
    body = data(page)
    assert len(body["templates"]) == 3 and body["pagination"]["total"] >= 8
    assert page.json()["meta"]["total"] == body["pagination"]["total"]
    first = body["templates"][0]
    assert {"id", "category", "name", "description", "metric", "granularity", "defaultHorizon"} <= set(first)
    inventory = data(client.get(f"{BASE}/templates?category=inventory", headers=account.headers))
    assert inventory["templates"] and {t["category"] for t in inventory["templates"]} == {"inventory"}
    found = data(client.get(f"{BASE}/templates?search=quarterly", headers=account.headers))
    assert [t["id"] for t in found["templates"]] == ["template_quarterly_revenue"]
    assert client.get(f"{BASE}/templates?category=nope", headers=account.headers).status_code == 422


def test_prediction_lifecycle(
    client: TestClient, shop: tuple[Account, Seeded], other_account: Account, queue: Huey
) -> None:
    account, _ = shop
    body = {
        "templateId": "template_sales_forecast",
        "dataSourceIds": ["builtin_crm"],
        "parameters": {"timeRange": "next_30_days", "granularity": "daily", "confidenceLevel": 0.9},
    }
    made = data(client.post(f"{BASE}/predictions", json=body, headers=account.headers), 202)
    assert made["status"] == "processing" and made["estimatedCompletionTime"].endswith(("Z", "+00:00"))
    pid = made["id"]
    assert data(client.get(f"{BASE}/predictions/{pid}", headers=account.headers))["status"] == "processing"
    run_pending(queue)
    got = data(client.get(f"{BASE}/predictions/{pid}", headers=account.headers))
    assert got["status"] == "completed" and got["templateName"] == "Sales Forecast"
    points = got["results"]["predictions"]
    assert len(points) == 30 and set(points[0]) == {"date", "value", "lower", "upper"}
    summary = got["results"]["summary"]
    assert summary["totalPredicted"] == pytest.approx(sum(p["value"] for p in points), abs=0.5)
    assert summary["averageDaily"] == pytest.approx(summary["totalPredicted"] / 30, abs=0.01)
    assert summary["trend"] in ("increasing", "decreasing", "stable")
    acc = got["accuracy"]
    assert acc["score"] == pytest.approx(max(0, 100 - got["backtest"]["smape"]), abs=0.06)
    assert acc["mape"] > 0 and acc["rmse"] > 0 and got["backtest"]["level"] == 0.9
    assert client.get(f"{BASE}/predictions/{pid}", headers=other_account.headers).status_code == 404
    theirs = data(client.get(f"{BASE}/predictions", headers=other_account.headers))
    assert pid not in [p["id"] for p in theirs["predictions"]]
    v1 = client.get("/api/v1/predictions", headers=account.headers).json()
    assert v1["predictions"][0]["id"] == pid and v1["total"] >= 1 and "template_id" in v1["predictions"][0]
    overview = data(client.get(f"{BASE}/overview", headers=account.headers))
    assert overview["predictions"]["completed"] >= 1 and overview["averageAccuracy"] is not None
    assert overview["recentPredictions"][0]["id"] == pid and overview["dataSources"] >= 1
    report = data(client.get(f"{BASE}/accuracy?templateId=template_sales_forecast", headers=account.headers))
    assert report["totalRuns"] >= 1 and report["runs"][0]["predictionId"] == pid
    past = data(
        client.get(f"{BASE}/accuracy?startDate=2020-01-01&endDate=2020-12-31", headers=account.headers)
    )
    assert past["totalRuns"] == 0 and past["message"]


def test_create_refuses_unknown_template_and_sources(client: TestClient, account: Account) -> None:
    r = client.post(f"{BASE}/predictions", json={"templateId": "template_nope"}, headers=account.headers)
    assert r.status_code == 404 and r.json()["error"]["code"] == "RESOURCE_NOT_FOUND"
    r = client.post(
        f"{BASE}/predictions",
        json={"templateId": "template_sales_forecast", "dataSourceIds": ["ds_shopify"]},
        headers=account.headers,
    )
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "dataSourceIds"
    r = client.post(
        f"{BASE}/predictions",
        json={"templateId": "template_sales_forecast", "parameters": {"timeRange": "someday"}},
        headers=account.headers,
    )
    assert r.status_code == 422


def test_create_is_idempotent(client: TestClient, account: Account, queue: Huey) -> None:
    headers = {**account.headers, "Idempotency-Key": "pred-1"}
    first = client.post(f"{BASE}/predictions", json={"templateId": "template_order_volume"}, headers=headers)
    again = client.post(f"{BASE}/predictions", json={"templateId": "template_order_volume"}, headers=headers)
    assert first.status_code == again.status_code == 202
    assert (
        again.headers.get("Idempotent-Replayed") == "true"
        and again.json()["data"]["id"] == first.json()["data"]["id"]
    )


def test_overview_of_a_new_workspace_says_there_is_nothing(client: TestClient, account: Account) -> None:
    body = data(client.get(f"{BASE}/overview", headers=account.headers))
    assert body["totalPredictions"] == 0 and body["averageAccuracy"] is None and body["message"]


def test_train_records_a_model_run(client: TestClient, shop: tuple[Account, Seeded]) -> None:
    account, _ = shop
    body = {"templateId": "template_monthly_revenue", "trainingConfig": {"algorithm": "xgboost"}}
    run = data(client.post(f"{BASE}/train", json=body, headers=account.headers), 201)
    assert (
        run["modelRun"]["templateId"] == "template_monthly_revenue" and run["modelRun"]["score"] is not None
    )
    assert run["backtest"]["origins"] > 0 and any("xgboost" in n for n in run["notes"])
    assert client.post(f"{BASE}/train", json={"templateId": "x"}, headers=account.headers).status_code == 404


def test_ask(client: TestClient, shop: tuple[Account, Seeded], account: Account) -> None:
    owner, _ = shop
    body = {"question": "What will my sales be next month?", "context": {"conversationId": "conv_789"}}
    answer = data(client.post(f"{BASE}/ask", json=body, headers=owner.headers))
    assert answer["conversationId"] == "conv_789" and answer["understood"]["metric"] == "revenue"
    pred = answer["prediction"]
    assert pred["range"]["lower"] <= pred["value"] <= pred["range"]["upper"] and 0 <= pred["confidence"] <= 1
    names = [f["name"] for f in answer["factors"]]
    assert names[:2] == ["Seasonal pattern", "Underlying trend"]
    shares = [f["contribution"] for f in answer["factors"] if f["contribution"] is not None]
    assert sum(shares) == pytest.approx(1, abs=0.01)
    r = client.post(f"{BASE}/ask", json={"question": "how many orders next week?"}, headers=account.headers)
    assert r.status_code == 422 and r.json()["error"]["code"] == "INSUFFICIENT_DATA"


def test_hub_forecasts(client: TestClient, shop: tuple[Account, Seeded]) -> None:
    account, _ = shop
    daily = data(client.get("/api/hubs/insights/forecasts?type=orders&horizon=30", headers=account.headers))
    assert daily["granularity"] == "day" and len(daily["points"]) == 30 and daily["history"]
    weekly = data(
        client.get("/api/hubs/insights/forecasts?type=revenue&horizon=180", headers=account.headers)
    )
    assert weekly["granularity"] == "week" and weekly["backtest"]["origins"] > 0
    assert client.get("/api/hubs/insights/forecasts?type=weather", headers=account.headers).status_code == 422


def test_revenue_prediction_from_orders_and_given_data(
    client: TestClient, shop: tuple[Account, Seeded]
) -> None:
    account, _ = shop
    out = data(client.post("/api/ai/predictions/revenue", json={}, headers=account.headers))
    pred = out["prediction"]
    assert out["source"] == "orders" and pred["amount"] == pytest.approx(
        sum(p["value"] for p in out["forecast"]), abs=1
    )
    assert pred["trend"] in ("increasing", "decreasing", "stable") and 0 <= pred["confidence"] <= 1
    parts = pred["breakdown"]
    assert parts["recurring"] + parts["newSales"] == pytest.approx(pred["amount"], abs=0.02)
    few = [
        {"month": "2025-10", "revenue": 95000},
        {"month": "2025-11", "revenue": 102000},
        {"month": "2025-12", "revenue": 108000},
    ]
    r = client.post("/api/ai/predictions/revenue", json={"historicalData": few}, headers=account.headers)
    assert r.status_code == 422 and r.json()["error"]["code"] == "INSUFFICIENT_DATA"
    assert r.json()["error"]["details"]["given"] == 3
    months = [
        {"month": f"{2023 + i // 12}-{i % 12 + 1:02d}", "revenue": 90000 + 1000 * i + 8000 * (i % 12 == 11)}
        for i in range(36)
    ]
    body = {"historicalData": months, "dateRange": {"start": "2026-01-01", "end": "2026-03-31"}}
    given = data(client.post("/api/ai/predictions/revenue", json=body, headers=account.headers))
    assert given["source"] == "historicalData" and given["granularity"] == "month"
    assert [p["date"] for p in given["forecast"]] == ["2026-01-01", "2026-02-01", "2026-03-01"]
    assert given["prediction"]["breakdown"] is None and given["prediction"]["amount"] > 0
    # a range the history already covers is no prediction (it had answered with the next period)
    past = {"historicalData": months, "dateRange": {"start": "2024-01-01", "end": "2024-03-31"}}
    r = client.post("/api/ai/predictions/revenue", json=past, headers=account.headers)
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "dateRange", r.text
    astride = {"historicalData": months, "dateRange": {"start": "2025-12-01", "end": "2026-02-28"}}
    both = data(client.post("/api/ai/predictions/revenue", json=astride, headers=account.headers))
    assert [p["date"] for p in both["forecast"]] == ["2026-01-01", "2026-02-01"]
    assert any("starts within historicalData" in note for note in both["notes"])


def test_campaign_forecast_says_there_are_no_campaigns(client: TestClient, account: Account) -> None:
    r = client.post(
        "/api/v1/predictions/forecast",
        json={"campaign_ids": [1, 2], "days_ahead": 30},
        headers=account.headers,
    )
    assert r.status_code == 200 and r.json()["forecasts"] == [] and "No campaign" in r.json()["message"]
    listed = client.get("/api/v1/predictions?campaign_id=1", headers=account.headers).json()
    assert listed["predictions"] == [] and listed["message"]


def test_workspace_forecast(client: TestClient, shop: tuple[Account, Seeded], other_account: Account) -> None:
    account, _ = shop
    r = client.get(f"/api/v1/workspaces/{account.tenant_id}/analytics/forecast", headers=account.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["revenue"]["granularity"] == "month" and len(body["revenue"]["points"]) == 3
    assert body["pipeline"]["open_deals"] == 0 and body["revenue_unavailable"] is None
    foreign = client.get(
        f"/api/v1/workspaces/{account.tenant_id}/analytics/forecast", headers=other_account.headers
    )
    assert foreign.status_code == 404
    empty = client.get(
        f"/api/v1/workspaces/{other_account.tenant_id}/analytics/forecast", headers=other_account.headers
    ).json()
    assert empty["revenue"] is None and "0 periods" in empty["revenue_unavailable"]


def _rename(tenant_id: str, customer_id: str, name: str) -> None:
    with unit_of_work(tenant_id) as session:
        customer = session.get(Customer, customer_id)
        assert customer is not None
        customer.name = name


def test_ask_is_read_by_the_assistant(client: TestClient, shop: tuple[Account, Seeded]) -> None:
    """The assistant's model reads the metric, the period and the confidence: not a word list."""
    owner, _ = shop
    body = {"question": "how many orders are we going to get next quarter? 80% sure is fine"}
    answer = data(client.post(f"{BASE}/ask", json=body, headers=owner.headers))
    understood, pred = answer["understood"], answer["prediction"]
    assert understood["metric"] == "orders" and understood["confidence"] == "80%"
    assert understood["readAs"].startswith("forecast_metric(")
    assert pred["level"] == 0.8 and pred["metric"] == "orders"
    assert pred["startDate"][5:7] in ("01", "04", "07", "10") and pred["endDate"] > pred["startDate"]
    past_question = {"question": "what will revenue be last month?"}
    past = client.post(f"{BASE}/ask", json=past_question, headers=owner.headers)
    assert past.status_code == 422, past.text
    # no forecast question: it had been read as the spend of customers "matching" Mona Lisa
    for question in ("Who painted the Mona Lisa?", "what's the weather tomorrow?"):
        r = client.post(f"{BASE}/ask", json={"question": question}, headers=owner.headers)
        assert r.status_code == 422, r.text
        assert r.json()["error"]["details"] == [{"field": "question", "message": "not a forecast question"}]


def test_ask_about_one_customer(
    client: TestClient, shop: tuple[Account, Seeded], other_account: Account
) -> None:
    owner, seeded = shop
    _rename(owner.tenant_id, seeded.customer_ids[0], "Summit Outfitters")
    body = {"question": "How much will Summit Outfitters spend over the next 3 months?"}
    answer = data(client.post(f"{BASE}/ask", json=body, headers=owner.headers))
    assert answer["understood"]["customer"] == "Summit Outfitters"
    assert answer["answer"].startswith("I forecast Summit Outfitters' spend")
    whole = data(client.post(f"{BASE}/ask", json={"question": "revenue over the next 3 months?"},
                             headers=owner.headers))
    assert answer["prediction"]["value"] < whole["prediction"]["value"] / 5
    foreign = client.post(f"{BASE}/ask", json=body, headers=other_account.headers)
    assert foreign.status_code == 404, foreign.text
