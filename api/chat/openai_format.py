"""OpenAI wire objects: models, chat completions and stream chunks, plus document 002's camelCase
envelope variant of the same completion.

The tools the agent ran go in a non-standard `bizpilot` field, never in `message.tool_calls` or
`delta.tool_calls`: those tell an OpenAI client that *it* must run the calls and answer with tool
messages, whereas ours have already run. Clients that don't know the field ignore it.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from typing import TYPE_CHECKING, Any

from api.chat.service import tool_call, tool_calls

if TYPE_CHECKING:
    from agent.service import ToolCallRecord, TurnResult

EXTENSION = "bizpilot"
STARTED = int(time.time())


def completion_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex}"


def now() -> int:
    return int(time.time())


def fingerprint(model: str) -> str:
    """Identifies the backend configuration, as OpenAI's `system_fingerprint` does."""
    return "fp_" + hashlib.sha256(f"bizpilot:{model}".encode()).hexdigest()[:10]


def model_object(model: dict[str, Any]) -> dict[str, Any]:
    return {"id": model["id"], "object": "model", "created": int(model.get("created") or STARTED),
            "owned_by": model.get("provider") or "bizpilot"}


def model_list(models: list[dict[str, Any]]) -> dict[str, Any]:
    return {"object": "list", "data": [model_object(m) for m in models]}


def usage(result: TurnResult) -> dict[str, int]:
    prompt, completion = int(result.prompt_tokens), int(result.completion_tokens)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def extension(result: TurnResult) -> dict[str, Any]:
    return {"conversation_id": result.conversation_id, "tool_calls": tool_calls(result),
            "pending_confirmation": result.pending_confirmation}


def completion(result: TurnResult, cid: str, created: int) -> dict[str, Any]:
    """A non-streamed `chat.completion`."""
    return {
        "id": cid, "object": "chat.completion", "created": created, "model": result.model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": result.answer,
                                             "refusal": None},
                     "finish_reason": "stop", "logprobs": None}],
        "usage": usage(result), "system_fingerprint": fingerprint(result.model),
        EXTENSION: extension(result),
    }


class ChunkMaker:
    """Stream chunks of one completion: same id, created and model on every chunk."""

    def __init__(self, model: str, *, include_usage: bool, cid: str | None = None) -> None:
        self.cid = cid or completion_id()
        self.created = now()
        self.model = model
        self.include_usage = include_usage

    def chunk(self, delta: dict[str, Any], finish_reason: str | None = None,
              ext: dict[str, Any] | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": self.cid, "object": "chat.completion.chunk", "created": self.created,
            "model": self.model, "system_fingerprint": fingerprint(self.model),
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}],
        }
        if self.include_usage:
            body["usage"] = None
        if ext is not None:
            body[EXTENSION] = ext
        return body

    def first(self, conversation_id: str) -> dict[str, Any]:
        return self.chunk({"role": "assistant", "content": ""}, ext={"conversation_id": conversation_id})

    def text(self, text: str) -> dict[str, Any]:
        return self.chunk({"content": text})

    def tool_event(self, event: str, record: ToolCallRecord) -> dict[str, Any]:
        """A tool starting or finishing: an empty delta, the call in the extension field."""
        return self.chunk({}, ext={"event": event, "tool_call": tool_call(record)})

    def stop(self, result: TurnResult) -> dict[str, Any]:
        return self.chunk({}, "stop", ext=extension(result))

    def usage_chunk(self, result: TurnResult) -> dict[str, Any]:
        return {"id": self.cid, "object": "chat.completion.chunk", "created": self.created,
                "model": self.model, "system_fingerprint": fingerprint(self.model),
                "choices": [], "usage": usage(result)}


def mcp_completion(result: TurnResult, cid: str) -> dict[str, Any]:
    """Document 002's `data`: a self-hosted model has no per-token price, so `cost` is 0."""
    u = usage(result)
    return {
        "id": cid, "object": "chat.completion", "model": result.model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": result.answer},
                     "finishReason": "stop"}],
        "usage": {"promptTokens": u["prompt_tokens"], "completionTokens": u["completion_tokens"],
                  "totalTokens": u["total_tokens"]},
        "cost": 0, "conversationId": result.conversation_id, "toolCalls": tool_calls(result),
        "pendingConfirmation": result.pending_confirmation,
    }


def mcp_model(model: dict[str, Any]) -> dict[str, Any]:
    return {"id": model["id"], "name": model.get("name") or model["id"],
            "provider": model.get("provider") or "bizpilot", "description": model.get("description") or "",
            "pricing": {"inputTokens": 0, "outputTokens": 0},
            "capabilities": list(model.get("capabilities") or [])}
