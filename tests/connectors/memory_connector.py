"""An in-memory connector for the connector tests, with knobs: the pages of each resource, a
failure raised once at a given page, credentials refused at check or at fetch, and a log of
every fetch (resource, cursor, since) so tests can see where a sync resumed.

A script is chosen by the connection's `apiKey`, so every test gets its own provider account.
Always import it as `connectors.memory_connector` (one module, one registry of scripts).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from core.errors import ConnectorAuthFailed
from tools.connectors.base import AccountInfo, CredentialField, Page, SourceItem, register

BASE_TIME = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass
class Script:
    account_id: str
    name: str = "Memory Shop"
    pages: dict[str, list[list[SourceItem]]] = field(default_factory=dict)
    fail_once: dict[tuple[str, int], Exception] = field(default_factory=dict)
    refuse_check: bool = False
    refuse_fetch: bool = False
    calls: list[tuple[str, str | None, str | None]] = field(default_factory=list)


SCRIPTS: dict[str, Script] = {}


def new_script(**knobs: Any) -> tuple[str, Script]:
    """A fresh provider account: (its API key, its script)."""
    key = f"mem_live_{uuid.uuid4().hex}"
    script = Script(account_id=f"acct_{uuid.uuid4().hex[:8]}", **knobs)
    SCRIPTS[key] = script
    return key, script


@register
class MemoryConnector:
    type = "memory"
    display_name = "Memory Shop"
    description = "A shop that lives in the test's memory."
    resources = ("customers", "orders", "companies", "deals", "products")
    credential_fields = (
        CredentialField("apiKey", "API key"),
        CredentialField("shopDomain", "Shop domain", secret=False, required=False),
    )

    def __init__(self, credentials: Mapping[str, str], config: Mapping[str, Any]) -> None:
        self.script = SCRIPTS.get(credentials.get("apiKey", ""), Script("none", refuse_check=True,
                                                                         refuse_fetch=True))

    def check(self) -> AccountInfo:
        if self.script.refuse_check:
            raise ConnectorAuthFailed("Memory Shop says: invalid API key")
        return AccountInfo(self.script.account_id, self.script.name, {"plan": "test"})

    def fetch(self, resource: str, cursor: str | None, since: str | None) -> Page:
        self.script.calls.append((resource, cursor, since))
        if self.script.refuse_fetch:
            raise ConnectorAuthFailed("Memory Shop says: the key was revoked")
        index = int(cursor or 0)
        failure = self.script.fail_once.pop((resource, index), None)
        if failure is not None:
            raise failure
        pages = self.script.pages.get(resource) or [[]]
        items = pages[index] if index < len(pages) else []
        if since:
            items = [i for i in items if i.updated_at is None or i.updated_at.isoformat() > since]
        marks = [i.updated_at.isoformat() for i in items if i.updated_at]
        nxt = str(index + 1) if index + 1 < len(pages) else None
        return Page(items, nxt, max(marks) if marks else None)


class CustomAsMemory(MemoryConnector):
    """The custom REST type played by the memory shop (keyed by the bearer token); `seen` keeps
    the (credentials, config) it was built with."""

    seen: tuple[dict[str, Any], dict[str, Any]] = ({}, {})

    def __init__(self, credentials: Mapping[str, str], config: Mapping[str, Any]) -> None:
        CustomAsMemory.seen = (dict(credentials), dict(config))
        super().__init__({"apiKey": credentials.get("token", "")}, config)


def customer(n: int, email: str | None = None, name: str | None = None, **extra: Any) -> SourceItem:
    fields = {"name": name or f"Customer {n}", "email": email if email is not None else f"c{n}@shop.test",
              "phone": f"555-{n:04d}", **extra}
    return SourceItem("customers", "customer", f"cus_{n}", fields, BASE_TIME + timedelta(minutes=n))


def order(n: int, customer_n: int | None = None, total: str = "10.00", **extra: Any) -> SourceItem:
    fields: dict[str, Any] = {"total": Decimal(total), "currency": "usd", "status": "paid",
                              "ordered_at": BASE_TIME + timedelta(hours=n), **extra}
    if customer_n is not None:
        fields["customer_source_id"] = f"cus_{customer_n}"
    return SourceItem("orders", "order", f"ord_{n}", fields, BASE_TIME + timedelta(minutes=n))


def paged(items: list[SourceItem], size: int) -> list[list[SourceItem]]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


def sample_connector_calls(run: Callable[..., Any], tenant_id: str) -> None:
    """Every connector tool once or more on one workspace, for the tool-language checks:
    `run(name, args, **options)` runs a tool as the workspace's admin and records the call."""
    from tools.connectors import base, schema_detect
    from tools.connectors.sync import run_sync

    key, script = new_script()
    script.pages["customers"] = [[customer(1), customer(2, email="")]]
    script.pages["orders"] = [[order(1, 1), order(2, total="12.50")]]
    run("list_integrations", {})
    run("list_data_sources", {})
    run("get_sync_status", {})
    args = {"type": "memory", "credentials": {"apiKey": key}}
    run("connect_integration", args)  # preview
    made = run("connect_integration", args, confirmed=True)
    ref = made.connection.id
    run("sync_integration", {"connection": ref})  # the queued run is returned
    run("get_sync_status", {"connection": ref})
    run_sync(made.sync_run.id)
    run("sync_integration", {"connection": ref, "full": True})
    run("get_sync_status", {"connection": ref})
    run("list_sync_runs", {})
    run("list_sync_runs", {"connection": ref, "status": "failed"})
    run("list_data_sources", {"include_disconnected": True})
    kind = base.connector_type("memory")
    saved = base._TYPES.get("custom_rest"), schema_detect.detect_schema
    assert kind is not None
    base._TYPES["custom_rest"] = replace(kind, type="custom_rest", factory=CustomAsMemory)
    schema_detect.detect_schema = _fake_detect  # type: ignore[assignment]
    try:
        custom_key, _ = new_script()
        body = {"name": f"api_{custom_key[-6:]}", "config": {
            "base_url": "https://api.example.com/v1", "auth_config": {"token": custom_key}},
            "field_mappings": [{"source_field": "order_total", "target_field": "total"}]}
        run("create_custom_connector", body)  # preview
        run("create_custom_connector", body, confirmed=True)
        run("detect_api_schema", {"url": "https://93.184.216.34/v1/orders"})
    finally:
        if saved[0] is not None:
            base._TYPES["custom_rest"] = saved[0]
        schema_detect.detect_schema = saved[1]  # type: ignore[assignment]
    run("disconnect_integration", {"connection": ref})  # preview
    run("disconnect_integration", {"connection": ref}, confirmed=True)
    run("list_integrations", {"include_disconnected": True})


def _fake_detect(url: str, method: str = "GET", headers: Any = None, body: Any = None) -> Any:
    from tools.connectors import schema_detect

    fields = [schema_detect.DetectedField("id", "string", "data[].id"),
              schema_detect.DetectedField("total", "number", "data[].total")]
    return schema_detect.DetectedSchema(fields, {"id": "o1", "total": 5}, "data", 1, None)
