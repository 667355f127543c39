"""Trust incidents: opened when a signal crosses its threshold, resolved when it clears.

Evaluated after every sync (a subscriber on integration.synced / integration.failed) and hourly
for every live connection (a `periodic` job: staleness grows without any sync happening). There
is at most one open incident per (connection, signal): while it stays breached the open one is
refreshed (last_seen_at, details, severity); once clear it is resolved and kept as history, and
a later breach opens a new one.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.ids import utcnow
from core.settings import get_settings
from store.db import unit_of_work
from store.models import Connection, DomainEvent, TrustIncident
from tools.events import subscribe
from tools.jobs.runner import periodic
from tools.trust.signals import Signal, find_platform, live_connections, signals_of

log = logging.getLogger("bizpilot.trust")
TITLES = {
    "freshness": "{name} data is stale",
    "error_rate": "{name} syncs are failing",
    "record_drop": "{name} sent far fewer records than usual",
    "null_spike": "{name} records are suddenly missing a field",
}


def severity(signal: Signal) -> str:
    """How bad a breach is, from how far past its threshold the value is."""
    value, limit = signal.value, signal.threshold
    if signal.name == "freshness":
        stale = get_settings().sync_stale_hours
        return "high" if value is None or value > 3 * stale else "medium"
    if value is None:
        return "low"
    if signal.name == "error_rate":
        return "critical" if value >= 0.75 else "high" if value >= 0.5 else "medium"
    if signal.name == "record_drop":
        return "high" if value < limit / 5 else "medium"
    return "high" if value > 2 * limit else "medium"


def _details(signal: Signal) -> dict[str, Any]:
    return {"value": signal.value, "threshold": signal.threshold, "score": signal.score,
            "explanation": signal.explanation, **signal.details}


def evaluate(session: Session, conn: Connection, now: datetime) -> list[TrustIncident]:
    """Open, refresh or resolve this connection's incidents from its signals; returns the
    incidents it touched."""
    open_ = {i.signal: i for i in session.scalars(
        select(TrustIncident).where(TrustIncident.connection_id == conn.id,
                                    TrustIncident.status == "open"))}
    touched = []
    for signal in signals_of(session, conn, now):
        found = open_.get(signal.name)
        if signal.breached:
            if found is None:
                found = TrustIncident(
                    tenant_id=conn.tenant_id, connection_id=conn.id, platform=conn.name,
                    signal=signal.name, status="open", opened_at=now,
                    title=TITLES[signal.name].format(name=conn.display_name or conn.name))
                session.add(found)
            found.severity, found.details, found.last_seen_at = severity(signal), _details(signal), now
            touched.append(found)
        elif found is not None:
            found.status, found.resolved_at, found.last_seen_at = "resolved", now, now
            found.details = {**(found.details or {}), "resolved_by": _details(signal)}
            touched.append(found)
    session.flush()
    return touched


def evaluate_all(session: Session, now: datetime) -> int:
    """Evaluate every live connection of the session's tenant; returns incidents touched."""
    return sum(len(evaluate(session, c, now)) for c in live_connections(session))


def _after_sync(event: DomainEvent) -> None:
    data = event.data or {}
    with unit_of_work(event.tenant_id) as session:
        conn = session.get(Connection, str(data.get("connectionId") or ""))
        if conn is None or conn.tenant_id != event.tenant_id:
            conn = find_platform(session, str(data.get("name") or data.get("type") or ""))
        if conn is not None and conn.disconnected_at is None:
            evaluate(session, conn, utcnow())


subscribe("trust_incidents", _after_sync, types=("integration.synced", "integration.failed"))


@periodic("trust.evaluate", "7 * * * *")
def _hourly(_payload: dict[str, Any]) -> None:
    """Every hour: staleness is noticed even when no sync runs at all."""
    with unit_of_work() as session:
        tenants = list(session.scalars(select(Connection.tenant_id).distinct()
                                       .where(Connection.disconnected_at.is_(None))))
    for tenant_id in tenants:
        try:
            with unit_of_work(tenant_id) as session:
                evaluate_all(session, utcnow())
        except Exception:  # one tenant's failure must not stop the others
            log.exception("trust evaluation failed for tenant %s", tenant_id)
