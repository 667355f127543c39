"""Webhook tests: a real job worker in the test process, loopback receivers allowed
(OUTBOUND_ALLOW_PRIVATE=true, as tests and local development set it), fast retries."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fakes.webhook_receiver import Receiver
from fastapi.testclient import TestClient
from helpers import Account, free_port, register

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


def with_role(client: TestClient, owner: Account, role: str) -> Account:
    """A new user who is a member of `owner`'s workspace with `role`."""
    from store.db import unit_of_work
    from store.models import Membership

    member = register(client)
    with unit_of_work() as session:
        session.add(Membership(user_id=member.user_id, tenant_id=owner.tenant_id, role=role))
    member.extra["tenant"] = owner.tenant_id
    return member


def headers(account: Account, tenant_id: str | None = None) -> dict[str, str]:
    h = dict(account.headers)
    if tenant_id:
        h["X-Tenant-Id"] = tenant_id
    return h


def eventually(check: Callable[[], Any], timeout: float = 20.0, every: float = 0.1) -> Any:
    """Poll `check` until it returns something truthy (returned) or time runs out (AssertionError)."""
    deadline = time.time() + timeout
    value = None
    while time.time() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"condition not met within {timeout}s (last value {value!r})")
