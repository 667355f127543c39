"""Run this folder's tests against a real PostgreSQL server (tests/postgres.py): the same
migrations, the same app, a fresh database per module. The server (`postgres_server`) is the
session's own, started by tests/conftest.py when first needed."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import postgres
from helpers import use_database

from api.ratelimit import LIMITER


@pytest.fixture(scope="module")
def database(postgres_server: postgres.Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = postgres.create_database(postgres_server)
    use_database(url, tmp_path_factory.mktemp("pg"))
    LIMITER.clear()
    yield url
