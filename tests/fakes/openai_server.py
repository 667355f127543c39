"""A local fake of the OpenAI chat-completions API, for testing the openai / openai_compatible
providers without a network.

It speaks the wire format (JSON and SSE streaming with `data: [DONE]`): to a user message it
answers with a call to `tool_name` (arguments `tool_args`); once the request carries that tool's
result it answers in text, quoting `pagination.total` when the result has one. Every request
body is kept in `requests` so tests can assert what the client sent (messages, tool schemas).
Run it with `FakeOpenAI().start()` (uvicorn on 127.0.0.1 in a thread) and `stop()`.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.fakes.local_server import LocalServer

MODEL = "fake-local-model"


@dataclass
class FakeOpenAI:
    tool_name: str = "list_customers"
    tool_args: dict[str, Any] = field(default_factory=lambda: {"limit": 5})
    api_key: str = "test-key"
    requests: list[dict[str, Any]] = field(default_factory=list)
    port: int = 0
    _local: LocalServer | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # --- lifecycle -----------------------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(routes=[
            Route("/v1/chat/completions", self._completions, methods=["POST"]),
            Route("/v1/models", self._models, methods=["GET"]),
        ])

    def start(self) -> FakeOpenAI:
        self._local = LocalServer(self.app(), self.port).start()
        self.port = self._local.port
        return self

    def stop(self) -> None:
        if self._local is not None:
            self._local.stop()

    # --- endpoints -----------------------------------------------------------------------------

    async def _models(self, _request: Request) -> Response:
        return JSONResponse({"object": "list", "data": [
            {"id": MODEL, "object": "model", "created": 0, "owned_by": "fake"}]})

    async def _completions(self, request: Request) -> Response:
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return JSONResponse(
                {"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error",
                           "param": None, "code": "invalid_api_key"}},
                status_code=401,
            )
        body = await request.json()
        self.requests.append(body)
        reply = self._reply(body["messages"])
        usage = {"prompt_tokens": 42, "completion_tokens": 7, "total_tokens": 49}
        if body.get("stream"):
            include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            return StreamingResponse(self._sse(body.get("model", MODEL), reply, usage, include_usage),
                                     media_type="text/event-stream")
        return JSONResponse(self._completion(body.get("model", MODEL), reply, usage))

    # --- behaviour -----------------------------------------------------------------------------

    def _reply(self, messages: list[dict[str, Any]]) -> dict[str, Any]:
        """A tool call for a user message; text once the tool's result is back."""
        last = messages[-1]
        if last.get("role") != "tool":
            return {"tool_call": {"id": f"call_{uuid.uuid4().hex[:12]}", "name": self.tool_name,
                                  "arguments": json.dumps(self.tool_args)}}
        try:
            result = json.loads(last.get("content") or "")
        except json.JSONDecodeError:
            return {"content": f"The tool failed: {last.get('content')}"}
        total = (result.get("pagination") or {}).get("total") if isinstance(result, dict) else None
        if total is not None:
            return {"content": f"You have {total} customers in total."}
        return {"content": "Done."}

    def _completion(self, model: str, reply: dict[str, Any], usage: dict[str, int]) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": reply.get("content")}
        finish = "stop"
        if "tool_call" in reply:
            call = reply["tool_call"]
            message["tool_calls"] = [{"id": call["id"], "type": "function",
                                      "function": {"name": call["name"],
                                                   "arguments": call["arguments"]}}]
            finish = "tool_calls"
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
            "usage": usage,
        }

    async def _sse(self, model: str, reply: dict[str, Any], usage: dict[str, int],
                   include_usage: bool) -> AsyncIterator[str]:
        base = {"id": f"chatcmpl-{uuid.uuid4().hex[:12]}", "object": "chat.completion.chunk",
                "created": int(time.time()), "model": model}

        def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
            choice = {"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}
            return f"data: {json.dumps({**base, 'choices': [choice]})}\n\n"

        yield chunk({"role": "assistant", "content": ""})
        if "tool_call" in reply:
            call = reply["tool_call"]
            yield chunk({"tool_calls": [{"index": 0, "id": call["id"], "type": "function",
                                         "function": {"name": call["name"], "arguments": ""}}]})
            args = call["arguments"]
            for i in range(0, len(args), 8):
                yield chunk({"tool_calls": [{"index": 0, "function": {"arguments": args[i:i + 8]}}]})
            yield chunk({}, "tool_calls")
        else:
            for word in str(reply["content"]).split(" "):
                yield chunk({"content": word + " "})
            yield chunk({}, "stop")
        if include_usage:
            yield f"data: {json.dumps({**base, 'choices': [], 'usage': usage})}\n\n"
        yield "data: [DONE]\n\n"
