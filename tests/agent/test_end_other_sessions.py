"""Signing out everywhere else through the assistant: the preview names how many sessions end,
nothing ends before the owner confirms, then every other session of the owner stops working
while the one in use, and another user's, go on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from agent import service
from core.settings import get_settings
from tests.helpers import register
from tools.context import Principal
from tools.identity.tokens import decode_access

pytestmark = pytest.mark.anyio


def _login(client: TestClient, email: str, password: str) -> dict[str, Any]:
    r = client.post("/api/auth/login", json={"email": email, "password": password})
    assert r.status_code == 200, r.text
    return dict(r.json()["data"])


def _works(client: TestClient, access: str) -> bool:
    return client.get("/api/users/me", headers={"Authorization": f"Bearer {access}"}).status_code == 200


@pytest.fixture
def fresh_service(client: TestClient) -> Iterator[None]:
    get_settings.cache_clear()
    service.reset()
    yield
    service.reset()


async def test_the_owner_signs_out_everywhere_else_after_confirming(
        client: TestClient, fresh_service: None, agent_closed: None) -> None:
    owner, stranger = register(client), register(client)
    elsewhere = [_login(client, owner.email, owner.password) for _ in range(2)]
    claims = decode_access(owner.token)
    me = Principal(user_id=owner.user_id, tenant_id=owner.tenant_id, role="admin", email=owner.email,
                   family_id=claims.family_id)

    asked = await service.run_turn(me, "sign me out of every other session")
    assert [c.name for c in asked.tool_calls] == ["end_other_sessions"]
    assert "sign out 2 other sessions" in asked.answer and "confirm" in asked.answer.lower()
    assert all(_works(client, s["accessToken"]) for s in elsewhere)  # nothing ended yet

    done = await service.run_turn(me, "yes", conversation_id=asked.conversation_id)
    assert "Signed out 2 other sessions" in done.answer
    assert not any(_works(client, s["accessToken"]) for s in elsewhere)
    refreshed = client.post("/api/auth/refresh", json={"refreshToken": elsewhere[0]["refreshToken"]})
    assert refreshed.status_code == 401
    assert _works(client, owner.token) and _works(client, stranger.token)
    assert client.get("/api/v1/sessions", headers=owner.headers).json()["total"] == 1
