"""Fixtures for the MCP tests: principals and API keys of registered accounts, and reading
customers back through the REST API (or the tool runtime while the CRM routes are absent)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from helpers import Account

from store.db import unit_of_work
from tools.context import Principal
from tools.identity.service import authenticate
from tools.identity.tokens import new_api_key
from tools.runtime import execute


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def principal_of(account: Account) -> Principal:
    with unit_of_work() as session:
        return authenticate(session, account.token, account.tenant_id).principal


def api_key_for(account: Account, name: str = "mcp-test") -> str:
    with unit_of_work() as session:
        _row, raw = new_api_key(session, account.tenant_id, account.user_id, name)
        return raw


def _has_route(client: TestClient, path: str, method: str) -> bool:
    paths = client.app.openapi()["paths"]  # type: ignore[attr-defined]
    return method.lower() in paths.get(path, {})


def customers_named(client: TestClient, account: Account, name: str) -> list[dict[str, Any]]:
    """The account's customers matching `name`, as its own tenant sees them: over REST when
    GET /api/crm/customers exists, else through the same tool the route calls."""
    if _has_route(client, "/api/crm/customers", "get"):
        r = client.get("/api/crm/customers", params={"search": name},
                       headers={**account.headers, "X-Tenant-Id": account.tenant_id})
        assert r.status_code == 200, r.text
        return list(r.json()["data"]["customers"])
    out = execute("list_customers", principal_of(account), {"search": name})
    return [c.camel() for c in out.customers]  # type: ignore[attr-defined]


@pytest.fixture
def principal(account: Account) -> Principal:
    return principal_of(account)


@pytest.fixture
def other_principal(other_account: Account) -> Principal:
    return principal_of(other_account)


@pytest.fixture
def make_api_key() -> Callable[[Account], str]:
    return api_key_for


@pytest.fixture
def find_customers(client: TestClient) -> Callable[[Account, str], list[dict[str, Any]]]:
    return lambda account, name: customers_named(client, account, name)
