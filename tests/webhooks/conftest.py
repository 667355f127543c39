"""Webhook tests: a real job worker in the test process, loopback receivers allowed
(OUTBOUND_ALLOW_PRIVATE=true, as tests and local development set it), fast retries."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from fakes.webhook_receiver import Receiver
from helpers import free_port

from api.ratelimit import LIMITER

ENV = {"OUTBOUND_ALLOW_PRIVATE": "true", "WEBHOOK_RETRY_BASE_SECONDS": "0.2",
       "OUTBOUND_TIMEOUT_SECONDS": "5"}


@pytest.fixture(scope="module", autouse=True)
def _webhook_settings() -> Iterator[None]:
    """Before the module's database fixture reads the settings; restored afterwards."""
    from core.settings import get_settings

    saved = {k: os.environ.get(k) for k in ENV}
    os.environ.update(ENV)
    get_settings.cache_clear()
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    get_settings.cache_clear()


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
