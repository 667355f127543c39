"""The data flow graph: sources -> the entities they feed -> the metrics built on those entities.

Counts are real: a source -> entity edge carries the records that source supplied of that type
(manual: entities no connector supplied), an entity node the rows held, and an entity -> metric
edge the rows the metric is computed from (revenue from paid orders, the pipeline from open
deals...). Every figure is one SQL aggregate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import Connection, Customer, Deal, Invoice, Order, SourceRecord, Subscription
from tools.lineage.measure import MANUAL, MANUAL_FIELDS, unsourced
from tools.lineage.schemas import FlowEdge, FlowNode, FlowOutput

ENTITY_LABELS = {"customer": "Customers", "order": "Orders", "deal": "Deals",
                 "product": "Products", "invoice": "Invoices", "subscription": "Subscriptions"}
CORE = ("customer", "order", "deal")
"""Entity types shown even when empty (everything else only when it holds rows)."""


@dataclass(frozen=True)
class Metric:
    id: str
    label: str
    entity: str
    condition: Any
    """Which of the entity's rows the metric is computed from (None: all of them)."""


METRICS: tuple[Metric, ...] = (
    Metric("revenue", "Revenue", "order", Order.status == "paid"),
    Metric("average_order_value", "Average order value", "order", Order.status == "paid"),
    Metric("customer_count", "Customer count", "customer", None),
    Metric("churn", "Churn", "customer", Customer.status.in_(("active", "inactive", "churned"))),
    Metric("pipeline", "Pipeline", "deal", Deal.stage.not_in(("closed_won", "closed_lost"))),
    Metric("win_rate", "Win rate", "deal", Deal.stage.in_(("closed_won", "closed_lost"))),
    Metric("mrr", "Recurring revenue", "subscription", Subscription.status == "active"),
    Metric("receivables", "Receivables", "invoice", Invoice.status == "open"),
)


def _count(session: Session, model: Any, *conditions: Any) -> int:
    stmt = select(func.count()).select_from(model)
    return int(session.scalar(stmt.where(*conditions) if conditions else stmt) or 0)


def _source_edges(session: Session) -> tuple[list[FlowNode], list[FlowEdge]]:
    names = {c.id: (c.name, c.display_name) for c in
             session.scalars(select(Connection).order_by(Connection.created_at, Connection.id))}
    rows = session.execute(
        select(SourceRecord.connection_id, SourceRecord.entity_type, func.count())
        .group_by(SourceRecord.connection_id, SourceRecord.entity_type)).tuples().all()
    nodes, edges, totals = [], [], dict.fromkeys(names, 0)
    for connection_id, entity_type, n in rows:
        if connection_id in names and entity_type in ENTITY_LABELS:
            edges.append(FlowEdge(from_=f"source:{names[connection_id][0]}",
                                  to=f"entity:{entity_type}", records=n))
            totals[connection_id] += n
    for cid, (name, label) in names.items():
        nodes.append(FlowNode(id=f"source:{name}", type="source", label=label, count=totals[cid]))
    manual = 0
    for entity_type, (model, _names) in MANUAL_FIELDS.items():
        n = _count(session, model, unsourced(model, entity_type))
        if n:
            edges.append(FlowEdge(from_=f"source:{MANUAL}", to=f"entity:{entity_type}", records=n))
            manual += n
    nodes.append(FlowNode(id=f"source:{MANUAL}", type="source", label="Manual / CRM data",
                          count=manual))
    return nodes, edges


def data_flow(session: Session, include_empty: bool = False) -> FlowOutput:
    nodes, edges = _source_edges(session)
    shown = set()
    for entity_type, label in ENTITY_LABELS.items():
        n = _count(session, MANUAL_FIELDS[entity_type][0])
        if n or include_empty or entity_type in CORE:
            nodes.append(FlowNode(id=f"entity:{entity_type}", type="entity", label=label, count=n))
            shown.add(entity_type)
    for metric in METRICS:
        if metric.entity not in shown:
            continue
        model = MANUAL_FIELDS[metric.entity][0]
        n = _count(session, model, *([metric.condition] if metric.condition is not None else []))
        nodes.append(FlowNode(id=f"metric:{metric.id}", type="metric", label=metric.label, count=n))
        edges.append(FlowEdge(from_=f"entity:{metric.entity}", to=f"metric:{metric.id}", records=n))
    edges = [e for e in edges if e.to.split(":", 1)[1] in shown or e.to.startswith("metric:")]
    return FlowOutput(nodes=nodes, edges=edges)
