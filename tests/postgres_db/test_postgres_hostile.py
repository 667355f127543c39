"""The hostile-input probes of tests/security/test_hostile_input.py again, on PostgreSQL: NUL
characters, over-long values and out-of-range numbers are refused by PostgreSQL itself (SQLite
stores them), so this is where a missing check shows up as a 500. Plus the identity lookups that
run before any tool, driven directly with values HTTP could not carry."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from fastapi.testclient import TestClient
from helpers import Account

from core.errors import InvalidCredentials, TenantNotFound, ValidationFailed
from store.db import unit_of_work
from tools.identity import service
from tools.runtime import execute

SECURITY = Path(__file__).resolve().parents[1] / "security"


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


_conftest = _load("security_probe_conftest", SECURITY / "conftest.py")
_hostile = _load("security_probe_hostile", SECURITY / "test_hostile_input.py")
# The probes whose outcome depends on the database; the edge's own refusals (malformed JSON,
# content types, body size, nesting) never reach it and run on SQLite only.
EDGE_ONLY = {"test_malformed_and_non_object_bodies_are_refused", "test_wrong_content_types_are_refused",
             "test_bodies_over_the_limit_are_413", "test_the_limit_is_one_mebibyte_exactly",
             "test_reasonable_nesting_still_passes"}
for _module in (_conftest, _hostile):  # fixtures (the leak guard included) and the probes
    for _name, _value in vars(_module).items():
        is_fixture = type(_value).__name__ == "FixtureFunctionDefinition"
        if is_fixture or (_name.startswith("test_") and _name not in EDGE_ONLY):
            globals()[_name] = _value


def test_this_runs_on_postgresql(database: str) -> None:
    assert database.startswith("postgresql")


def test_identity_lookups_refuse_impossible_values(client: TestClient, account: Account) -> None:
    with unit_of_work() as session:
        for tenant in ("a\x00b", "\x00", "t" * 65, "\ud800"):
            with pytest.raises(TenantNotFound):
                service.authenticate(session, account.token, tenant)
    with unit_of_work() as session, pytest.raises(InvalidCredentials):
        service.login(session, email=f"{account.email}\x00", password=account.password)
    assert service.plausible_id(account.tenant_id)


def test_tool_arguments_postgresql_cannot_store_are_validation_errors(client: TestClient,
                                                                       account: Account) -> None:
    """What MCP over stdio and the agent send reaches the tools without the HTTP input guard."""
    with unit_of_work() as session:
        principal = service.authenticate(session, account.token).principal
    for args in ({"name": "a\x00b"}, {"name": "ok", "company": "c\x00"}, {"name": "ok", "tags": ["\x00"]}):
        with pytest.raises(ValidationFailed):
            execute("create_customer", principal, args, source="mcp")
    with pytest.raises(ValidationFailed):
        execute("list_customers", principal, {"search": "\x00"}, source="mcp")
