"""The demo tenant's connected sources: Shopify (customers, orders), Stripe (customers, charges)
and HubSpot (contacts, deals), as if they had been syncing for the last HISTORY_DAYS days.

Demo connections (`config["demo"] = True`, no credentials) with a sync history (Shopify every 6
hours, Stripe every 12, HubSpot daily; one Stripe run failed with a 503), and one source record
per synced customer, recent order (the last ORDER_DAYS days: older orders stay unlinked, as if
they predated the connections) and deal, with `values` mirroring the entity's fields as that
source would supply them. Customers in several sources are merged by email with a confidence
from how well the names match. A few records carry a provider's flaws on purpose (a truncated
phone later fixed by hand in BizPilot, a name written with an initial) so the quality rules
have something true to find. Each run's counts and null shares are computed from the records it
fetched. Deterministic; created once (a re-seed leaves existing connections as they are, so a
demo left for days shows its sources going stale, as a real one would).

Quality snapshots are not written here (store/ does not import the rules in tools/): the
`lineage.backfill_snapshots` job measures tenants with connections and no snapshot yet.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core.ids import new_id
from store.models import Connection, Customer, Deal, Order, SourceRecord, SyncRun

HISTORY_DAYS = 30
ORDER_DAYS = 90
FAILED_RUN = ("stripe", 5)
"""(connection, days ago) of the one failed run."""
FAILED_ERROR = "Stripe API answered 503 Service Unavailable after 5 retries (GET /v1/charges)"


@dataclass(frozen=True)
class Feed:
    name: str
    display: str
    every_hours: int
    resources: tuple[str, ...]
    account: dict[str, Any]


FEEDS = (
    Feed("shopify", "Shopify", 6, ("customers", "orders"),
         {"shop": "northwind-outfitters.myshopify.com", "name": "Northwind Outfitters"}),
    Feed("stripe", "Stripe", 12, ("customers", "charges"), {"account": "acct_demo_northwind"}),
    Feed("hubspot", "HubSpot", 24, ("contacts", "deals"), {"portal_id": 4242001}),
)


@dataclass
class Pending:
    """A record to insert, and when the source first had it."""

    at: datetime
    row: dict[str, Any]
    entity: str
    merged: bool = False


@dataclass
class Plan:
    feed: Feed
    conn: Connection
    records: list[Pending] = field(default_factory=list)


def _hash(values: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def _record(plan: Plan, tenant_id: str, resource: str, source_id: str, entity: str, entity_id: str,
            values: dict[str, Any], at: datetime, merged: float | None = None) -> None:
    values = {k: v for k, v in values.items() if v is not None}
    plan.records.append(Pending(at, {
        "id": new_id(), "tenant_id": tenant_id, "connection_id": plan.conn.id,
        "connector": plan.feed.name, "resource": resource, "source_id": source_id,
        "entity_type": entity, "entity_id": entity_id, "values": values,
        "content_hash": _hash(values), "merged_by": "email" if merged is not None else None,
        "merge_confidence": merged, "source_updated_at": at}, entity, merged is not None))


def _confidence(ours: str, theirs: str) -> float:
    """An email match, discounted by how different the names are."""
    return round(0.8 + 0.2 * difflib.SequenceMatcher(None, ours.lower(), theirs.lower()).ratio(), 2)


def _customer_values(c: Customer, feed: str, i: int) -> dict[str, Any]:
    name = c.name
    if feed == "stripe" and i % 37 == 5:  # Stripe holds the cardholder's name: "J. Smith"
        first, _, last = c.name.partition(" ")
        name = f"{first[:1]}. {last}"
    phone = c.phone
    if feed == "shopify" and i % 45 == 7:
        phone = (c.phone or "")[:6]  # a truncated number, corrected by hand in BizPilot since
    values: dict[str, Any] = {"name": name, "email": c.email, "phone": phone}
    if feed == "hubspot":
        values.update(company=c.company, status=c.status)
    return values


def _customers(plans: dict[str, Plan], tenant_id: str, customers: list[Customer],
               wanted: dict[str, set[str]], start: datetime) -> dict[tuple[str, str], str]:
    """One record per (feed, customer) the feed knows; returns (feed, customer id) -> source id."""
    ids: dict[tuple[str, str], str] = {}
    for i, c in enumerate(customers):
        feeds = [f for f in ("shopify", "stripe", "hubspot") if c.id in wanted[f]]
        creator = "shopify" if (c.custom_fields or {}).get("source") == "shopify" else None
        for feed in feeds:
            values = _customer_values(c, feed, i)
            sid = {"shopify": f"{7_000_000 + i}", "stripe": f"cus_demo{i:05d}",
                   "hubspot": f"{90_000 + i}"}[feed]
            merged = None if feed == creator else _confidence(c.name, values["name"])
            _record(plans[feed], tenant_id, "contacts" if feed == "hubspot" else "customers", sid,
                    "customer", c.id, values, max(c.created_at, start), merged)
            ids[(feed, c.id)] = sid
    return ids


def _orders(plans: dict[str, Plan], tenant_id: str, orders: list[Order],
            emails: dict[str, str | None], ids: dict[tuple[str, str], str]) -> None:
    for n, o in enumerate(orders):
        feed = str(o.source)
        sid = ids.get((feed, o.customer_id or ""))
        guest = feed == "stripe" and n % 53 == 11  # a charge with no customer attached
        values = {"total": str(o.total), "currency": o.currency, "status": o.status,
                  "ordered_at": o.ordered_at.isoformat(),
                  "customer_source_id": None if guest else sid,
                  "customer_email": emails.get(o.customer_id or "") if feed == "shopify" else None}
        source_id = f"#{1001 + n}" if feed == "shopify" else f"ch_demo{n:06d}"
        _record(plans[feed], tenant_id, "orders" if feed == "shopify" else "charges", source_id,
                "order", o.id, values, o.ordered_at)


def _deals(plan: Plan, tenant_id: str, deals: list[Deal], ids: dict[tuple[str, str], str],
           start: datetime) -> None:
    for n, d in enumerate(deals):
        values = {"title": d.title, "value": str(d.value), "currency": d.currency, "stage": d.stage,
                  "expected_close_date": d.expected_close_date.isoformat() if d.expected_close_date
                  else None, "customer_source_id": ids.get(("hubspot", d.customer_id or ""))}
        _record(plan, tenant_id, "deals", f"{5_500_000 + n}", "deal", d.id, values,
                max(d.created_at, start))


def _null_share(batch: list[Pending]) -> dict[str, float]:
    keys = {"customer": ("phone", "email"), "order": ("customer_source_id",),
            "deal": ("customer_source_id",)}
    share: dict[str, float] = {}
    for entity, names in keys.items():
        rows = [p.row["values"] for p in batch if p.entity == entity]
        for name in names if rows else ():
            share[name] = round(sum(1 for v in rows if v.get(name) is None) / len(rows), 4)
    return share


def _history(session: Session, plan: Plan, start: datetime, now: datetime,
             rng: random.Random) -> None:
    """Sync runs every `every_hours` from `start` to now; each record is fetched by the first
    successful run at or after the moment the source had it."""
    pending = sorted(plan.records, key=lambda p: p.at)
    runs: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    at, first = start, True
    while at <= now:
        failed = (plan.feed.name, (now - at).days) == FAILED_RUN and not first and \
            not any(r["status"] == "failed" for r in runs)
        batch = [] if failed else [p for p in pending if p.at <= at]  # a prefix: sorted by .at
        pending = pending[len(batch):]
        run_id = new_id()
        merged = sum(p.merged for p in batch)
        unchanged = 0 if first or failed else rng.randint(15, 40)
        for p in batch:
            p.row.update(sync_run_id=run_id, first_seen_at=at, last_synced_at=at)
            rows.append(p.row)
        runs.append({
            "id": run_id, "tenant_id": plan.conn.tenant_id, "connection_id": plan.conn.id,
            "trigger": "connect" if first else "schedule", "status": "failed" if failed else "succeeded",
            "full": first, "pages": max(1, (len(batch) + unchanged) // 250 + 1),
            "counts": {"fetched": len(batch) + unchanged, "created": len(batch) - merged,
                       "updated": 0, "unchanged": unchanged, "merged": merged, "skipped": 0},
            "null_share": _null_share(batch), "error": FAILED_ERROR if failed else None,
            "started_at": at, "finished_at": at + timedelta(seconds=rng.randint(4, 90))})
        at, first = at + timedelta(hours=plan.feed.every_hours), False
    session.execute(insert(SyncRun), runs)
    if rows:
        session.execute(insert(SourceRecord), rows)
    last: dict[str, Any] = runs[-1]
    plan.conn.last_sync_at, plan.conn.last_sync_status = last["finished_at"], str(last["status"])
    plan.conn.record_counts = {**(plan.conn.record_counts or {}),
                               **_counts(plan.records)}


def _counts(records: list[Pending]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for p in records:
        counts[p.entity] = counts.get(p.entity, 0) + 1
    return counts


def seed_sources(session: Session, tenant_id: str, now: datetime) -> None:
    """Create the demo connections with their history (once; later calls do nothing)."""
    if session.scalar(select(Connection.id).where(Connection.tenant_id == tenant_id).limit(1)):
        return
    rng = random.Random(4242)
    start = (now - timedelta(days=HISTORY_DAYS)).replace(minute=0, second=0, microsecond=0)
    plans = {}
    for feed in FEEDS:
        conn = Connection(tenant_id=tenant_id, type=feed.name, name=feed.name,
                          display_name=feed.display, status="connected",
                          config={"demo": True, "resources": list(feed.resources)},
                          account={"demo": True, **feed.account}, cursors={}, record_counts={},
                          created_at=start - timedelta(hours=1), updated_at=now)
        session.add(conn)
        plans[feed.name] = Plan(feed, conn)
    session.flush()
    since = now - timedelta(days=ORDER_DAYS)
    orders = list(session.scalars(select(Order).where(
        Order.tenant_id == tenant_id, Order.ordered_at >= since, Order.source.in_(("shopify", "stripe")))
        .order_by(Order.ordered_at, Order.id)))
    deals = list(session.scalars(select(Deal).where(Deal.tenant_id == tenant_id)
                                 .order_by(Deal.created_at, Deal.id)))
    customers = list(session.scalars(select(Customer).where(Customer.tenant_id == tenant_id)
                                     .order_by(Customer.created_at, Customer.id)))
    wanted: dict[str, set[str]] = {"shopify": set(), "stripe": set(), "hubspot": set()}
    for o in orders:
        wanted[str(o.source)].add(o.customer_id or "")
    wanted["shopify"].update(c.id for c in customers if (c.custom_fields or {}).get("source") == "shopify")
    wanted["hubspot"].update(d.customer_id or "" for d in deals)
    ids = _customers(plans, tenant_id, customers, wanted, start)
    _orders(plans, tenant_id, orders, {c.id: c.email for c in customers}, ids)
    _deals(plans["hubspot"], tenant_id, deals, ids, start)
    for plan in plans.values():
        _history(session, plan, start, now, rng)
    session.flush()
