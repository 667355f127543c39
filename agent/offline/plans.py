"""What the offline model decided to do for a request, and what it does next.

A plan is derived from the user's words (and the conversation); `advance` in
`agent.offline.resolve` turns a plan plus the tool results so far into the next decision: more
tool calls, or the answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

ToolCall = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class Reply:
    """Answer in words without calling a tool (greeting, help, a question back)."""

    text: str


@dataclass(frozen=True)
class Ask:
    """A question back because something is missing; the next message may fill `missing`."""

    text: str
    missing: str
    plan: Resolve | Calls


@dataclass(frozen=True)
class Calls:
    """Independent calls (usually one), then an answer from their results."""

    calls: tuple[ToolCall, ...]
    focus: str = ""  # phrasing hint: count, list, win_rate, orders, compare, ...
    label: str = ""  # how the owner named the period ("this month"), for answers about a filter


@dataclass(frozen=True)
class Resolve:
    """Find one record by name, then act on it (or just show it)."""

    kind: Literal["deal", "customer"]
    query: str
    action: str  # a tool name, or "show"
    args: dict[str, Any] = field(default_factory=dict)
    prefer_open: bool = False  # for deals: an open deal beats a closed one
    target: dict[str, Any] | None = None  # already chosen (the owner picked from a list)
    label: str = ""  # how the owner referred to it
    focus: str = ""  # phrasing hint for "list"

    def with_target(self, target: dict[str, Any]) -> Resolve:
        return replace(self, target=target)

    def with_query(self, query: str) -> Resolve:
        return replace(self, query=query, label=query, target=None)

    def with_args(self, **extra: Any) -> Resolve:
        return replace(self, args={**self.args, **extra})


Plan = Reply | Ask | Calls | Resolve


@dataclass(frozen=True)
class Emit:
    calls: tuple[ToolCall, ...]


@dataclass(frozen=True)
class Answer:
    text: str
    # Set when the answer asks the owner to choose: the next turn may pick one of these.
    choices: tuple[dict[str, Any], ...] = ()


Decision = Emit | Answer
