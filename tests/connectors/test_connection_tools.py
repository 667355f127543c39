"""The connection tools: preview and confirmation, refused credentials storing nothing, secrets
encrypted at rest and never in an output, the audit log or the logs, reconnecting, custom
connectors, schema detection, data sources, tenant isolation, and `bizpilot rotate-credentials`."""

from __future__ import annotations

import dataclasses
import json
import logging
from typing import Any

import pytest
from connectors.memory_connector import CustomAsMemory, customer, new_script, order
from fastapi.testclient import TestClient
from helpers import Account, register
from sqlalchemy import select, text

from bizpilot_cli.main import main as cli
from core.errors import ConnectorAuthFailed, Forbidden, NotFound, ValidationFailed
from core.settings import get_settings
from store.db import unit_of_work
from store.models import AuditLog, Connection
from tools.connectors import base, vault
from tools.context import Principal
from tools.runtime import execute


def who(account: Account, role: str = "admin") -> Principal:
    return Principal(user_id=account.user_id, tenant_id=account.tenant_id, role=role,  # type: ignore[arg-type]
                     email=account.email)


def connect(account: Account, key: str, **extra: Any) -> Any:
    return execute("connect_integration", who(account),
                   {"type": "memory", "credentials": {"apiKey": key, "shopDomain": "mem.test"}, **extra},
                   source="mcp", confirmed=True)


def raw_credentials(conn_id: str) -> str:
    with unit_of_work() as session:
        return str(session.execute(text("SELECT credentials_encrypted FROM connections WHERE id = :i"),
                                   {"i": conn_id}).scalar_one())


def test_connect_previews_first_then_connects_with_the_token(client: TestClient, account: Account) -> None:
    key, _ = new_script()
    args = {"type": "memory", "credentials": {"apiKey": key}}
    preview: Any = execute("connect_integration", who(account), args, source="mcp")
    assert preview.status == "confirmation_required" and preview.connection is None
    assert key not in preview.model_dump_json() and key[-4:] in preview.message
    assert execute("list_integrations", who(account), {}).total == 0  # type: ignore[attr-defined]
    done: Any = execute("connect_integration", who(account),
                        {**args, "confirmation_token": preview.confirmation_token}, source="mcp")
    assert done.status == "done" and done.connection.status == "connected"
    assert done.sync_run.status == "queued" and done.sync_run.trigger == "connect"


def test_credentials_are_sealed_and_never_shown_logged_or_audited(
        client: TestClient, account: Account, caplog: pytest.LogCaptureFixture) -> None:
    key, _ = new_script()
    with caplog.at_level(logging.DEBUG):
        out = connect(account, key)
        listed = execute("list_integrations", who(account), {}, source="mcp")
        status = execute("get_sync_status", who(account), {"connection": "memory"}, source="mcp")
    conn = out.connection
    assert conn.config == {"shopDomain": "mem.test"} and conn.has_credentials
    assert conn.credentials_hint == "…" + key[-4:]
    for shown in (out, listed, status):
        assert key not in shown.model_dump_json()
    sealed = raw_credentials(conn.id)
    assert key not in sealed and vault.open_(sealed)["apiKey"] == key
    with unit_of_work(account.tenant_id) as session:
        audit = session.scalars(select(AuditLog).where(AuditLog.tool == "connect_integration")).all()
    assert audit and all(key not in json.dumps(a.arguments) for a in audit)
    assert key not in caplog.text


def test_refused_credentials_store_nothing(client: TestClient, account: Account) -> None:
    key, _script = new_script(refuse_check=True)
    with pytest.raises(ConnectorAuthFailed) as refused:
        connect(account, key)
    assert "refused" in refused.value.message and key not in refused.value.message
    with unit_of_work(account.tenant_id) as session:
        assert session.scalars(select(Connection)).all() == []
    with pytest.raises(NotFound):
        execute("connect_integration", who(account), {"type": "nosuch", "credentials": {}}, confirmed=True)
    with pytest.raises(ValidationFailed):
        execute("connect_integration", who(account), {"type": "memory", "credentials": {}}, confirmed=True)


def test_connect_needs_admin(client: TestClient, account: Account) -> None:
    key, _ = new_script()
    with pytest.raises(Forbidden):
        execute("connect_integration", who(account, "analyst"),
                {"type": "memory", "credentials": {"apiKey": key}}, confirmed=True)


def test_reconnecting_the_same_account_replaces_its_credentials(client: TestClient, account: Account) -> None:
    key, script = new_script()
    first = connect(account, key).connection
    key2 = key + "x"
    from connectors.memory_connector import SCRIPTS

    SCRIPTS[key2] = script  # the same provider account, a new key
    second = connect(account, key2).connection
    assert second.id == first.id and second.credentials_hint == "…" + key2[-4:]
    other_key, _ = new_script()
    third = connect(account, other_key).connection
    assert third.id != first.id and third.name == "memory_2"
    listed: Any = execute("list_integrations", who(account), {})
    assert listed.total == 2 and any(k.type == "memory" for k in listed.connectors)


def test_disconnect_previews_wipes_credentials_and_keeps_records(client: TestClient,
                                                                 account: Account) -> None:
    key, script = new_script()
    script.pages["customers"] = [[customer(1)]]
    script.pages["orders"] = [[order(1, 1)]]
    conn = connect(account, key).connection
    from tools.connectors.sync import run_sync

    run_sync(execute("list_sync_runs", who(account), {}).sync_runs[0].id)  # type: ignore[attr-defined]
    preview: Any = execute("disconnect_integration", who(account), {"connection": "memory"}, source="mcp")
    assert preview.status == "confirmation_required" and "2 records already synced" in preview.message
    assert "kept" in preview.message
    done: Any = execute("disconnect_integration", who(account),
                        {"connection": "memory", "confirmation_token": preview.confirmation_token},
                        source="mcp")
    assert done.connection.status == "disconnected" and not done.connection.has_credentials
    with unit_of_work(account.tenant_id) as session:
        row = session.get(Connection, conn.id)
        assert row is not None and row.credentials_encrypted is None and row.credentials_hint is None
    assert execute("list_integrations", who(account), {}).total == 0  # type: ignore[attr-defined]
    sources: Any = execute("list_data_sources", who(account), {"include_disconnected": True})
    assert next(s for s in sources.sources if s.id == conn.id).record_count == 2


def test_another_tenant_cannot_reach_a_connection(client: TestClient, account: Account) -> None:
    key, _ = new_script()
    conn = connect(account, key).connection
    stranger = who(register(client))
    for name, args in [("sync_integration", {"connection": conn.id}),
                       ("get_sync_status", {"connection": conn.id}),
                       ("list_sync_runs", {"connection": conn.id}),
                       ("disconnect_integration", {"connection": conn.id}),
                       ("sync_integration", {"connection": "memory"})]:
        with pytest.raises(NotFound):
            execute(name, stranger, args, confirmed=True)
    sources: Any = execute("list_data_sources", stranger, {})
    assert [s.id for s in sources.sources] == ["builtin_crm"]


def test_custom_connector_keeps_auth_config_sealed(client: TestClient, account: Account,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    kind = base.connector_type("custom_rest") or base.connector_type("memory")
    assert kind is not None
    monkeypatch.setitem(base._TYPES, "custom_rest", dataclasses.replace(
        kind, type="custom_rest", factory=CustomAsMemory))  # type: ignore[arg-type]
    key, _ = new_script()
    body = {"name": "my_api_connector", "displayName": "My Custom API", "connectionType": "rest_api",
            "config": {"baseUrl": "https://api.example.com/v1", "authType": "bearer_token",
                       "authConfig": {"token": key}},
            "fieldMappings": [{"sourceField": "order_total", "targetField": "total", "dataType": "number"}]}
    out: Any = execute("create_custom_connector", who(account), body, confirmed=True)
    conn = out.connection
    assert conn.type == "custom_rest" and conn.name == "my_api_connector"
    assert conn.config["baseUrl"] == "https://api.example.com/v1" and "authConfig" not in conn.config
    assert key not in json.dumps(conn.config) and key not in out.model_dump_json()
    assert CustomAsMemory.seen[0] == {"token": key}  # type: ignore[attr-defined]
    assert vault.open_(raw_credentials(conn.id)) == {"token": key}


def test_detect_schema_maps_the_detector(client: TestClient, account: Account,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from tools.connectors import schema_detect

    seen: dict[str, Any] = {}

    def fake(url: str, method: str = "GET", headers: Any = None, body: Any = None) -> Any:
        seen.update(url=url, headers=headers)
        field = schema_detect.DetectedField("total", "number", "data[].total")
        return schema_detect.DetectedSchema([field], {"total": 5}, "data", 3, None)

    monkeypatch.setattr(schema_detect, "detect_schema", fake)
    out: Any = execute("detect_api_schema", who(account), {
        "url": "https://93.184.216.34/v1/orders", "headers": {"Authorization": "Bearer tok_secret_123"}},
        source="mcp")
    assert out.detected_fields[0].path == "data[].total" and out.record_count == 3
    assert seen["headers"] == {"Authorization": "Bearer tok_secret_123"}
    with unit_of_work(account.tenant_id) as session:
        audit = session.scalars(select(AuditLog).where(AuditLog.tool == "detect_api_schema")).all()
    assert audit and "tok_secret_123" not in json.dumps([a.arguments for a in audit])


def test_rotate_credentials_command(client: TestClient, account: Account, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    key, _ = new_script()
    conn = connect(account, key).connection
    old = get_settings().credentials_key or get_settings().secret_key
    monkeypatch.setenv("CREDENTIALS_KEY", "a-brand-new-credentials-key-0123456789")
    monkeypatch.setenv("CREDENTIALS_PREVIOUS_KEYS", old)
    get_settings.cache_clear()
    try:
        before = raw_credentials(conn.id)
        assert vault.open_(before)["apiKey"] == key  # the old key still reads
        cli(["rotate-credentials"])
        assert "re-encrypted" in capsys.readouterr().out
        after = raw_credentials(conn.id)
        assert after != before
        monkeypatch.setenv("CREDENTIALS_PREVIOUS_KEYS", "")
        get_settings.cache_clear()
        assert vault.open_(after)["apiKey"] == key  # the old key is no longer needed
        with pytest.raises(vault.CredentialsUnreadable):
            vault.open_(before)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
