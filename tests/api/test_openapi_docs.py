"""The OpenAPI document describes success bodies too (DESIGN: "complete and accurate"): every JSON
route declares one, and real responses validate against it, with no undocumented keys."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator

if TYPE_CHECKING:
    from tests.conftest import Account

STREAMING_OR_FREEFORM = ("/api/ai/", "/api/mcp/", "/api/v1/chat")


def spec(client: TestClient) -> dict[str, Any]:
    r = client.get("/openapi.json")
    assert r.status_code == 200
    return dict(r.json())


def success_schema(doc: dict[str, Any], method: str, path: str) -> tuple[str, dict[str, Any]]:
    """The one documented 2xx status of an operation and its JSON schema."""
    responses = doc["paths"][path][method]["responses"]
    codes = [code for code in responses if code.startswith("2")]
    assert len(codes) == 1, f"{method} {path}: {codes}"
    schema = responses[codes[0]].get("content", {}).get("application/json", {}).get("schema")
    assert schema, f"{method} {path} documents no JSON body for {codes[0]}"
    return codes[0], schema


def strict(node: Any) -> Any:
    """Forbid keys the document does not name, unless a model opts in (e.g. `meta`), so a route
    that grows a field without documenting it fails here."""
    if isinstance(node, dict):
        out = {key: strict(value) for key, value in node.items()}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(node, list):
        return [strict(item) for item in node]
    return node


def assert_documented(client: TestClient, method: str, path: str, response: Any) -> None:
    doc = spec(client)
    code, schema = success_schema(doc, method, path)
    assert str(response.status_code) == code, response.text
    root = strict({**copy.deepcopy(schema), "components": doc["components"]})
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in Draft202012Validator(root).iter_errors(
        response.json())]
    assert not errors, errors


def test_every_json_route_documents_its_success_body(client: TestClient) -> None:
    doc = spec(client)
    checked = 0
    for path, operations in doc["paths"].items():
        if not path.startswith("/api") or path.startswith(STREAMING_OR_FREEFORM):
            continue
        for method in operations:
            if method in ("get", "post", "patch"):
                code, schema = success_schema(doc, method, path)
                assert code in ("200", "201", "202") and "$ref" in schema, f"{method} {path}"
                checked += 1
    assert checked >= 30


def test_customer_list_matches_its_schema(client: TestClient, account: Account) -> None:
    client.post("/api/crm/customers", json={"name": "Doc Co", "tags": ["a"]}, headers=account.headers)
    r = client.get("/api/crm/customers", headers=account.headers)
    assert_documented(client, "get", "/api/crm/customers", r)


def test_v1_deal_create_matches_its_schema(client: TestClient, account: Account) -> None:
    r = client.post(f"/api/v1/workspaces/{account.tenant_id}/deals", json={"title": "Doc", "value": 5},
                    headers=account.headers)
    assert_documented(client, "post", "/api/v1/workspaces/{workspaceId}/deals", r)


def test_login_matches_its_schema(client: TestClient, account: Account) -> None:
    r = client.post("/api/auth/login", json={"email": account.email, "password": account.password})
    assert_documented(client, "post", "/api/auth/login", r)


def test_v1_me_matches_its_schema(client: TestClient, account: Account) -> None:
    r = client.get("/api/v1/auth/me", headers=account.headers)
    assert_documented(client, "get", "/api/v1/auth/me", r)


@pytest.mark.parametrize("path", [
    "/api/crm/deals", "/api/crm/pipeline", "/api/analytics/dashboard", "/api/analytics/revenue",
    "/api/analytics/revenue/trend", "/api/analytics/top-customers", "/api/users/me",
    "/api/v1/workspaces", "/api/v1/workspaces/{workspaceId}/members",
    "/api/v1/workspaces/{workspaceId}/deals", "/health", "/api/v1",
])
def test_demo_reads_match_their_schemas(client: TestClient, demo_account: Account, path: str) -> None:
    """Seeded data fills the optional and nested parts (best/worst buckets, rankings, stages)."""
    url = path.replace("{workspaceId}", demo_account.tenant_id)
    assert_documented(client, "get", path, client.get(url, headers=demo_account.headers))
