"""The agent's public API: one conversational turn, whole (`run_turn`) or streamed
(`stream_turn`). Every chat surface (the OpenAI-compatible API, the documents' assistant
endpoints, the terminal) calls these and nothing deeper.

The compiled graph, its checkpointer and the model are opened lazily, once per event loop (an
aiosqlite connection and an HTTP client belong to the loop that opened them; a server has one),
under a lock, and closed by `aclose()` on shutdown.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, SystemMessage
from langchain_core.runnables import RunnableConfig
from langgraph.errors import GraphRecursionError
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command

from agent import providers
from agent.checkpointer import OpenCheckpointer, open_checkpointer
from agent.events import (
    AgentEvent,
    TextDelta,
    ToolCallRecord,
    ToolFinished,
    ToolStarted,
    ToolStatus,
    TurnDone,
    TurnResult,
)
from agent.graph import compile_graph
from agent.state import AgentContext, AgentState, PendingConfirmation
from agent.turn import TurnRecorder
from core.errors import AIQueryFailed, AppError, ValidationFailed
from tools.context import Principal

__all__ = [
    "AgentEvent", "TextDelta", "ToolCallRecord", "ToolFinished", "ToolStarted", "ToolStatus",
    "TurnDone", "TurnResult", "aclose", "list_models", "model_name", "reset", "run_turn",
    "stream_turn",
]

log = logging.getLogger("bizpilot.agent")

RECURSION_LIMIT = 30
MAX_CONVERSATION_ID = 200
MAX_MESSAGE_CHARS = 8000  # a long pasted email fits; a megabyte of text would only stall the model


async def run_turn(principal: Principal, message: str, *, conversation_id: str | None = None,
                   history: list[dict[str, str]] | None = None) -> TurnResult:
    """One turn, answered whole."""
    async for event in stream_turn(principal, message, conversation_id=conversation_id,
                                   history=history):
        if isinstance(event, TurnDone):
            return event.result
    raise AIQueryFailed("The assistant ended the turn without an answer.")


async def stream_turn(principal: Principal, message: str, *, conversation_id: str | None = None,
                      history: list[dict[str, str]] | None = None) -> AsyncIterator[AgentEvent]:
    """One turn as events: text deltas and tool calls as they happen, then `TurnDone`.
    The concatenated deltas equal `TurnDone.result.answer`."""
    if not message or not message.strip():
        raise ValidationFailed("The message is empty",
                               details=[{"field": "message", "message": "must not be empty"}])
    if len(message) > MAX_MESSAGE_CHARS:
        raise ValidationFailed(
            "The message is too long",
            details=[{"field": "message", "message": f"at most {MAX_MESSAGE_CHARS} characters"}])
    conversation_id = _conversation_id(conversation_id)
    runtime = await _runtime()
    config = _config(principal, conversation_id)
    graph_input, resumed = await _graph_input(runtime.graph, config, message, history)
    context = AgentContext(principal, conversation_id, runtime.model.model,
                           max_tools=runtime.model.max_tools)
    turn = TurnRecorder(conversation_id, model_name())
    if resumed is not None:  # the call the user answers now: confirmed or cancelled this turn
        turn.expect(resumed)
    parts: AsyncGenerator[Any, None] = runtime.graph.astream(graph_input, config, context=context,
                                                             stream_mode=["updates", "messages"],
                                                             version="v2")  # type: ignore[assignment]
    try:
        async with aclosing(parts):  # a client that hangs up stops the run at once
            async for part in parts:
                for event in turn.consume(part):
                    yield event
    except AppError:
        raise
    except GraphRecursionError:
        raise AIQueryFailed("The assistant needed too many steps for this request; try a "
                            "simpler one.") from None
    except Exception:
        log.exception("agent turn failed")
        raise AIQueryFailed("The assistant failed to answer.") from None
    for event in turn.finish():
        yield event


def model_name() -> str:
    """The model answering chats, e.g. "bizpilot-offline" or the configured model."""
    return providers.model_name()


ASSISTANT_MODEL = "bizpilot"
"""The id clients can always name (the README's examples do): the assistant, whatever runs it."""


def list_models() -> list[dict[str, Any]]:
    """[{"id", "name", "provider", "description", "capabilities"}] for the model lists: the
    assistant's stable id first, then the model that actually answers."""
    actual = providers.describe()
    alias = {**actual, "id": ASSISTANT_MODEL, "name": "BizPilot assistant",
             "description": f"The BizPilot assistant (answers with {actual['id']})."}
    return [alias, actual] if actual["id"] != ASSISTANT_MODEL else [actual]


def new_conversation_id() -> str:
    return f"conv_{uuid.uuid4().hex}"


def thread_id(principal: Principal, conversation_id: str) -> str:
    """The checkpointer's key. Tenant and user are part of it, so a conversation id can never
    reach another tenant's or user's state (nor resume their pending confirmation)."""
    return f"{principal.tenant_id}:{principal.user_id}:{conversation_id}"


def _conversation_id(conversation_id: str | None) -> str:
    if conversation_id is None:
        return new_conversation_id()
    conversation_id = conversation_id.strip()
    if not conversation_id or len(conversation_id) > MAX_CONVERSATION_ID:
        raise ValidationFailed(
            "Invalid conversation id",
            details=[{"field": "conversation_id",
                      "message": f"1 to {MAX_CONVERSATION_ID} characters"}],
        )
    return conversation_id


def _config(principal: Principal, conversation_id: str) -> RunnableConfig:
    return {
        "configurable": {"thread_id": thread_id(principal, conversation_id)},
        "metadata": {"conversation_id": conversation_id, "tenant_id": principal.tenant_id,
                     "user_id": principal.user_id},
        "recursion_limit": RECURSION_LIMIT,
    }


async def _graph_input(
    graph: CompiledStateGraph[Any, Any, Any, Any], config: RunnableConfig, message: str,
    history: list[dict[str, str]] | None,
) -> tuple[Any, PendingConfirmation | None]:
    """Resume a pending confirmation with this message (and say which call it answers), or
    start a step with it. `history` seeds a conversation that has no state yet (clients that
    resend the whole transcript)."""
    snapshot = await graph.aget_state(config)
    pending: PendingConfirmation | None = snapshot.values.get("pending")
    if snapshot.interrupts and pending:
        return Command(resume=message), pending
    messages: list[AnyMessage] = []
    if history and not snapshot.values.get("messages"):
        messages.extend(history_messages(history))
    messages.append(HumanMessage(message))
    return {"messages": messages, "pending": None}, None


def history_messages(history: list[dict[str, Any]]) -> list[AnyMessage]:
    """OpenAI-style {role, content} dicts as LangChain messages; unknown roles are dropped."""
    kinds: dict[str, type[HumanMessage | AIMessage | SystemMessage]] = {
        "user": HumanMessage, "assistant": AIMessage, "system": SystemMessage,
        "developer": SystemMessage,
    }
    messages: list[AnyMessage] = []
    for item in history:
        kind = kinds.get(str(item.get("role", "")))
        text = _text(item.get("content"))
        if kind is not None and text:
            messages.append(kind(content=text))
    return messages


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return ""


# --- lifetime ----------------------------------------------------------------------------------


@dataclass
class _Runtime:
    loop: asyncio.AbstractEventLoop
    checkpointer: OpenCheckpointer
    graph: CompiledStateGraph[AgentState, AgentContext, AgentState, AgentState]
    model: providers.ModelHandle

    async def aclose(self) -> None:
        await self.model.aclose()
        await self.checkpointer.close()

    def abandon(self) -> None:
        try:
            self.checkpointer.abandon()
        except Exception:
            log.debug("abandoning checkpointer failed", exc_info=True)


_runtimes: dict[asyncio.AbstractEventLoop, _Runtime] = {}
_locks: dict[asyncio.AbstractEventLoop, asyncio.Lock] = {}
_guard = threading.Lock()
_model_override: BaseChatModel | None = None


async def _runtime() -> _Runtime:
    """This loop's graph, checkpointer and model, opened on first use."""
    loop = asyncio.get_running_loop()
    runtime = _runtimes.get(loop)
    if runtime is not None:
        return runtime
    with _guard:
        _prune()
        lock = _locks.setdefault(loop, asyncio.Lock())
    async with lock:
        runtime = _runtimes.get(loop)
        if runtime is None:
            runtime = await _open(loop)
            with _guard:
                _runtimes[loop] = runtime
    return runtime


async def _open(loop: asyncio.AbstractEventLoop) -> _Runtime:
    model = _build_model()
    checkpointer = await open_checkpointer()
    return _Runtime(loop, checkpointer, compile_graph(checkpointer.saver), model)


def _build_model() -> providers.ModelHandle:
    if _model_override is not None:
        return providers.ModelHandle(_model_override)
    try:
        return providers.build_model()
    except AppError:
        raise
    except Exception as exc:
        log.exception("could not build the chat model")
        raise providers.provider_failure(exc) from None


def _prune() -> None:
    """Drop runtimes whose event loop has closed (a test's, a finished `asyncio.run`)."""
    for loop in [lp for lp in _runtimes if lp.is_closed()]:
        _runtimes.pop(loop).abandon()
    for loop in [lp for lp in _locks if lp.is_closed()]:
        _locks.pop(loop, None)


async def aclose() -> None:
    """Close this loop's checkpointer and model clients (on application shutdown)."""
    loop = asyncio.get_running_loop()
    with _guard:
        runtime = _runtimes.pop(loop, None)
        _locks.pop(loop, None)
        _prune()
    if runtime is not None:
        await runtime.aclose()


def reset(*, model: BaseChatModel | None = None) -> None:
    """Forget every opened runtime so the next turn re-reads settings; with `model`, use that
    chat model instead of the configured provider (tests, embedding applications)."""
    global _model_override
    with _guard:
        runtimes = list(_runtimes.values())
        _runtimes.clear()
        _locks.clear()
        _model_override = model
    for runtime in runtimes:
        runtime.abandon()
