"""What the agent graph carries between steps (checkpointed) and per run (not checkpointed).

The conversation itself is the message list; `pending` holds a destructive tool call that was
previewed and now waits for the user's yes or no. The run context carries who is asking and
with which model: it comes from verified credentials on every run and is never stored, so a
checkpoint can never make one user act as another.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypedDict

from langchain_core.language_models import BaseChatModel
from langgraph.graph import MessagesState

from tools.context import Principal


class PendingConfirmation(TypedDict):
    """A previewed destructive call and its token (which stays server-side: see
    `public_pending` for what a client is shown)."""

    tool_call_id: str
    tool: str
    arguments: dict[str, Any]
    message: str
    preview: dict[str, Any]
    confirmation_token: str


class AgentState(MessagesState):
    """Messages (appended by `add_messages`) plus the call waiting for confirmation, if any."""

    pending: PendingConfirmation | None


@dataclass(frozen=True)
class AgentContext:
    """Run-scoped context: injected by the service on every run, never checkpointed."""

    principal: Principal
    conversation_id: str
    model: BaseChatModel
    max_tools: int | None = 12  # None: show the model every tool it may use


def public_pending(pending: PendingConfirmation) -> dict[str, Any]:
    """The part of a pending confirmation a client may see: the token stays server-side."""
    return {
        "tool": pending["tool"],
        "arguments": pending["arguments"],
        "message": pending["message"],
        "preview": pending["preview"],
    }
