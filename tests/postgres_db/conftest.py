"""Run this folder's tests against a real PostgreSQL server (tests/postgres.py): the same
migrations, the same app, a fresh database per module."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import postgres
from helpers import use_database

from api.ratelimit import LIMITER


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[postgres.Server]:
    if postgres.bin_dir() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL binaries missing in CI: `make test` should have installed them")
        pytest.skip("PostgreSQL binaries not installed (run `make test` to install them)")
    server = postgres.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def database(postgres_server: postgres.Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    name = f"bizpilot_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(postgres_server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = postgres_server.url.rsplit("/", 1)[0] + f"/{name}"
    use_database(url, tmp_path_factory.mktemp("pg"))
    LIMITER.clear()
    yield url
