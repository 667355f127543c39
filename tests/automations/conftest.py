"""Automation tests: loopback receivers allowed (OUTBOUND_ALLOW_PRIVATE=true), no SMTP unless a
test configures one, the queue emptied, and a clock tests can move."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from automation_support import Clock
from huey import Huey
from sqlalchemy import delete

from api.ratelimit import LIMITER
from core.env import settings_env

ENV = {"OUTBOUND_ALLOW_PRIVATE": "true", "OUTBOUND_TIMEOUT_SECONDS": "5", "SMTP_HOST": ""}


@pytest.fixture(scope="module", autouse=True)
def _automation_settings() -> Iterator[None]:
    """Before the module's database fixture reads the settings; restored afterwards."""
    with settings_env(**ENV):
        yield


@pytest.fixture(autouse=True)
def _fresh_limits() -> Iterator[None]:
    LIMITER.clear()
    yield
    LIMITER.clear()


@pytest.fixture
def queue(database: str) -> Iterator[Huey]:
    """The embedded queue and the jobs table, emptied."""
    from store.db import unit_of_work
    from store.models import JobRecord
    from tools.jobs.queue import get_huey, reset_huey

    reset_huey()
    huey = get_huey()
    huey.flush()
    with unit_of_work() as session:
        session.execute(delete(JobRecord))
    yield huey
    huey.flush()
    reset_huey()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The time the job system and the automations read, moved by the test."""
    c = Clock()
    c.install(monkeypatch)
    return c
