"""How owners ask about where their data comes from and how good it is, and how it is said.

Routing between the close ones: `list_lineage_sources` names the sources; `data_quality` scores
them by the four rules; `quality_trends` is the same over time; `entity_lineage` is one record's
fields; `data_flow` is the graph from sources to metrics. The trust tools (tools/trust) answer
"is it trustworthy / any incidents" from the sync signals.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tools import phrasing as p
from tools.language import ToolLanguage, declare, read_examples
from tools.lineage.schemas import (
    EntityLineageOutput,
    FlowOutput,
    QualityOutput,
    SourceOut,
    SourcesOutput,
    TrendsOutput,
    field_of_kind,
)

EXAMPLES = read_examples(Path(__file__).with_name("examples.txt"))

FIELD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("name", "names"), "email": ("email", "e-mail", "email address", "mail"),
    "phone": ("phone", "phone number", "telephone", "mobile"),
    "company": ("company", "employer", "works at", "works for"),
    "status": ("status", "lifecycle status"), "total": ("total", "order total", "amount paid"),
    "currency": ("currency",), "ordered_at": ("order date", "ordered at", "when ordered"),
    "customer_id": ("customer link", "linked customer", "whose order"),
    "title": ("title", "deal title"), "value": ("value", "deal value", "deal size"),
    "stage": ("stage", "deal stage"), "expected_close_date": ("close date", "expected close"),
    "sku": ("sku",), "price": ("price",), "number": ("invoice number",),
    "amount_due": ("amount due",), "amount_paid": ("paid amount",), "due_date": ("due date",),
    "issued_at": ("issue date",), "plan": ("plan",), "amount": ("subscription amount",),
    "interval": ("billing interval", "interval"), "current_period_end": ("renewal date",),
    "started_at": ("start date",),
}
ENTITY_SYNONYMS = {
    "customer": ("customer", "client", "contact"), "order": ("order", "purchase"),
    "deal": ("deal", "opportunity"), "product": ("product", "item"),
    "invoice": ("invoice", "bill"), "subscription": ("subscription", "plan subscription"),
}
SOURCE_SYNONYMS = {
    "shopify": ("shopify", "shopify store"),
    "stripe": ("stripe", "stripe account"),
    "hubspot": ("hubspot", "hub spot"),
    "manual": ("manual", "manual entry", "manual-entry", "manually entered", "typed in", "entered by hand",
               "hand entered", "by our hand",
               "by hand", "typing by hand", "typed by hand", "we type", "we typed", "keyed in", "hand-typed",
               "hand typed", "entered ourselves", "enter ourselves", "we entered", "staff entered"),
}
"""data_quality's one source: a connector type, or "manual" for what was typed in BizPilot."""
TYPE_SYNONYMS = {"connector": ("connector", "connected", "integration", "synced"),
                 "manual": ("manual", "manual entry", "manual-entry", "typed in", "entered by hand", "crm",
                            "hand-entered", "hand entered", "keyed in", "hand-typed", "hand typed",
                            "entered ourselves", "enter ourselves", "we entered", "staff entered")}


def score(value: float | None) -> str:
    return "no score (no data)" if value is None else p.ratio_percent(value)


def _source_line(s: SourceOut) -> str:
    text = f"{s.display_name} ({s.type}"
    text += f", {s.status})" if s.type == "connector" else ")"
    text += f": {p.plural(s.record_count, 'record')}, quality {score(s.quality_score)}"
    if s.type == "connector":
        text += f", last sync {p.day(s.last_sync)}" if s.last_sync else ", never synced"
    return text


def _sources(out: SourcesOutput, args: Mapping[str, Any]) -> str:
    if not out.sources:
        return "No data sources match that."
    if args.get("type") == "manual":
        return f"Data entered in BizPilot:\n{p.bullets(_source_line(s) for s in out.sources)}"
    head = (f"Your data comes from {p.plural(out.connectors, 'connected source')} plus what was "
            "entered in BizPilot." if out.connectors else "No connector is set up: all your data was "
            "entered in BizPilot.")
    return f"{head}\n{p.bullets(_source_line(s) for s in out.sources[: p.LIST_LIMIT])}"


def _quality(out: QualityOutput, args: Mapping[str, Any]) -> str:
    if out.overall is None:
        return "There is no data to score yet: no records from any source."
    d = out.dimensions
    head = (f"Overall data quality is {score(out.overall)} over {p.plural(out.records, 'record')}: "
            f"completeness {score(d.completeness)}, accuracy {score(d.accuracy)}, "
            f"freshness {score(d.freshness)}, consistency {score(d.consistency)}.")
    lines = [f"{s.source}: {score(s.score)} ({p.plural(s.records, 'record')})" for s in out.by_source]
    weak = [r for r in out.rules if r.checked and r.passed < r.checked]
    tail = "".join(f" {r.name.capitalize()}: {p.count(r.passed)} of {p.count(r.checked)} checks "
                   f"passed." for r in weak[:2])
    return f"{head}{tail}\n{p.bullets(lines[: p.LIST_LIMIT])}"


def _field_line(name: str, out: EntityLineageOutput) -> str:
    f = out.fields[name]
    words = name.replace("_", " ")
    if f.source is None:
        return f"{words}: empty"
    if f.source == "manual":
        return f"{words}: entered in BizPilot (no source has this value)"
    when = f", synced {p.day(f.updated_at)}" if f.updated_at else ""
    return f"{words}: from {f.source} (record {f.source_id}{when})"


def _entity(out: EntityLineageOutput, args: Mapping[str, Any]) -> str:
    what = f"{out.entity_type} {out.label}"
    if out.asked_field:
        return f"For {what}, {_field_line(out.asked_field, out)}."
    if not out.sources:
        head = f"{what[:1].upper()}{what[1:]} was entered in BizPilot: no connector supplied it."
    else:
        names = ", ".join(dict.fromkeys(s.connection_name for s in out.sources))
        head = f"{what[:1].upper()}{what[1:]} comes from {names}"
        if out.merge_confidence is not None and any(s.merged_by for s in out.sources):
            head += f" (merged by email, confidence {p.ratio_percent(out.merge_confidence)})"
        head += "."
    lines = [_field_line(n, out) for n, f in out.fields.items() if f.source]
    return f"{head}\n{p.bullets(lines[: p.LIST_LIMIT])}" if lines else head


def _noun(labels: Mapping[str, str], node: str) -> str:
    """"Customers" -> "customer" (p.plural adds the s back)."""
    return labels.get(node, node).lower().removesuffix("s")


def _flow(out: FlowOutput, args: Mapping[str, Any]) -> str:
    labels = {n.id: n.label for n in out.nodes}
    feeds = [f"{labels.get(e.from_, e.from_)} → {labels.get(e.to, e.to)}: "
             f"{p.plural(e.records, 'record')}" for e in out.edges if e.from_.startswith("source:")]
    metrics = [f"{labels.get(e.to, e.to)} is built on {p.plural(e.records, _noun(labels, e.from_))}"
               for e in out.edges if e.to.startswith("metric:")]
    return ("How data flows in:\n" + p.bullets(feeds[: p.LIST_LIMIT]) +
            "\nWhat it feeds:\n" + p.bullets(metrics[: p.LIST_LIMIT]))


def _trends(out: TrendsOutput, args: Mapping[str, Any]) -> str:
    if not out.points:
        return (f"There are no daily quality snapshots in the last {p.plural(out.days, 'day')} yet: "
                "they are taken after each sync and once a day.")
    first, last = out.points[0], out.points[-1]
    text = (f"Data quality went from {score(first.overall)} on {p.day(first.date)} to "
            f"{score(last.overall)} on {p.day(last.date)} ({p.plural(len(out.points), 'daily snapshot')}).")
    low = min(out.points, key=lambda pt: pt.overall)
    if low.overall < last.overall:
        text += f" The low point was {score(low.overall)} on {p.day(low.date)}."
    return text


declare("list_lineage_sources", ToolLanguage(
    examples=EXAMPLES["list_lineage_sources"],
    phrase=p.typed(SourcesOutput, _sources),
    synonyms={"type": TYPE_SYNONYMS},
))

declare("data_quality", ToolLanguage(
    examples=EXAMPLES["data_quality"],
    phrase=p.typed(QualityOutput, _quality),
    synonyms={"source": SOURCE_SYNONYMS},
))

def _record_named(args: Mapping[str, Any]) -> list[str]:
    """The input requires one record by any of three fields: ask for the one its kind takes."""
    if any(args.get(k) for k in ("entity_id", "customer_id", "deal_id")):
        return []
    kind = args.get("entity_type") or "customer"
    return [{"customer": "customer_id", "deal": "deal_id"}.get(kind, "entity_id")]


def _field_of_kind(_text: str, args: Mapping[str, Any]) -> Mapping[str, Any]:
    kind = args.get("entity_type") or ("deal" if args.get("deal_id") else "customer")
    field = field_of_kind(kind, args.get("field"))
    return {"field": field} if field != args.get("field") else {}


declare("entity_lineage", ToolLanguage(
    examples=EXAMPLES["entity_lineage"],
    phrase=p.typed(EntityLineageOutput, _entity),
    synonyms={"entity_type": ENTITY_SYNONYMS, "field": FIELD_SYNONYMS},
    references={"customer_id": "customer", "deal_id": "deal"},
    questions={"customer_id": "Which customer?", "deal_id": "Which deal?",
               "entity_id": "Which record (the id of the order, product, invoice or subscription)?"},
    needs=_record_named,
    read=_field_of_kind,
))

EMPTY = {"true": ("include empty", "including empty", "empty ones", "empty types", "with no records",
                  "that have nothing", "with nothing in them", "no records yet", "even the empty",
                  "show empty", "include the empty", "zero records")}
"""Entity types with no records, shown too."""

declare("data_flow", ToolLanguage(
    examples=EXAMPLES["data_flow"],
    synonyms={"include_empty": EMPTY},
    phrase=p.typed(FlowOutput, _flow),
))

declare("quality_trends", ToolLanguage(
    examples=EXAMPLES["quality_trends"],
    phrase=p.typed(TrendsOutput, _trends),
))
