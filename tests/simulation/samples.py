"""Every simulator and planner tool once or more on one workspace, for the tool-language checks:
`run(name, args, **options)` runs a tool as the workspace's admin and records the call. A
workspace without a marketing funnel (a new one, with orders at most) first gets a short
generated one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulation.funnel import seed_funnel

from tools.context import Principal
from tools.forecasting.types import InsufficientHistory
from tools.runtime import execute


def simulation_calls(run: Callable[..., Any], tenant_id: str) -> None:
    try:
        admin = Principal(user_id="", tenant_id=tenant_id, role="admin")
        graph = execute("simulator_relationships", admin, {})
        known = {node.id for node in graph.nodes}  # type: ignore[attr-defined]
    except InsufficientHistory:
        known = set()
    if "marketing_spend" not in known:  # a new workspace: no funnel (maybe orders only)
        seed_funnel(tenant_id, days=150, noise=False)
    run("simulator_relationships", {})
    made = run("simulate_change", {"metric_id": "marketing_spend", "change_percent": 20})
    run("simulate_change", {"metric_id": "marketing_spend", "change_percent": 10, "direction": "decrease",
                            "time_horizon": 7})
    run("simulate_change", {"metric_id": "attributed_revenue", "change_percent": 5, "time_horizon": 30})
    run("get_simulation", {"simulation_id": made.simulation_id})
    run("list_simulations", {})
    run("list_simulations", {"metric_id": "conversions"})
    run("analyze_initiative", {"name": "New Product Launch", "investment": 25000, "expected_revenue": 50000,
                               "timeline": "6 months"})
    run("analyze_initiative", {"name": "Pop-up kiosk", "investment": 12000, "expected_revenue": 9000,
                               "timeline": "12 weeks", "discount_rate": 8})
    run("list_initiatives", {})
    run("list_initiatives", {"verdict": "proceed_with_caution"})
    run("action_history", {})
    run("action_history", {"type": "simulation"})
    run("action_history", {"type": "analysis", "page": 1, "limit": 5})
