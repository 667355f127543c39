"""Lineage and data-quality capabilities (toolset "connectors"): the sources of the tenant's data,
how good it is by four named rules, where one record's fields came from, how data flows into the
metrics, and how quality moved day by day. All read-only; any role may ask."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.errors import NotFound
from store.models import QualitySnapshot
from tools.context import ToolContext
from tools.lineage import flow, provenance, snapshots
from tools.lineage.measure import Measure, QualityReport, Source, measure
from tools.lineage.schemas import (
    NO_DATA,
    Dimensions,
    EntityInput,
    EntityLineageOutput,
    FlowInput,
    FlowOutput,
    QualityInput,
    QualityOutput,
    RuleOut,
    SourceOut,
    SourceQuality,
    SourcesInput,
    SourcesOutput,
    TrendPoint,
    TrendsInput,
    TrendsOutput,
)
from tools.registry import tool

RULES = {
    "completeness": "Key fields present (customer: name, email; order: total, date, customer; "
                    "deal: title, value, stage; ...) of key fields expected",
    "accuracy": "Present values passing their validator (email syntax, phone digits, money >= 0, "
                "ISO currency, dates since 2000 and not in the future, allowed stages/statuses)",
    "freshness": "Connections whose last successful sync is within the stale age (score: 1 when "
                 "fresh, falling linearly to 0 at three times the stale age)",
    "consistency": "Merged customers whose sources agree (similar names, same phone) and synced "
                   "orders whose customer link resolved",
}


def _dims(m: Measure) -> Dimensions:
    return Dimensions(**m.dimensions())


def _source_out(s: Source) -> SourceOut:
    return SourceOut(id=s.id, name=s.name, display_name=s.label, type=s.kind,  # type: ignore[arg-type]
                     connector=s.connector, status=s.status, last_sync=s.last_sync,
                     last_successful_sync=s.last_success, record_count=s.measure.records,
                     quality_score=s.measure.overall, reason=None if s.measure.records else NO_DATA)


def _rules(m: Measure) -> list[RuleOut]:
    tallies = {"completeness": m.completeness, "accuracy": m.accuracy, "freshness": m.fresh,
               "consistency": m.consistency}
    scores = m.dimensions()
    return [RuleOut(name=name, description=RULES[name], passed=t.passed, checked=t.checked,
                    score=scores[name]) for name, t in tallies.items()]


def _pick(report: QualityReport, wanted: str | None) -> list[Source]:
    if not wanted:
        return report.sources
    key = wanted.strip().lower()
    chosen = [s for s in report.sources if key in (s.name.lower(), s.id, (s.connector or "").lower())]
    if not chosen:
        raise NotFound("source", wanted)
    return chosen


@tool(
    name="list_lineage_sources",
    toolset="connectors",
    description="""Where the workspace's data comes from: every connected source (Shopify, Stripe,
HubSpot...) and the manual data entered in BizPilot, with status, last sync, how many records it
supplied and its overall quality score (0-1, or none with no data yet).""",
)
def list_lineage_sources(ctx: ToolContext, args: SourcesInput) -> SourcesOutput:
    report = measure(ctx.session, ctx.now)
    shown = [_source_out(s) for s in report.sources if args.type is None or s.kind == args.type]
    return SourcesOutput(sources=shown, connectors=sum(s.type == "connector" for s in shown))


@tool(
    name="data_quality",
    toolset="connectors",
    description="""How good is the data? Scores 0-1 by four named rules — completeness (key
fields present), accuracy (values that pass validation), freshness (how recently each source
synced) and consistency (merged customers agree, orders link to customers) — overall and per
source, with what each rule checked and passed. Overall is the mean of the scored dimensions.""",
)
def data_quality(ctx: ToolContext, args: QualityInput) -> QualityOutput:
    report = measure(ctx.session, ctx.now)
    chosen = _pick(report, args.source)
    total = report.total if not args.source else chosen[0].measure
    return QualityOutput(
        overall=total.overall, dimensions=_dims(total),
        by_source=[SourceQuality(source=s.name, source_id=s.id, type=s.kind,  # type: ignore[arg-type]
                                 score=s.measure.overall, dimensions=_dims(s.measure),
                                 records=s.measure.records,
                                 reason=None if s.measure.records else NO_DATA) for s in chosen],
        rules=_rules(total), records=total.records, stale_hours=report.stale_hours,
        measured_at=report.measured_at, reason=None if total.records else "no data: no records yet")


@tool(
    name="entity_lineage",
    toolset="connectors",
    description="""Where one record's data came from: which sources (connector, its record id,
when synced, merge confidence) supplied a customer, order, deal, product, invoice or
subscription, and for each field which source supplied the current value ("manual" when it was
typed in BizPilot). Name a field (e.g. email) to ask where that one came from.""",
)
def entity_lineage(ctx: ToolContext, args: EntityInput) -> EntityLineageOutput:
    assert args.entity_id is not None  # the input's validator ensures one record is named
    return provenance.entity_lineage(ctx.session, args.entity_type, args.entity_id, ctx.now,
                                     args.field)


@tool(
    name="data_flow",
    toolset="connectors",
    description="""The data flow graph: sources (connectors and manual entry) -> the entities they
feed (customers, orders, deals...) -> the metrics built on them (revenue, customer count, churn,
pipeline...), with the number of records on every node and edge.""",
)
def data_flow(ctx: ToolContext, args: FlowInput) -> FlowOutput:
    return flow.data_flow(ctx.session, args.include_empty)


@tool(
    name="quality_trends",
    toolset="connectors",
    description="""How data quality moved day by day over the last `days` (default 30): the
overall score, its four dimensions and each source's score per day, from the daily snapshots.
Days without a snapshot are left out, never filled in.""",
)
def quality_trends(ctx: ToolContext, args: TrendsInput) -> TrendsOutput:
    first = ctx.now.date() - timedelta(days=args.days - 1)
    rows = ctx.session.scalars(select(QualitySnapshot).where(QualitySnapshot.day >= first)
                               .order_by(QualitySnapshot.day, QualitySnapshot.source))
    days: dict[object, dict[str, QualitySnapshot]] = {}
    for row in rows:
        days.setdefault(row.day, {})[row.source] = row
    points = [TrendPoint(date=day, overall=snaps[snapshots.ALL].overall,  # type: ignore[arg-type]
                         dimensions=Dimensions(**{k: snaps[snapshots.ALL].dimensions.get(k)
                                                  for k in RULES}),
                         records=snaps[snapshots.ALL].records,
                         by_source={s: v.overall for s, v in snaps.items() if s != snapshots.ALL})
              for day, snaps in days.items() if snapshots.ALL in snaps]
    first_score = points[0].overall if points else None
    last_score = points[-1].overall if points else None
    change = round(last_score - first_score, 4) if points and first_score is not None \
        and last_score is not None else None
    return TrendsOutput(days=args.days, points=points, first=first_score, last=last_score,
                        change=change)
