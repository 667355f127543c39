"""Scheduled syncs: every five minutes, each live connection whose last sync is older than
SYNC_INTERVAL_MINUTES gets an incremental sync (trigger "schedule"), so the data keeps flowing
without anyone asking. A connection the provider refused stays as it is until someone
reconnects it: retrying refused credentials only piles up failures."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import or_, select

from core.ids import utcnow
from core.settings import get_settings
from store.db import unit_of_work
from store.models import Connection, SyncRun
from tools.connectors import sync
from tools.jobs.runner import periodic

log = logging.getLogger("bizpilot.connectors")

REFUSED = "refused the credentials"


def due(now_minutes_ago: int) -> list[tuple[str, str]]:
    """(tenant, connection) pairs due for a scheduled sync."""
    cutoff = utcnow() - timedelta(minutes=now_minutes_ago)
    active = select(SyncRun.connection_id).where(SyncRun.status.in_(sync.ACTIVE))
    stmt = (select(Connection.tenant_id, Connection.id)
            .where(Connection.credentials_encrypted.is_not(None),
                   Connection.status.in_(("connected", "error")),
                   or_(Connection.last_error.is_(None), ~Connection.last_error.contains(REFUSED)),
                   or_(Connection.last_sync_at.is_(None), Connection.last_sync_at < cutoff),
                   Connection.id.not_in(active)))
    with unit_of_work() as session:
        return [(str(t), str(c)) for t, c in session.execute(stmt)]


@periodic("connectors.schedule", "*/5 * * * *")
def schedule_syncs(_payload: dict[str, Any]) -> None:
    interval = get_settings().sync_interval_minutes
    if interval <= 0:
        return
    for tenant_id, connection_id in due(interval):
        with unit_of_work(tenant_id) as session:
            conn = session.get(Connection, connection_id)
            if conn is not None:
                sync.start(sync.system_ctx(session, tenant_id), conn, "schedule")
    log.debug("scheduled syncs checked")
