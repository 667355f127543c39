"""Stripe connector against a fake that speaks Stripe's list and error formats."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from fakes.providers import TEST_MAX_RETRIES as MAX_RETRIES
from fakes.providers import TEST_PAGE_SIZE as PAGE_SIZE
from fakes.providers import drain as drain_all
from fakes.providers.shopify import ShopifyFake
from fakes.providers.stripe import StripeFake, object_id

from core.errors import ConnectorAuthFailed, ThirdPartyFailed, ValidationFailed
from tools.connectors.base import build, connector_type
from tools.connectors.providers.stripe import amount

KEY = "sk_test_51FakeKey0123456789abcd"


def connector(key: str = KEY) -> Any:
    return build("stripe", {"apiKey": key}, {})


def test_registered_as_payments() -> None:
    kind = connector_type("stripe")
    assert kind is not None and kind.category == "payments"
    assert kind.resources == ("customers", "charges", "invoices", "subscriptions")


def test_check_with_a_good_key(stripe_fake: StripeFake) -> None:
    info = connector().check()
    assert info.account_id == "acct_1FakeNorthwind" and info.name == "Northwind Payments"
    assert info.details["currency"] == "USD"
    assert stripe_fake.calls[-1].headers["authorization"] == f"Bearer {KEY}"


def test_a_bad_key_is_refused_without_echoing_it(stripe_fake: StripeFake) -> None:
    bad = "sk_test_51WrongKeyWrongKey9876"
    with pytest.raises(ConnectorAuthFailed) as err:
        connector(bad).check()
    assert err.value.code == "CONNECTOR_AUTH_FAILED"
    assert bad not in err.value.message and "9876" not in err.value.message
    with pytest.raises(ValidationFailed):
        connector("pk_test_123")  # a publishable key cannot read anything


def test_amounts_respect_zero_decimal_currencies() -> None:
    assert amount(1999, "usd") == Decimal("19.99") and amount(500, "JPY") == Decimal(500)
    assert amount(None, "usd") is None


def test_charges_page_with_starting_after(stripe_fake: StripeFake) -> None:
    items = drain_all(connector(), "charges")
    assert [i.source_id for i in items] == [object_id("charges", n) for n in range(129, -1, -1)]
    pages = stripe_fake.calls_to("/v1/charges")
    assert len(pages) == 3 and "starting_after" not in pages[0].params
    assert pages[1].params == {"limit": str(PAGE_SIZE), "starting_after": items[PAGE_SIZE - 1].source_id}
    by_id = {i.source_id: i for i in items}
    paid = by_id[object_id("charges", 1)]
    assert paid.entity == "order" and paid.fields["status"] == "paid"
    assert paid.fields["total"] == paid.fields["total"].quantize(Decimal("0.01"))
    assert paid.fields["currency"] == "USD" and isinstance(paid.fields["ordered_at"], datetime)
    assert paid.fields["customer_source_id"] == object_id("customers", 7)
    assert paid.fields["customer_email"]
    assert by_id[object_id("charges", 34)].fields["status"] == "refunded"
    assert by_id[object_id("charges", 7)].fields["status"] == "failed"
    guest = by_id[object_id("charges", 10)]
    assert guest.fields["customer_source_id"] is None
    assert guest.fields["customer_email"] == "guest10@paymail.example"
    jpy = by_id[object_id("charges", 4)]
    assert jpy.fields["currency"] == "JPY" and jpy.fields["total"] == jpy.fields["total"].to_integral()


def test_invoices_and_subscriptions(stripe_fake: StripeFake) -> None:
    invoices = {i.source_id: i for i in drain_all(connector(), "invoices")}
    inv = invoices[object_id("invoices", 6)]
    assert inv.entity == "invoice" and inv.fields["number"] == "F00D-0006"
    assert isinstance(inv.fields["due_date"], date) and isinstance(inv.fields["amount_due"], Decimal)
    assert inv.fields["amount_paid"] == 0 and inv.fields["status"] == "open"
    paid = invoices[object_id("invoices", 5)].fields
    assert paid["status"] == "paid" and paid["amount_paid"] == paid["amount_due"]
    assert invoices[object_id("invoices", 0)].fields["due_date"] is None
    subs = {i.source_id: i for i in drain_all(connector(), "subscriptions")}
    assert len(subs) == 25  # status=all: canceled ones too
    assert stripe_fake.calls_to("/v1/subscriptions")[0].params["status"] == "all"
    growth = subs[object_id("subscriptions", 1)]
    assert growth.fields["plan"] == "Growth" and growth.fields["amount"] == Decimal("98.00")
    assert growth.fields["interval"] == "month" and growth.fields["started_at"].tzinfo
    assert subs[object_id("subscriptions", 2)].fields["plan"] == "prod_F2"


def test_customers_share_some_emails_with_shopify(stripe_fake: StripeFake) -> None:
    customers = drain_all(connector(), "customers")
    assert len(customers) == 60 and all(c.fields["status"] == "active" for c in customers)
    shop = ShopifyFake(key="k", customers=60)
    shop_emails = {shop.customer(i)["email"] for i in range(60)}
    shared = [c for c in customers if c.fields["email"] in shop_emails]
    assert 0.15 <= len(shared) / len(customers) <= 0.25


def test_since_filters_by_creation(stripe_fake: StripeFake) -> None:
    since = datetime.fromtimestamp(stripe_fake.created("charges", 100)).astimezone().isoformat()
    items = drain_all(connector(), "charges", since=since)
    assert len(items) == 30
    sent = stripe_fake.calls_to("/v1/charges")[0].params["created[gte]"]
    assert sent == str(stripe_fake.created("charges", 100))


def test_a_stored_cursor_resumes(stripe_fake: StripeFake) -> None:
    first = connector().fetch("charges", None, None)
    resumed = connector().fetch("charges", first.next_cursor, None)
    assert resumed.items[0].source_id == object_id("charges", 129 - PAGE_SIZE)


def test_429_is_retried_after_the_wait(stripe_fake: StripeFake, sleeps: list[float]) -> None:
    stripe_fake.rate_limit_next(2, retry_after="1")
    assert len(connector().fetch("customers", None, None).items) == PAGE_SIZE
    assert sleeps == [1.0, 1.0]


def test_a_server_error_is_retried_then_persistent_errors_fail(stripe_fake: StripeFake,
                                                              sleeps: list[float]) -> None:
    stripe_fake.fail_next(1)
    assert connector().fetch("invoices", None, None).items
    assert len(sleeps) == 1
    stripe_fake.fail_after_calls(1)
    with pytest.raises(ThirdPartyFailed):
        connector().fetch("invoices", None, None)
    assert len(sleeps) == 1 + MAX_RETRIES


def test_network_errors_are_retried_then_fail(monkeypatch: pytest.MonkeyPatch,
                                              sleeps: list[float]) -> None:
    from fakes.local_server import free_port

    from core.settings import get_settings

    monkeypatch.setenv("STRIPE_API_BASE", f"http://127.0.0.1:{free_port()}")  # nobody listens
    get_settings.cache_clear()
    with pytest.raises(ThirdPartyFailed) as err:
        connector().fetch("customers", None, None)
    assert "network" in err.value.message and len(sleeps) == MAX_RETRIES


def test_a_key_revoked_mid_sync(stripe_fake: StripeFake) -> None:
    c = connector()
    page = c.fetch("charges", None, None)
    stripe_fake.revoke()
    with pytest.raises(ConnectorAuthFailed) as err:
        c.fetch("charges", page.next_cursor, None)
    assert KEY not in err.value.message
