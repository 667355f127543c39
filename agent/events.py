"""What a conversational turn produces: the records and events every chat surface consumes
(the contract between the agent and its adapters)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

ToolStatus = Literal["running", "ok", "error", "confirmation_required", "cancelled"]


@dataclass
class ToolCallRecord:
    id: str
    name: str
    arguments: dict[str, Any]
    status: ToolStatus
    result: dict[str, Any] | None = None
    error: str | None = None


@dataclass
class TurnResult:
    conversation_id: str
    answer: str
    tool_calls: list[ToolCallRecord]
    pending_confirmation: dict[str, Any] | None
    prompt_tokens: int
    completion_tokens: int
    model: str


@dataclass
class TextDelta:
    text: str


@dataclass
class ToolStarted:
    call: ToolCallRecord


@dataclass
class ToolFinished:
    call: ToolCallRecord


@dataclass
class TurnDone:
    result: TurnResult


AgentEvent = TextDelta | ToolStarted | ToolFinished | TurnDone
