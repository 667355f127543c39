"""Inputs and outputs of the lineage and data-quality tools (document 000's /api/data-lineage)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field, model_validator

from tools.schemas import OptionalId, ToolModel

EntityKind = Literal["customer", "order", "deal", "product", "invoice", "subscription"]
SourceKind = Literal["connector", "manual"]
FieldName = Literal[
    "name", "email", "phone", "company", "status", "total", "currency", "ordered_at",
    "customer_id", "title", "value", "stage", "expected_close_date", "sku", "price", "number",
    "amount_due", "amount_paid", "due_date", "issued_at", "plan", "amount", "interval",
    "current_period_end", "started_at",
]
Scalar = str | float | int | bool | None
NO_DATA = "no data: no records from this source yet"


class Dimensions(ToolModel):
    """The four quality dimensions, each 0 to 1 (None: nothing to measure)."""

    accuracy: float | None = Field(description="Share of present values that pass their validator")
    completeness: float | None = Field(description="Share of key fields present")
    freshness: float | None = Field(description="1 when synced within the stale age, down to 0 at 3x")
    consistency: float | None = Field(description="Share of merged customers whose sources agree "
                                      "and of orders whose customer link resolved")


class SourceOut(ToolModel):
    id: str = Field(description='The connection id, or "manual" for data no connector supplied')
    name: str = Field(description='The connection name (shopify...) or "manual"')
    display_name: str
    type: SourceKind
    connector: str | None = Field(description="The connector type (shopify, stripe, hubspot...)")
    status: str
    last_sync: datetime | None
    last_successful_sync: datetime | None
    record_count: int
    quality_score: float | None = Field(description="Overall quality 0..1; None with no data")
    reason: str | None = Field(None, description="Why there is no score, when there is none")


class SourcesInput(ToolModel):
    type: SourceKind | None = Field(None, description="Only connector sources or only the manual "
                                    "(entered in BizPilot) data. Omit for all.")


class SourcesOutput(ToolModel):
    sources: list[SourceOut]
    connectors: int = Field(description="How many of the sources are connections")


class QualityInput(ToolModel):
    source: str | None = Field(None, max_length=100, description="Only this source: a connection "
                               'name or type (e.g. shopify) or "manual". Omit for every source.')


class RuleOut(ToolModel):
    name: str
    description: str
    passed: int = Field(description="Checks that passed (sources that are fresh, for freshness)")
    checked: int = Field(description="Checks made (sources measured, for freshness)")
    score: float | None


class SourceQuality(ToolModel):
    source: str
    source_id: str
    type: SourceKind
    score: float | None
    dimensions: Dimensions
    records: int
    reason: str | None = None


class QualityOutput(ToolModel):
    overall: float | None = Field(description="Mean of the dimensions that have a score")
    dimensions: Dimensions
    by_source: list[SourceQuality]
    rules: list[RuleOut]
    records: int
    stale_hours: float
    measured_at: datetime
    reason: str | None = None


FIELD_OF_KIND: dict[str, dict[str, str]] = {
    "deal": {"amount": "value", "total": "value", "price": "value", "name": "title"},
    "order": {"amount": "total", "value": "total", "price": "total"},
    "invoice": {"amount": "amount_due", "total": "amount_due", "value": "amount_due"},
    "subscription": {"value": "amount", "total": "amount", "price": "amount", "name": "plan"},
    "product": {"amount": "price", "value": "price", "total": "price"},
}
"""A field named as people name it on this kind of record ("the amount on the fit-out deal" is
its value): the kind's own field, so the question gets that field's source, not the whole record's."""


def field_of_kind(kind: str, field: str | None) -> str | None:
    return FIELD_OF_KIND.get(kind, {}).get(field, field) if field else field


class EntityInput(ToolModel):
    entity_type: EntityKind = Field("customer", description="What kind of record: customer "
                                    "(default), order, deal, product, invoice or subscription.")
    entity_id: OptionalId = Field(None, description="The record's id (for any entity type).")
    customer_id: OptionalId = Field(None, description="The customer's id, when asking about a "
                                    "customer by name (resolved by find_records).")
    deal_id: OptionalId = Field(None, description="The deal's id, when asking about a deal.")
    field: FieldName | None = Field(None, description="The field asked about (email, phone, name, "
                                    "total, stage...), to name its source. Omit for every field.")

    @model_validator(mode="after")
    def _one_record(self) -> EntityInput:
        if self.customer_id and not self.entity_id:
            self.entity_type, self.entity_id = "customer", self.customer_id
        elif self.deal_id and not self.entity_id:
            self.entity_type, self.entity_id = "deal", self.deal_id
        if not self.entity_id:
            raise ValueError("name the record: entity_id, customer_id or deal_id")
        self.field = field_of_kind(self.entity_type, self.field)  # type: ignore[assignment]
        return self


class ProvenanceSource(ToolModel):
    connector: str = Field(description="The connector type that supplied the record")
    connection_id: str
    connection_name: str
    source_id: str = Field(description="The record's id in that system")
    resource: str
    fields: list[str] = Field(description="The fields this source supplied")
    last_update: datetime = Field(description="When it was last synced")
    source_updated_at: datetime | None
    merged_by: str | None = Field(description='How it was matched to the record ("email"), or '
                                  "None when it created the record")
    confidence: float = Field(description="Merge confidence; 1.0 when it created the record")


class FieldOrigin(ToolModel):
    value: Scalar
    source: str | None = Field(description='The connection name that supplied the current value, '
                               '"manual" when no source has it, None when the field is empty')
    connector: str | None
    source_id: str | None
    updated_at: datetime | None = Field(description="When that source last synced it (manual: when "
                                        "the record was last edited)")


class EntityLineageOutput(ToolModel):
    entity_type: EntityKind
    entity_id: str
    label: str
    sources: list[ProvenanceSource]
    fields: dict[str, FieldOrigin]
    merge_confidence: float | None = Field(description="Lowest merge confidence of its sources; 1.0 "
                                           "from one unmerged source; None for manual records")
    quality_score: float | None = Field(description="Mean of this record's completeness, accuracy "
                                        "and (if merged) consistency")
    asked_field: str | None = None


class FlowInput(ToolModel):
    include_empty: bool = Field(False, description="Also show entity types with no records.")


class FlowNode(ToolModel):
    id: str
    type: Literal["source", "entity", "metric"]
    label: str
    count: int


class FlowEdge(ToolModel):
    from_: str = Field(alias="from", description="The node the records flow from")
    to: str = Field(description="The node they flow into")
    records: int


class FlowOutput(ToolModel):
    nodes: list[FlowNode]
    edges: list[FlowEdge]


class TrendsInput(ToolModel):
    days: int = Field(30, ge=1, le=365, description="How many days back, 1 to 365 (default 30).")


class TrendPoint(ToolModel):
    date: date
    overall: float
    dimensions: Dimensions
    records: int
    by_source: dict[str, float] = Field(description="Each source's overall score that day")


class TrendsOutput(ToolModel):
    days: int
    points: list[TrendPoint]
    first: float | None = Field(description="Overall score on the first day shown")
    last: float | None = Field(description="Overall score on the last day shown")
    change: float | None = Field(description="last - first")
