"""Turns the graph's stream parts into agent events and accumulates one turn's result."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.messages import ToolMessage as LCToolMessage

from agent.events import (
    AgentEvent,
    TextDelta,
    ToolCallRecord,
    ToolFinished,
    ToolStarted,
    TurnDone,
    TurnResult,
)
from agent.prompts import confirmation_text
from agent.state import PendingConfirmation, public_pending
from agent.tool_binding import model_arguments
from tools.registry import all_tools


@dataclass
class TurnRecorder:
    """Turns graph stream parts into events and accumulates the turn's result."""

    conversation_id: str
    model: str
    calls: dict[str, ToolCallRecord] = field(default_factory=dict)
    started: set[str] = field(default_factory=set)
    text: list[str] = field(default_factory=list)
    spoken: set[str] = field(default_factory=set)
    current: str | None = None
    ai_messages: list[AIMessage] = field(default_factory=list)
    pending: dict[str, Any] | None = None

    def expect(self, pending: PendingConfirmation) -> None:
        """Know the call a resumed turn settles, so its record carries name and arguments."""
        self._call(pending["tool_call_id"], pending["tool"], pending["arguments"])

    def consume(self, part: Any) -> list[AgentEvent]:
        if part["type"] == "messages":
            chunk, meta = part["data"]
            if meta.get("langgraph_node") == "model" and isinstance(chunk, AIMessage | AIMessageChunk):
                return self._say(chunk.id, str(chunk.text))
            return []
        if part["type"] != "updates":
            return []
        events: list[AgentEvent] = []
        for node, update in part["data"].items():
            if node == "__interrupt__":
                self.pending = dict(update[0].value) if update else None
            elif isinstance(update, dict):
                events.extend(self._update(update))
        return events

    def finish(self) -> list[AgentEvent]:
        events: list[AgentEvent] = []
        if self.pending is not None:
            events.extend(self._say("confirmation", confirmation_text(str(self.pending["message"]))))
        usage = [m.usage_metadata for m in self.ai_messages if m.usage_metadata]
        result = TurnResult(
            conversation_id=self.conversation_id,
            answer="".join(self.text),
            tool_calls=[dataclasses.replace(c) for c in self.calls.values()],
            pending_confirmation=self.pending,
            prompt_tokens=sum(u["input_tokens"] for u in usage),
            completion_tokens=sum(u["output_tokens"] for u in usage),
            model=self.model,
        )
        return [*events, TurnDone(result)]

    def _say(self, message_id: str | None, text: str) -> list[AgentEvent]:
        """Text of one message; a new message is separated from the previous one by a blank
        line. Messages are told apart by id, so a streamed one is never said twice."""
        if not text:
            return []
        key = message_id or f"anon-{len(self.spoken)}"
        events: list[AgentEvent] = []
        if key != self.current:
            if self.text:
                events.append(TextDelta("\n\n"))
            self.current = key
            self.spoken.add(key)
        events.append(TextDelta(text))
        self.text.extend(e.text for e in events if isinstance(e, TextDelta))
        return events

    def _update(self, update: dict[str, Any]) -> list[AgentEvent]:
        events: list[AgentEvent] = []
        for message in update.get("messages") or []:
            if isinstance(message, AIMessage):
                events.extend(self._model_message(message))
            elif isinstance(message, LCToolMessage):
                events.extend(self._tool_result(message))
        pending = update.get("pending")
        if pending:
            call = self._call(pending["tool_call_id"], pending["tool"], pending["arguments"])
            events.extend(self._start(call))
            call.status, call.result = "confirmation_required", public_pending(pending)
            events.append(ToolFinished(dataclasses.replace(call)))
        return events

    def _model_message(self, message: AIMessage) -> list[AgentEvent]:
        self.ai_messages.append(message)
        events: list[AgentEvent] = []
        if message.id not in self.spoken:  # a model that did not stream
            events.extend(self._say(message.id, str(message.text)))
        for tool_call in message.tool_calls:
            spec = all_tools().get(tool_call["name"])
            call = self._call(tool_call["id"] or "", tool_call["name"],
                              model_arguments(spec, tool_call["args"]))
            events.extend(self._start(call))
        return events

    def _tool_result(self, message: LCToolMessage) -> list[AgentEvent]:
        call = self._call(message.tool_call_id, message.name or "", {})
        events = self._start(call)
        artifact = message.artifact if isinstance(message.artifact, dict) else {}
        call.status = artifact.get("status") or ("error" if message.status == "error" else "ok")
        call.result, call.error = artifact.get("result"), artifact.get("error")
        events.append(ToolFinished(dataclasses.replace(call)))
        return events

    def _start(self, call: ToolCallRecord) -> list[AgentEvent]:
        """`ToolStarted` once per call, before its `ToolFinished`."""
        if call.id in self.started:
            return []
        self.started.add(call.id)
        return [ToolStarted(dataclasses.replace(call))]

    def _call(self, call_id: str, name: str, arguments: dict[str, Any]) -> ToolCallRecord:
        call = self.calls.get(call_id)
        if call is None:
            call = self.calls[call_id] = ToolCallRecord(call_id, name, arguments, "running")
        elif arguments:
            call.arguments = arguments
        return call
