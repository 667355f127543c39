"""The conversation as turns: each user message with the tool calls and results that followed.

The offline model is stateless: every call re-reads the messages, so multi-step plans and
follow-ups are rebuilt from what is on the record (calls made, results returned), never from
hidden state that a checkpointer could drop.
"""

from __future__ import annotations

import json
import re
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
    parts = []
    for block in content:
        if isinstance(block, str):
            parts.append(block)
        elif isinstance(block, dict) and block.get("type") == "text":
            parts.append(str(block.get("text", "")))
    return "".join(parts)


@dataclass
class Step:
    """One tool call and, once it ran, its output."""

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
        if self.output is None or self.data is not None:
            return None
        return self.output.strip() or "Error: empty result"

    @property
    def cancelled(self) -> bool:
        return bool(self.output) and CANCELLED in (self.output or "").lower()

    @property
    def done(self) -> bool:
        return self.output is not None


@dataclass
class Turn:
    text: str
    steps: list[Step] = field(default_factory=list)
    answer: str | None = None


MAX_REQUEST_CHARS = 600
"""What the router reads of a user message. A request an owner types is a sentence or two; the
rules are not linear in length, and a pasted page would hold the interpreter (and the GIL) for
seconds, so the rest of a long message is not interpreted."""


def split_turns(messages: list[BaseMessage]) -> list[Turn]:
    """Group messages by user turn; system messages are ignored."""
    turns: list[Turn] = []
    by_id: dict[str, Step] = {}
    for message in messages:
        if isinstance(message, HumanMessage):
            turns.append(Turn(text=text_of(message)[:MAX_REQUEST_CHARS]))
        elif not turns:
            continue
        elif isinstance(message, AIMessage):
            for call in message.tool_calls:
                step = Step(call["name"], dict(call.get("args") or {}), str(call.get("id") or ""))
                turns[-1].steps.append(step)
                by_id[step.call_id] = step
            text = text_of(message).strip()
            if text and not message.tool_calls:
                turns[-1].answer = text
        elif isinstance(message, ToolMessage):
            found = by_id.get(message.tool_call_id) or _unmatched(turns[-1])
            if found is not None:
                found.output = text_of(message)
    return turns


def _unmatched(turn: Turn) -> Step | None:
    return next((s for s in turn.steps if s.output is None), None)


def recent_steps(turns: list[Turn], names: tuple[str, ...]) -> Step | None:
    """The latest finished call to one of `names` in earlier turns."""
    for turn in reversed(turns):
        for step in reversed(turn.steps):
            if step.name in names and step.data is not None:
                return step
    return None
