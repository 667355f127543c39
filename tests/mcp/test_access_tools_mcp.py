"""Revoking old API keys through MCP: a preview first, the issued token to carry it out, and
only the caller's own keys."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers import Account
from mcp import Client
from sqlalchemy import update

from core.ids import utcnow
from mcp_server.server import build_server
from store.db import unit_of_work
from store.models import ApiKey
from tools.context import Principal
from tools.identity.tokens import new_api_key

pytestmark = pytest.mark.anyio


def _key(account: Account, name: str, age_days: int) -> str:
    with unit_of_work() as session:
        row, _raw = new_api_key(session, account.tenant_id, account.user_id, name)
        session.execute(update(ApiKey).where(ApiKey.id == row.id)
                        .values(created_at=utcnow() - timedelta(days=age_days)))
        return row.id


async def test_revoke_old_keys_previews_then_revokes_only_old_own_keys(
        principal: Principal, account: Account, other_account: Account) -> None:
    old, fresh = _key(account, "old", 200), _key(account, "fresh", 1)
    theirs = _key(other_account, "theirs", 400)
    async with Client(build_server(lambda _ctx: principal, toolsets_setting="security")) as mcp:
        preview = await mcp.call_tool("revoke_api_keys", {"older_than_days": 90})
        assert preview.structured_content["status"] == "confirmation_required"
        assert [k["id"] for k in preview.structured_content["preview"]["apiKeys"]] == [old]
        token = preview.structured_content["confirmation_token"]
        done = await mcp.call_tool("revoke_api_keys", {"older_than_days": 90,
                                                       "confirmation_token": token})
        assert done.structured_content["status"] == "done"
        listed = await mcp.call_tool("list_api_keys", {})
    assert [k["id"] for k in listed.structured_content["api_keys"]] == [fresh]
    with unit_of_work() as session:
        assert session.get(ApiKey, theirs).revoked_at is None
