"""The churn and insight tools once or more on one workspace, for the tool-language checks:
`run(name, args, **options)` runs a tool as the workspace's admin and records the call. A
workspace with too little history for the churn model (a new one) first gets synthetic
customers whose churn depends on recency, so the churn tools have a real result to phrase."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from churn.builders import plan, seed_tenant

from core.ids import utcnow
from store.db import unit_of_work
from tools.forecasting.types import InsufficientHistory


def insight_calls(run: Callable[..., Any], tenant_id: str) -> None:
    from tools.context import Principal
    from tools.runtime import execute

    try:
        execute("churn_risk", Principal(user_id="", tenant_id=tenant_id, role="admin"), {"limit": 1})
    except InsufficientHistory:
        with unit_of_work(tenant_id) as session:
            seed_tenant(session, tenant_id, plan(n=80, seed=4, now=utcnow()))
    risk = run("churn_risk", {})
    run("churn_risk", {"limit": 3, "risk_level": "high"})
    run("customer_churn_risk", {"customer_id": risk.customers[0].customer_id})
    made = run("generate_insights", {})
    run("generate_insights", {"data_type": "security"})
    run("list_insights", {})
    run("list_insights", {"priority": "critical", "status": "dismissed"})
    if made.insights:
        run("update_insight", {"insight_id": made.insights[0].id, "status": "actioned"})
    run("list_insights", {"all": True, "limit": 5})
