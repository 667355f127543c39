"""MCP over stdio: `bizpilot mcp` spawned as a subprocess on the test database, acting as whoever
the credential in its environment belongs to, and refusing to start without a valid one."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import Account
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp_types import CallToolResult

ROOT = Path(__file__).resolve().parents[2]
COMMAND = [sys.executable, "-m", "bizpilot_cli.main", "mcp"]
FindCustomers = Callable[[Account, str], list[dict[str, Any]]]


def environment(database: str, **credentials: str) -> dict[str, str]:
    # JOBS_DB: the server's job queue beside the test database, not in the checkout's data/
    return {"DATABASE_URL": database, "SECRET_KEY": os.environ["SECRET_KEY"],
            "JOBS_DB": os.environ["JOBS_DB"], **credentials}


def stdio(database: str, **credentials: str) -> Client:
    params = StdioServerParameters(command=COMMAND[0], args=COMMAND[1:], cwd=ROOT,
                                   env=environment(database, **credentials))
    return Client(params)


def text_of(result: CallToolResult) -> str:
    return " ".join(getattr(block, "text", "") for block in result.content)


@pytest.mark.anyio
async def test_stdio_serves_the_tenant_of_its_credential(database: str, account: Account,
                                                         other_account: Account,
                                                         make_api_key: Callable[[Account], str],
                                                         find_customers: FindCustomers) -> None:
    name = f"Stdio {uuid.uuid4().hex[:10]}"
    async with stdio(database, BIZPILOT_API_KEY=make_api_key(account)) as mcp:
        names = {t.name for t in (await mcp.list_tools()).tools}
        made = await mcp.call_tool("create_customer", {"name": name})
        mine = await mcp.call_tool("list_customers", {"search": name})
    assert {"create_customer", "delete_customer", "search_tools", "call_tool"} <= names
    assert not made.is_error, text_of(made)
    assert [c["name"] for c in mine.structured_content["customers"]] == [name]
    assert [c["id"] for c in find_customers(account, name)] == [made.structured_content["customer"]["id"]]

    token_env = {"BIZPILOT_TOKEN": other_account.token, "BIZPILOT_TENANT_ID": other_account.tenant_id}
    async with stdio(database, **token_env) as other:
        theirs = await other.call_tool("list_customers", {"search": name})
        customer_id = made.structured_content["customer"]["id"]
        read = await other.call_tool("get_customer", {"customer_id": customer_id})
    assert theirs.structured_content["pagination"]["total"] == 0
    assert read.is_error and "not found" in text_of(read).lower()


@pytest.mark.parametrize(("credentials", "message"), [
    ({}, "BIZPILOT_API_KEY"),
    ({"BIZPILOT_API_KEY": "bp_revoked_or_never_issued"}, "API key is invalid"),
])
def test_stdio_exits_with_a_clear_message_without_a_valid_credential(
        database: str, credentials: dict[str, str], message: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIZPILOT_")}
    done = subprocess.run(COMMAND, cwd=ROOT, env={**env, **environment(database, **credentials)},
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
    assert done.returncode != 0
    assert message in done.stderr
    assert done.stdout == ""
