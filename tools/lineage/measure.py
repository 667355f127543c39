"""Measuring the quality rules (`tools.lineage.quality`) over a tenant's data, per source.

A source is a connection (its `SourceRecord`s: what it supplied), or "manual": the tenant's own
entities no connector supplied (entered in BizPilot, imported, or older than any sync history).
Every read streams rows (`yield_per`) or aggregates in SQL, so a tenant with 50,000 synced
records is measured without holding them in memory. The session is tenant-scoped by the caller
(`store.scoping`), so every statement here reads the caller's rows only.

`as_of` measures the data as it stood at that moment (records first seen and syncs finished by
then, the clock set to it): how the daily snapshots are back-filled. Values are today's values
(a record's earlier values are not kept), so a back-filled day is an approximation; say so.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from typing import Any

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import Session

from core.settings import get_settings
from store.models import (
    Connection,
    Customer,
    Deal,
    Invoice,
    Order,
    Product,
    SourceRecord,
    Subscription,
    SyncRun,
)
from tools.lineage import quality as q

MANUAL = "manual"
STREAM = 1000
MANUAL_FIELDS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "customer": (Customer, ("name", "email", "phone", "company", "status")),
    "order": (Order, ("total", "currency", "status", "ordered_at", "customer_id")),
    "deal": (Deal, ("title", "value", "currency", "stage", "expected_close_date", "customer_id")),
    "product": (Product, ("name", "sku", "price", "currency", "status")),
    "invoice": (Invoice, ("number", "status", "amount_due", "amount_paid", "currency", "due_date",
                          "issued_at", "customer_id")),
    "subscription": (Subscription, ("status", "plan", "amount", "currency", "interval",
                                    "current_period_end", "started_at", "customer_id")),
}
"""Our field names of each entity's own columns (the same names connectors supply)."""
CREATED = {"order": "ordered_at"}
"""The column that says when a manual entity came to be (created_at elsewhere)."""


@dataclass
class Measure:
    """The rules' tallies for one source (or for all of them)."""

    records: int = 0
    completeness: q.Tally = field(default_factory=q.Tally)
    accuracy: q.Tally = field(default_factory=q.Tally)
    links: q.Tally = field(default_factory=q.Tally)
    merged: q.Tally = field(default_factory=q.Tally)
    freshness: float | None = None
    fresh: q.Tally = field(default_factory=q.Tally)
    """Sources whose last successful sync is within the stale age, of sources measured."""

    @property
    def consistency(self) -> q.Tally:
        both = q.Tally(self.links.passed, self.links.checked)
        both.merge(self.merged)
        return both

    def dimensions(self) -> dict[str, float | None]:
        if not self.records:
            return dict.fromkeys(q.DIMENSIONS)
        return {"accuracy": self.accuracy.score, "completeness": self.completeness.score,
                "freshness": self.freshness, "consistency": self.consistency.score}

    @property
    def overall(self) -> float | None:
        return q.mean_score(self.dimensions())


@dataclass
class Source:
    """A source of records, as the lineage endpoints name it."""

    id: str
    name: str
    label: str
    kind: str  # "connector" or "manual"
    connector: str | None
    status: str
    last_sync: datetime | None
    last_success: datetime | None
    measure: Measure = field(default_factory=Measure)


@dataclass
class QualityReport:
    measured_at: datetime
    stale_hours: float
    sources: list[Source]
    total: Measure


def _age_hours(last: datetime | None, now: datetime) -> float | None:
    return None if last is None else max(0.0, (now - last).total_seconds() / 3600)


def last_successes(session: Session, as_of: datetime | None = None) -> dict[str, datetime]:
    """connection id -> when its last successful sync finished (by `as_of`)."""
    stmt = (select(SyncRun.connection_id, func.max(SyncRun.finished_at))
            .where(SyncRun.status == "succeeded", SyncRun.finished_at.is_not(None))
            .group_by(SyncRun.connection_id))
    if as_of is not None:
        stmt = stmt.where(SyncRun.finished_at <= as_of)
    return {cid: at for cid, at in session.execute(stmt).tuples() if at is not None}


def connector_sources(session: Session, as_of: datetime | None = None) -> list[Source]:
    stmt = select(Connection).order_by(Connection.created_at, Connection.id)
    if as_of is not None:
        stmt = stmt.where(Connection.created_at <= as_of)
    successes = last_successes(session, as_of)
    return [Source(id=c.id, name=c.name, label=c.display_name, kind="connector", connector=c.type,
                   status=c.status, last_sync=c.last_sync_at if as_of is None else successes.get(c.id),
                   last_success=successes.get(c.id))
            for c in session.scalars(stmt)]


def _stream_records(session: Session, as_of: datetime | None) -> Iterator[Any]:
    stmt = (select(SourceRecord.connection_id, SourceRecord.entity_type, SourceRecord.values,
                   Order.customer_id)
            .outerjoin(Order, and_(SourceRecord.entity_type == "order",
                                   Order.id == SourceRecord.entity_id))
            .execution_options(yield_per=STREAM))
    if as_of is not None:
        stmt = stmt.where(SourceRecord.first_seen_at <= as_of)
    yield from session.execute(stmt)


def _measure_records(session: Session, by_id: dict[str, Measure], now: datetime,
                     as_of: datetime | None) -> None:
    checks = {kind: q.validators(kind, now) for kind in q.KEY_FIELDS}
    for connection_id, entity_type, values, order_customer in _stream_records(session, as_of):
        m = by_id.get(connection_id)
        if m is None:
            continue
        values = values or {}
        m.records += 1
        m.completeness.merge(q.completeness(entity_type, values))
        m.accuracy.merge(q.accuracy(entity_type, values, now, checks.get(entity_type, {})))
        if entity_type == "order" and q.has_field(values, "customer"):
            m.links.add(order_customer is not None)


def _measure_merged(session: Session, by_id: dict[str, Measure], total: Measure,
                    as_of: datetime | None) -> None:
    """Customers that several connections supplied: do their sources agree?"""
    wanted = [SourceRecord.entity_type == "customer", SourceRecord.entity_id.is_not(None)]
    if as_of is not None:
        wanted.append(SourceRecord.first_seen_at <= as_of)
    several = (select(SourceRecord.entity_id).where(*wanted).group_by(SourceRecord.entity_id)
               .having(func.count(func.distinct(SourceRecord.connection_id)) > 1))
    rows = session.execute(
        select(SourceRecord.entity_id, SourceRecord.connection_id, SourceRecord.values)
        .where(*wanted, SourceRecord.entity_id.in_(several))
        .order_by(SourceRecord.entity_id).execution_options(yield_per=STREAM))
    for _entity, group in groupby(rows, key=lambda r: r[0]):
        members = list(group)
        ok = q.customer_agrees(values or {} for _e, _c, values in members)
        total.merged.add(ok)
        for connection_id in {c for _e, c, _v in members}:
            if connection_id in by_id:
                by_id[connection_id].merged.add(ok)


def unsourced(model: Any, entity_type: str) -> Any:
    """The condition "no connector supplied this entity"."""
    return ~exists(select(SourceRecord.id).where(SourceRecord.entity_type == entity_type,
                                                 SourceRecord.entity_id == model.id))


def _sql_check(entity_type: str, name: str, column: Any, now: datetime) -> Any:
    """The accuracy validator of one column as SQL (None: the field has no validator)."""
    allowed = q.STATUSES.get(f"{entity_type}.{name}")
    if name in q.MONEY_FIELDS:
        return column >= 0
    if name == "currency":
        return column.in_(q.CURRENCIES)
    if name in q.PAST_DATES:
        return and_(column >= q.EARLIEST, column <= now + q.FUTURE_SLACK)
    return column.in_(allowed) if allowed else None


def _count_if(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _manual_in_sql(session: Session, m: Measure, entity_type: str, now: datetime,
                   as_of: datetime | None) -> None:
    """The rules over one table's manual rows as SQL aggregates (tables whose validators SQL can
    express: no email or phone columns), so 20,000 orders cost one query."""
    model, names = MANUAL_FIELDS[entity_type]
    key = [n if n != "customer" else "customer_id" for n in q.KEY_FIELDS[entity_type]]
    checks = [(getattr(model, n), _sql_check(entity_type, n, getattr(model, n), now)) for n in names]
    checks = [(col, check) for col, check in checks if check is not None]
    columns = [func.count(), *(_count_if(getattr(model, n).is_not(None)) for n in key),
               *(_count_if(col.is_not(None)) for col, _ in checks),
               *(_count_if(and_(col.is_not(None), check)) for col, check in checks)]
    stmt = select(*columns).select_from(model).where(unsourced(model, entity_type))
    if as_of is not None:
        stmt = stmt.where(getattr(model, CREATED.get(entity_type, "created_at")) <= as_of)
    rows, *rest = session.execute(stmt).one()
    present, checked, passed = rest[:len(key)], rest[len(key):len(key) + len(checks)], rest[-len(checks):]
    m.records += int(rows)
    m.completeness.merge(q.Tally(int(sum(present)), int(rows) * len(key)))
    m.accuracy.merge(q.Tally(int(sum(passed)), int(sum(checked))))


def _manual_customers(session: Session, m: Measure, now: datetime, as_of: datetime | None) -> None:
    """Customers are streamed: email syntax and phone digits are checked in Python."""
    names = MANUAL_FIELDS["customer"][1]
    checks = q.validators("customer", now)
    stmt = (select(*(getattr(Customer, n) for n in names)).where(unsourced(Customer, "customer"))
            .execution_options(yield_per=STREAM))
    if as_of is not None:
        stmt = stmt.where(Customer.created_at <= as_of)
    for row in session.execute(stmt):
        values = dict(zip(names, row, strict=True))
        m.records += 1
        m.completeness.merge(q.completeness("customer", values))
        m.accuracy.merge(q.accuracy("customer", values, now, checks))


def _measure_manual(session: Session, now: datetime, as_of: datetime | None) -> Measure:
    m = Measure()
    _manual_customers(session, m, now, as_of)
    for entity_type in MANUAL_FIELDS:
        if entity_type != "customer":
            _manual_in_sql(session, m, entity_type, now, as_of)
    return m


def _freshen(sources: list[Source], total: Measure, now: datetime, stale_hours: float) -> None:
    weighted = weight = 0.0
    for s in sources:
        if s.kind != "connector" or not s.measure.records:
            continue
        s.measure.freshness = q.freshness(_age_hours(s.last_success, now), stale_hours)
        s.measure.fresh.add(s.measure.freshness == 1.0)
        total.fresh.add(s.measure.freshness == 1.0)
        weighted += s.measure.freshness * s.measure.records
        weight += s.measure.records
    total.freshness = round(weighted / weight, 4) if weight else None


def measure(session: Session, now: datetime, as_of: datetime | None = None) -> QualityReport:
    """Every rule over every source of the tenant, and over all of them together: the same
    tallies summed, with freshness the record-weighted mean of the connections' freshness and
    each merged customer counted once."""
    at = as_of or now
    stale = get_settings().sync_stale_hours
    sources = connector_sources(session, as_of)
    by_id = {s.id: s.measure for s in sources}
    total = Measure()
    _measure_records(session, by_id, at, as_of)
    _measure_merged(session, by_id, total, as_of)
    manual = _measure_manual(session, at, as_of)
    sources.append(Source(id=MANUAL, name=MANUAL, label="Manual / CRM data", kind="manual",
                          connector=None, status="active", last_sync=None, last_success=None,
                          measure=manual))
    for s in sources:
        total.records += s.measure.records
        total.completeness.merge(s.measure.completeness)
        total.accuracy.merge(s.measure.accuracy)
        total.links.merge(s.measure.links)
    _freshen(sources, total, at, stale)
    return QualityReport(measured_at=at, stale_hours=stale, sources=sources, total=total)
