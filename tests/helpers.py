"""Test helpers shared by every test folder (importable as `helpers`; conftest re-exports them)."""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from fastapi.testclient import TestClient

from core.settings import get_settings
from store.migrate import upgrade


def use_database(url: str, data_dir: Path) -> None:
    """Point settings at a new database and migrate it."""
    os.environ["DATABASE_URL"] = url
    os.environ["CHECKPOINT_URL"] = str(data_dir / "checkpoints.db")
    os.environ["JOBS_DB"] = str(data_dir / "jobs.db")  # the embedded job queue, beside the database
    get_settings.cache_clear()
    upgrade(url)


@dataclass
class Account:
    email: str
    password: str
    user_id: str
    tenant_id: str
    token: str
    refresh_token: str
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def register(client: TestClient, tenant_name: str | None = None, email: str | None = None,
             password: str = "SecurePass123!") -> Account:
    """Register through document 001's endpoint and return the new account."""
    email = email or f"user-{uuid.uuid4().hex[:10]}@example.com"
    body = {"email": email, "password": password, "name": "Test User",
            "tenantName": tenant_name or f"Tenant {uuid.uuid4().hex[:6]}"}
    r = client.post("/api/auth/register", json=body)
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    return Account(email, password, data["user"]["id"], data["user"]["tenantId"], data["token"],
                   data["refreshToken"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    port: int


