"""Insights without anyone asking: every day at 06:00 UTC each workspace with customers gets the
insight rules run (one job per workspace, so a failing workspace holds up no other, and a
`dedupe_key` per workspace and day, so several workers or a re-fired tick queue it once).
New insights emit `insight.generated` events like a run someone asked for."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select

from store.db import unit_of_work
from store.models import Customer
from tools.context import Principal, ToolContext
from tools.insights.schemas import GenerateInsightsInput
from tools.insights.tools import generate_insights
from tools.jobs.runner import enqueue, job, periodic

log = logging.getLogger("bizpilot.insights")
GENERATE_JOB = "insights.generate"


def workspaces_with_customers() -> list[str]:
    with unit_of_work() as session:
        return [str(t) for t in session.scalars(select(Customer.tenant_id).distinct())]


@periodic("insights.schedule", "0 6 * * *")
def schedule_insights(payload: dict[str, Any]) -> None:
    day = str(payload.get("tick", ""))[:10]
    for tenant_id in workspaces_with_customers():
        enqueue(GENERATE_JOB, {"tenant_id": tenant_id}, tenant_id=tenant_id,
                dedupe_key=f"{GENERATE_JOB}:{tenant_id}:{day}")


@job(GENERATE_JOB, retries=2, base_delay=30.0, lease=900.0)
def generate_for(payload: dict[str, Any]) -> None:
    """The insight rules for one workspace, as the workspace itself (no user)."""
    tenant_id = str(payload["tenant_id"])
    with unit_of_work(tenant_id) as session:
        ctx = ToolContext(session, Principal(user_id="", tenant_id=tenant_id, role="admin"),
                          source="cli")
        out = generate_insights(ctx, GenerateInsightsInput())
    log.info("scheduled insights for %s: %d new, %d open", tenant_id, out.generated,
             len(out.insights))
