"""Documents 000 (/api/ai/query), 002 (/api/mcp/...) and 004 (/api/v1/chat) over the scripted
agent: response shapes, computed fields, conversations, tenant isolation, errors."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient
from helpers import Account, register


def ask(client: TestClient, account: Account, query: str, conversation: str | None = None) -> Any:
    body: dict[str, Any] = {"query": query, "context": {"module": "mini-foundry"}}
    if conversation:
        body["context"]["conversationId"] = conversation
    return client.post("/api/ai/query", json=body, headers=account.headers)


# --- 000 -----------------------------------------------------------------------------------------


def test_ai_query_shape_and_derived_fields(client: TestClient, account: Account, fake_agent: Any) -> None:
    r = ask(client, account, "What was my revenue last month?")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["success"] is True and body["error"] is None and body["meta"]["requestId"]
    data = body["data"]
    assert data["answer"] == "Revenue was $1,234.50 from 12 orders."
    assert data["sources"] == [{"type": "shopify", "dataPoints": 8}, {"type": "stripe", "dataPoints": 4}]
    assert {"label": "View revenue dashboard", "action": "navigate",
            "path": "/api/analytics/dashboard"} in data["suggestedActions"]
    assert data["conversationId"] == r.headers["X-Conversation-Id"]
    assert data["toolCalls"][0]["name"] == "revenue_for_period" and data["toolCalls"][0]["status"] == "ok"
    assert data["pendingConfirmation"] is None
    assert r.headers["X-RateLimit-Limit"] == "30"


def test_ai_query_sources_count_records(client: TestClient, account: Account, fake_agent: Any) -> None:
    data = ask(client, account, "how many customers do I have").json()["data"]
    assert data["sources"] == [{"type": "list_customers", "dataPoints": 3}]
    assert data["suggestedActions"][0]["path"] == "/api/crm/customers"
    assert ask(client, account, "hello").json()["data"]["sources"] == []


def test_ai_query_confirmation_then_yes(client: TestClient, account: Account, fake_agent: Any) -> None:
    first = ask(client, account, "delete customer Acme").json()["data"]
    assert first["pendingConfirmation"]["tool"] == "delete_customer"
    assert {"label": "Confirm", "action": "reply", "message": "yes"} in first["suggestedActions"]
    second = ask(client, account, "yes", first["conversationId"]).json()["data"]
    assert second["answer"] == "Deleted Acme."
    assert second["conversationId"] == first["conversationId"]
    assert second["toolCalls"][0]["status"] == "ok"


def test_ai_query_errors(client: TestClient, account: Account, fake_agent: Any) -> None:
    r = ask(client, account, "this will fail")
    assert r.status_code == 500
    assert r.json()["error"]["code"] == "AI_QUERY_FAILED" and r.json()["success"] is False
    r = client.post("/api/ai/query", json={"query": "  "}, headers=account.headers)
    assert r.status_code == 422 and r.json()["error"]["code"] == "VALIDATION_ERROR"
    r = client.post("/api/ai/query", json={"query": "hi"}, headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401 and r.json()["success"] is False


def test_conversation_id_of_another_tenant_is_not_shared(
    client: TestClient, account: Account, other_account: Account, fake_agent: Any
) -> None:
    a = ask(client, account, "my secret is 42").json()["data"]
    b = ask(client, other_account, "what did I say", a["conversationId"]).json()["data"]
    assert b["conversationId"] != a["conversationId"]
    assert "42" not in b["answer"] and b["answer"] == "You said: nothing yet"
    assert fake_agent.calls[-1].conversation_id == b["conversationId"]
    again = ask(client, account, "what did I say", a["conversationId"]).json()["data"]
    assert again["conversationId"] == a["conversationId"] and "my secret is 42" in again["answer"]


# --- 002 -----------------------------------------------------------------------------------------


def test_mcp_models(client: TestClient, account: Account, fake_agent: Any) -> None:
    r = client.get("/api/mcp/models", headers=account.headers)
    assert r.status_code == 200
    model = r.json()["data"][0]
    assert set(model) == {"id", "name", "provider", "description", "pricing", "capabilities"}
    assert model["pricing"] == {"inputTokens": 0, "outputTokens": 0}
    assert r.headers["X-RateLimit-Limit"] == "60"
    assert client.get("/api/mcp/models").status_code == 401


def test_mcp_chat_completion(client: TestClient, account: Account, fake_agent: Any) -> None:
    body = {"model": "gpt-4", "maxTokens": 1000, "temperature": 0.7, "stream": False,
            "messages": [{"role": "system", "content": "You are helpful."},
                         {"role": "user", "content": "revenue last month?"}]}
    r = client.post("/api/mcp/chat/completions", json=body, headers=account.headers)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["id"].startswith("chatcmpl-") and data["model"] == "fake-agent-1"
    message = {"role": "assistant", "content": "Revenue was $1,234.50 from 12 orders."}
    assert data["choices"] == [{"index": 0, "finishReason": "stop", "message": message}]
    usage = data["usage"]
    assert usage["totalTokens"] == usage["promptTokens"] + usage["completionTokens"] > 0
    assert data["cost"] == 0 and data["conversationId"]
    assert data["toolCalls"][0]["name"] == "revenue_for_period"


def test_mcp_chat_validation(client: TestClient, account: Account, fake_agent: Any) -> None:
    body = {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]}
    r = client.post("/api/mcp/chat/completions", json=body, headers=account.headers)
    assert r.status_code == 422 and r.json()["error"]["fields"]["messages"]
    r = client.post("/api/mcp/chat/completions", json={"messages": []}, headers=account.headers)
    assert r.status_code == 422


def sse_payloads(text: str) -> list[str]:
    return [line[len("data: "):] for line in text.split("\n") if line.startswith("data: ")]


def test_mcp_chat_stream(client: TestClient, account: Account, fake_agent: Any) -> None:
    body = {"model": "gpt-4", "stream": True, "streamOptions": {"includeUsage": True},
            "messages": [{"role": "user", "content": "how many customers?"}]}
    with client.stream("POST", "/api/mcp/chat/completions", json=body, headers=account.headers) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        conversation = r.headers["X-Conversation-Id"]
        payloads = sse_payloads(r.read().decode())
    assert payloads[-1] == "[DONE]"
    chunks = [json.loads(p) for p in payloads[:-1]]
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert len({c["id"] for c in chunks}) == 1
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
    assert text == "You have 3 customers."
    tools = [c["bizpilot"]["tool_call"]["name"] for c in chunks if "tool_call" in c.get("bizpilot", {})]
    assert tools == ["list_customers", "list_customers"]
    stop = chunks[-2]
    assert stop["choices"][0]["finish_reason"] == "stop"
    assert stop["bizpilot"]["conversation_id"] == conversation
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["total_tokens"] > 0


# --- 004 -----------------------------------------------------------------------------------------


def test_v1_chat_shape_and_confidence(client: TestClient, account: Account, fake_agent: Any) -> None:
    body = {"message": "How many customers do I have?",
            "context": {"workspace_id": account.tenant_id, "user_id": "someone-else"}}
    r = client.post("/api/v1/chat", json=body, headers=account.headers)
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["response"] == "You have 3 customers." and data["confidence"] == 1.0
    assert data["conversation_id"] == r.headers["X-Conversation-Id"]
    assert data["tool_calls"][0]["result"]["pagination"]["total"] == 3
    assert fake_agent.calls[-1].principal.user_id == account.user_id
    chat = client.post("/api/v1/chat", json={"message": "hello"}, headers=account.headers).json()
    assert chat["confidence"] == 0.5 and chat["tool_calls"] == []
    broken = client.post("/api/v1/chat", json={"message": "broken"}, headers=account.headers).json()
    assert broken["confidence"] == 0.65


def test_v1_chat_workspace_selection(
    client: TestClient, account: Account, other_account: Account, fake_agent: Any
) -> None:
    body = {"message": "hello", "context": {"workspace_id": other_account.tenant_id}}
    r = client.post("/api/v1/chat", json=body, headers=account.headers)
    assert r.status_code == 404
    assert r.json()["success"] is False and r.json()["error"] == "Workspace not found"
    # a second workspace of the caller's own is selectable
    created = client.post("/api/v1/workspaces", json={"name": "Second shop"}, headers=account.headers)
    assert created.status_code == 201, created.text
    second = created.json()["id"]
    body["context"] = {"workspace_id": second}
    assert client.post("/api/v1/chat", json=body, headers=account.headers).status_code == 200
    assert fake_agent.calls[-1].principal.tenant_id == second


def test_v1_chat_confirmation_and_errors(client: TestClient, account: Account, fake_agent: Any) -> None:
    first = client.post("/api/v1/chat", json={"message": "delete Acme"}, headers=account.headers).json()
    assert first["pending_confirmation"]
    body = {"message": "yes", "context": {"conversation_id": first["conversation_id"]}}
    second = client.post("/api/v1/chat", json=body, headers=account.headers).json()
    assert second["response"] == "Deleted Acme." and second["conversation_id"] == first["conversation_id"]
    r = client.post("/api/v1/chat", json={"message": "hi"})
    assert r.status_code == 401 and r.json()["success"] is False and isinstance(r.json()["error"], str)
    r = client.post("/api/v1/chat", json={"message": ""}, headers=account.headers)
    assert r.status_code == 422


def test_ai_surfaces_share_one_conversation_store(client: TestClient, fake_agent: Any) -> None:
    """A conversation started on 004 continues on 000 for the same caller."""
    account = register(client)
    first = client.post("/api/v1/chat", json={"message": "delete Acme"}, headers=account.headers).json()
    data = ask(client, account, "yes", first["conversation_id"]).json()["data"]
    assert data["answer"] == "Deleted Acme."


# --- the real agent (offline model) --------------------------------------------------------------


def new_customer(client: TestClient, account: Account, name: str) -> str:
    r = client.post("/api/crm/customers", json={"name": name, "email": f"{name.split()[0].lower()}@x.io"},
                    headers=account.headers)
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    return str(data.get("customer", data)["id"])


def test_real_agent_confirmation_through_each_surface(client: TestClient) -> None:
    """A delete asks first; "yes" in the next message of the same conversation carries it out,
    on 000 (context.conversationId), 004 (context.conversation_id) and 002 (stateless)."""
    account = register(client)
    ids = {name: new_customer(client, account, name) for name in ("Zoe Quill", "Yann Brook", "Xena Frost")}

    first = ask(client, account, "delete customer Zoe Quill").json()["data"]
    assert first["pendingConfirmation"] and "Zoe Quill" in first["answer"]
    done = ask(client, account, "yes", first["conversationId"]).json()["data"]
    assert done["conversationId"] == first["conversationId"] and done["toolCalls"][-1]["status"] == "ok"

    body: dict[str, Any] = {"message": "delete customer Yann Brook"}
    v1 = client.post("/api/v1/chat", json=body, headers=account.headers).json()
    assert v1["pending_confirmation"]
    context = {"conversation_id": v1["conversation_id"], "workspace_id": account.tenant_id}
    body = {"message": "yes", "context": context}
    assert client.post("/api/v1/chat", json=body, headers=account.headers).json()["confidence"] == 1.0

    messages = [{"role": "user", "content": "delete customer Xena Frost"}]
    r = client.post("/api/mcp/chat/completions", json={"messages": messages}, headers=account.headers)
    messages += [r.json()["data"]["choices"][0]["message"], {"role": "user", "content": "yes"}]
    r = client.post("/api/mcp/chat/completions", json={"messages": messages}, headers=account.headers)
    assert r.json()["data"]["conversationId"] == r.headers["X-Conversation-Id"]

    for customer_id in ids.values():
        assert client.get(f"/api/crm/customers/{customer_id}", headers=account.headers).status_code == 404


def test_real_agent_ai_query_on_demo_data(client: TestClient, demo_account: Account) -> None:
    data = ask(client, demo_account, "What was my revenue last month?").json()["data"]
    call = data["toolCalls"][0]
    assert call["name"] == "revenue_for_period"
    by_origin = call["result"]["sources"]
    assert sorted(data["sources"], key=lambda s: s["type"]) == [
        {"type": k, "dataPoints": v} for k, v in sorted(by_origin.items())]
    assert sum(s["dataPoints"] for s in data["sources"]) == call["result"]["orders"]
    assert data["suggestedActions"][0]["path"] == "/api/analytics/dashboard"


def test_overlong_messages_are_refused_not_processed(client: TestClient, account: Account) -> None:
    """A megabyte of text would only stall the model: refused with a validation error."""
    huge = "0" * 9000
    r = client.post("/api/ai/query", headers=account.headers, json={"query": huge})
    assert r.status_code == 422 and r.json()["error"]["code"] == "VALIDATION_ERROR"
    r = client.post("/v1/chat/completions", headers=account.headers,
                    json={"model": "bizpilot", "messages": [{"role": "user", "content": huge}]})
    assert r.status_code in (400, 422) and "error" in r.json()
