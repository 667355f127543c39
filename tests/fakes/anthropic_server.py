"""A local fake of Anthropic's Messages API (POST /v1/messages), for testing the anthropic
provider without a network.

It speaks the wire format, JSON and SSE (message_start, content_block_start/delta/stop with
text_delta and input_json_delta, message_delta, message_stop): to a user message it answers
with a `tool_use` block for `tool_name`; once the request carries that tool's `tool_result` it
answers in text, quoting `pagination.total` when the result has one. Requests are kept in
`requests`; the key is accepted from `x-api-key` or a Bearer header (SDK 2.x sends the latter).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.fakes.local_server import LocalServer

MODEL = "claude-fake-local"
USAGE = {"input_tokens": 40, "output_tokens": 9}


@dataclass
class FakeAnthropic:
    tool_name: str = "list_customers"
    tool_args: dict[str, Any] = field(default_factory=lambda: {"limit": 5})
    api_key: str = "sk-ant-test-key"
    requests: list[dict[str, Any]] = field(default_factory=list)
    port: int = 0
    _local: LocalServer | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeAnthropic:
        app = Starlette(routes=[Route("/v1/messages", self._messages, methods=["POST"])])
        self._local = LocalServer(app, self.port).start()
        self.port = self._local.port
        return self

    def stop(self) -> None:
        if self._local is not None:
            self._local.stop()

    async def _messages(self, request: Request) -> Response:
        presented = {request.headers.get("x-api-key"), request.headers.get("authorization")}
        if not presented & {self.api_key, f"Bearer {self.api_key}"}:
            return JSONResponse({"type": "error", "error": {"type": "authentication_error",
                                                            "message": "invalid x-api-key"}},
                                status_code=401)
        body = await request.json()
        self.requests.append(body)
        blocks = self._reply(body["messages"])
        if body.get("stream"):
            return StreamingResponse(self._sse(body.get("model", MODEL), blocks),
                                     media_type="text/event-stream")
        return JSONResponse(self._message(body.get("model", MODEL), blocks))

    def _reply(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        last = messages[-1]
        content = last.get("content")
        results = [b for b in content if b.get("type") == "tool_result"] if isinstance(content, list) else []
        if not results:
            return [{"type": "tool_use", "id": f"toolu_{uuid.uuid4().hex[:12]}",
                     "name": self.tool_name, "input": self.tool_args}]
        raw = results[0].get("content")
        text = raw if isinstance(raw, str) else "".join(p.get("text", "") for p in raw or [])
        try:
            total = (json.loads(text).get("pagination") or {}).get("total")
        except (json.JSONDecodeError, AttributeError):
            total = None
        answer = f"You have {total} customers in total." if total is not None else "Done."
        return [{"type": "text", "text": answer}]

    @staticmethod
    def _stop_reason(blocks: list[dict[str, Any]]) -> str:
        return "tool_use" if any(b["type"] == "tool_use" for b in blocks) else "end_turn"

    def _message(self, model: str, blocks: list[dict[str, Any]]) -> dict[str, Any]:
        return {"id": f"msg_{uuid.uuid4().hex[:12]}", "type": "message", "role": "assistant",
                "model": model, "content": blocks, "stop_reason": self._stop_reason(blocks),
                "stop_sequence": None, "usage": USAGE}

    async def _sse(self, model: str, blocks: list[dict[str, Any]]) -> AsyncIterator[str]:
        def event(name: str, data: dict[str, Any]) -> str:
            return f"event: {name}\ndata: {json.dumps({'type': name, **data})}\n\n"

        start = {**self._message(model, []), "stop_reason": None,
                 "usage": {"input_tokens": USAGE["input_tokens"], "output_tokens": 1}}
        yield event("message_start", {"message": start})
        for index, block in enumerate(blocks):
            if block["type"] == "tool_use":
                yield event("content_block_start", {"index": index,
                                                    "content_block": {**block, "input": {}}})
                args = json.dumps(block["input"])
                for i in range(0, len(args), 6):
                    yield event("content_block_delta", {"index": index, "delta": {
                        "type": "input_json_delta", "partial_json": args[i:i + 6]}})
            else:
                yield event("content_block_start", {"index": index,
                                                    "content_block": {"type": "text", "text": ""}})
                for word in block["text"].split(" "):
                    yield event("content_block_delta", {"index": index, "delta": {
                        "type": "text_delta", "text": word + " "}})
            yield event("content_block_stop", {"index": index})
        yield event("message_delta", {"delta": {"stop_reason": self._stop_reason(blocks),
                                                "stop_sequence": None},
                                      "usage": {"output_tokens": USAGE["output_tokens"]}})
        yield event("message_stop", {})
