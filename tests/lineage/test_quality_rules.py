"""Each quality rule on small hand-built data, with the answer worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from builders import Builder
from fastapi.testclient import TestClient
from helpers import Account

from core.ids import utcnow
from store.db import unit_of_work
from tools.lineage import quality as q
from tools.lineage.measure import measure

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def test_completeness_counts_key_fields_present() -> None:
    assert q.completeness("customer", {"name": "Jane", "email": "j@x.io"}).score == 1.0
    assert q.completeness("customer", {"name": "Jane", "email": "  "}).score == 0.5
    t = q.completeness("order", {"total": "10", "ordered_at": "2026-01-01", "customer_email": "a@b.co"})
    assert (t.passed, t.checked) == (3, 3)
    t = q.completeness("order", {"total": "10"})
    assert (t.passed, t.checked) == (1, 3)
    t = q.completeness("deal", {"title": "X", "value": 0, "stage": None})
    assert (t.passed, t.checked) == (2, 3)


def test_accuracy_checks_only_present_values_with_a_validator() -> None:
    values = {"name": "whatever", "email": "jane@example.com", "phone": "+1 (555) 010-2030",
              "status": "active", "company": None}
    assert (q.accuracy("customer", values, NOW).passed, q.accuracy("customer", values, NOW).checked) == (3, 3)
    bad = {"email": "jane@example", "phone": "555-01", "status": "vip"}
    assert q.accuracy("customer", bad, NOW).score == 0.0
    order = {"total": "-5", "currency": "usd", "status": "paid", "ordered_at": "2031-01-01T00:00:00+00:00"}
    t = q.accuracy("order", order, NOW)
    assert (t.passed, t.checked) == (1, 4)
    old = q.accuracy("order", {"ordered_at": "1999-12-31T00:00:00+00:00", "currency": "EUR"}, NOW)
    assert (old.passed, old.checked) == (1, 2)
    assert q.accuracy("deal", {"stage": "closed_won", "value": 0}, NOW).score == 1.0
    assert q.accuracy("deal", {"stage": "won"}, NOW).score == 0.0


def test_freshness_is_one_until_stale_then_falls_to_zero_at_three_times() -> None:
    assert q.freshness(None, 24) == 0.0
    assert q.freshness(1, 24) == 1.0 and q.freshness(24, 24) == 1.0
    assert q.freshness(48, 24) == 0.5
    assert q.freshness(36, 24) == 0.75
    assert q.freshness(72, 24) == 0.0 and q.freshness(500, 24) == 0.0


def test_consistency_of_a_merged_customer() -> None:
    assert q.customer_agrees([{"name": "Jane Smith", "phone": "+1 555 010 2030"},
                              {"name": "Smith, Jane", "phone": "(555) 010-2030"}])
    assert not q.customer_agrees([{"name": "Jane Smith"}, {"name": "J. Smith"}])
    assert not q.customer_agrees([{"name": "Jane Smith", "phone": "5550102030"},
                                  {"name": "Jane Smith", "phone": "5550109999"}])
    assert q.customer_agrees([{"name": "Jane Smith", "phone": None}, {"name": "Jane Smith"}])


def test_overall_is_the_mean_of_scored_dimensions() -> None:
    assert q.mean_score({"a": 1.0, "b": 0.5, "c": None}) == 0.75
    assert q.mean_score({"a": None}) is None


def test_measured_on_a_small_tenant(client: TestClient, account: Account) -> None:
    """Two customers in Shopify (one also in Stripe, under another name), two orders (one with
    its customer link resolved, one not), one manual customer with a bad email."""
    b = Builder(account.tenant_id)
    shop, stripe = b.connection("shopify"), b.connection("stripe")
    b.run(shop, hours_ago=2)
    b.run(stripe, hours_ago=48)  # 48 h with a 24 h stale age: freshness 0.5
    jane = b.customer(name="Jane Smith", email="jane@x.io")
    bob = b.customer(name="Bob Stone", email="bob@x.io")
    b.customer(name="Manual Mo", email="not-an-email")
    b.record(shop, "customer", jane, {"name": "Jane Smith", "email": "jane@x.io"})
    b.record(shop, "customer", bob, {"name": "Bob Stone", "email": None})
    b.record(stripe, "customer", jane, {"name": "J. Smith", "email": "jane@x.io"}, connector="stripe",
             merged=0.9)
    linked = b.order(jane)
    orphan = b.order(None)
    b.record(shop, "order", linked, {"total": "50.00", "ordered_at": "2026-01-02T00:00:00+00:00",
                                     "customer_source_id": "c1", "currency": "USD"})
    b.record(shop, "order", orphan, {"total": "-1", "ordered_at": "2026-01-02T00:00:00+00:00",
                                     "customer_source_id": "c2"})
    with unit_of_work(account.tenant_id) as s:
        report = measure(s, utcnow())
    by = {src.name: src.measure for src in report.sources}
    shopify = by["shopify"]
    assert shopify.records == 4
    assert (shopify.completeness.passed, shopify.completeness.checked) == (9, 10)
    assert (shopify.accuracy.passed, shopify.accuracy.checked) == (5, 6)  # the -1 total fails
    assert (shopify.links.passed, shopify.links.checked) == (1, 2)
    assert (shopify.merged.passed, shopify.merged.checked) == (0, 1)  # "J. Smith" disagrees
    assert shopify.consistency.score == round(1 / 3, 4)
    assert shopify.freshness == 1.0 and abs((by["stripe"].freshness or 0) - 0.5) < 0.01
    manual = by["manual"]
    assert manual.records == 1 and manual.accuracy.score == 0.5  # bad email, valid "lead" status
    assert manual.freshness is None
    assert manual.dimensions()["consistency"] is None
    total = report.total
    assert total.records == 6
    assert (total.merged.passed, total.merged.checked) == (0, 1)  # counted once
    expected = (1.0 * 4 + (by["stripe"].freshness or 0) * 1) / 5  # weighted by records
    assert total.freshness == round(expected, 4)
    dims = total.dimensions()
    assert total.overall == round(sum(v for v in dims.values() if v is not None) / 4, 4)


def test_a_source_without_records_has_no_scores(client: TestClient, account: Account) -> None:
    b = Builder(account.tenant_id)
    b.run(b.connection("hubspot"), hours_ago=1)
    with unit_of_work(account.tenant_id) as s:
        report = measure(s, utcnow())
    hub = next(src for src in report.sources if src.name == "hubspot")
    assert hub.measure.records == 0 and hub.measure.overall is None
    assert set(hub.measure.dimensions().values()) == {None}


def test_measuring_as_of_a_past_day_leaves_out_later_records(client: TestClient, account: Account) -> None:
    b = Builder(account.tenant_id)
    shop = b.connection("shopify")
    b.run(shop, hours_ago=24 * 5)
    c = b.customer(name="Ann Lee", email="ann@x.io")
    b.record(shop, "customer", c, {"name": "Ann Lee", "email": "ann@x.io"},
             synced=utcnow() - timedelta(days=1))
    with unit_of_work(account.tenant_id) as s:
        before = measure(s, utcnow(), as_of=utcnow() - timedelta(days=3))
        now = measure(s, utcnow())
    assert next(x for x in before.sources if x.name == "shopify").measure.records == 0
    assert next(x for x in now.sources if x.name == "shopify").measure.records == 1
