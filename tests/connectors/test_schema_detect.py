"""Schema detection: field types and document paths, OpenAPI discovery, and its refusals."""

from __future__ import annotations

import pytest
from fakes.providers.custom_api import CustomApiFake

from core.errors import ConnectorAuthFailed, ThirdPartyFailed, ValidationFailed
from core.settings import get_settings
from tools.connectors.schema_detect import DetectedField, detect_schema, find_records, infer_fields

TOKEN = "tok_custom_abc123"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_types_and_paths_of_a_nested_sample(custom_fake: CustomApiFake, custom_base: str) -> None:
    schema = detect_schema(f"{custom_base}/v1/orders?limit=50", headers=AUTH)
    fields = {f.name: f for f in schema.detected_fields}
    assert schema.records_path == "data[]" and schema.record_count == 45
    assert len(schema.sample_data) == 3 and schema.sample_data[0]["id"] == "ord-0000"
    assert fields["id"] == DetectedField("id", "string", "data[].id")
    assert fields["order_total"].type == "string"  # numbers, numeric strings and "n/a" mixed
    assert fields["created_at"].type == "datetime"
    assert fields["is_gift"].type == "boolean" and fields["tags"].type == "array"
    assert fields["customer.email"] == DetectedField("customer.email", "email", "data[].customer.email")
    assert "customer" not in fields
    assert schema.open_api_spec == f"{custom_base}/openapi.json"


def test_inferred_types_from_values() -> None:
    rows = [{"n": 1, "x": 1.5, "d": "2024-03-01", "e": None, "m": {}, "mixed": 2},
            {"n": 2, "x": 2, "d": "2024-03-02", "e": None, "m": {}, "mixed": 2.5}]
    found = {f.name: f.type for f in infer_fields(rows, "[]")}
    assert found == {"n": "integer", "x": "number", "d": "date", "e": "null", "m": "object",
                     "mixed": "number"}
    assert find_records({"meta": {"n": 1}, "result": {"items": [{"a": 1}]}}) == ("result.items[]", [{"a": 1}])
    assert find_records([{"a": 1}]) == ("[]", [{"a": 1}])
    assert find_records({"a": 1}) is None


def test_a_top_level_list_and_no_openapi(custom_fake: CustomApiFake, custom_base: str) -> None:
    custom_fake.shape, custom_fake.openapi = "list", False
    schema = detect_schema(f"{custom_base}/v1/customers", headers=AUTH)
    fields = {f.name: f for f in schema.detected_fields}
    assert schema.records_path == "[]" and fields["contact.phone"].path == "[].contact.phone"
    assert fields["signup_date"].type == "date" and schema.open_api_spec is None


def test_not_json(custom_fake: CustomApiFake, custom_base: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        detect_schema(f"{custom_base}/html", headers=AUTH)
    assert err.value.message == "The URL did not answer with JSON"


def test_refused_credentials_do_not_echo_headers(custom_fake: CustomApiFake, custom_base: str) -> None:
    with pytest.raises(ConnectorAuthFailed) as err:
        detect_schema(f"{custom_base}/v1/orders", headers={"Authorization": "Bearer tok_wrong_42"})
    assert "tok_wrong_42" not in err.value.message and err.value.code == "CONNECTOR_AUTH_FAILED"


def test_server_errors(custom_fake: CustomApiFake, custom_base: str) -> None:
    custom_fake.fail_next(1)
    with pytest.raises(ThirdPartyFailed):
        detect_schema(f"{custom_base}/v1/orders", headers=AUTH)


def test_ssrf_refusals(custom_fake: CustomApiFake, custom_base: str,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTBOUND_ALLOW_PRIVATE", "false")
    get_settings.cache_clear()
    for url in (f"{custom_base}/v1/orders", "http://169.254.169.254/latest/meta-data/",
                "http://2130706433/", "http://[::ffff:10.0.0.1]/"):
        with pytest.raises(ValidationFailed):
            detect_schema(url, headers=AUTH)
    assert custom_fake.calls == []
