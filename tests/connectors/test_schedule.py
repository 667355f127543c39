"""Scheduled syncs: a live connection not synced for the interval gets one sync; a recent one,
one already syncing, and one whose credentials the provider refused get none."""

from __future__ import annotations

from datetime import timedelta

from connectors.memory_connector import customer, new_script
from fastapi.testclient import TestClient
from helpers import Account, register
from sqlalchemy import select, update

from core.ids import utcnow
from store.db import unit_of_work
from store.models import Connection, SyncRun
from tools.connectors.schedule import due, schedule_syncs
from tools.connectors.sync import run_sync


def _connected(client: TestClient, account: Account) -> str:
    key, script = new_script()
    script.pages["customers"] = [[customer(1)]]
    r = client.post("/api/connectors/memory/connect", headers=account.headers,
                    json={"credentials": {"apiKey": key, "shopDomain": "mem.test"}})
    assert r.status_code == 201, r.text
    run_sync(r.json()["data"]["syncRun"]["id"])
    return str(r.json()["data"]["connection"]["id"])


def _age(connection_id: str, minutes: int, **values: object) -> None:
    with unit_of_work() as session:
        session.execute(update(Connection).where(Connection.id == connection_id)
                        .values(last_sync_at=utcnow() - timedelta(minutes=minutes), **values))


def _runs(connection_id: str, trigger: str) -> int:
    with unit_of_work() as session:
        return len(session.scalars(select(SyncRun).where(
            SyncRun.connection_id == connection_id, SyncRun.trigger == trigger)).all())


def test_only_stale_healthy_connections_are_synced_once(client: TestClient) -> None:
    stale, recent, refused = (_connected(client, register(client)) for _ in range(3))
    _age(stale, 120)
    _age(recent, 5)
    _age(refused, 500, status="error",
         last_error="the provider refused the credentials (revoked); reconnect the integration")
    assert {c for _, c in due(60)} & {stale, recent, refused} == {stale}

    schedule_syncs({"tick": utcnow().isoformat()})
    schedule_syncs({"tick": utcnow().isoformat()})  # a second tick while it is queued adds none
    assert (_runs(stale, "schedule"), _runs(recent, "schedule"), _runs(refused, "schedule")) == (1, 0, 0)
