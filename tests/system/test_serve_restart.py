"""`bizpilot serve` as `make run` starts it: migrates, seeds the demo tenant, prints the login;
stopping and restarting it loses nothing (data, tokens, conversations)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from helpers import free_port

ROOT = Path(__file__).resolve().parents[2]


class Server:
    def __init__(self, data_dir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "DATABASE_URL": f"sqlite:///{data_dir / 'app.db'}",
                    "CHECKPOINT_URL": str(data_dir / "checkpoints.db"), "PORT": str(self.port)}
        self.env.pop("SECRET_KEY", None)  # the server must persist its own key
        self.cwd = data_dir
        self.proc: subprocess.Popen[str] | None = None
        self.output = ""

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bizpilot_cli.main", "serve", "--host", "127.0.0.1"],
            env={**self.env, "PYTHONPATH": str(ROOT)}, cwd=self.cwd, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise AssertionError(f"server did not start:\n{self.output}")

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGINT)
        try:
            out, _ = self.proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate()
        self.output += out
        self.proc = None


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    s = Server(tmp_path)
    yield s
    s.stop()


def test_serve_seeds_demo_and_survives_restart(server: Server) -> None:
    server.start()
    login = httpx.post(f"{server.url}/api/auth/login",
                       json={"email": "owner@northwind.example.com", "password": "DemoPass123!"})
    assert login.status_code == 200, login.text
    data = login.json()["data"]
    headers = {"Authorization": f"Bearer {data['accessToken']}"}
    listed = httpx.get(f"{server.url}/api/crm/customers", headers=headers).json()
    total = listed["data"]["pagination"]["total"]
    assert total >= 200
    created = httpx.post(f"{server.url}/api/crm/customers", headers=headers,
                         json={"name": "Restart Proof", "company": "Durable Inc"})
    assert created.status_code == 201
    server.stop()
    assert "owner@northwind.example.com" in server.output and "DemoPass123!" in server.output

    server.start()  # the same data folder: seeding again must not duplicate anything
    after = httpx.get(f"{server.url}/api/crm/customers", headers=headers)
    assert after.status_code == 200, "the access token must survive a restart (persisted secret)"
    assert after.json()["data"]["pagination"]["total"] == total + 1
    refreshed = httpx.post(f"{server.url}/api/auth/refresh", json={"refreshToken": data["refreshToken"]})
    assert refreshed.status_code == 200
