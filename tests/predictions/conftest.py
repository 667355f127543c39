"""Fixtures for the prediction tests: a tenant with two years of seasonal orders (built once per
module: fits are the slow part), the queue emptied, and running queued jobs in-process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from helpers import Account, register
from huey import Huey
from predictions.seasonal import Seeded, seasonal_orders

from tools.context import Principal
from tools.jobs.queue import get_huey, reset_huey


@pytest.fixture(scope="module")
def shop(client: TestClient) -> tuple[Account, Seeded]:
    """A workspace with two years of daily orders (trend and weekly seasonality)."""
    account = register(client)
    return account, seasonal_orders(account.tenant_id, name_prefix="Summit")


def principal_of(account: Account) -> Principal:
    return Principal(user_id=account.user_id, tenant_id=account.tenant_id, role="admin", email=account.email)


@pytest.fixture
def queue(database: str) -> Iterator[Huey]:
    reset_huey()
    huey = get_huey()
    huey.flush()
    yield huey
    huey.flush()
    reset_huey()
