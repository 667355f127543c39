"""`bizpilot serve` listens on 127.0.0.1 unless told otherwise, and will not listen on an address
other machines can reach while a demo account has the password published in the README."""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import pytest
from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError
from helpers import free_port

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ("DATA_DIR", "DATABASE_URL", "CHECKPOINT_URL", "SECRET_KEY", "HOST", "PORT", "DEMO_PASSWORD")


def environment(data_dir: Path, **extra: str) -> dict[str, str]:
    """The test process's environment without any BizPilot configuration, on a new data folder."""
    env = {k: v for k, v in os.environ.items() if k.upper() not in CONFIG}
    return {**env, "PYTHONPATH": str(ROOT), "DATA_DIR": str(data_dir), **extra}


def refused(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`bizpilot serve` expected to exit on its own (killed after a minute if it serves instead)."""
    return subprocess.run([sys.executable, "-m", "bizpilot_cli.main", "serve", *args], cwd=cwd, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)


def tenants(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("select count(*) from tenants").fetchone()[0])


def test_serve_on_all_interfaces_with_the_published_demo_password_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    begun = time.monotonic()
    done = refused(tmp_path, environment(data, PORT=str(free_port())), "--host", "0.0.0.0")
    assert time.monotonic() - begun < 30
    assert done.returncode != 0
    assert "Refusing to serve on 0.0.0.0" in done.stderr
    assert "owner@northwind.example.com" in done.stderr
    assert "published demo password (DemoPass123!)" in done.stderr
    assert "DEMO_PASSWORD" in done.stderr and "set-password" in done.stderr
    assert "Serving on" not in done.stdout
    assert tenants(data / "bizpilot.db") == 0  # refused before seeding: DEMO_PASSWORD still applies

    # HOST from the environment (as `make run HOST=...` passes it), on a seeded database
    assert subprocess.run([sys.executable, "-m", "bizpilot_cli.main", "seed"], cwd=tmp_path,
                          env=environment(data), capture_output=True, timeout=60).returncode == 0
    done = refused(tmp_path, environment(data, HOST="0.0.0.0", PORT=str(free_port())))
    assert done.returncode != 0 and "Refusing to serve on 0.0.0.0" in done.stderr
    assert "bizpilot set-password --email owner@northwind.example.com" in done.stderr


class Output:
    """A server's merged stdout and stderr, read by a thread so the pipe never fills."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        self.proc, self.lines = proc, queue.Queue[str]()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, args=(proc.stdout,), daemon=True)
        self.reader.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.put(line)

    def wait_for(self, prefix: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                if self.proc.poll() is not None and not self.reader.is_alive() and self.lines.empty():
                    break
                continue
            self.seen.append(line)
            if line.startswith(prefix):
                return line.strip()
        return ""

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.reader.join(timeout=5)
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return "".join(self.seen)


def started(tmp_path: Path, env: dict[str, str], *args: str) -> Output:
    proc = subprocess.Popen([sys.executable, "-m", "bizpilot_cli.main", "serve", *args], cwd=tmp_path,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return Output(proc)


def test_serve_on_all_interfaces_with_a_private_demo_password(tmp_path: Path) -> None:
    """"Serving on ..." is printed once every check passed, just before uvicorn binds."""
    data = tmp_path / "data"
    port = free_port()
    server = started(tmp_path, environment(data, DEMO_PASSWORD="Private-Pass-77", HOST="0.0.0.0",
                                           PORT=str(port)))
    try:
        line = server.wait_for("Serving on")
    finally:
        output = server.stop()
    assert line.startswith(f"Serving on http://0.0.0.0:{port}"), output
    assert "password: Private-Pass-77" in output
    with sqlite3.connect(data / "bizpilot.db") as conn:
        [stored] = conn.execute("select password_hash from users where email = ?",
                                ("owner@northwind.example.com",)).fetchone()
    hasher = PasswordHasher()
    assert hasher.verify(stored, "Private-Pass-77")
    with pytest.raises(VerifyMismatchError):
        hasher.verify(stored, "DemoPass123!")


def test_serve_listens_on_loopback_by_default(tmp_path: Path) -> None:
    port = free_port()
    server = started(tmp_path, environment(tmp_path / "data", PORT=str(port)), "--no-seed")
    try:
        line = server.wait_for("Serving on")
    finally:
        output = server.stop()
    assert line.startswith(f"Serving on http://127.0.0.1:{port}"), output
