"""Where one record and each of its fields came from.

A field's current value is credited to the source record whose value for it is the same (the
most recently synced one when several are); a current value no source supplied was typed in
BizPilot (or edited after the sync), so it is "manual". A customer link (`customer_id`) is
credited to a source whose `customer_source_id` names, in that source, the linked customer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import NotFound
from store.models import Connection, SourceRecord
from tools.lineage import quality as q
from tools.lineage.measure import MANUAL, MANUAL_FIELDS
from tools.lineage.schemas import (
    EntityLineageOutput,
    FieldOrigin,
    ProvenanceSource,
    Scalar,
)


def jsonable(value: Any) -> Scalar:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def same(current: Any, supplied: Any) -> bool:
    """Whether a source's value is the record's current value (numbers, times and text compared
    as what they mean: 12.5 == "12.50", "JANE@X.COM" == "jane@x.com")."""
    if not q.present(current) or not q.present(supplied):
        return False
    if isinstance(current, Decimal | int | float) and not isinstance(current, bool):
        try:
            return Decimal(str(current)) == Decimal(str(supplied))
        except InvalidOperation:
            return False
    if isinstance(current, datetime | date):
        a, b = q.as_datetime(current), q.as_datetime(supplied)
        if isinstance(current, date) and not isinstance(current, datetime) and b is not None:
            return a is not None and a.date() == b.date()
        return a is not None and a == b
    return str(current).strip().casefold() == str(supplied).strip().casefold()


def load_entity(session: Session, entity_type: str, entity_id: str) -> Any:
    model = MANUAL_FIELDS[entity_type][0]
    row = session.get(model, entity_id)
    if row is None or row.tenant_id != session.info.get("tenant_id", row.tenant_id):
        raise NotFound(entity_type, entity_id)
    return row


def _linked_customers(session: Session, records: Sequence[SourceRecord]) -> dict[tuple[str, str], str]:
    """(connection id, customer source id) -> our customer id, for the links these records name."""
    wanted = {(r.connection_id, str(r.values.get("customer_source_id")))
              for r in records if q.present((r.values or {}).get("customer_source_id"))}
    if not wanted:
        return {}
    rows = session.execute(
        select(SourceRecord.connection_id, SourceRecord.source_id, SourceRecord.entity_id)
        .where(SourceRecord.entity_type == "customer",
               SourceRecord.source_id.in_({sid for _c, sid in wanted}))).tuples()
    return {(c, s): e for c, s, e in rows if (c, s) in wanted and e}


def _supplies(record: SourceRecord, name: str, current: Any,
              links: Mapping[tuple[str, str], str]) -> bool:
    values = record.values or {}
    if name == "customer_id":
        key = (record.connection_id, str(values.get("customer_source_id")))
        return current is not None and links.get(key) == current
    return same(current, values.get(name))


def _origin(name: str, current: Any, records: Sequence[SourceRecord], names: Mapping[str, str],
            links: Mapping[tuple[str, str], str], edited_at: datetime | None) -> FieldOrigin:
    suppliers = [r for r in records if _supplies(r, name, current, links)]
    if suppliers:
        best = max(suppliers, key=lambda r: r.last_synced_at)
        return FieldOrigin(value=jsonable(current), source=names.get(best.connection_id, best.connector),
                           connector=best.connector, source_id=best.source_id,
                           updated_at=best.last_synced_at)
    if not q.present(current):
        return FieldOrigin(value=None, source=None, connector=None, source_id=None, updated_at=None)
    return FieldOrigin(value=jsonable(current), source=MANUAL, connector=None, source_id=None,
                       updated_at=edited_at)


def _source_out(r: SourceRecord, names: Mapping[str, str]) -> ProvenanceSource:
    supplied = sorted(k for k, v in (r.values or {}).items() if q.present(v))
    return ProvenanceSource(
        connector=r.connector, connection_id=r.connection_id,
        connection_name=names.get(r.connection_id, r.connector), source_id=r.source_id,
        resource=r.resource, fields=supplied, last_update=r.last_synced_at,
        source_updated_at=r.source_updated_at, merged_by=r.merged_by,
        confidence=1.0 if not r.merged_by else float(r.merge_confidence or 0.0))


def _merge_confidence(records: Sequence[SourceRecord]) -> float | None:
    if not records:
        return None
    merged = [float(r.merge_confidence or 0.0) for r in records if r.merged_by]
    return round(min(merged), 4) if merged else 1.0


def _entity_score(entity_type: str, values: Mapping[str, Any], records: Sequence[SourceRecord],
                  now: datetime) -> float | None:
    dims: dict[str, float | None] = {
        "completeness": q.completeness(entity_type, values).score,
        "accuracy": q.accuracy(entity_type, values, now).score,
    }
    if entity_type == "customer" and len({r.connection_id for r in records}) > 1:
        dims["consistency"] = 1.0 if q.customer_agrees(r.values or {} for r in records) else 0.0
    return q.mean_score(dims)


def entity_lineage(session: Session, entity_type: str, entity_id: str, now: datetime,
                   asked: str | None = None) -> EntityLineageOutput:
    entity = load_entity(session, entity_type, entity_id)
    records = list(session.scalars(
        select(SourceRecord).where(SourceRecord.entity_type == entity_type,
                                   SourceRecord.entity_id == entity_id)
        .order_by(SourceRecord.last_synced_at.desc(), SourceRecord.id)))
    names = dict(session.execute(select(Connection.id, Connection.name).where(
        Connection.id.in_({r.connection_id for r in records}))).tuples().all()) if records else {}
    links = _linked_customers(session, records)
    fields = MANUAL_FIELDS[entity_type][1]
    values = {name: getattr(entity, name) for name in fields}
    edited = getattr(entity, "updated_at", None)
    label = str(getattr(entity, "name", None) or getattr(entity, "title", None) or
                getattr(entity, "number", None) or entity_id)
    return EntityLineageOutput(
        entity_type=entity_type,  # type: ignore[arg-type]
        entity_id=entity_id, label=label,
        sources=[_source_out(r, names) for r in records],
        fields={n: _origin(n, values[n], records, names, links, edited) for n in fields},
        merge_confidence=_merge_confidence(records),
        quality_score=_entity_score(entity_type, values, records, now),
        asked_field=asked if asked in fields else None)
