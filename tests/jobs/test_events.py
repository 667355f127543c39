"""Domain events: raised by every change the documents name, written in the change's own
transaction, handed to subscribers after commit, once each, never for a change that rolled back,
and never lost when the hand-off is."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from helpers import Account, register
from huey import Huey
from jobs_support import run_pending
from sqlalchemy import func, select

from core.errors import Conflict
from store.db import unit_of_work
from store.models import Customer, DomainEvent, JobRecord
from tools import events
from tools.context import Principal, ToolContext
from tools.crm import customers
from tools.crm.schemas import CreateCustomerInput, CustomerOutput
from tools.jobs.queue import hand_off
from tools.registry import ToolSpec
from tools.runtime import execute

SUBSCRIBER = "test_events_counter"
DELIVERED: Counter[str] = Counter()
SEEN: dict[str, DomainEvent] = {}


def count(event: DomainEvent) -> None:
    DELIVERED[event.id] += 1
    SEEN[event.id] = event


@pytest.fixture
def counter(queue: Huey) -> Iterator[Counter[str]]:
    events.subscribe(SUBSCRIBER, count)
    DELIVERED.clear()
    yield DELIVERED
    events.unsubscribe(SUBSCRIBER)


def events_of(tenant_id: str) -> list[DomainEvent]:
    with unit_of_work() as session:
        return list(session.scalars(select(DomainEvent).where(DomainEvent.tenant_id == tenant_id)
                                    .order_by(DomainEvent.sequence)))


def principal(account: Account) -> Principal:
    return Principal(user_id=account.user_id, tenant_id=account.tenant_id, role="admin",
                     email=account.email)


def test_every_change_raises_its_event_in_order(client: TestClient, account: Account,
                                                counter: Counter[str], queue: Huey) -> None:
    h = account.headers
    customer = client.post("/api/crm/customers", headers=h, json={"name": "Jane Smith",
                                                                   "company": "Tech Corp"})
    cid = customer.json()["data"]["customer"]["id"]
    client.patch(f"/api/crm/customers/{cid}", headers=h, json={"status": "active"})
    deal = client.post("/api/crm/deals", headers=h, json={"title": "Fleet", "value": 25000,
                                                          "customerId": cid})
    did = deal.json()["data"]["deal"]["id"]
    client.patch(f"/api/crm/deals/{did}", headers=h, json={"value": 26000})
    client.patch(f"/api/crm/deals/{did}/stage", headers=h, json={"stage": "closed_won"})
    lost = client.post("/api/crm/deals", headers=h, json={"title": "Lost one", "value": 10})
    lost_id = lost.json()["data"]["deal"]["id"]
    client.patch(f"/api/crm/deals/{lost_id}/stage", headers=h, json={"stage": "closed_lost"})
    client.delete(f"/api/crm/deals/{lost_id}", headers=h)
    client.delete(f"/api/crm/deals/{did}", headers=h)
    client.delete(f"/api/crm/customers/{cid}", headers=h)

    raised = events_of(account.tenant_id)
    assert [e.type for e in raised] == [
        "user.created", "customer.created", "customer.updated", "deal.created", "deal.updated",
        "deal.updated", "deal.stage_changed", "deal.won", "deal.created", "deal.updated",
        "deal.stage_changed", "deal.lost", "deal.deleted", "deal.deleted", "customer.deleted",
    ]
    assert set(e.type for e in raised) <= set(events.EVENT_TYPES)
    assert len({e.id for e in raised}) == len(raised)  # a unique id each
    sequences = [e.sequence for e in raised]
    assert sequences == sorted(sequences) and len(set(sequences)) == len(sequences)
    assert all(e.dispatched_at is not None for e in raised)  # handed over right after commit
    by_type = {e.type: e for e in raised}
    assert by_type["user.created"].data["email"] == account.email
    assert by_type["customer.created"].data["name"] == "Jane Smith"
    assert by_type["customer.updated"].data["status"] == "active"
    won = by_type["deal.won"].data
    assert (won["deal_id"], won["value"], won["workspace_id"]) == (did, 26000.0, account.tenant_id)
    assert won["previous_stage"] == "lead" and by_type["deal.stage_changed"].data["stage"] == "closed_lost"
    assert by_type["deal.lost"].data["previous_stage"] == "lead"

    run_pending(queue, wait=True)
    after_subscribing = raised[1:]  # the account (user.created) was made before the subscription
    assert all(counter[e.id] == 1 for e in after_subscribing) and raised[0].id not in counter
    assert SEEN[by_type["deal.won"].id].tenant_id == account.tenant_id

    workspace = client.post("/api/v1/workspaces", headers=h, json={"name": "Second shop"})
    assert workspace.status_code == 201, workspace.text
    [created] = events_of(workspace.json()["id"])
    assert created.type == "workspace.created" and created.data["created_by"] == account.user_id


def _emit_then_maybe_fail(ctx: ToolContext, args: CreateCustomerInput) -> CustomerOutput:
    out = customers.create_customer(ctx, args)  # raises customer.created
    if args.company == "refused":
        raise Conflict("refused after the change was made")
    return out


EMIT_THEN_FAIL = ToolSpec(name="test_emit_then_fail", title="t", description="t",
                          fn=_emit_then_maybe_fail, input_model=CreateCustomerInput,
                          output_model=CustomerOutput, kind="write", toolset="crm",
                          min_role="user", idempotent=False, exposed=False)


def test_an_event_of_a_rolled_back_change_is_never_dispatched(account: Account, counter: Counter[str],
                                                              queue: Huey) -> None:
    who = principal(account)
    before = len(events_of(account.tenant_id))
    with pytest.raises(Conflict):
        execute(EMIT_THEN_FAIL, who, {"name": "Ghost Customer", "company": "refused"})
    assert len(events_of(account.tenant_id)) == before
    with unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Customer)
                              .where(Customer.name == "Ghost Customer")) == 0
    assert events.sweep_events(older_than=timedelta(0)) == 0
    run_pending(queue, wait=True)
    assert not [e for e in SEEN.values() if e.data.get("name") == "Ghost Customer"]

    kept = execute(EMIT_THEN_FAIL, who, {"name": "Real Customer", "company": "kept"})
    [event] = [e for e in events_of(account.tenant_id) if e.data.get("id") == kept.customer.id]  # type: ignore[attr-defined]
    run_pending(queue, wait=True)
    assert counter[event.id] == 1


def test_a_subscriber_sees_each_event_once_however_often_it_is_dispatched(
        account: Account, counter: Counter[str], queue: Huey) -> None:
    who = principal(account)
    for n in range(5):
        execute("create_customer", who, {"name": f"Once {n}"})
    raised = [e for e in events_of(account.tenant_id) if str(e.data.get("name", "")).startswith("Once ")]
    ids = [e.id for e in raised]
    assert len(ids) == 5
    assert events.dispatch(ids) == 0  # already dispatched: nothing to do
    with unit_of_work() as session:  # even forced through again (two dispatchers racing) ...
        session.execute(DomainEvent.__table__.update().where(DomainEvent.id.in_(ids))
                        .values(dispatched_at=None))
    assert events.dispatch(ids) == 5
    assert events.sweep_events(older_than=timedelta(0)) == 0
    with unit_of_work() as session:  # ... one delivery job per (subscriber, event)
        jobs = session.scalars(select(JobRecord).where(JobRecord.name == f"event.{SUBSCRIBER}",
                                                       JobRecord.payload["event_id"].as_string().in_(ids))
                               ).all()
    assert len(jobs) == 5 and {j.tenant_id for j in jobs} == {account.tenant_id}
    for j in jobs:  # and the queue delivering every job twice
        hand_off(j.id)
    run_pending(queue, wait=True)
    assert [counter[i] for i in ids] == [1] * 5


def test_events_whose_hand_off_was_lost_are_swept(account: Account, counter: Counter[str], queue: Huey,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The process dies between commit and dispatch: the event is in the database, undispatched,
    and the sweep of any worker hands it over."""
    monkeypatch.setattr(events, "after_commit", lambda ids: None)
    out = execute("create_customer", principal(account), {"name": "Swept Customer"})
    monkeypatch.undo()
    [event] = [e for e in events_of(account.tenant_id) if e.data.get("id") == out.customer.id]  # type: ignore[attr-defined]
    assert event.dispatched_at is None
    assert events.sweep_events() == 0  # too fresh: its own dispatch may still be under way
    assert events.sweep_events(now=event.occurred_at + events.SWEEP_AFTER + timedelta(seconds=1)) == 1
    run_pending(queue, wait=True)
    assert counter[event.id] == 1
    assert events.sweep_events(older_than=timedelta(0)) == 0


def test_a_failing_subscriber_is_retried_until_it_succeeds(account: Account, queue: Huey,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from tools.jobs import runner

    monkeypatch.setattr(runner.random, "uniform", lambda low, high: 0.01)
    calls: Counter[str] = Counter()

    def moody(event: DomainEvent) -> None:
        calls[event.id] += 1
        if calls[event.id] < 3:
            raise ConnectionError("receiver down")

    events.subscribe("test_moody", moody, types=["customer.created"], retries=4)
    try:
        execute("create_customer", principal(account), {"name": "Retried Customer"})
        execute("update_customer", principal(account), {"customer_id": _id_of("Retried Customer"),
                                                        "status": "active"})
        run_pending(queue, wait=True)
    finally:
        events.unsubscribe("test_moody")
    assert list(calls.values()) == [3]  # customer.created only, third time lucky
    with unit_of_work() as session:
        [row] = session.scalars(select(JobRecord).where(JobRecord.name == "event.test_moody")).all()
    assert (row.status, row.attempts, row.last_error) == ("succeeded", 3, "ConnectionError: receiver down")


def _id_of(name: str) -> str:
    with unit_of_work() as session:
        found = session.scalar(select(Customer.id).where(Customer.name == name))
        assert found is not None
        return found


def test_emit_refuses_unknown_types_and_subscribers_unknown_events(account: Account) -> None:
    with unit_of_work(account.tenant_id) as session:
        ctx = ToolContext(session, principal(account))
        with pytest.raises(ValueError, match="unknown event type"):
            events.emit(ctx, "customer.teleported", {})
    with pytest.raises(ValueError, match="unknown event types"):
        events.subscribe("test_bad", count, types=["deal.teleported"])
    with pytest.raises(ValueError, match="subscriber name"):
        events.subscribe("Bad Name", count)


def test_the_documents_event_types_are_all_known() -> None:
    documented = {"customer.created", "deal.created", "deal.won", "deal.lost", "insight.generated",
                  "integration.synced", "integration.failed", "automation.completed",
                  "security.issue.created", "user.created", "user.updated", "credit.purchased",
                  "credit.used", "payment.completed", "payment.failed", "insight.critical"}
    assert documented <= set(events.EVENT_TYPES)


def test_register_in_a_fresh_tenant_raises_user_created(client: TestClient) -> None:
    fresh = register(client)
    [event] = events_of(fresh.tenant_id)
    assert event.type == "user.created" and event.data["user_id"] == fresh.user_id
    assert event.tenant_id == fresh.tenant_id
