"""One page of source items into the tenant's records, with lineage.

Every item is matched by `(connection, resource, source id)` against `SourceRecord`, loaded for
the whole page in one query: an unchanged content hash only touches `last_synced_at` (one bulk
UPDATE), so a re-run creates nothing and rewrites nothing. Changed and new items go to their
entity kind: customers (matched and merged by email, see `tools.connectors.merge`), orders,
deals, products, invoices, subscriptions (`tools.connectors.entities`), companies (lineage only,
plus the company name of contacts with that email domain when theirs is empty). Records that
belong to a customer resolve it through this connection's customer records by
`customer_source_id`, else by `customer_email`. Nothing here commits: the sync engine commits
each page with its cursor.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select, update

from core.ids import new_id
from store.models import Connection, Customer, SourceRecord
from tools.connectors.base import SourceItem
from tools.connectors.entities import KINDS
from tools.connectors.merge import CustomerBatch, ingest_customer, norm_email
from tools.context import ToolContext

Pending = tuple[SourceItem, dict[str, Any], str, SourceRecord | None]
"""(item, its values as JSON, their hash, the source record seen before or None)."""

KEY_FIELDS = {"customer": ("email", "phone", "name"), "order": ("total", "ordered_at", "customer")}
"""Fields whose missing share per run is the trust layer's null-spike signal (`SyncRun.null_share`
keys are "<entity>.<field>"; an order's "customer" is missing when it names no customer at all)."""


@dataclass
class PageCounts:
    fetched: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0
    skipped: int = 0
    entities: Counter[str] = field(default_factory=Counter)
    missing: Counter[str] = field(default_factory=Counter)

    def totals(self) -> dict[str, int]:
        return {"fetched": self.fetched, "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "merged": self.merged, "skipped": self.skipped}


def jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def content_hash(values: dict[str, Any]) -> str:
    raw = json.dumps(values, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def _count_missing(counts: PageCounts, item: SourceItem) -> None:
    counts.entities[item.entity] += 1
    for key in KEY_FIELDS.get(item.entity, ()):
        f = item.fields
        empty = (not f.get("customer_source_id") and not f.get("customer_email")) if key == "customer" \
            else f.get(key) in (None, "")
        if empty:
            counts.missing[f"{item.entity}.{key}"] += 1


class PageIngest:
    """Ingest of one page in the caller's unit of work (a tenant-scoped session)."""

    def __init__(self, ctx: ToolContext, conn: Connection, run_id: str) -> None:
        self.ctx, self.conn, self.run_id = ctx, conn, run_id
        self.counts = PageCounts()
        self.new_rows: dict[Any, list[dict[str, Any]]] = {}
        """New rows by model, inserted in bulk at the end of the page (ORM objects cost ~5x)."""

    def run(self, items: list[SourceItem]) -> PageCounts:
        unique = list({(i.resource, i.source_id): i for i in items}.values())
        self.counts.fetched = len(items)
        self.counts.skipped = len(items) - len(unique)
        existing = self._existing(unique)
        touched: list[str] = []
        pending: list[Pending] = []
        for item in unique:
            _count_missing(self.counts, item)
            values = jsonable(dict(item.fields))
            rec = existing.get((item.resource, item.source_id))
            digest = content_hash(values)
            if rec is not None and rec.content_hash == digest and (rec.entity_id or item.entity == "company"):
                touched.append(rec.id)
            else:
                pending.append((item, values, digest, rec))
        self._touch(touched)
        self._ingest(pending)
        self._insert_new()
        return self.counts

    def _insert_new(self) -> None:
        """Customers (ORM: merges and events need them) first, then the bulk inserts."""
        self.ctx.session.flush()
        for model, rows in self.new_rows.items():
            shapes: dict[frozenset[str], list[dict[str, Any]]] = {}
            for row in rows:  # one executemany per set of columns given
                shapes.setdefault(frozenset(row), []).append(row)
            for group in shapes.values():
                self.ctx.session.execute(insert(model.__table__), group)  # Core: no ORM bulk cost

    def _existing(self, items: list[SourceItem]) -> dict[tuple[str, str], SourceRecord]:
        if not items:
            return {}
        rows = self.ctx.session.scalars(select(SourceRecord).where(
            SourceRecord.connection_id == self.conn.id,
            SourceRecord.source_id.in_({i.source_id for i in items})))
        return {(r.resource, r.source_id): r for r in rows}

    def _touch(self, ids: list[str]) -> None:
        self.counts.unchanged += len(ids)
        if ids:
            self.ctx.session.execute(
                update(SourceRecord).where(SourceRecord.id.in_(ids))
                .values(last_synced_at=self.ctx.now, sync_run_id=self.run_id)
                .execution_options(synchronize_session=False))

    def _ingest(self, pending: list[Pending]) -> None:
        customers = [p for p in pending if p[0].entity == "customer"]
        if customers:
            self._customers(customers)
        linked = [p for p in pending if p[0].entity in KINDS]
        if linked:
            self._linked(linked)
        for item, values, digest, rec in pending:
            if item.entity == "company":
                self._company(item)
                self._record(item, values, digest, rec, None, None, None, "updated" if rec else "created")

    def _customers(self, batch: list[Pending]) -> None:
        customers = CustomerBatch(self.ctx)
        customers.load({r.entity_id for _, _, _, r in batch if r is not None and r.entity_id},
                       {e for i, _, _, _ in batch if (e := norm_email(i.fields.get("email")))})
        for item, values, digest, rec in batch:
            outcome, cid, how, confidence = ingest_customer(customers, rec, item.fields)
            self._record(item, values, digest, rec, cid, how, confidence, outcome)

    def _linked(self, batch: list[Pending]) -> None:
        """Orders, deals, products, invoices, subscriptions: resolve the customer, then create
        the row or update it with what the source gave."""
        by_source, by_email = self._customer_index([i for i, _, _, _ in batch])
        rows = self._rows(batch)
        for item, values, digest, rec in batch:
            kind = KINDS[item.entity]
            f = item.fields
            customer_id = by_source.get(str(f.get("customer_source_id") or "")) or \
                by_email.get(norm_email(f.get("customer_email")) or "")
            cols = kind.columns(dict(f), customer_id)
            row = rows.get(rec.entity_id or "") if rec is not None else None
            if row is None:
                self._record(item, values, digest, rec, self._create(item, kind, cols), None, None,
                             "created")
                continue
            for key, value in cols.items():
                setattr(row, key, value)
            if kind.timestamps:
                row.updated_at = self.ctx.now
            self._record(item, values, digest, rec, row.id, None, None, "updated")

    def _create(self, item: SourceItem, kind: Any, cols: dict[str, Any]) -> str:
        extra: dict[str, Any] = {"source": self.conn.type} if kind.sourced else {}
        if kind.timestamps:
            extra.update(created_at=self.ctx.now, updated_at=self.ctx.now)
        if item.entity == "order":
            extra["ordered_at"] = cols.get("ordered_at") or item.updated_at or self.ctx.now
        row = {**kind.defaults, **extra, **cols, "id": new_id(), "tenant_id": self.ctx.tenant_id}
        self.new_rows.setdefault(kind.model, []).append(row)
        return str(row["id"])

    def _rows(self, batch: list[Pending]) -> dict[str, Any]:
        """The existing rows these records fed, one query per entity kind."""
        out: dict[str, Any] = {}
        for entity, kind in KINDS.items():
            ids = {r.entity_id for i, _, _, r in batch if i.entity == entity and r and r.entity_id}
            if ids:
                out.update({row.id: row for row in self.ctx.session.scalars(
                    select(kind.model).where(kind.model.id.in_(ids)))})
        return out

    def _customer_index(self, items: list[SourceItem]) -> tuple[dict[str, str], dict[str, str]]:
        """customer_source_id -> customer id (this connection's records), email -> customer id."""
        sources = {str(s) for i in items if (s := i.fields.get("customer_source_id"))}
        emails = {e for i in items if (e := norm_email(i.fields.get("customer_email")))}
        by_source: dict[str, str] = {}
        if sources:
            by_source = {s: e for s, e in self.ctx.session.execute(
                select(SourceRecord.source_id, SourceRecord.entity_id).where(
                    SourceRecord.connection_id == self.conn.id, SourceRecord.entity_type == "customer",
                    SourceRecord.source_id.in_(sources))).tuples() if e}
        by_email: dict[str, str] = {}
        if emails:
            for cid, email in self.ctx.session.execute(
                    select(Customer.id, Customer.email).where(func.lower(Customer.email).in_(emails))
                    .order_by(Customer.created_at.desc())).tuples():
                by_email[norm_email(email) or ""] = cid
        return by_source, by_email

    def _company(self, item: SourceItem) -> None:
        """Contacts of this connection with the company's email domain and no company get its name."""
        domain = str(item.fields.get("domain") or "").strip().lower().removeprefix("www.")
        name = str(item.fields.get("name") or "").strip()[:200]
        if not domain or not name:
            return
        linked = select(SourceRecord.entity_id).where(
            SourceRecord.connection_id == self.conn.id, SourceRecord.entity_type == "customer")
        for customer in self.ctx.session.scalars(select(Customer).where(
                Customer.id.in_(linked), Customer.company.is_(None),
                func.lower(Customer.email).like(f"%@{domain}"))):
            customer.company, customer.updated_at = name, self.ctx.now

    def _record(self, item: SourceItem, values: dict[str, Any], digest: str, rec: SourceRecord | None,
                entity_id: str | None, merged_by: str | None, confidence: float | None,
                outcome: str) -> None:
        setattr(self.counts, outcome, getattr(self.counts, outcome) + 1)
        now = self.ctx.now
        if rec is None:
            self.new_rows.setdefault(SourceRecord, []).append(dict(
                id=new_id(), tenant_id=self.ctx.tenant_id, connection_id=self.conn.id,
                connector=self.conn.type, resource=item.resource, source_id=item.source_id,
                entity_type=item.entity, entity_id=entity_id, values=values, content_hash=digest,
                merged_by=merged_by, merge_confidence=confidence, source_updated_at=item.updated_at,
                first_seen_at=now, last_synced_at=now, sync_run_id=self.run_id))
            return
        rec.values, rec.content_hash, rec.entity_id = values, digest, entity_id
        rec.merged_by, rec.merge_confidence = merged_by, confidence
        rec.source_updated_at, rec.last_synced_at, rec.sync_run_id = item.updated_at, now, self.run_id
