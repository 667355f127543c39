"""The sync engine over the in-memory connector: paging, no duplicates on re-runs, incremental
`since`, resuming from the last committed page after a failure, auth refusal failing at once,
merging customers by email across connections, field precedence, events, and throughput."""

from __future__ import annotations

import time
from typing import Any

import pytest
from connectors.memory_connector import Script, customer, new_script, order, paged
from fastapi.testclient import TestClient
from helpers import Account
from sqlalchemy import func, select, update

from core.errors import ThirdPartyFailed
from core.ids import utcnow
from store.db import unit_of_work
from store.models import Connection, Customer, DomainEvent, JobRecord, Order, SourceRecord, SyncRun
from tools.connectors import sync
from tools.context import Principal
from tools.jobs import runner
from tools.runtime import execute


def owner(account: Account) -> Principal:
    return Principal(user_id=account.user_id, tenant_id=account.tenant_id, role="admin",
                     email=account.email)


def connect(account: Account, script_key: str, **extra: Any) -> tuple[str, str]:
    """Connect the memory shop (confirmed, as REST does); returns (connection id, run id)."""
    out: Any = execute("connect_integration", owner(account),
                       {"type": "memory", "credentials": {"apiKey": script_key}, **extra},
                       confirmed=True)
    return out.connection.id, out.sync_run.id


def run_job_of(run_id: str) -> None:
    """Run the run's job the way a worker does (claim, run, record the outcome)."""
    with unit_of_work() as session:
        run = session.get(SyncRun, run_id)
        assert run is not None and run.job_id
        session.execute(update(JobRecord).where(JobRecord.id == run.job_id).values(run_at=utcnow()))
        job_id = run.job_id
    runner.run_job(job_id)


def run_of(account: Account, run_id: str) -> SyncRun:
    with unit_of_work(account.tenant_id) as session:
        run = session.get(SyncRun, run_id)
        assert run is not None
        return run


def conn_of(account: Account, conn_id: str) -> Connection:
    with unit_of_work(account.tenant_id) as session:
        conn = session.get(Connection, conn_id)
        assert conn is not None
        return conn


def count(account: Account, model: Any, *where: Any) -> int:
    with unit_of_work(account.tenant_id) as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def resync(account: Account, conn_id: str, full: bool = False) -> str:
    out: Any = execute("sync_integration", owner(account), {"connection": conn_id, "full": full})
    return str(out.sync_run.id)


def shop(customers: int = 5, orders: int = 12, size: int = 4) -> tuple[str, Script]:
    key, script = new_script()
    script.pages["customers"] = paged([customer(i) for i in range(customers)], size)
    script.pages["orders"] = paged([order(i, i % customers) for i in range(orders)], size)
    return key, script


def test_a_sync_pages_through_every_resource_and_rerunning_creates_nothing(
        client: TestClient, account: Account) -> None:
    key, _script = shop()
    conn_id, run_id = connect(account, key)
    run_job_of(run_id)
    run = run_of(account, run_id)
    assert run.status == "succeeded", run.error
    assert run.counts["created"] == 17 and run.pages == 2 + 3 + 3  # customers, orders, 3 empty
    assert run.counts["by_resource"]["orders"]["pages"] == 3
    conn = conn_of(account, conn_id)
    assert conn.status == "connected" and conn.last_sync_status == "succeeded"
    assert conn.record_counts == {"customer": 5, "order": 12}
    assert all("page" not in c and "pending_since" not in c for c in conn.cursors.values())
    assert conn.cursors["orders"]["since"]  # the incremental mark for next time
    assert run.null_share["customer.email"] == 0 and run.null_share["order.customer"] == 0
    assert count(account, Order, Order.source == "memory") == 12
    with unit_of_work(account.tenant_id) as session:
        linked = session.scalar(select(func.count()).select_from(Order).where(Order.customer_id.is_not(None)))
        assert linked == 12, "orders resolve their customer through the customer source records"
        events = session.scalars(select(DomainEvent.type).where(DomainEvent.type.like("integration.%"))).all()
    assert events == ["integration.synced"]

    again = resync(account, conn_id, full=True)
    run_job_of(again)
    second = run_of(account, again)
    assert second.status == "succeeded" and second.counts["unchanged"] == 17
    assert second.counts["created"] == 0 and second.counts["updated"] == 0
    assert count(account, SourceRecord, SourceRecord.connection_id == conn_id) == 17
    assert count(account, Customer) == 5 and count(account, Order) == 12


def test_incremental_sync_passes_since_and_picks_up_changes(client: TestClient, account: Account) -> None:
    key, script = shop(customers=3, orders=4, size=10)
    conn_id, run_id = connect(account, key)
    run_job_of(run_id)
    since = conn_of(account, conn_id).cursors["orders"]["since"]
    script.calls.clear()
    changed = order(3, 0, total="99.50")
    script.pages["orders"] = [[changed]]
    object.__setattr__(changed, "updated_at", changed.updated_at.replace(year=2027))  # type: ignore[union-attr]
    later = resync(account, conn_id)
    run_job_of(later)
    assert ("orders", None, since) in script.calls, script.calls
    run = run_of(account, later)
    assert run.counts["updated"] == 1 and run.counts["created"] == 0
    with unit_of_work(account.tenant_id) as session:
        rec = session.scalars(select(SourceRecord).where(SourceRecord.source_id == "ord_3")).one()
        assert rec.values["total"] == "99.50"
        assert str(session.get(Order, rec.entity_id).total) == "99.50"  # type: ignore[union-attr]
    assert conn_of(account, conn_id).cursors["orders"]["since"] > since


def test_a_failure_mid_sync_resumes_from_the_last_committed_page(client: TestClient,
                                                                account: Account) -> None:
    key, script = shop(customers=4, orders=12, size=4)
    script.fail_once[("orders", 2)] = ThirdPartyFailed("Memory Shop answered 503")
    conn_id, run_id = connect(account, key)
    run_job_of(run_id)
    run = run_of(account, run_id)
    assert run.status == "running" and "503" in (run.error or "")
    assert conn_of(account, conn_id).cursors["orders"]["page"] == "2"
    assert count(account, Order) == 8  # two pages committed
    with unit_of_work() as session:
        job = session.get(JobRecord, run.job_id)
        assert job is not None and job.status == "retrying" and job.attempts == 1

    script.calls.clear()
    run_job_of(run_id)  # the retry
    run = run_of(account, run_id)
    assert run.status == "succeeded", run.error
    assert script.calls[0] == ("orders", "2", None), "customers were done: resume at the stored page"
    assert run.counts["created"] == 16 and run.counts["by_resource"]["orders"]["pages"] == 3
    assert count(account, Order) == 12
    assert count(account, SourceRecord, SourceRecord.connection_id == conn_id) == 16


def test_refused_credentials_fail_the_run_at_once(client: TestClient, account: Account) -> None:
    key, script = shop()
    conn_id, run_id = connect(account, key)
    script.refuse_fetch = True
    run_job_of(run_id)
    run = run_of(account, run_id)
    assert run.status == "failed" and "refused the credentials" in (run.error or "")
    assert "reconnect" in (run.error or "")
    conn = conn_of(account, conn_id)
    assert conn.status == "error" and conn.last_error == run.error
    with unit_of_work() as session:
        job = session.get(JobRecord, run.job_id)
        assert job is not None and job.attempts == 1 and job.status == "succeeded", "no retry"
    with unit_of_work(account.tenant_id) as session:
        event = session.scalars(select(DomainEvent).where(DomainEvent.type == "integration.failed")).one()
    assert event.data["connectionId"] == conn_id and event.data["status"] == "failed"
    assert event.data["syncRunId"] == run_id and "refused" in event.data["error"]


def test_the_last_attempt_of_a_provider_outage_fails_the_run(client: TestClient, account: Account) -> None:
    key, script = shop(customers=1, orders=0)
    script.fail_once[("customers", 0)] = ThirdPartyFailed("Memory Shop is down")
    _conn_id, run_id = connect(account, key)
    with unit_of_work() as session:
        job_id = run_of(account, run_id).job_id
        session.execute(update(JobRecord).where(JobRecord.id == job_id).values(max_attempts=1))
    run_job_of(run_id)
    run = run_of(account, run_id)
    assert run.status == "failed" and run.error == "Memory Shop is down"


def test_customers_merge_by_email_across_connections(client: TestClient, account: Account) -> None:
    key_a, a = new_script()
    a.pages["customers"] = [[customer(1, email="Dana@Harbor.test", name="Dana Whitfield")]]
    key_b, b = new_script()
    b.pages["customers"] = [[customer(7, email=" dana@harbor.test ", name="Dana Whitfeld",
                                      company="Harbor Bikes")]]
    conn_a, run_a = connect(account, key_a)
    run_job_of(run_a)
    conn_b, run_b = connect(account, key_b)
    run_job_of(run_b)
    assert conn_a != conn_b
    with unit_of_work(account.tenant_id) as session:
        people = session.scalars(select(Customer).where(
            func.lower(Customer.email).like("%harbor.test%"))).all()
        assert len(people) == 1
        recs = session.scalars(select(SourceRecord).where(SourceRecord.entity_id == people[0].id)).all()
    assert len(recs) == 2
    merged = next(r for r in recs if r.connection_id == conn_b)
    assert merged.merged_by == "email" and 0.9 < (merged.merge_confidence or 0) < 1.0
    assert people[0].company == "Harbor Bikes", "an empty field is filled by the second source"
    assert people[0].name == "Dana Whitfield", "the first source's name is kept"
    assert run_of(account, run_b).counts["merged"] == 1


def test_manual_edits_are_not_overwritten(client: TestClient, account: Account) -> None:
    key, script = new_script()
    script.pages["customers"] = [[customer(1, name="Kofi Mensah", phone="555-1111")]]
    conn_id, run_id = connect(account, key)
    run_job_of(run_id)
    with unit_of_work(account.tenant_id) as session:
        cid = session.scalars(select(SourceRecord.entity_id).where(
            SourceRecord.connection_id == conn_id)).one()
    execute("update_customer", owner(account), {"customer_id": cid, "name": "Kofi A. Mensah"})
    script.pages["customers"] = [[customer(1, name="Kofi Mensah Jr", phone="555-2222")]]
    again = resync(account, conn_id, full=True)
    run_job_of(again)
    with unit_of_work(account.tenant_id) as session:
        person = session.get(Customer, cid)
        assert person is not None
        assert person.name == "Kofi A. Mensah", "the manual edit stays"
        assert person.phone == "555-2222", "a value this source set follows the source"
        rec = session.scalars(select(SourceRecord).where(SourceRecord.entity_id == cid)).one()
        assert rec.values["name"] == "Kofi Mensah Jr", "lineage records what the source supplied"


def test_a_demo_connection_fails_its_sync_with_a_clear_error(client: TestClient, account: Account) -> None:
    with unit_of_work(account.tenant_id) as session:
        conn = Connection(tenant_id=account.tenant_id, type="shopify", name="demo_shop",
                          display_name="Demo Shop", status="connected", config={"demo": True},
                          cursors={}, record_counts={"order": 5}, account={})
        session.add(conn)
        session.flush()
        conn_id = conn.id
    run_id = resync(account, conn_id)
    run_job_of(run_id)
    run = run_of(account, run_id)
    assert run.status == "failed" and run.error == sync.DEMO_ERROR
    assert conn_of(account, conn_id).status == "connected"


def test_a_second_sync_request_returns_the_queued_run(client: TestClient, account: Account) -> None:
    key, _ = shop()
    conn_id, run_id = connect(account, key)
    again: Any = execute("sync_integration", owner(account), {"connection": "memory"})
    assert again.already_running and again.sync_run.id == run_id
    assert count(account, SyncRun, SyncRun.connection_id == conn_id) == 1


@pytest.mark.parametrize("n", [6000])
def test_throughput_on_sqlite(client: TestClient, account: Account, n: int) -> None:
    key, script = new_script()
    script.pages["customers"] = paged([customer(i) for i in range(200)], 250)
    script.pages["orders"] = paged([order(i, i % 200) for i in range(n)], 250)
    _, run_id = connect(account, key)
    started = time.perf_counter()
    run_job_of(run_id)
    elapsed = time.perf_counter() - started
    assert run_of(account, run_id).counts["created"] == n + 200
    rate = (n + 200) / elapsed
    print(f"\nsync throughput: {rate:,.0f} records/s ({n + 200} records in {elapsed:.2f}s)")
    assert rate > 500
