"""Daily quality snapshots: what `/api/data-lineage/trends` shows.

Today's snapshot (per source and "all") is upserted after every sync (a subscriber on
integration.synced / integration.failed) and by a daily job. Days are never invented: a day
without a snapshot is absent from the trend. A tenant whose connections have no snapshot at all
yet (a new demo, connections made before this job existed) is back-filled for the last
BACKFILL_DAYS days by measuring the data as it stood at the end of each day
(`tools.lineage.measure`, `as_of`): records first seen and syncs finished by then, values as
they are now (earlier values are not kept).
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.ids import utcnow
from store.db import unit_of_work
from store.models import Connection, DomainEvent, QualitySnapshot
from tools.events import subscribe
from tools.jobs.runner import periodic
from tools.lineage.measure import Measure, QualityReport, measure

log = logging.getLogger("bizpilot.lineage")
ALL = "all"
BACKFILL_DAYS = 30


def _store(session: Session, tenant_id: str, source: str, day: date, m: Measure,
           now: datetime) -> None:
    overall = m.overall
    if overall is None:  # no data: nothing to remember for that day
        return
    dims = {k: v for k, v in m.dimensions().items() if v is not None}
    found = session.scalar(select(QualitySnapshot).where(QualitySnapshot.source == source,
                                                         QualitySnapshot.day == day))
    if found is not None:
        found.overall, found.dimensions, found.records, found.computed_at = overall, dims, m.records, now
        return
    try:
        with session.begin_nested():
            session.add(QualitySnapshot(tenant_id=tenant_id, source=source, day=day, overall=overall,
                                        dimensions=dims, records=m.records, computed_at=now))
    except IntegrityError:  # another worker wrote it meanwhile: update theirs
        _store(session, tenant_id, source, day, m, now)


def store_report(session: Session, tenant_id: str, day: date, report: QualityReport,
                 now: datetime) -> None:
    """Upsert the day's snapshot of every source with data, and of "all"."""
    for s in report.sources:
        _store(session, tenant_id, s.name, day, s.measure, now)
    _store(session, tenant_id, ALL, day, report.total, now)


def snapshot_today(session: Session, tenant_id: str, now: datetime | None = None) -> QualityReport:
    now = now or utcnow()
    report = measure(session, now)
    store_report(session, tenant_id, now.date(), report, now)
    return report


def backfill(session: Session, tenant_id: str, now: datetime | None = None,
             days: int = BACKFILL_DAYS) -> int:
    """Fill the days of the last `days` that have no "all" snapshot, each measured as of its
    end (today as of now). Returns how many days it wrote."""
    now = now or utcnow()
    if measure(session, now).total.overall is None:  # no data at all: nothing to back-fill
        return 0
    first = now.date() - timedelta(days=days - 1)
    have = set(session.scalars(select(QualitySnapshot.day).where(
        QualitySnapshot.source == ALL, QualitySnapshot.day >= first)))
    written = 0
    for offset in range(days):
        day = first + timedelta(days=offset)
        if day in have:
            continue
        as_of = now if day == now.date() else datetime.combine(day, time.max, tzinfo=UTC)
        report = measure(session, now, as_of=as_of)
        if report.total.overall is not None:
            store_report(session, tenant_id, day, report, now)
            written += 1
    return written


def _tenants_with_connections(*, without_snapshots: bool = False) -> list[str]:
    with unit_of_work() as session:
        stmt = select(Connection.tenant_id).distinct()
        if without_snapshots:
            stmt = stmt.where(~exists(select(QualitySnapshot.id).where(
                QualitySnapshot.tenant_id == Connection.tenant_id)))
        return list(session.scalars(stmt))


def _each_tenant(tenants: list[str], work: Any) -> None:
    for tenant_id in tenants:
        try:
            with unit_of_work(tenant_id) as session:
                work(session, tenant_id)
        except Exception:  # one tenant's failure must not stop the others
            log.exception("quality snapshot failed for tenant %s", tenant_id)


def _after_sync(event: DomainEvent) -> None:
    with unit_of_work(event.tenant_id) as session:
        snapshot_today(session, event.tenant_id)


subscribe("lineage_quality_snapshot", _after_sync, types=("integration.synced", "integration.failed"))


@periodic("lineage.daily_snapshots", "10 0 * * *")
def _daily(_payload: dict[str, Any]) -> None:
    """Every day: today's snapshot for every tenant with a connection, and any missed day."""
    _each_tenant(_tenants_with_connections(),
                 lambda s, t: (snapshot_today(s, t), backfill(s, t)))


@periodic("lineage.backfill_snapshots", "* * * * *")
def _catch_up(_payload: dict[str, Any]) -> None:
    """Tenants with connections but no snapshot yet (a freshly seeded demo): back-fill them."""
    _each_tenant(_tenants_with_connections(without_snapshots=True), backfill)
