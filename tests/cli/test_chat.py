"""`bizpilot chat`: against a running server (`--url`, the OpenAI-compatible stream) and on the
local database; answers carry no tool traces unless `--verbose`, and confirmations still work."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from helpers import Account, LiveServer, free_port, register

from agent import remote_chat, terminal
from agent.remote_chat import Reply, base_url, render, sse_payloads
from store.db import unit_of_work
from tools.identity.tokens import new_api_key

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "how many customers do I have?\nexit\n"


def remote(live_server: LiveServer, token: str, script: str, *, verbose: bool = False,
           conversation_id: str | None = None) -> tuple[str, str | None]:
    out = io.StringIO()
    with remote_chat.client_for(live_server.url, token) as client:
        conv = remote_chat.chat(client, conversation_id, io.StringIO(script), out, verbose=verbose)
    return out.getvalue(), conv


def api_key(account: Account) -> str:
    with unit_of_work() as session:
        return new_api_key(session, account.tenant_id, account.user_id, "chat-test")[1]


def customer_count(client: TestClient, account: Account) -> int:
    r = client.get("/api/crm/customers", headers=account.headers)
    return int(r.json()["data"]["pagination"]["total"])


# --- the protocol, without a server --------------------------------------------------------------


def test_stream_payloads_are_rendered_without_traces_unless_verbose() -> None:
    lines = [
        ": ping", "",
        'data: {"choices":[{"delta":{"role":"assistant","content":""}}],'
        '"bizpilot":{"conversation_id":"conv_1"}}',
        'data: {"choices":[{"delta":{}}],'
        '"bizpilot":{"event":"tool_started","tool_call":{"name":"list_customers"}}}',
        'data: {"choices":[{"delta":{}}],"bizpilot":{"event":"tool_finished",'
        '"tool_call":{"name":"list_customers","status":"ok"}}}',
        'data: {"choices":[{"delta":{"content":"You have "}}]}',
        'data: {"choices":[{"delta":{"content":"240 customers."}}]}',
        'data: {"choices":[{"delta":{},"finish_reason":"stop"}],"bizpilot":{"conversation_id":"conv_1",'
        '"tool_calls":[],"pending_confirmation":null}}',
        "data: [DONE]",
        'data: {"never":"read"}',
    ]
    for verbose, expected in ((False, "You have 240 customers."),
                              (True, "[list_customers: ok] You have 240 customers.")):
        reply = Reply()
        printed = "".join(render(p, reply, verbose=verbose) for p in sse_payloads(lines))
        assert printed == expected
        assert reply.done and reply.conversation_id == "conv_1" and reply.text == "You have 240 customers."
        assert [c["name"] for c in reply.tool_calls] == ["list_customers"]

    failed = Reply()
    frame = 'data: {"error":{"message":"The model provider is unavailable","code":"ai_query_failed"}}'
    assert render(next(sse_payloads([frame])), failed, verbose=False) == (
        "Sorry: The model provider is unavailable")
    assert not failed.done


@pytest.mark.parametrize(("typed", "root"), [
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    ("http://127.0.0.1:8000/v1/", "http://127.0.0.1:8000"),
    ("localhost:8000", "http://localhost:8000"),
    ("https://pilot.example.com/", "https://pilot.example.com"),
])
def test_base_url(typed: str, root: str) -> None:
    assert base_url(typed) == root


# --- against the real app on a socket ------------------------------------------------------------


def test_remote_chat_answers_without_traces(live_server: LiveServer, client: TestClient,
                                            demo_account: Account) -> None:
    total = customer_count(client, demo_account)
    text, conv = remote(live_server, demo_account.token, QUESTION)
    assert f"bizpilot> You have {total} customers." in text
    assert "[list_customers" not in text and "[" not in text.split("bizpilot>", 1)[1]
    assert conv is not None and conv.startswith("conv_")

    verbose, _ = remote(live_server, api_key(demo_account), QUESTION, verbose=True)
    assert f"[list_customers: ok] You have {total} customers." in verbose


def test_remote_chat_confirms_a_delete_with_yes(live_server: LiveServer, client: TestClient) -> None:
    account = register(client)
    r = client.post("/api/crm/customers", json={"name": "Wanda Pike"}, headers=account.headers)
    assert r.status_code == 201, r.text
    text, conv = remote(live_server, api_key(account), "delete customer Wanda Pike\nyes\n")
    asked, done = text.split("bizpilot> ")[1:3]
    assert "Wanda Pike" in asked and "yes" in asked.lower()
    assert "Deleted customer Wanda Pike" in done and "[" not in done
    assert customer_count(client, account) == 0

    follow_up, same = remote(live_server, account.token, "how many customers do I have?\n",
                             conversation_id=conv)
    assert same == conv and "bizpilot> " in follow_up


def test_remote_chat_refuses_a_bad_token_or_no_server(live_server: LiveServer) -> None:
    with pytest.raises(remote_chat.RemoteError, match="refused the credential"):
        remote(live_server, "bp_not_a_real_key", QUESTION)
    with pytest.raises(remote_chat.RemoteError, match="Cannot reach"):
        with remote_chat.client_for(f"http://127.0.0.1:{free_port()}", "x") as client:
            remote_chat.chat(client, None, io.StringIO(QUESTION), io.StringIO())


def cli(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("BIZPILOT_")}
    return subprocess.run([sys.executable, "-m", "bizpilot_cli.main", "chat", *args], input=stdin,
                          env={**base, "PYTHONPATH": str(ROOT), **(env or {})}, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_chat_command_against_a_server(live_server: LiveServer, client: TestClient,
                                       demo_account: Account) -> None:
    total = customer_count(client, demo_account)
    done = cli("--url", f"{live_server.url}/v1", stdin=QUESTION,
               env={"BIZPILOT_API_KEY": api_key(demo_account)})
    assert done.returncode == 0, done.stderr
    assert f"You have {total} customers." in done.stdout and "[list_customers" not in done.stdout
    assert f"bizpilot chat --url {live_server.url} --conversation conv_" in done.stdout

    verbose = cli("--verbose", stdin=QUESTION,
                  env={"BIZPILOT_URL": live_server.url, "BIZPILOT_TOKEN": demo_account.token})
    assert verbose.returncode == 0, verbose.stderr
    assert "[list_customers: ok]" in verbose.stdout

    refused = cli("--url", live_server.url, "--token", "bp_wrong", stdin=QUESTION)
    assert refused.returncode != 0 and "refused the credential" in refused.stderr
    missing = cli("--url", live_server.url, stdin=QUESTION)
    assert missing.returncode != 0 and "--token" in missing.stderr


# --- on the local database -----------------------------------------------------------------------


def local(account: Account, script: str, *, verbose: bool) -> str:
    out = io.StringIO()
    principal = terminal.resolve_principal(account.email)
    asyncio.run(terminal.chat(principal, None, io.StringIO(script), out, verbose=verbose))
    return out.getvalue()


def test_local_chat_answers_without_traces(client: TestClient, demo_account: Account) -> None:
    total = customer_count(client, demo_account)
    text = local(demo_account, QUESTION, verbose=False)
    assert f"bizpilot> You have {total} customers." in text and "[list_customers" not in text
    assert f"[list_customers: ok] You have {total} customers." in local(demo_account, QUESTION,
                                                                        verbose=True)


def test_local_chat_confirms_a_delete_with_yes(client: TestClient) -> None:
    account = register(client)
    r = client.post("/api/crm/customers", json={"name": "Otto Lund"}, headers=account.headers)
    assert r.status_code == 201, r.text
    text = local(account, "delete customer Otto Lund\nyes\nexit\n", verbose=False)
    assert "Deleted customer Otto Lund" in text and "[delete_customer" not in text
    assert customer_count(client, account) == 0


def test_remote_chat_imports_no_agent_or_database() -> None:
    """The client side of `chat --url` needs httpx only: no agent, model or database."""
    code = ("import sys, agent.remote_chat; "
            "print(sorted(m for m in sys.modules if m.startswith(('agent.', 'store', 'langgraph'))))")
    done = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "['agent.remote_chat']", done.stderr
