"""The built-in offline chat model: an intent-and-slot model built from the registry, used when no
LLM provider is configured.

It is a real LangChain chat model, so the agent graph treats it like any provider: bind tools,
invoke or stream, get back an AIMessage that either calls tools or answers in words. Each call
re-reads the conversation, plans the latest request (classifier, extractors, follow-ups) and
advances the plan with the tool results so far. Its usage counts the tokens of the messages it
actually read and of what it wrote.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages.utils import count_tokens_approximately
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import ConfigDict

from agent.nlu import answers
from agent.nlu.advance import Answer, Decision, Emit
from agent.nlu.catalog import Catalog, build_catalog
from agent.nlu.conversation import Conversation
from agent.nlu.interpret import Interpreter
from tools.language import ToolLanguage

MODEL_NAME = "bizpilot-offline"


def _tool_name(tool: dict[str, Any]) -> str:
    return str((tool.get("function") or {}).get("name") or tool.get("name") or "")


class OfflineChatModel(BaseChatModel):
    """Deterministic tool-calling model. `today` pins the date (tests; default: today in UTC);
    `languages` trains it on other declarations than the registry's (tests)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    tools: list[dict[str, Any]] | None = None
    today: date | None = None
    model_name: str = MODEL_NAME
    languages: Mapping[str, ToolLanguage] | None = None

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

    def catalog(self) -> Catalog:
        return build_catalog(self.languages)

    def available(self, catalog: Catalog, extra: Sequence[Any] | None = None) -> set[str]:
        if self.tools is None and not extra:
            return set(catalog.tools)
        tools = list(self.tools or []) + [convert_to_openai_tool(t) for t in (extra or [])]
        return {_tool_name(t) for t in tools}

    def decide(
        self, messages: list[BaseMessage], tools: Sequence[Any] | None = None
    ) -> tuple[Decision, Conversation]:
        """The next move for this conversation (tool calls, or the answer) and what was read."""
        conversation = Conversation.of(messages)
        catalog = self.catalog()
        available = self.available(catalog, tools)
        if not conversation.turns:
            return Answer(answers.greeting(catalog, sorted(available))), conversation
        lookup = catalog.lookup
        interpreter = Interpreter(
            catalog,
            conversation,
            available,
            self.today or datetime.now(UTC).date(),
            lookup if lookup in available else None,
        )
        index = len(conversation.turns) - 1
        decision = interpreter.advance(index).run(interpreter.plan(index), conversation.current.steps)
        if isinstance(decision, Emit):
            missing = [name for name, _ in decision.calls if name not in available]
            if missing:
                return Answer(answers.unavailable(catalog, missing[0])), conversation
        return decision, conversation

    def _message(self, decision: Decision, conversation: Conversation) -> AIMessage:
        metadata = {"model_name": self.model_name}
        if isinstance(decision, Answer):
            message = AIMessage(content=decision.text, response_metadata=metadata)
        else:
            calls = [
                {"name": name, "args": args, "id": f"call_{uuid.uuid4().hex[:24]}", "type": "tool_call"}
                for name, args in decision.calls
            ]
            message = AIMessage(content="", tool_calls=calls, response_metadata=metadata)
        read = count_tokens_approximately(conversation.messages_read())
        wrote = count_tokens_approximately([message])
        message.usage_metadata = {"input_tokens": read, "output_tokens": wrote, "total_tokens": read + wrote}
        return message

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        message = self._message(*self.decide(messages, kwargs.get("tools")))
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        """Words stream a few at a time; a tool-call turn is one chunk carrying the calls. The
        last chunk carries the usage."""
        message = self._message(*self.decide(messages, kwargs.get("tools")))
        usage = message.usage_metadata
        if message.tool_calls:
            chunks = [
                {
                    "name": c["name"],
                    "args": json.dumps(c["args"]),
                    "id": c["id"],
                    "index": i,
                    "type": "tool_call_chunk",
                }
                for i, c in enumerate(message.tool_calls)
            ]
            yield ChatGenerationChunk(
                message=AIMessageChunk(
                    content="",
                    tool_call_chunks=chunks,  # type: ignore[arg-type]
                    usage_metadata=usage,
                )
            )
            return
        pieces = list(_pieces(str(message.content)))
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            chunk = ChatGenerationChunk(
                message=AIMessageChunk(content=piece, usage_metadata=usage if last else None)
            )
            if run_manager:
                run_manager.on_llm_new_token(piece, chunk=chunk)
            yield chunk


def _pieces(text: str, words: int = 3) -> Iterator[str]:
    """Groups of a few words, whitespace kept, so the joined stream equals the text."""
    parts = text.split(" ")
    for i in range(0, len(parts), words):
        group = " ".join(parts[i : i + words])
        yield group if i + words >= len(parts) else group + " "
