"""Webhook tests: a real job worker in the test process, loopback receivers allowed
(OUTBOUND_ALLOW_PRIVATE=true, as tests and local development set it), fast retries."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fakes.webhook_receiver import Receiver
from helpers import free_port

from api.ratelimit import LIMITER
from core.env import settings_env

ENV = {"OUTBOUND_ALLOW_PRIVATE": "true", "WEBHOOK_RETRY_BASE_SECONDS": "0.2",
       "OUTBOUND_TIMEOUT_SECONDS": "5"}


@pytest.fixture(scope="module", autouse=True)
def _webhook_settings() -> Iterator[None]:
    """Before the module's database fixture reads the settings; restored afterwards."""
    with settings_env(**ENV):
        yield


@pytest.fixture(scope="module")
def worker(app: Any) -> Iterator[None]:
    """A job worker in this process, on this module's database and queue file."""
    from tools.jobs import queue
    from tools.jobs import worker as jobs

    queue.reset_huey()
    jobs.start_in_process(workers=4)
    yield
    jobs.stop()
    queue.reset_huey()


@pytest.fixture(autouse=True)
def _fresh_limits() -> Iterator[None]:
    LIMITER.clear()
    yield
    LIMITER.clear()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver(free_port()).start()
    yield r
    r.stop()
