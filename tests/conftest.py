"""Shared fixtures: a fresh migrated database per test module, the app, accounts, a live server.

Environment is set before any app module reads settings. Password hashing is cheap here only.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator

import pytest

os.environ.update(
    SECRET_KEY="test-secret-key-that-is-long-enough-for-hs256-0123456789",
    ARGON2_TIME_COST="1",
    ARGON2_MEMORY_COST="1024",
    ARGON2_PARALLELISM="1",
    LLM_PROVIDER="offline",
    OPENAI_API_KEY="",
    ANTHROPIC_API_KEY="",
    RUN_WORKER="false",  # a test that needs a job worker starts one (tests/jobs)
    REDIS_URL="",
)

import postgres
import redis_server as redis_server_module
from fastapi import FastAPI
from fastapi.testclient import TestClient
from helpers import Account, LiveServer, free_port, register, use_database

from api.ratelimit import LIMITER
from core.settings import get_settings


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[postgres.Server]:
    """One throwaway PostgreSQL for the session, started when a test first asks for it."""
    if postgres.bin_dir() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL binaries missing in CI: `make test` should have installed them")
        pytest.skip("PostgreSQL binaries not installed (run `make test` to install them)")
    server = postgres.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[redis_server_module.Server]:
    """One throwaway Redis for the session (no persistence), started when a test first asks."""
    if redis_server_module.binary() is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server missing in CI: `make test` should have installed it")
        pytest.skip("redis-server not installed (run `make test` to install it)")
    server = redis_server_module.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("db")
    url = f"sqlite:///{data_dir / 'test.db'}"
    use_database(url, data_dir)
    LIMITER.clear()
    yield url


@pytest.fixture(scope="module")
def app(database: str) -> FastAPI:
    from api.app import create_app

    return create_app()


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def account(client: TestClient) -> Account:
    return register(client)


@pytest.fixture
def other_account(client: TestClient) -> Account:
    """A second, unrelated tenant: for isolation tests."""
    return register(client)


@pytest.fixture(scope="module")
def live_server(app: FastAPI) -> Iterator[LiveServer]:
    """The app on a real uvicorn socket: for the openai SDK, the mcp HTTP client and streaming."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 15
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    assert server.started, "live server did not start"
    yield LiveServer(f"http://127.0.0.1:{port}", port)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def demo_account(client: TestClient) -> Account:
    """The seeded demo tenant (two years of orders, customers, deals), logged in as its owner."""
    from store import demo
    from store.db import unit_of_work
    from tools.identity.passwords import hash_password

    settings = get_settings()
    with unit_of_work() as session:
        demo.seed(session, email=settings.demo_email, password_hash=hash_password,
                  password=settings.demo_password)
    LIMITER.clear()  # a module's many tests each log the demo owner in: no brute force to limit
    r = client.post("/api/auth/login",
                    json={"email": settings.demo_email, "password": settings.demo_password})
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    return Account(settings.demo_email, settings.demo_password, data["user"]["id"],
                   data["user"]["tenantId"], data["accessToken"], data["refreshToken"])
