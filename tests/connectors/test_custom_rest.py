"""Custom REST connector: auth types, mappings, pagination styles and the SSRF guard."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from fakes.providers import drain as drain_all
from fakes.providers.custom_api import CustomApiFake

from core.errors import ConnectorAuthFailed, ValidationFailed
from core.settings import get_settings
from tools.connectors.base import build, connector_type

TOKEN = "tok_custom_abc123"
ORDER_MAPPINGS = [
    {"sourceField": "order_total", "targetField": "revenue", "dataType": "number"},
    {"sourceField": "created_at", "targetField": "created_at", "dataType": "datetime"},
    {"sourceField": "customer.id", "targetField": "customer_id", "dataType": "string"},
    {"sourceField": "data[].customer.email", "targetField": "email", "dataType": "string"},
    {"sourceField": "currency", "targetField": "currency", "dataType": "string"},
    {"sourceField": "status", "targetField": "status"},
]


def config(base: str, **extra: Any) -> dict[str, Any]:
    return {"baseUrl": f"{base}/v1", "authType": "bearer_token", "pageSize": 20,
            "endpoints": [{"path": "/orders", "pagination": {"type": "page", "param": "page",
                                                              "sizeParam": "limit"}}],
            "fieldMappings": ORDER_MAPPINGS, "updatedField": "updated_at", **extra}


def connector(cfg: dict[str, Any], credentials: dict[str, str] | None = None) -> Any:
    return build("custom_rest", credentials if credentials is not None else {"token": TOKEN}, cfg)


def test_registered_as_custom() -> None:
    kind = connector_type("custom_rest")
    assert kind is not None and kind.category == "custom"
    assert {f.name for f in kind.credential_fields} == {"token", "apiKey", "username", "password"}


def test_orders_with_page_pagination_and_mappings(custom_fake: CustomApiFake, custom_base: str,
                                                  ) -> None:
    c = connector(config(custom_base))
    assert c.resources == ("orders",)
    items = drain_all(c, "orders")
    assert [i.source_id for i in items] == [f"ord-{n:04d}" for n in range(45)]
    calls = custom_fake.calls_to("/v1/orders")
    assert [(x.params["page"], x.params["limit"]) for x in calls] == [
        ("1", "20"), ("2", "20"), ("3", "20"), ("4", "20")]  # until an empty page
    assert calls[0].headers["authorization"] == f"Bearer {TOKEN}"
    first = items[1]
    assert first.entity == "order" and isinstance(first.fields["total"], Decimal)
    assert isinstance(first.fields["ordered_at"], datetime) and first.fields["ordered_at"].tzinfo
    assert first.fields["customer_source_id"] == "c-1" and first.fields["currency"] == "USD"
    assert first.fields["customer_email"].endswith("@custom.example")
    assert items[3].fields["total"] == Decimal(custom_fake.order(3)["order_total"])  # "12.34" string
    assert items[7].fields["total"] is None  # "n/a" does not convert, and nothing breaks
    assert first.updated_at is not None
    page = c.fetch("orders", None, None)
    assert page.next_cursor == "2:ord-0000"
    assert c.fetch("orders", "3:ord-0020", None).items[0].source_id == "ord-0040"  # resumed
    assert c.fetch("orders", "3", None).items[0].source_id == "ord-0040"


def test_an_api_ignoring_the_page_parameter_ends(custom_fake: CustomApiFake, custom_base: str) -> None:
    cfg = config(custom_base)
    cfg["endpoints"][0]["pagination"]["param"] = "p"  # the fake only knows `page`
    items = drain_all(connector(cfg), "orders")
    assert len(items) == 20 and len(custom_fake.calls) == 2


@pytest.mark.parametrize("auth", ["api_key", "basic", "none"])
def test_each_auth_type(auth: str, custom_fake: CustomApiFake, custom_base: str) -> None:
    custom_fake.auth = auth  # type: ignore[assignment]
    creds = {"api_key": {"apiKey": TOKEN}, "basic": {"username": "reporter", "password": "s3cret-pass"},
             "none": {}}[auth]
    cfg = config(custom_base, authType={"api_key": "api_key"}.get(auth, auth))
    info = connector(cfg, creds).check()
    assert info.details["recordsPath"] == "data[]" and info.details["recordsOnFirstPage"] == 20
    headers = custom_fake.calls[-1].headers
    if auth == "api_key":
        assert headers["x-api-key"] == TOKEN
    elif auth == "basic":
        assert headers["authorization"].startswith("Basic ")
    else:
        assert "authorization" not in headers and "x-api-key" not in headers


def test_refused_credentials(custom_fake: CustomApiFake, custom_base: str) -> None:
    with pytest.raises(ConnectorAuthFailed) as err:
        connector(config(custom_base), {"token": "tok_wrong_777"}).check()
    assert "tok_wrong_777" not in err.value.message
    custom_fake.auth = "basic"
    with pytest.raises(ConnectorAuthFailed) as err:
        connector(config(custom_base, authType="basic"),
                  {"username": "reporter", "password": "nope-99"}).check()
    assert "nope-99" not in err.value.message
    with pytest.raises(ValidationFailed):
        connector(config(custom_base, authType="basic"), {"username": "reporter"})


def test_unknown_target_field_is_named() -> None:
    cfg = config("https://api.example.com", fieldMappings=[
        {"sourceField": "x", "targetField": "lifetime_magic", "dataType": "number"}])
    with pytest.raises(ValidationFailed) as err:
        connector(cfg)
    assert "lifetime_magic" in err.value.message


def test_customers_endpoint_with_records_path_and_cursor(custom_fake: CustomApiFake, custom_base: str,
                                                         ) -> None:
    cfg = config(custom_base, endpoints=[{
        "path": "customers", "recordsPath": "data[]",
        "pagination": {"type": "cursor", "cursorPath": "next_cursor", "cursorParam": "cursor",
                       "sizeParam": "limit"}}], fieldMappings=[
        {"sourceField": "full_name", "targetField": "name", "dataType": "string"},
        {"sourceField": "contact.email", "targetField": "email", "dataType": "string"},
        {"sourceField": "contact.phone", "targetField": "phone"}], pageSize=5)
    c = connector(cfg)
    items = drain_all(c, "customers")
    assert len(items) == 12 and items[0].entity == "customer"
    assert items[0].fields["name"] and items[4].fields["email"] is None
    assert [x.params.get("cursor") for x in custom_fake.calls_to("/v1/customers")] == [None, "5", "10"]


@pytest.mark.parametrize("shape", ["list", "nested"])
def test_records_are_found_in_other_shapes(shape: str, custom_fake: CustomApiFake, custom_base: str) -> None:
    custom_fake.shape = shape  # type: ignore[assignment]
    page = connector(config(custom_base)).fetch("orders", None, None)
    assert len(page.items) == 20 and page.next_cursor == "2:ord-0000"


def test_not_json_or_no_records(custom_fake: CustomApiFake, custom_base: str) -> None:
    cfg = config(custom_base, endpoints=[{"path": "/html"}], fieldMappings=ORDER_MAPPINGS[:1])
    with pytest.raises(ValidationFailed) as err:
        connector({**cfg, "baseUrl": custom_base}).check()
    assert "JSON" in err.value.message
    cfg = config(custom_base, endpoints=[{"path": "/orders", "recordsPath": "items[]"}])
    with pytest.raises(ValidationFailed) as err:
        connector(cfg).check()
    assert "items[]" in err.value.message


def test_private_and_metadata_addresses_are_refused(custom_fake: CustomApiFake, custom_base: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTBOUND_ALLOW_PRIVATE", "false")
    get_settings.cache_clear()
    with pytest.raises(ValidationFailed) as err:
        connector(config(custom_base)).check()
    assert "loopback" in err.value.message
    assert custom_fake.calls == []
    monkeypatch.setenv("OUTBOUND_ALLOW_PRIVATE", "true")
    get_settings.cache_clear()
    with pytest.raises(ValidationFailed):
        connector(config("http://169.254.169.254/latest/meta-data")).check()
    with pytest.raises(ValidationFailed):
        connector(config("file:///etc"))
