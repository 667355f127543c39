"""The chat surfaces' one path to the agent: resolve the conversation, run or stream the turn,
remember the transcript. /v1 (OpenAI), /api/mcp (002), /api/ai/query (000) and /api/v1/chat (004)
differ only in how they read the request and format the answer.
"""

from __future__ import annotations

import dataclasses
import logging
import types
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anyio
from fastapi.encoders import jsonable_encoder

from agent import transcripts
from agent.transcripts import Resolution, Turn
from api.chat.schemas import ChatMessage
from store.db import unit_of_work
from tools.context import Principal

if TYPE_CHECKING:
    from agent.service import AgentEvent, ToolCallRecord, TurnResult

log = logging.getLogger("bizpilot.chat")


def agent_service() -> types.ModuleType:
    """The agent service, imported on first use: it pulls in langgraph and model providers, which
    start-up and the CLI should not pay for. Looked up per call, so tests can replace it."""
    from agent import service

    return service


@dataclass(frozen=True)
class Turnable:
    """A request reduced to what the agent needs, with the conversation already resolved."""

    principal: Principal
    message: str
    prior: list[Turn]
    resolution: Resolution

    @property
    def conversation_id(self) -> str:
        return self.resolution.conversation_id


def split_transcript(messages: Sequence[ChatMessage]) -> tuple[list[Turn], str]:
    """(everything before the last message, the last message's text); the schema has already
    checked that the last message is a user message with text."""
    prior = [Turn(m.role, m.text()) for m in messages[:-1]]
    return prior, messages[-1].text().strip()


def _resolve(principal: Principal, prior: list[Turn], explicit_id: str | None) -> Resolution:
    with unit_of_work() as session:
        return transcripts.resolve(session, principal, prior, explicit_id)


async def prepare(principal: Principal, message: str, *, prior: list[Turn] | None = None,
                  explicit_id: str | None = None) -> Turnable:
    prior = prior or []
    resolution = await anyio.to_thread.run_sync(_resolve, principal, prior, explicit_id)
    return Turnable(principal, message, prior, resolution)


def _remember(turn: Turnable, conversation_id: str, answers: set[str]) -> None:
    full = [[*turn.prior, Turn("user", turn.message), Turn("assistant", a)] for a in answers]
    with unit_of_work() as session:
        transcripts.remember(session, turn.principal, conversation_id, full)


async def remember(turn: Turnable, conversation_id: str, answers: set[str]) -> None:
    """A failure here costs only the stateless follow-up, not the answer: log it and go on."""
    try:
        await anyio.to_thread.run_sync(_remember, turn, conversation_id, answers)
    except Exception:
        log.exception("could not store the transcript alias of %s", conversation_id)


async def complete(turn: Turnable) -> TurnResult:
    """Run one turn to the end."""
    result: TurnResult = await agent_service().run_turn(
        turn.principal, turn.message, conversation_id=turn.conversation_id,
        history=turn.resolution.history)
    await remember(turn, result.conversation_id, {result.answer})
    return result


async def events(turn: Turnable) -> AsyncIterator[AgentEvent]:
    """The agent's events as they happen. The transcript is remembered *before* TurnDone is
    passed on, so a client that fires its next request on [DONE] already finds it; the streamed
    text is aliased too in case it differs from the final answer."""
    service = agent_service()
    streamed: list[str] = []
    stream = service.stream_turn(turn.principal, turn.message, conversation_id=turn.conversation_id,
                                 history=turn.resolution.history)
    async for event in stream:
        if isinstance(event, service.TextDelta):
            streamed.append(event.text)
        elif isinstance(event, service.TurnDone):
            answers = {event.result.answer, "".join(streamed)} if streamed else {event.result.answer}
            await remember(turn, event.result.conversation_id, answers)
        yield event


def tool_call(record: ToolCallRecord) -> dict[str, Any]:
    """A ToolCallRecord as JSON: {id, name, arguments, status, result, error}."""
    return jsonable_encoder(dataclasses.asdict(record))


def tool_calls(result: TurnResult) -> list[dict[str, Any]]:
    return [tool_call(c) for c in result.tool_calls]


# --- what a turn tells documents 000 and 004 ---------------------------------------------------

SUCCEEDED = frozenset({"ok", "confirmation_required"})
NAVIGATION: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("forecast", "predict"), "View forecasts", "/api/hubs/insights/forecasts"),
    (("revenue", "dashboard", "metric", "sales"), "View revenue dashboard", "/api/analytics/dashboard"),
    (("customer", "churn"), "View customers", "/api/crm/customers"),
    (("deal", "pipeline"), "View deal pipeline", "/api/crm/pipeline"),
    (("segment",), "View segments", "/api/segmentation/segments"),
    (("security", "mfa"), "View security score", "/api/modules/security/score"),
)


def record_count(result: dict[str, Any] | None) -> int:
    """How many records a tool result covers: a reported total (pagination or top level), else
    the rows in its lists, else one summary record."""
    if not result:
        return 0
    pagination = result.get("pagination")
    if isinstance(pagination, dict) and isinstance(pagination.get("total"), int):
        return int(pagination["total"])
    for key in ("total", "count", "orders"):
        if isinstance(result.get(key), int) and not isinstance(result.get(key), bool):
            return int(result[key])
    rows = [len(v) for v in result.values() if isinstance(v, list)]
    return sum(rows) if rows else 1


def _by_origin(result: dict[str, Any]) -> dict[str, int] | None:
    """Results that count their rows per origin (e.g. revenue's orders per sales channel)."""
    origins = result.get("sources")
    if isinstance(origins, dict) and origins and all(isinstance(n, int) for n in origins.values()):
        return {str(k): int(n) for k, n in origins.items()}
    return None


def sources(turn_result: TurnResult) -> list[dict[str, Any]]:
    """Document 000's `sources`, computed from the successful tool calls: one entry per data
    origin or, failing that, per tool, with the number of records the answer rests on."""
    totals: dict[str, int] = {}
    for call in turn_result.tool_calls:
        if call.status not in SUCCEEDED or not call.result:
            continue
        counts = _by_origin(call.result) or {call.name: record_count(call.result)}
        for kind, n in counts.items():
            totals[kind] = totals.get(kind, 0) + n
    return [{"type": kind, "dataPoints": n} for kind, n in totals.items()]


def suggested_actions(turn_result: TurnResult) -> list[dict[str, Any]]:
    """Follow-ups for document 000: answer a pending confirmation, or open the view behind the
    data the agent used."""
    actions: list[dict[str, Any]] = []
    if turn_result.pending_confirmation:
        actions += [{"label": "Confirm", "action": "reply", "message": "yes"},
                    {"label": "Cancel", "action": "reply", "message": "no"}]
    seen: set[str] = set()
    for call in turn_result.tool_calls:
        if call.status not in SUCCEEDED:
            continue
        for keywords, label, path in NAVIGATION:
            if path not in seen and any(k in call.name for k in keywords):
                seen.add(path)
                actions.append({"label": label, "action": "navigate", "path": path})
                break
    return actions


def confidence(turn_result: TurnResult) -> float:
    """Document 004's `confidence`: how far the answer rests on data that was actually read.

    - no answer: 0.0;
    - no tool used (small talk, a clarifying question, an unsupported request): 0.5, the answer
      is not grounded in the business's data;
    - tools used: 0.3 + 0.7 x (share of tool calls that succeeded), so 1.0 when every call
      succeeded and 0.3 when all of them failed. A call awaiting confirmation counts as
      succeeded (its preview read real rows); a cancelled call does not.
    """
    if not turn_result.answer.strip():
        return 0.0
    calls = [c for c in turn_result.tool_calls if c.status != "running"]
    if not calls:
        return 0.5
    succeeded = sum(1 for c in calls if c.status in SUCCEEDED)
    return round(0.3 + 0.7 * succeeded / len(calls), 2)


def query_answer(turn_result: TurnResult) -> dict[str, Any]:
    """Document 000's `data` for `POST /api/ai/query`."""
    return {"answer": turn_result.answer, "sources": sources(turn_result),
            "suggestedActions": suggested_actions(turn_result),
            "conversationId": turn_result.conversation_id, "toolCalls": tool_calls(turn_result),
            "pendingConfirmation": turn_result.pending_confirmation}


def chat_answer(turn_result: TurnResult) -> dict[str, Any]:
    """Document 004's raw body for `POST /api/v1/chat`."""
    return {"response": turn_result.answer, "confidence": confidence(turn_result),
            "conversation_id": turn_result.conversation_id, "tool_calls": tool_calls(turn_result),
            "pending_confirmation": turn_result.pending_confirmation}
