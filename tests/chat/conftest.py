"""A scripted stand-in for agent.service's functions, for chat-surface tests that need exact
control (tool errors, a failure in the middle of a stream) without depending on what the model
decides.

It has the real service's API, builds its events and records from the real service's classes
(the endpoints check them with isinstance), and keeps per-conversation transcripts, so tests can
see which conversation a request landed on.
"""

from __future__ import annotations

import types
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from agent import service as agent_service
from core.errors import AIQueryFailed

MODEL = "fake-agent-1"
REVENUE_ANSWER = "Revenue was $1,234.50 from 12 orders."


@dataclass
class Call:
    """What the fake received: for asserting how a request was routed."""

    principal: Any
    message: str
    conversation_id: str | None
    history: list[dict[str, str]] | None


@dataclass
class FakeAgent:
    service: types.ModuleType
    conversations: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    pending: dict[str, str] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)

    # --- the scripted behaviour ---------------------------------------------------------------

    def _record(self, name: str, status: str, result: dict[str, Any] | None = None,
                error: str | None = None) -> Any:
        return self.service.ToolCallRecord(id=f"call_{uuid.uuid4().hex[:8]}", name=name, arguments={},
                                           status=status, result=result, error=error)

    def _respond(self, conv: str, message: str) -> tuple[str, list[Any], dict[str, Any] | None]:
        text = message.lower()
        if "fail" in text:
            raise AIQueryFailed("The model provider is unavailable")
        if text.strip() == "yes":
            if conv not in self.pending:
                return "There is nothing to confirm.", [], None
            name = self.pending.pop(conv)
            return f"Deleted {name}.", [self._record("delete_customer", "ok", {"status": "done"})], None
        if "delete" in text:
            self.pending[conv] = "Acme"
            preview = {"status": "confirmation_required", "preview": {"name": "Acme"}}
            pending = {"tool": "delete_customer", "message": "Delete customer Acme?"}
            return ("This will delete customer Acme. Reply yes to confirm.",
                    [self._record("delete_customer", "confirmation_required", preview)], pending)
        if "revenue" in text:
            result = {"revenue": 1234.5, "orders": 12, "sources": {"shopify": 8, "stripe": 4}}
            return REVENUE_ANSWER, [self._record("revenue_for_period", "ok", result)], None
        if "customers" in text:
            result = {"customers": [{"id": "1"}, {"id": "2"}, {"id": "3"}],
                      "pagination": {"page": 1, "limit": 20, "total": 3, "total_pages": 1}}
            return "You have 3 customers.", [self._record("list_customers", "ok", result)], None
        if "broken" in text:
            calls = [self._record("list_customers", "ok", {"customers": []}),
                     self._record("list_deals", "error", error="database is locked")]
            return "I could read customers but not deals.", calls, None
        if "what did i say" in text:
            said = [t for role, t in self.conversations[conv] if role == "user"][:-1]
            return "You said: " + (" | ".join(said) or "nothing yet"), [], None
        return "Hello! Ask me about revenue, customers or deals.", [], None

    def _start(self, principal: Any, message: str, conversation_id: str | None,
               history: list[dict[str, str]] | None) -> str:
        self.calls.append(Call(principal, message, conversation_id, history))
        conv = conversation_id or f"conv_fake_{uuid.uuid4().hex[:12]}"
        if conv not in self.conversations:
            self.conversations[conv] = [(h["role"], h["content"]) for h in history or []]
        self.conversations[conv].append(("user", message))
        return conv

    def _result(self, conv: str, message: str, answer: str, calls: list[Any],
                pending: dict[str, Any] | None) -> Any:
        self.conversations[conv].append(("assistant", answer))
        return self.service.TurnResult(conversation_id=conv, answer=answer, tool_calls=calls,
                                       pending_confirmation=pending, prompt_tokens=len(message.split()) + 10,
                                       completion_tokens=len(answer.split()), model=MODEL)

    # --- the agent.service API ----------------------------------------------------------------

    async def run_turn(self, principal: Any, message: str, *, conversation_id: str | None = None,
                       history: list[dict[str, str]] | None = None) -> Any:
        conv = self._start(principal, message, conversation_id, history)
        answer, calls, pending = self._respond(conv, message)
        return self._result(conv, message, answer, calls, pending)

    async def stream_turn(self, principal: Any, message: str, *, conversation_id: str | None = None,
                          history: list[dict[str, str]] | None = None) -> AsyncIterator[Any]:
        conv = self._start(principal, message, conversation_id, history)
        if "explode" in message.lower():
            yield self.service.TextDelta("Partial ")
            yield self.service.TextDelta("answer ")
            raise AIQueryFailed("The model provider dropped the connection")
        answer, calls, pending = self._respond(conv, message)
        for call in calls:
            yield self.service.ToolStarted(call)
            yield self.service.ToolFinished(call)
        words = answer.split(" ")
        for i, word in enumerate(words):
            yield self.service.TextDelta(word if i == len(words) - 1 else word + " ")
        yield self.service.TurnDone(self._result(conv, message, answer, calls, pending))

    def model_name(self) -> str:
        return MODEL

    def list_models(self) -> list[dict[str, Any]]:
        model = {"id": MODEL, "name": "Fake agent", "provider": "bizpilot",
                 "description": "Scripted stand-in for tests", "capabilities": ["text", "tools"]}
        return [{**model, "id": "bizpilot"}, model]  # as the real service: the stable alias first


@pytest.fixture
def fake_agent(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAgent]:
    """Replace the agent's functions for one test (process-wide: the live server sees it too)."""
    fake = FakeAgent(agent_service)
    for name in ("run_turn", "stream_turn", "model_name", "list_models"):
        monkeypatch.setattr(agent_service, name, getattr(fake, name))
    yield fake

