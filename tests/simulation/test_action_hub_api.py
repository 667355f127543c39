"""The action hub over HTTP (document 000's envelope): the causal map fitted from a workspace's
own daily funnel (known lags recovered, the noise metric left alone), simulations stored and read
back, the planner's figures, documented errors with nothing stored, and tenant isolation."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from helpers import Account, register
from simulation.funnel import NOISE, seed_funnel

from store.demo_metrics import LINKS
from tests.api.test_openapi_docs import assert_documented

BASE = "/api/hubs/action"


@pytest.fixture(scope="module")
def funnel(client: TestClient) -> Account:
    account = register(client)
    seed_funnel(account.tenant_id, days=240)
    return account


def data(r: Any) -> Any:
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["success"] is True
    return body["data"]


def stored(client: TestClient, who: Account) -> tuple[int, int]:
    sims = client.get(f"{BASE}/simulator/simulations", headers=who.headers).json()["meta"]["total"]
    plans = client.get(f"{BASE}/planner/initiatives", headers=who.headers).json()["meta"]["total"]
    return sims, plans


def test_relationships_recover_the_known_lags(client: TestClient, funnel: Account) -> None:
    r = client.get(f"{BASE}/simulator/relationships", headers=funnel.headers)
    assert_documented(client, "get", f"{BASE}/simulator/relationships", r)
    graph = r.json()["data"]
    types = {n["id"]: n["type"] for n in graph["nodes"]}
    assert types["marketing_spend"] == "input" and types["attributed_revenue"] == "output"
    assert types["website_sessions"] == types["conversions"] == "intermediate"
    assert NOISE in types
    edges = {(e["source"], e["target"]): e for e in graph["edges"]}
    assert set(edges) == {(link.source, link.target) for link in LINKS}
    for link in LINKS:
        edge = edges[(link.source, link.target)]
        assert edge["lagDays"] == link.lag_days and edge["lag"] == "1 week"
        assert edge["weight"] > 0 and edge["pValue"] < 0.05 and "Granger" in edge["method"]
    assert graph["days"] == 240


def test_simulation_is_stored_and_read_back(client: TestClient, funnel: Account) -> None:
    body = {"metricId": "marketing_spend", "changePercent": 20, "timeHorizon": 90}
    r = client.post(f"{BASE}/simulator/simulate", json=body, headers=funnel.headers)
    assert_documented(client, "post", f"{BASE}/simulator/simulate", r)
    sim = r.json()["data"]
    assert sim["simulationId"].startswith("sim_")
    assert sim["inputChange"]["metric"] == "Marketing Spend" and sim["inputChange"]["change"] == "+20%"
    assert [e["lag"] for e in sim["effects"]] == ["1 week", "2 weeks", "3 weeks"]
    assert [e["metricId"] for e in sim["effects"]] == [link.target for link in LINKS]
    for effect in sim["effects"]:
        assert effect["change"].startswith("+") and 0 < effect["confidence"] < 1
        assert effect["interval"]["lower"] <= effect["changePercent"] <= effect["interval"]["upper"]
    assert len({e["confidence"] for e in sim["effects"]}) > 1
    again = data(client.get(f"{BASE}/simulator/simulations/{sim['simulationId']}", headers=funnel.headers))
    assert again == sim
    listed = client.get(f"{BASE}/simulator/simulations", params={"limit": 1}, headers=funnel.headers)
    assert_documented(client, "get", f"{BASE}/simulator/simulations", listed)
    page = listed.json()
    assert page["data"]["simulations"][0]["simulationId"] == sim["simulationId"]
    assert page["meta"]["limit"] == 1 and page["meta"]["total"] >= 1
    short = data(client.post(f"{BASE}/simulator/simulate", headers=funnel.headers,
                             json={"metricId": "marketing_spend", "changePercent": -10, "timeHorizon": 10}))
    assert [e["metricId"] for e in short["effects"]] == ["website_sessions"]
    assert short["inputChange"]["change"] == "-10%" and short["effects"][0]["changePercent"] < 0


@pytest.mark.parametrize(("body", "field"), [
    ({"metricId": "marketing_spend", "changePercent": -150, "timeHorizon": 90}, "changePercent"),
    ({"metricId": "marketing_spend", "changePercent": 150, "timeHorizon": 90}, "changePercent"),
    ({"metricId": "marketing_spend", "changePercent": 20, "timeHorizon": 0}, "timeHorizon"),
    ({"metricId": "marketing_spend", "changePercent": 20, "timeHorizon": 400}, "timeHorizon"),
    ({"metricId": "x" * 500, "changePercent": 20}, "metricId"),
    ({"metricId": "spend; drop table", "changePercent": 20}, "metricId"),
    ({"changePercent": 20}, "metricId"),
])
def test_bad_simulation_input_is_refused(client: TestClient, funnel: Account, body: dict[str, Any],
                                         field: str) -> None:
    before = stored(client, funnel)
    r = client.post(f"{BASE}/simulator/simulate", json=body, headers=funnel.headers)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert any(field in d["field"] for d in error["details"]), error
    assert stored(client, funnel) == before


def test_unknown_metric_lists_the_known_ones(client: TestClient, funnel: Account) -> None:
    before = stored(client, funnel)
    r = client.post(f"{BASE}/simulator/simulate", json={"metricId": "profit", "changePercent": 10},
                    headers=funnel.headers)
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "VALIDATION_ERROR" and "marketing_spend" in error["message"]
    assert error["details"][0]["field"] == "metricId"
    assert stored(client, funnel) == before


def test_too_little_data_is_explained(client: TestClient, account: Account) -> None:
    r = client.get(f"{BASE}/simulator/relationships", headers=account.headers)
    assert r.status_code == 422 and r.json()["error"]["code"] == "INSUFFICIENT_DATA"
    assert "at least two daily metrics" in r.json()["error"]["message"]
    r = client.post(f"{BASE}/simulator/simulate", json={"metricId": "marketing_spend", "changePercent": 20},
                    headers=account.headers)
    assert r.status_code == 422
    assert stored(client, account) == (0, 0)


def test_planner_figures_and_list(client: TestClient, funnel: Account) -> None:
    body = {"name": "New Product Launch", "expectedOutcome": {"revenue": 50000}, "investment": 25000,
            "timeline": "6 months"}
    r = client.post(f"{BASE}/planner/analyze", json=body, headers=funnel.headers)
    assert_documented(client, "post", f"{BASE}/planner/analyze", r)
    plan = r.json()["data"]
    m = 1.10 ** (1 / 12) - 1
    npv = (50000 / 6) * (1 - (1 + m) ** -6) / m - 25000
    assert plan["roi"] == 100 and plan["paybackPeriodMonths"] == 3 and plan["discountRate"] == 10
    assert plan["npv"] == pytest.approx(npv, abs=0.01)
    assert plan["verdict"] in ("proceed", "proceed_with_caution")
    assert plan["risk"]["available"] is False and "months of revenue" in plan["risk"]["reason"]
    assert plan["expectedOutcome"] == {"revenue": 50000}
    listed = client.get(f"{BASE}/planner/initiatives", headers=funnel.headers)
    assert_documented(client, "get", f"{BASE}/planner/initiatives", listed)
    assert listed.json()["data"]["initiatives"][0]["initiativeId"] == plan["initiativeId"]


@pytest.mark.parametrize(("body", "field"), [
    ({"name": "X", "expectedOutcome": {"revenue": 100}, "investment": 50, "timeline": "soon"}, "timeline"),
    ({"name": "X", "expectedOutcome": {"revenue": 100}, "investment": 0, "timeline": "1 year"}, "investment"),
    ({"name": "X", "expectedOutcome": {"revenue": -5}, "investment": 50}, "expectedOutcome"),
    ({"name": "X" * 300, "expectedOutcome": {"revenue": 100}, "investment": 50}, "name"),
    ({"name": "X", "expectedOutcome": {"revenue": 100}, "investment": 50, "timeline": "t" * 100}, "timeline"),
])
def test_bad_initiatives_are_refused(client: TestClient, funnel: Account, body: dict[str, Any],
                                     field: str) -> None:
    before = stored(client, funnel)
    r = client.post(f"{BASE}/planner/analyze", json=body, headers=funnel.headers)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "VALIDATION_ERROR" and any(field in d["field"] for d in error["details"]), error
    assert stored(client, funnel) == before


def test_another_tenant_sees_nothing(client: TestClient, funnel: Account, other_account: Account) -> None:
    sim = data(client.post(f"{BASE}/simulator/simulate", headers=funnel.headers,
                           json={"metricId": "conversions", "changePercent": 5}))
    data(client.post(f"{BASE}/planner/analyze", headers=funnel.headers,
                     json={"name": "Secret plan", "expectedOutcome": {"revenue": 10}, "investment": 5}))
    r = client.get(f"{BASE}/simulator/simulations/{sim['simulationId']}", headers=other_account.headers)
    assert r.status_code == 404 and r.json()["error"]["code"] == "RESOURCE_NOT_FOUND"
    assert stored(client, other_account) == (0, 0)
    assert client.get(f"{BASE}/simulator/relationships", headers=other_account.headers).status_code == 422
    assert client.get(f"{BASE}/simulator/simulations/{sim['simulationId']}",
                      headers=funnel.headers).status_code == 200
