"""The conversation as turns: each user message with the tool calls and results that followed and
the answer that ended it.

The offline model is stateless: every call re-reads the messages, so multi-step requests,
questions awaiting an answer and follow-ups are rebuilt from what is on the record (calls made,
results returned), never from hidden state a checkpointer could drop. Which turns were read is
kept, so the token usage counts only what the model looked at.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

CANCELLED = "cancelled by the user"


def _snake(key: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key).lower()


def snake_keys(value: Any) -> Any:
    """Tool JSON may arrive camelCased (the /api surfaces); read it one way."""
    if isinstance(value, dict):
        return {_snake(str(k)): snake_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [snake_keys(v) for v in value]
    return value


def text_of(message: BaseMessage) -> str:
    content = message.content
    if isinstance(content, str):
        return content
    return "".join(
        b if isinstance(b, str) else str(b.get("text", ""))
        for b in content
        if isinstance(b, str) or (isinstance(b, dict) and b.get("type") == "text")
    )


@dataclass
class Step:
    """One tool call and, once it ran, its output (the tool's JSON, or "Error: CODE: message")."""

    name: str
    args: dict[str, Any]
    call_id: str
    output: str | None = None

    @property
    def data(self) -> dict[str, Any] | None:
        if self.output is None or not self.output.lstrip().startswith("{"):
            return None
        try:
            parsed = json.loads(self.output)
        except ValueError:
            return None
        return snake_keys(parsed) if isinstance(parsed, dict) else None

    @property
    def error(self) -> str | None:
        if self.output is None or self.data is not None or self.cancelled:
            return None
        return self.output.strip() or "Error: empty result"

    @property
    def cancelled(self) -> bool:
        return CANCELLED in (self.output or "").lower()


@dataclass
class Turn:
    text: str
    messages: list[BaseMessage] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    answer: str | None = None


def split_turns(messages: list[BaseMessage]) -> list[Turn]:
    turns: list[Turn] = []
    by_id: dict[str, Step] = {}
    for message in messages:
        if isinstance(message, HumanMessage):
            turns.append(Turn(text_of(message), [message]))
            continue
        if not turns:
            continue
        turn = turns[-1]
        if isinstance(message, AIMessage):
            turn.messages.append(message)
            for call in message.tool_calls:
                step = Step(call["name"], dict(call["args"]), str(call.get("id") or ""))
                turn.steps.append(step)
                by_id[step.call_id] = step
            if not message.tool_calls and text_of(message).strip():
                turn.answer = text_of(message)
        elif isinstance(message, ToolMessage):
            turn.messages.append(message)
            found = by_id.get(str(message.tool_call_id))
            if found is not None:
                found.output = text_of(message)
    return turns


@dataclass
class Conversation:
    turns: list[Turn]
    read: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, messages: list[BaseMessage]) -> Conversation:
        turns = split_turns(messages)
        return cls(turns, {len(turns) - 1} if turns else set())

    @property
    def current(self) -> Turn:
        return self.turns[-1]

    def previous(self, back: int = 1) -> Turn | None:
        """An earlier turn (1 = the one before the current), marked as read."""
        index = len(self.turns) - 1 - back
        if index < 0:
            return None
        self.read.add(index)
        return self.turns[index]

    def earlier(self) -> Iterator[Turn]:
        """Earlier turns, most recent first, each marked as read when reached."""
        for back in range(1, len(self.turns)):
            turn = self.previous(back)
            if turn is not None:
                yield turn

    def messages_read(self) -> list[BaseMessage]:
        return [m for i in sorted(self.read) for m in self.turns[i].messages]
