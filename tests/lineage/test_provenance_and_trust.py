"""Provenance of merged and manually edited records, and trust signals and incidents on
constructed sync histories."""

from __future__ import annotations

from datetime import timedelta

import pytest
from builders import Builder, principal
from fastapi.testclient import TestClient
from helpers import Account, register

from core.errors import NotFound, ValidationFailed
from core.ids import utcnow
from store.db import unit_of_work
from store.models import Customer
from tools.runtime import execute
from tools.trust.incidents import evaluate_all


def _merged_customer(b: Builder) -> tuple[str, str, str]:
    shop, stripe = b.connection("shopify"), b.connection("stripe")
    jane = b.customer(name="Jane Smith", email="jane@x.io", phone="+15550102030", company="Acme")
    b.record(shop, "customer", jane, {"name": "Jane Smith", "email": "jane@x.io"}, source_id="7001",
             synced=utcnow() - timedelta(hours=3))
    b.record(stripe, "customer", jane, {"name": "Jane Smith", "email": "JANE@x.io", "phone": "+15550102030"},
             connector="stripe", source_id="cus_1", merged=0.96, synced=utcnow() - timedelta(hours=1))
    return jane, shop, stripe


def test_a_merged_customer_names_the_source_of_each_field(client: TestClient, account: Account) -> None:
    jane, _shop, _stripe = _merged_customer(Builder(account.tenant_id))
    out = execute("entity_lineage", principal(account), {"customer_id": jane, "field": "email"})
    data = out.model_dump(mode="json")
    assert {s["connector"] for s in data["sources"]} == {"shopify", "stripe"}
    assert data["merge_confidence"] == 0.96
    fields = data["fields"]
    assert fields["email"]["source"] == "stripe"  # both have it; stripe synced last
    assert fields["phone"]["source"] == "stripe" and fields["phone"]["source_id"] == "cus_1"
    assert fields["company"]["source"] == "manual"  # no source supplied it
    assert fields["status"]["source"] == "manual"
    assert data["asked_field"] == "email" and data["quality_score"] is not None
    stripe_source = next(s for s in data["sources"] if s["connector"] == "stripe")
    assert stripe_source["confidence"] == 0.96 and "phone" in stripe_source["fields"]


def test_a_manual_edit_shows_as_manual(client: TestClient, account: Account) -> None:
    jane, _shop, _stripe = _merged_customer(Builder(account.tenant_id))
    with unit_of_work(account.tenant_id) as s:
        row = s.get(Customer, jane)
        assert row is not None
        row.phone = "+15559998888"
    out = execute("entity_lineage", principal(account), {"entity_type": "customer", "entity_id": jane})
    assert out.model_dump(mode="json")["fields"]["phone"]["source"] == "manual"
    assert out.model_dump(mode="json")["fields"]["name"]["source"] in ("shopify", "stripe")


def test_unknown_and_foreign_entities(client: TestClient, account: Account) -> None:
    jane, _s, _t = _merged_customer(Builder(account.tenant_id))
    other = register(client)
    with pytest.raises(NotFound):
        execute("entity_lineage", principal(other), {"customer_id": jane})
    with pytest.raises(NotFound):
        execute("entity_lineage", principal(account), {"entity_type": "order", "entity_id": jane})
    with pytest.raises(ValidationFailed):
        execute("entity_lineage", principal(account), {"entity_type": "widget", "entity_id": jane})
    with pytest.raises(ValidationFailed):
        execute("entity_lineage", principal(account), {"entity_type": "customer"})


def _incidents(account: Account, **args: object) -> list[dict[str, object]]:
    return list(execute("trust_incidents", principal(account), args).model_dump(mode="json")["incidents"])


def _evaluate(account: Account) -> None:
    with unit_of_work(account.tenant_id) as s:
        evaluate_all(s, utcnow())


def _signal(account: Account, platform: str, name: str) -> dict[str, object]:
    out = execute("trust_signals", principal(account), {"platform": platform}).model_dump(mode="json")
    return next(s for s in out["signals"] if s["name"] == name)


def test_a_stale_source_opens_an_incident_and_a_fresh_sync_resolves_it(client: TestClient,
                                                                       account: Account) -> None:
    b = Builder(account.tenant_id)
    shop = b.connection("shopify")
    b.run(shop, hours_ago=60)
    _evaluate(account)
    opened = _incidents(account, status="open")
    assert [(i["signal"], i["platform"]) for i in opened] == [("freshness", "shopify")]
    assert _signal(account, "shopify", "freshness")["breached"] is True
    _evaluate(account)  # still stale: the same incident, not a second one
    assert len(_incidents(account)) == 1
    b.run(shop, hours_ago=0.1)
    _evaluate(account)
    assert _incidents(account, status="open") == []
    resolved = _incidents(account, status="resolved")
    assert len(resolved) == 1 and resolved[0]["resolved_at"] is not None
    b.run(shop, hours_ago=-0.0)  # history is kept: a later breach opens a new incident
    with unit_of_work(account.tenant_id) as s:
        from store.models import Connection
        from tools.trust.incidents import evaluate
        conn = s.get(Connection, shop)
        assert conn is not None
        evaluate(s, conn, utcnow() + timedelta(hours=80))
    assert len(_incidents(account)) == 2 and len(_incidents(account, status="open")) == 1


def test_a_drop_in_fetched_records_opens_record_drop(client: TestClient, account: Account) -> None:
    b = Builder(account.tenant_id)
    shop = b.connection("shopify")
    for hours, fetched in [(30, 120), (24, 100), (18, 110), (12, 90)]:
        b.run(shop, hours_ago=hours, fetched=fetched)
    assert _signal(account, "shopify", "record_drop")["breached"] is False
    b.run(shop, hours_ago=1, fetched=20)
    signal = _signal(account, "shopify", "record_drop")
    assert signal["breached"] is True and signal["value"] == round(20 / 105, 4)
    _evaluate(account)
    assert [i["signal"] for i in _incidents(account, status="open")] == ["record_drop"]


def test_a_null_spike_opens_null_spike(client: TestClient, account: Account) -> None:
    b = Builder(account.tenant_id)
    stripe = b.connection("stripe")
    for hours in (30, 24, 18, 12):
        b.run(stripe, hours_ago=hours, null_share={"email": 0.05, "phone": 0.3})
    b.run(stripe, hours_ago=1, null_share={"email": 0.6, "phone": 0.3})
    signal = _signal(account, "stripe", "null_spike")
    assert signal["breached"] is True and signal["details"]["field"] == "email"  # type: ignore[index]
    assert signal["value"] == 0.55
    _evaluate(account)
    assert [i["signal"] for i in _incidents(account, status="open")] == ["null_spike"]


def test_error_rate(client: TestClient, account: Account) -> None:
    b = Builder(account.tenant_id)
    hub = b.connection("hubspot")
    b.run(hub, hours_ago=20)
    b.run(hub, hours_ago=10, status="failed", error="HTTP 503")
    b.run(hub, hours_ago=5, status="failed", error="HTTP 503")
    b.run(hub, hours_ago=2)
    signal = _signal(account, "hubspot", "error_rate")
    assert signal["value"] == 0.5 and signal["breached"] is True and signal["score"] == 50.0
    _evaluate(account)
    incident = _incidents(account, status="open")[0]
    assert incident["signal"] == "error_rate" and incident["severity"] == "high"
    health = execute("trust_health", principal(account), {}).model_dump(mode="json")
    assert health["signals"]["hubspot"]["open_incidents"] == 1


def test_trust_is_tenant_scoped(client: TestClient, account: Account) -> None:
    b = Builder(account.tenant_id)
    b.run(b.connection("shopify"), hours_ago=100)
    _evaluate(account)
    other = register(client)
    assert execute("trust_health", principal(other), {}).model_dump(mode="json")["status"] == "no_sources"
    assert _incidents(other) == []
    with pytest.raises(NotFound):
        execute("trust_signals", principal(other), {"platform": "shopify"})
    sources = execute("list_lineage_sources", principal(other), {}).model_dump(mode="json")["sources"]
    assert [s["name"] for s in sources] == ["manual"]
