"""Building lineage test data row by row, straight into the store (no sync engine involved):
connections, their sync runs, source records and the customers and orders they fed."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from core.ids import utcnow
from store.db import unit_of_work
from store.models import Connection, Customer, Order, SourceRecord, SyncRun
from tools.context import Principal, Role


@dataclass
class Builder:
    tenant_id: str

    def connection(self, name: str, type_: str | None = None, *, created: datetime | None = None) -> str:
        with unit_of_work(self.tenant_id) as s:
            c = Connection(tenant_id=self.tenant_id, type=type_ or name, name=name,
                           display_name=name.capitalize(), status="connected",
                           config={"demo": True}, account={}, cursors={}, record_counts={},
                           created_at=created or utcnow() - timedelta(days=30))
            s.add(c)
            s.flush()
            return c.id

    def run(self, connection_id: str, *, hours_ago: float, status: str = "succeeded", fetched: int = 100,
            full: bool = False, null_share: dict[str, float] | None = None, error: str | None = None) -> str:
        at = utcnow() - timedelta(hours=hours_ago)
        with unit_of_work(self.tenant_id) as s:
            r = SyncRun(tenant_id=self.tenant_id, connection_id=connection_id, trigger="schedule",
                        status=status, full=full, counts={"fetched": fetched}, null_share=null_share or {},
                        error=error, started_at=at, finished_at=at + timedelta(seconds=30))
            s.add(r)
            s.flush()
            with_time = s.get(Connection, connection_id)
            assert with_time is not None
            with_time.last_sync_at, with_time.last_sync_status = r.finished_at, status
            return r.id

    def customer(self, **fields: Any) -> str:
        with unit_of_work(self.tenant_id) as s:
            c = Customer(tenant_id=self.tenant_id, name=fields.pop("name", "Someone"), **fields)
            s.add(c)
            s.flush()
            return c.id

    def order(self, customer_id: str | None, total: str = "50.00", **fields: Any) -> str:
        with unit_of_work(self.tenant_id) as s:
            o = Order(tenant_id=self.tenant_id, customer_id=customer_id, total=Decimal(total),
                      currency=fields.pop("currency", "USD"), status=fields.pop("status", "paid"),
                      source=fields.pop("source", "shopify"),
                      ordered_at=fields.pop("ordered_at", utcnow() - timedelta(days=1)))
            s.add(o)
            s.flush()
            return o.id

    def record(self, connection_id: str, entity_type: str, entity_id: str | None, values: dict[str, Any], *,
               connector: str = "shopify", resource: str | None = None, source_id: str | None = None,
               merged: float | None = None, synced: datetime | None = None) -> str:
        at = synced or utcnow() - timedelta(hours=1)
        with unit_of_work(self.tenant_id) as s:
            r = SourceRecord(
                tenant_id=self.tenant_id, connection_id=connection_id, connector=connector,
                resource=resource or f"{entity_type}s", source_id=source_id or uuid.uuid4().hex[:12],
                entity_type=entity_type, entity_id=entity_id, values=values,
                content_hash=hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest(),
                merged_by="email" if merged is not None else None, merge_confidence=merged,
                source_updated_at=at, first_seen_at=at, last_synced_at=at)
            s.add(r)
            s.flush()
            return r.id


def principal(account: Any, role: Role = "admin") -> Principal:
    """The account as a tool caller (the runtime's view of a signed-in user)."""
    return Principal(user_id=account.user_id, tenant_id=account.tenant_id, role=role,
                     email=account.email)
