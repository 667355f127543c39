"""What commands check before they start: `serve` on a reachable address with the published demo
password, `set-password`, and `mcp` started outside the install without DATA_DIR."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from helpers import register

from bizpilot_cli import main as cli
from bizpilot_cli.preflight import (
    PUBLISHED_DEMO_PASSWORD,
    demo_accounts,
    exposure_refusal,
    is_loopback,
    mcp_location_problem,
    published_password_accounts,
)
from core.settings import Settings, get_settings
from store import demo
from store.db import unit_of_work
from store.repositories import tenancy
from tools.identity.passwords import hash_password, verify_password

ROOT = Path(__file__).resolve().parents[2]
OWNER = "owner@northwind.example.com"


# --- serve: the pure decision ----------------------------------------------------------------------


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.8.9.10", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("LOCALHOST", True), ("0.0.0.0", False), ("::", False), ("192.168.1.20", False),
    ("pilot.example.com", False), ("", False),
])
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_published_default_is_the_settings_default() -> None:
    assert PUBLISHED_DEMO_PASSWORD == "DemoPass123!" == Settings.model_fields["demo_password"].default


def test_exposure_refusal_only_for_a_reachable_address_with_the_published_password() -> None:
    assert exposure_refusal("127.0.0.1", [OWNER]) is None
    assert exposure_refusal("localhost", [], [OWNER]) is None
    assert exposure_refusal("0.0.0.0", []) is None

    existing = exposure_refusal("0.0.0.0", [OWNER])
    assert existing is not None
    assert "0.0.0.0" in existing and f"the demo account {OWNER} still has the published" in existing
    assert f"bizpilot set-password --email {OWNER}" in existing and "127.0.0.1" in existing
    assert "--no-seed" not in existing  # the tenant exists: not seeding it would not help

    fresh = exposure_refusal("192.168.1.20", [], [OWNER, "sales@northwind.example.com"])
    assert fresh is not None
    assert "seeding the demo tenant now would give" in fresh
    assert "DEMO_PASSWORD" in fresh and "--no-seed" in fresh and "bizpilot seed" in fresh


def test_published_password_accounts(database: str) -> None:
    settings = get_settings()
    team = demo_accounts(settings)
    assert team[0] == OWNER and len(team) == len(demo.TEAM)
    private = settings.model_copy(update={"demo_password": "Private-Pass-99"})
    with unit_of_work() as session:
        if tenancy.user_by_email(session, OWNER) is None:  # a module database without the demo
            assert published_password_accounts(session, settings, seeding=True) == ([], team)
            assert published_password_accounts(session, settings, seeding=False) == ([], [])
            assert published_password_accounts(session, private, seeding=True) == ([], [])
        demo.seed(session, email=OWNER, password_hash=hash_password, password=PUBLISHED_DEMO_PASSWORD)
    with unit_of_work() as session:
        assert published_password_accounts(session, settings, seeding=True) == (team, [])
        owner = tenancy.user_by_email(session, OWNER)
        assert owner is not None
        owner.password_hash = hash_password("Changed-Pass-42")
        session.flush()
        assert published_password_accounts(session, private, seeding=False) == (team[1:], [])
        owner.password_hash = hash_password(PUBLISHED_DEMO_PASSWORD)  # as the other tests expect it


# --- set-password ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "problem"), [
    ("short", "8 to 128"), ("x" * 129, "8 to 128"), ("       ab       ", "8 to 128"),
    (PUBLISHED_DEMO_PASSWORD, "published demo password"),
])
def test_new_password_rule(raw: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        cli.new_password(raw)


def test_new_password_is_stripped_as_registration_does() -> None:
    assert cli.new_password("  Good-Pass-123 \n") == "Good-Pass-123"


def test_set_password_changes_it_and_signs_out(client: TestClient, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    account = register(client)
    monkeypatch.setattr(sys, "stdin", io.StringIO("New-Secret-Pass-1\n"))
    cli.main(["set-password", "--email", account.email.upper(), "--password-stdin"])
    assert f"password changed for {account.email}" in capsys.readouterr().out
    with unit_of_work() as session:
        user = tenancy.user_by_email(session, account.email)
        assert user is not None and verify_password(user.password_hash, "New-Secret-Pass-1")

    old = client.post("/api/auth/login", json={"email": account.email, "password": account.password})
    assert old.status_code == 401
    new = client.post("/api/auth/login", json={"email": account.email, "password": "New-Secret-Pass-1"})
    assert new.status_code == 200
    refreshed = client.post("/api/auth/refresh", json={"refreshToken": account.refresh_token})
    assert refreshed.status_code == 401  # the session opened with the old password is over
    assert client.get("/api/crm/customers", headers=account.headers).status_code == 401

    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    with pytest.raises(SystemExit, match="8 to 128"):
        cli.main(["set-password", "--email", account.email, "--password-stdin"])
    with pytest.raises(SystemExit, match=r"no user nobody@example\.com"):
        cli.main(["set-password", "--email", "nobody@example.com", "--password-stdin"])


# --- mcp outside the install -----------------------------------------------------------------------


def test_mcp_location_problem(tmp_path: Path) -> None:
    assert mcp_location_problem({}, tmp_path) is not None
    assert not (tmp_path / "data").exists()
    assert mcp_location_problem({"DATA_DIR": "/srv/bizpilot/data"}, tmp_path) is None
    assert mcp_location_problem({"data_dir": "/srv/bizpilot/data"}, tmp_path) is None
    assert mcp_location_problem({"DATA_DIR": " "}, tmp_path) is not None
    assert mcp_location_problem({"DATABASE_URL": "postgresql+psycopg://x/y"}, tmp_path) is not None
    assert mcp_location_problem({"DATABASE_URL": "postgresql+psycopg://x/y", "SECRET_KEY": "k"},
                                tmp_path) is None
    (tmp_path / ".env").write_text("# the install's settings\nDATA_DIR=/srv/bizpilot/data\n")
    assert mcp_location_problem({}, tmp_path) is None
    (tmp_path / ".env").write_text("PORT=9000\n")
    assert mcp_location_problem({}, tmp_path) is not None
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "bizpilot.db").write_bytes(b"")
    assert mcp_location_problem({}, tmp_path) is None


def test_mcp_outside_the_install_exits_without_creating_data(tmp_path: Path) -> None:
    unset = ("DATA_DIR", "DATABASE_URL", "CHECKPOINT_URL", "SECRET_KEY")
    env = {k: v for k, v in os.environ.items() if k.upper() not in unset}
    done = subprocess.run([sys.executable, "-m", "bizpilot_cli.main", "mcp"], cwd=tmp_path,
                          env={**env, "PYTHONPATH": str(ROOT), "BIZPILOT_API_KEY": "bp_whatever"},
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "DATA_DIR is not set" in done.stderr and "absolute path" in done.stderr
    assert done.stdout == ""
    assert list(tmp_path.iterdir()) == []
