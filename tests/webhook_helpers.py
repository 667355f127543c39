"""Helpers of the webhook tests (a module of its own: `conftest` names clash between folders)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from helpers import Account, register


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
