"""Shopify connector against a fake that speaks the Admin REST API's wire format."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from fakes.providers import TEST_MAX_RETRIES as MAX_RETRIES
from fakes.providers import TEST_PAGE_SIZE as PAGE_SIZE
from fakes.providers import drain as drain_all
from fakes.providers.shopify import ShopifyFake, customer_id, order_id

from core.errors import ConnectorAuthFailed, ThirdPartyFailed, ValidationFailed
from core.settings import get_settings
from tools.connectors.base import build, connector_type
from tools.connectors.providers.http import retry_after_seconds

TOKEN = "shpat_test_0123456789abcdef"


def connector(token: str = TOKEN) -> Any:
    return build("shopify", {"shopDomain": "northwind-goods.myshopify.com", "apiKey": token}, {})


def test_registered_with_its_credentials() -> None:
    kind = connector_type("shopify")
    assert kind is not None and kind.category == "commerce"
    assert [f.name for f in kind.credential_fields] == ["shopDomain", "apiKey"]
    assert kind.resources == ("customers", "products", "orders")


def test_check_with_a_good_token(shopify_fake: ShopifyFake) -> None:
    info = build("shopify", {"shopDomain": "x.myshopify.com", "accessToken": TOKEN}, {}).check()
    assert info.account_id == "548380009" and info.name == "Northwind Goods"
    assert info.details == {"domain": "northwind-goods.myshopify.com", "currency": "USD", "plan": "basic"}
    call = shopify_fake.calls[-1]
    assert call.path == "/admin/api/2024-10/shop.json"
    assert call.headers["x-shopify-access-token"] == TOKEN


def test_a_bad_token_is_refused_without_echoing_it(shopify_fake: ShopifyFake) -> None:
    with pytest.raises(ConnectorAuthFailed) as err:
        build("shopify", {"shopDomain": "x.myshopify.com", "apiKey": "shpat_wrong_999"}, {}).check()
    assert err.value.code == "CONNECTOR_AUTH_FAILED" and err.value.status_code == 400
    assert "shpat_wrong_999" not in err.value.message and "Shopify" in err.value.message


def test_shop_domain_must_be_a_myshopify_domain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOPIFY_API_BASE", "")
    get_settings.cache_clear()
    with pytest.raises(ValidationFailed):
        build("shopify", {"shopDomain": "169.254.169.254", "apiKey": TOKEN}, {})
    ok = build("shopify", {"shopDomain": "https://My-Shop.myshopify.com/", "apiKey": TOKEN}, {})
    assert ok.api == "https://my-shop.myshopify.com/admin/api/2024-10"  # type: ignore[attr-defined]


def test_orders_page_through_the_link_header_once_each(shopify_fake: ShopifyFake) -> None:
    items = drain_all(connector(), "orders")
    assert [i.source_id for i in items] == [str(order_id(n)) for n in range(230)]
    pages = shopify_fake.calls_to("/orders.json")
    assert len(pages) == 5
    assert pages[0].params == {"limit": str(PAGE_SIZE), "status": "any"}
    assert all(set(p.params) == {"limit", "page_info"} for p in pages[1:])
    first = items[1]
    assert isinstance(first.fields["total"], Decimal) and first.fields["currency"] == "USD"
    assert isinstance(first.fields["ordered_at"], datetime) and first.fields["ordered_at"].tzinfo
    assert first.fields["customer_source_id"] == str(customer_id(31))
    assert first.fields["customer_email"] and first.updated_at is not None
    assert {i.fields["status"] for i in items} == {"paid", "pending", "refunded", "void"}
    guest = items[13]
    assert guest.fields["customer_source_id"] is None


def test_customers_and_products_are_normalised(shopify_fake: ShopifyFake) -> None:
    customers = drain_all(connector(), "customers")
    assert len(customers) == 60 and customers[0].entity == "customer"
    assert customers[1].fields["name"] and customers[1].fields["company"] == "Blue Harbor Cafe"
    assert customers[3].fields["status"] == "lead" and customers[1].fields["status"] == "active"
    assert customers[3].fields["email"] is None and customers[0].fields["phone"] is None
    products = drain_all(connector(), "products")
    assert products[0].fields["sku"] == "SKU-00000"
    assert isinstance(products[0].fields["price"], Decimal)
    assert products[2].fields["status"] == "draft"


def test_since_asks_for_changed_records_only(shopify_fake: ShopifyFake) -> None:
    since = shopify_fake.order_updated(200).isoformat()
    items = drain_all(connector(), "orders", since=since)
    assert [i.source_id for i in items] == [str(order_id(n)) for n in range(200, 230)]
    first = shopify_fake.calls_to("/orders.json")[0]
    assert first.params["updated_at_min"] and first.params["status"] == "any"
    page = connector().fetch("orders", None, since)
    assert page.high_water is not None
    assert datetime.fromisoformat(page.high_water) == max(i.updated_at for i in items)  # type: ignore[type-var]


def test_a_stored_cursor_resumes_on_the_right_page(shopify_fake: ShopifyFake) -> None:
    first = connector().fetch("orders", None, None)
    assert first.next_cursor and "page_info=" in first.next_cursor
    resumed = connector().fetch("orders", first.next_cursor, None)  # a new process, same cursor
    assert resumed.items[0].source_id == str(order_id(PAGE_SIZE))
    with pytest.raises(ValidationFailed):
        connector().fetch("orders", "https://evil.example/admin/api/2024-10/orders.json?page_info=x", None)


def test_429_waits_as_retry_after_says(shopify_fake: ShopifyFake, sleeps: list[float]) -> None:
    shopify_fake.rate_limit_next(1, retry_after="2.0")
    page = connector().fetch("customers", None, None)
    assert len(page.items) == PAGE_SIZE and sleeps == [2.0]


def test_retry_after_is_capped_and_dates_are_understood(shopify_fake: ShopifyFake,
                                                        sleeps: list[float]) -> None:
    shopify_fake.rate_limit_next(1, retry_after="120")
    connector().fetch("products", None, None)
    assert sleeps == [30.0]  # CONNECTOR_MAX_RETRY_WAIT_SECONDS
    now = datetime(2015, 10, 21, 7, 27, 30, tzinfo=UTC)
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=now) == 30.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_the_call_limit_header_slows_down(shopify_fake: ShopifyFake, sleeps: list[float]) -> None:
    connector().fetch("customers", None, None)
    assert sleeps == []
    shopify_fake.call_limit_used = 36
    connector().fetch("customers", None, None)
    assert sleeps == [pytest.approx(2.5)]  # (36 - 32 + 1) calls at 2 a second


def test_a_server_error_mid_sync_is_retried(shopify_fake: ShopifyFake,
                                           sleeps: list[float]) -> None:
    c = connector()
    page = c.fetch("orders", None, None)
    shopify_fake.fail_next(2)
    rest = drain_all(c, "orders", cursor=page.next_cursor)
    assert len(page.items) + len(rest) == 230 and len(sleeps) == 2
    assert all(0 < s <= 30 for s in sleeps)


def test_persistent_server_errors_give_up(shopify_fake: ShopifyFake, sleeps: list[float]) -> None:
    shopify_fake.fail_after_calls(2)
    c = connector()
    page = c.fetch("orders", None, None)
    with pytest.raises(ThirdPartyFailed) as err:
        c.fetch("orders", page.next_cursor, None)
    assert err.value.status_code == 502 and len(sleeps) == MAX_RETRIES
    assert len(shopify_fake.calls) == 1 + MAX_RETRIES + 1


def test_a_token_revoked_mid_sync(shopify_fake: ShopifyFake) -> None:
    c = connector()
    page = c.fetch("orders", None, None)
    shopify_fake.revoke()
    with pytest.raises(ConnectorAuthFailed) as err:
        c.fetch("orders", page.next_cursor, None)
    assert TOKEN not in err.value.message
