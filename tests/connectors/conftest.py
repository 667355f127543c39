"""Provider connector tests: fakes of each provider on loopback (OUTBOUND_ALLOW_PRIVATE=true, as
tests and local development set it), small pages so pagination shows, and the retry sleep
replaced by a recorder so no test really waits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fakes.local_server import LocalServer
from fakes.providers import TEST_MAX_RETRIES, TEST_PAGE_SIZE, serve
from fakes.providers.custom_api import CustomApiFake
from fakes.providers.hubspot import HubSpotFake
from fakes.providers.shopify import ShopifyFake
from fakes.providers.stripe import StripeFake

from core.settings import get_settings
from tools.connectors.providers import http

PAGE_SIZE, MAX_RETRIES = TEST_PAGE_SIZE, TEST_MAX_RETRIES


@pytest.fixture(autouse=True)
def connector_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("OUTBOUND_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("OUTBOUND_TIMEOUT_SECONDS", "5")
    monkeypatch.setenv("CONNECTOR_PAGE_SIZE", str(PAGE_SIZE))
    monkeypatch.setenv("CONNECTOR_MAX_RETRIES", str(MAX_RETRIES))
    monkeypatch.setenv("CONNECTOR_MAX_RETRY_WAIT_SECONDS", "30")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every wait the connectors ask for (retries and throttling), instead of waiting."""
    waited: list[float] = []
    monkeypatch.setattr(http, "sleep", waited.append)
    return waited


def _served(fake: object) -> Iterator[tuple[LocalServer, str]]:
    server, base = serve(fake.app)  # type: ignore[attr-defined]
    yield server, base
    server.stop()


@pytest.fixture(scope="module")
def shopify_server() -> Iterator[tuple[ShopifyFake, str]]:
    fake = ShopifyFake(key="shpat_test_0123456789abcdef", orders=230, customers=60, products=12)
    for _server, base in _served(fake):
        yield fake, base


@pytest.fixture
def shopify_fake(shopify_server: tuple[ShopifyFake, str],
                 monkeypatch: pytest.MonkeyPatch) -> ShopifyFake:
    fake, base = shopify_server
    fake.reset()
    fake.call_limit_used = 1
    monkeypatch.setenv("SHOPIFY_API_BASE", base)
    get_settings.cache_clear()
    return fake


@pytest.fixture(scope="module")
def stripe_server() -> Iterator[tuple[StripeFake, str]]:
    fake = StripeFake(key="sk_test_51FakeKey0123456789abcd", customers=60, charges=130,
                      invoices=40, subscriptions=25)
    for _server, base in _served(fake):
        yield fake, base


@pytest.fixture
def stripe_fake(stripe_server: tuple[StripeFake, str], monkeypatch: pytest.MonkeyPatch) -> StripeFake:
    fake, base = stripe_server
    fake.reset()
    monkeypatch.setenv("STRIPE_API_BASE", base)
    get_settings.cache_clear()
    return fake


@pytest.fixture(scope="module")
def hubspot_server() -> Iterator[tuple[HubSpotFake, str]]:
    fake = HubSpotFake(key="pat-na1-test-0000-1111-2222", contacts=120, companies=20, deals=60)
    for _server, base in _served(fake):
        yield fake, base


@pytest.fixture
def hubspot_fake(hubspot_server: tuple[HubSpotFake, str],
                 monkeypatch: pytest.MonkeyPatch) -> HubSpotFake:
    fake, base = hubspot_server
    fake.reset()
    monkeypatch.setenv("HUBSPOT_API_BASE", base)
    get_settings.cache_clear()
    return fake


@pytest.fixture(scope="module")
def custom_server() -> Iterator[tuple[CustomApiFake, str]]:
    fake = CustomApiFake(key="tok_custom_abc123")
    for _server, base in _served(fake):
        yield fake, base


@pytest.fixture
def custom_fake(custom_server: tuple[CustomApiFake, str]) -> CustomApiFake:
    fake, _ = custom_server
    fake.reset()
    fake.auth, fake.shape, fake.openapi = "bearer", "data", True
    return fake


@pytest.fixture
def custom_base(custom_server: tuple[CustomApiFake, str]) -> str:
    return custom_server[1]
