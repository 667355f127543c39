"""The built-in offline chat model: a deterministic router that runs when no provider key is set.

It is a real LangChain chat model, so the agent graph treats it like any provider: bind tools,
invoke or stream, get back an AIMessage that either calls tools or answers in words. Each call
re-reads the conversation (see `history`), decides the plan for the latest user message
(`intents`), and advances it with the tool results so far (`resolve`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool

from agent.offline.history import split_turns
from agent.offline.intents import plan_for
from agent.offline.phrasing import HELP
from agent.offline.plans import Answer, Decision, Emit
from agent.offline.resolve import advance, required_tools

MODEL_NAME = "bizpilot-offline"


def _tool_name(tool: dict[str, Any]) -> str:
    return str((tool.get("function") or {}).get("name") or tool.get("name") or "")


class OfflineChatModel(BaseChatModel):
    """Deterministic tool-calling model. `today` pins the date (tests); default: today in UTC."""

    tools: list[dict[str, Any]] | None = None
    today: date | None = None
    model_name: str = MODEL_NAME

    @property
    def _llm_type(self) -> str:
        return "bizpilot-offline"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name}

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """A copy that knows the tools it may call (the graph may bind only some)."""
        converted = [convert_to_openai_tool(t) for t in tools]
        return self.model_copy(update={"tools": converted})

    def available(self, extra: Sequence[Any] | None = None) -> set[str]:
        tools = list(self.tools or [])
        tools += [convert_to_openai_tool(t) for t in (extra or [])]
        return {_tool_name(t) for t in tools}

    def decide(self, messages: list[BaseMessage], tools: Sequence[Any] | None = None) -> Decision:
        """The next move for this conversation: tool calls, or the answer."""
        turns = split_turns(messages)
        if not turns:
            return Answer(HELP)
        today = self.today or datetime.now(UTC).date()
        current = turns[-1]
        plan = plan_for(current.text, turns[:-1], today)
        missing = required_tools(plan) - self.available(tools)
        if missing and not current.steps:
            names = ", ".join(sorted(missing))
            return Answer(f"I can't do that here: the tool it needs ({names}) isn't available to me in "
                          "this conversation.")
        decision = advance(plan, current.steps)
        if isinstance(decision, Emit) and not {n for n, _ in decision.calls} <= self.available(tools):
            return Answer("I can't finish that here: a tool it needs isn't available to me in this "
                          "conversation.")
        return decision

    def _message(self, decision: Decision) -> AIMessage:
        if isinstance(decision, Answer):
            return AIMessage(content=decision.text, response_metadata={"model_name": self.model_name})
        calls = [{"name": name, "args": args, "id": f"call_{uuid.uuid4().hex[:24]}", "type": "tool_call"}
                 for name, args in decision.calls]
        return AIMessage(content="", tool_calls=calls, response_metadata={"model_name": self.model_name})

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        message = self._message(self.decide(messages, kwargs.get("tools")))
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        """Words stream a few at a time; a tool-call turn is one chunk carrying the calls."""
        message = self._message(self.decide(messages, kwargs.get("tools")))
        if message.tool_calls:
            chunks = [{"name": c["name"], "args": json.dumps(c["args"]), "id": c["id"], "index": i,
                       "type": "tool_call_chunk"} for i, c in enumerate(message.tool_calls)]
            yield ChatGenerationChunk(message=AIMessageChunk(content="", tool_call_chunks=chunks))  # type: ignore[arg-type]
            return
        for piece in _pieces(str(message.content)):
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
            if run_manager:
                run_manager.on_llm_new_token(piece, chunk=chunk)
            yield chunk


def _pieces(text: str, words: int = 3) -> Iterator[str]:
    """Groups of a few words, whitespace kept, so the joined stream equals the text."""
    parts = text.split(" ")
    for i in range(0, len(parts), words):
        group = " ".join(parts[i:i + words])
        yield group if i + words >= len(parts) else group + " "
