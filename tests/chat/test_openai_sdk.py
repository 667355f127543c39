"""The official openai SDK, unchanged, against a real server (`/v1`), over the scripted agent;
then a few turns with the real agent and the offline model on the demo tenant."""

from __future__ import annotations

import json
from typing import Any

import httpx
import openai
import pytest
from helpers import Account, LiveServer
from openai import OpenAI

from store.db import unit_of_work
from tools.identity.tokens import new_api_key


def sdk(live_server: LiveServer, key: str) -> OpenAI:
    return OpenAI(base_url=f"{live_server.url}/v1", api_key=key, max_retries=0, timeout=20)


def user(text: str) -> dict[str, str]:
    return {"role": "user", "content": text}


def test_non_stream_completion(live_server: LiveServer, account: Account, fake_agent: Any) -> None:
    client = sdk(live_server, account.token)
    raw = client.chat.completions.with_raw_response.create(
        model="bizpilot", messages=[{"role": "system", "content": "Be brief."}, user("revenue last month?")])
    done = raw.parse()
    assert done.id.startswith("chatcmpl-") and done.object == "chat.completion" and done.created > 0
    assert done.model == "fake-agent-1" and done.system_fingerprint
    choice = done.choices[0]
    assert choice.index == 0 and choice.finish_reason == "stop" and choice.logprobs is None
    assert choice.message.role == "assistant"
    assert choice.message.content == "Revenue was $1,234.50 from 12 orders."
    assert not choice.message.tool_calls  # the agent's tools are not the client's to run
    assert done.usage is not None
    assert done.usage.total_tokens == done.usage.prompt_tokens + done.usage.completion_tokens > 0
    ext = (done.model_extra or {})["bizpilot"]
    assert ext["conversation_id"] == raw.headers["x-conversation-id"]
    assert ext["tool_calls"][0]["name"] == "revenue_for_period"


def test_stream_with_usage(live_server: LiveServer, account: Account, fake_agent: Any) -> None:
    client = sdk(live_server, account.token)
    chunks = list(client.chat.completions.create(
        model="bizpilot", messages=[user("how many customers?")], stream=True,
        stream_options={"include_usage": True}))
    first = chunks[0]
    assert first.choices[0].delta.role == "assistant" and first.choices[0].delta.content == ""
    assert {c.id for c in chunks} == {first.id} and first.id.startswith("chatcmpl-")
    for c in chunks:
        assert c.object == "chat.completion.chunk" and c.created == first.created
        assert c.model == "fake-agent-1"
    body = chunks[:-1]
    assert all(c.usage is None and len(c.choices) == 1 and c.choices[0].index == 0 for c in body)
    assert all(not c.choices[0].delta.tool_calls for c in body)
    assert "".join(c.choices[0].delta.content or "" for c in body) == "You have 3 customers."
    assert [c.choices[0].finish_reason for c in body].count("stop") == 1
    assert body[-1].choices[0].finish_reason == "stop"
    usage_chunk = chunks[-1]
    assert usage_chunk.choices == [] and usage_chunk.usage is not None and usage_chunk.usage.total_tokens > 0


def test_stream_raw_frames(live_server: LiveServer, account: Account, fake_agent: Any) -> None:
    body = {"model": "bizpilot", "stream": True, "messages": [user("revenue?")]}
    with httpx.stream("POST", f"{live_server.url}/v1/chat/completions", json=body,
                      headers=account.headers, timeout=20) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        assert r.headers["x-conversation-id"].startswith("conv_")
        text = r.read().decode()
    frames = [f for f in text.split("\n\n") if f and not f.startswith(":")]
    assert all(f.startswith("data: ") for f in frames) and frames[-1] == "data: [DONE]"
    chunks = [json.loads(f[6:]) for f in frames[:-1]]
    assert all("usage" not in c for c in chunks)  # only with stream_options.include_usage
    tool_events = [c["bizpilot"]["event"] for c in chunks if "event" in c.get("bizpilot", {})]
    assert tool_events == ["tool_started", "tool_finished"]
    assert chunks[-1]["bizpilot"]["tool_calls"][0]["result"]["orders"] == 12


def test_error_after_stream_began(live_server: LiveServer, account: Account, fake_agent: Any) -> None:
    body = {"model": "bizpilot", "stream": True, "messages": [user("explode please")]}
    with httpx.stream("POST", f"{live_server.url}/v1/chat/completions", json=body,
                      headers=account.headers, timeout=20) as r:
        assert r.status_code == 200
        payloads = [line[6:] for line in r.iter_lines() if line.startswith("data: ")]
    assert "[DONE]" not in payloads
    *chunks, last = [json.loads(p) for p in payloads]
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    assert "".join(c["choices"][0]["delta"].get("content", "") for c in chunks) == "Partial answer "
    assert last == {"error": {"message": "The model provider dropped the connection", "type": "server_error",
                              "param": None, "code": "ai_query_failed"}}
    with pytest.raises(openai.APIError, match="dropped the connection"):
        list(sdk(live_server, account.token).chat.completions.create(
            model="bizpilot", messages=[user("explode")], stream=True))


def test_failed_turn_is_not_retried(live_server: LiveServer, account: Account, fake_agent: Any) -> None:
    client = OpenAI(base_url=f"{live_server.url}/v1", api_key=account.token, max_retries=2, timeout=20)
    with pytest.raises(openai.InternalServerError) as err:
        client.chat.completions.create(model="bizpilot", messages=[user("this will fail")])
    assert err.value.code == "ai_query_failed" and err.value.type == "server_error"
    assert err.value.response.headers["x-should-retry"] == "false"
    assert len(fake_agent.calls) == 1


def test_models(live_server: LiveServer, account: Account, fake_agent: Any) -> None:
    client = sdk(live_server, account.token)
    models = client.models.list()
    assert [m.id for m in models.data] == ["bizpilot", "fake-agent-1"]
    model = models.data[1]
    assert model.object == "model" and model.owned_by == "bizpilot" and model.created > 0
    assert client.models.retrieve("fake-agent-1").id == "fake-agent-1"
    with pytest.raises(openai.NotFoundError) as err:
        client.models.retrieve("gpt-5")
    assert err.value.code == "model_not_found"


def test_unknown_model_is_404_and_runs_nothing(live_server: LiveServer, account: Account,
                                                fake_agent: Any) -> None:
    client = sdk(live_server, account.token)
    for stream in (False, True):
        with pytest.raises(openai.NotFoundError) as err:
            client.chat.completions.create(model="gpt-4o", messages=[user("hi")], stream=stream)
        assert err.value.code == "model_not_found" and err.value.type == "not_found_error"
        assert err.value.param == "model"
    assert fake_agent.calls == []
    done = client.chat.completions.create(model="fake-agent-1", messages=[user("hi")])
    assert done.choices[0].message.content


def test_auth_and_bad_requests(live_server: LiveServer, account: Account, fake_agent: Any) -> None:
    with pytest.raises(openai.AuthenticationError) as auth:
        sdk(live_server, "not-a-token").chat.completions.create(model="bizpilot", messages=[user("hi")])
    assert auth.value.type == "authentication_error"
    with pytest.raises(openai.AuthenticationError):
        sdk(live_server, "bp_revoked").models.list()
    client = sdk(live_server, account.token)
    with pytest.raises(openai.BadRequestError) as empty:
        client.chat.completions.create(model="bizpilot", messages=[])
    assert empty.value.type == "invalid_request_error" and empty.value.param == "messages"
    with pytest.raises(openai.BadRequestError, match="last message"):
        client.chat.completions.create(model="bizpilot",
                                       messages=[user("hi"), {"role": "assistant", "content": ""}])
    r = httpx.post(f"{live_server.url}/v1/chat/completions", content=b'{"messages": [', timeout=10,
                   headers={**account.headers, "Content-Type": "application/json"})
    assert r.status_code == 400
    assert r.json()["error"]["type"] == "invalid_request_error"
    assert r.json()["error"]["code"] == "invalid_json"
    r = httpx.post(f"{live_server.url}/v1/chat/completions", json={"messages": [user("hi")]}, timeout=10)
    assert r.status_code == 401 and set(r.json()["error"]) == {"message", "type", "param", "code"}


def test_api_key_and_content_parts(live_server: LiveServer, account: Account, fake_agent: Any) -> None:
    with unit_of_work() as session:
        _, raw_key = new_api_key(session, account.tenant_id, account.user_id, "sdk test")
    parts = [{"type": "text", "text": "how many"}, {"type": "image_url", "image_url": {"url": "http://x/y.png"}},
             {"type": "text", "text": "customers?"}]
    done = sdk(live_server, raw_key).chat.completions.create(
        model="bizpilot", messages=[{"role": "user", "content": parts}])  # type: ignore[misc, list-item]
    assert done.choices[0].message.content == "You have 3 customers."
    assert fake_agent.calls[-1].message == "how many\ncustomers?"


def test_stateless_follow_up_lands_on_the_same_conversation(
    live_server: LiveServer, account: Account, fake_agent: Any
) -> None:
    client = sdk(live_server, account.token)
    history: list[Any] = [{"role": "system", "content": "You are BizPilot."}, user("delete customer Acme")]
    first = client.chat.completions.with_raw_response.create(model="bizpilot", messages=history)
    conversation = first.headers["x-conversation-id"]
    history.append({"role": "assistant", "content": first.parse().choices[0].message.content})
    history.append(user("yes"))
    # streamed this time: the alias must not depend on how the previous answer was delivered
    text = "".join(c.choices[0].delta.content or "" for c in client.chat.completions.create(
        model="bizpilot", messages=history, stream=True) if c.choices)
    assert text == "Deleted Acme."
    assert fake_agent.calls[-1].conversation_id == conversation and fake_agent.calls[-1].history is None
    history += [{"role": "assistant", "content": text}, user("what did I say")]
    third = client.chat.completions.create(model="bizpilot", messages=history, user="end-user-7")
    assert third.choices[0].message.content == "You said: delete customer Acme | yes"
    assert (third.model_extra or {})["bizpilot"]["conversation_id"] == conversation


def test_unknown_transcript_seeds_history_and_explicit_ids(
    live_server: LiveServer, account: Account, fake_agent: Any
) -> None:
    client = sdk(live_server, account.token)
    messages: list[Any] = [user("earlier question"), {"role": "assistant", "content": "earlier answer"},
                           user("what did I say")]
    done = client.chat.completions.create(model="bizpilot", messages=messages)
    assert done.choices[0].message.content == "You said: earlier question"
    assert fake_agent.calls[-1].history == [{"role": "user", "content": "earlier question"},
                                            {"role": "assistant", "content": "earlier answer"}]
    conv = (done.model_extra or {})["bizpilot"]["conversation_id"]
    by_header = client.chat.completions.with_raw_response.create(
        model="bizpilot", messages=[user("hello")], extra_headers={"X-Conversation-Id": conv})
    assert by_header.headers["x-conversation-id"] == conv
    by_body = client.chat.completions.create(model="bizpilot", messages=[user("hi")],
                                             extra_body={"conversation_id": conv})
    by_metadata = client.chat.completions.create(model="bizpilot", messages=[user("hi")],
                                                 metadata={"conversation_id": conv})
    for answer in (by_body, by_metadata):
        assert (answer.model_extra or {})["bizpilot"]["conversation_id"] == conv


# --- the real agent ------------------------------------------------------------------------------


def customer_count(tenant_id: str) -> int:
    from sqlalchemy import func, select

    from store.models import Customer

    with unit_of_work(tenant_id) as session:
        return int(session.scalar(select(func.count()).select_from(Customer)) or 0)


def test_real_agent_answers_with_the_real_number(live_server: LiveServer, demo_account: Account) -> None:
    client = sdk(live_server, demo_account.token)
    done = client.chat.completions.create(model="bizpilot", messages=[user("how many customers do I have")])
    answer = done.choices[0].message.content or ""
    assert f"{customer_count(demo_account.tenant_id):,}" in answer or \
        str(customer_count(demo_account.tenant_id)) in answer, answer
    tools = (done.model_extra or {})["bizpilot"]["tool_calls"]
    assert tools and all(t["status"] == "ok" for t in tools)
    chunks = list(client.chat.completions.create(
        model="bizpilot", messages=[user("what was revenue last month?")], stream=True,
        stream_options={"include_usage": True}))
    assert chunks[0].choices[0].delta.role == "assistant" and chunks[-1].usage is not None
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices).strip()


def test_real_agent_stateless_follow_up(live_server: LiveServer, demo_account: Account) -> None:
    """A plain OpenAI client resending the transcript: "and the month before?" is understood
    because the request lands on the checkpointed conversation."""
    client = sdk(live_server, demo_account.token)
    messages: list[Any] = [user("what was revenue last month?")]
    first = client.chat.completions.with_raw_response.create(model="bizpilot", messages=messages)
    first_call = (first.parse().model_extra or {})["bizpilot"]["tool_calls"][0]
    messages += [{"role": "assistant", "content": first.parse().choices[0].message.content},
                 user("and the month before?")]
    second = client.chat.completions.with_raw_response.create(model="bizpilot", messages=messages)
    assert second.headers["x-conversation-id"] == first.headers["x-conversation-id"]
    second_call = (second.parse().model_extra or {})["bizpilot"]["tool_calls"][0]
    assert second_call["name"] == "revenue_for_period"
    assert second_call["result"]["end_date"] < first_call["result"]["start_date"]
