"""Every lineage and trust tool run on one workspace, in several shapes: the sample the phrase
tests (tests/lineage/test_language.py, tests/tools/test_tool_language.py) check."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy import select

from core.ids import utcnow
from store.db import unit_of_work
from store.models import Connection, Customer, SourceRecord
from tools.context import Principal
from tools.lineage import snapshots
from tools.runtime import execute
from tools.trust.incidents import evaluate_all

MINE = ("list_lineage_sources", "data_quality", "entity_lineage", "data_flow", "quality_trends",
        "trust_health", "trust_signals", "trust_incidents")


def lineage_calls(who: Principal) -> list[tuple[str, dict[str, Any], BaseModel]]:
    """Every lineage and trust tool run on `who`'s workspace, in several shapes."""
    with unit_of_work(who.tenant_id) as s:
        snapshots.snapshot_today(s, who.tenant_id)
        evaluate_all(s, utcnow())
        merged = s.scalar(select(SourceRecord.entity_id).where(SourceRecord.merged_by.is_not(None),
                                                              SourceRecord.entity_type == "customer"))
        anyone = s.scalar(select(Customer.id))
        platform = s.scalar(select(Connection.name).where(Connection.status != "disconnected")
                            .order_by(Connection.created_at))
    plan: list[tuple[str, dict[str, Any]]] = [
        ("list_lineage_sources", {}), ("list_lineage_sources", {"type": "manual"}),
        ("data_quality", {}), ("data_flow", {}), ("data_flow", {"include_empty": True}),
        ("quality_trends", {}), ("quality_trends", {"days": 7}),
        ("trust_health", {}), ("trust_incidents", {}), ("trust_incidents", {"status": "open"}),
    ]
    for customer in (merged, anyone):
        if customer:
            plan += [("entity_lineage", {"customer_id": customer}),
                     ("entity_lineage", {"customer_id": customer, "field": "email"})]
    if merged:
        plan += [("data_quality", {"source": "stripe"}), ("trust_signals", {"platform": "stripe"}),
                 ("trust_incidents", {"platform": "shopify"})]
    elif platform:
        plan += [("trust_signals", {"platform": platform}), ("data_quality", {"source": platform})]
    return [(name, args, execute(name, who, args, source="agent")) for name, args in plan]
