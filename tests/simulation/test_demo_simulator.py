"""The demo tenant as a fresh machine seeds it: the simulator recovers the generator's known lags
and effect signs from the stored series (store.demo_metrics.LINKS), a 20% spend increase reaches
revenue attributed to conversions three weeks later, and the planner's risk range comes from the
demo's own monthly revenue."""

from __future__ import annotations

from fastapi.testclient import TestClient
from helpers import Account

from store.demo_metrics import LINKS, METRICS

BASE = "/api/hubs/action"


def test_demo_graph_and_simulation(client: TestClient, demo_account: Account) -> None:
    r = client.get(f"{BASE}/simulator/relationships", headers=demo_account.headers)
    assert r.status_code == 200, r.text
    graph = r.json()["data"]
    funnel = {(e["source"], e["target"]): e for e in graph["edges"]
              if e["source"] in METRICS and e["target"] in METRICS}
    assert set(funnel) == {(link.source, link.target) for link in LINKS}
    for link in LINKS:
        edge = funnel[(link.source, link.target)]
        assert edge["lagDays"] == link.lag_days
        assert (edge["weight"] > 0) == (link.elasticity > 0)
        assert abs(edge["weight"] - link.elasticity) < 0.1
    assert {"revenue", "orders"} <= {n["id"] for n in graph["nodes"]}

    r = client.post(f"{BASE}/simulator/simulate", headers=demo_account.headers,
                    json={"metricId": "marketing_spend", "changePercent": 20, "timeHorizon": 90})
    effects = {e["metricId"]: e for e in r.json()["data"]["effects"]}
    assert effects["attributed_revenue"]["lag"] == "3 weeks"
    assert all(e["changePercent"] > 0 for e in effects.values())


def test_demo_planner_risk_range(client: TestClient, demo_account: Account) -> None:
    r = client.post(f"{BASE}/planner/analyze", headers=demo_account.headers,
                    json={"name": "New Product Launch", "expectedOutcome": {"revenue": 50000},
                          "investment": 25000, "timeline": "6 months", "discountRate": 8})
    plan = r.json()["data"]
    risk = plan["risk"]
    assert risk["available"] and risk["basisMonths"] == 12 and 0 < risk["volatility"] < 1
    assert risk["npvP10"] < plan["npv"] < risk["npvP90"] and plan["discountRate"] == 8
    assert 0 <= risk["probabilityLoss"] < 0.5
