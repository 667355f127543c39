"""Server-sent events in the OpenAI stream contract, shared by /v1 and document 002.

`data: {chunk}` frames (LF-separated, as OpenAI sends them), the role chunk first, text deltas as
the agent produces them, a `finish_reason: "stop"` chunk, the usage chunk when asked for, then
`data: [DONE]`. Once the response has started its status can no longer change, so a failure
after that point is sent as a `data: {"error": {...}}` frame and the stream ends without [DONE]
(the openai SDK raises an APIError on such a frame).
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any

from sse_starlette import EventSourceResponse

from api.chat.openai_format import ChunkMaker
from api.chat.service import Turnable, agent_service, events
from api.errors import OPENAI_TYPES
from core.errors import AIQueryFailed, AppError

log = logging.getLogger("bizpilot.chat")
DONE = "[DONE]"
PING_SECONDS = 15


def frame(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def error_frame(exc: BaseException) -> dict[str, Any]:
    """OpenAI's error object; an unexpected error is logged and described generically."""
    if isinstance(exc, AppError):
        message, status, code = exc.message, exc.status_code, exc.code
    else:
        log.error("chat stream failed", exc_info=exc)
        message, status, code = "Internal server error", 500, "INTERNAL_ERROR"
    return {"error": {"message": message, "type": OPENAI_TYPES.get(status, "api_error"),
                      "param": None, "code": code.lower()}}


async def _chunks(turn: Turnable, maker: ChunkMaker) -> AsyncIterator[dict[str, Any]]:
    service = agent_service()
    result = None
    async for event in events(turn):
        if isinstance(event, service.TextDelta):
            if event.text:
                yield maker.text(event.text)
        elif isinstance(event, service.ToolStarted):
            yield maker.tool_event("tool_started", event.call)
        elif isinstance(event, service.ToolFinished):
            yield maker.tool_event("tool_finished", event.call)
        elif isinstance(event, service.TurnDone):
            result = event.result
    if result is None:
        raise AIQueryFailed("The agent ended the turn without an answer")
    yield maker.stop(result)
    if maker.include_usage:
        yield maker.usage_chunk(result)


async def completion_frames(turn: Turnable, maker: ChunkMaker) -> AsyncIterator[str]:
    """The whole stream of one turn. The role chunk goes out before the agent starts."""
    yield frame(maker.first(turn.conversation_id))
    try:
        async for chunk in _chunks(turn, maker):
            yield frame(chunk)
    except Exception as exc:
        yield frame(error_frame(exc))
        return
    yield DONE


def sse_response(frames: AsyncIterator[str], headers: dict[str, str] | None = None) -> EventSourceResponse:
    """Pings are `:` comment lines, which SSE clients (the openai SDK included) skip."""
    return EventSourceResponse(frames, sep="\n", ping=PING_SECONDS, headers=headers)
