"""Agent test fixtures: a scripted chat model (no provider, no network), principals for the
accounts the shared conftest registers, and rows created through the tool runtime."""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, Field

from agent import service
from tools.context import Principal
from tools.runtime import execute

_ids = itertools.count(1)
Step = AIMessage | Callable[[list[BaseMessage]], AIMessage] | Exception


class Script:
    """What the fake model will answer, in order, and what it was shown."""

    def __init__(self) -> None:
        self.steps: list[Step] = []
        self.prompts: list[list[BaseMessage]] = []
        self.tools: list[list[dict[str, Any]]] = []

    def add(self, *steps: Step) -> Script:
        self.steps.extend(steps)
        return self

    def next(self, messages: list[BaseMessage], tools: list[dict[str, Any]]) -> AIMessage:
        self.prompts.append(list(messages))
        self.tools.append(list(tools))
        if not self.steps:
            return AIMessage("SCRIPT EXHAUSTED")
        step = self.steps.pop(0)
        if isinstance(step, Exception):
            raise step
        return step(messages) if callable(step) else step

    @property
    def last_prompt(self) -> list[BaseMessage]:
        return self.prompts[-1]

    @staticmethod
    def call(name: str, **args: Any) -> AIMessage:
        """A scripted tool call."""
        return AIMessage("", tool_calls=[{"name": name, "args": args, "id": f"call_{next(_ids)}"}])

    @staticmethod
    def last_tool(messages: Sequence[BaseMessage]) -> ToolMessage:
        tool = [m for m in messages if isinstance(m, ToolMessage)]
        assert tool, "the model was shown no tool result"
        return tool[-1]

    @staticmethod
    def tool_json(messages: Sequence[BaseMessage]) -> dict[str, Any]:
        return dict(json.loads(str(Script.last_tool(messages).content)))

    def tool_names(self, call: int = -1) -> list[str]:
        return [t["function"]["name"] for t in self.tools[call]]


class ScriptedModel(BaseChatModel):
    """A chat model that plays a script. Streams word by word unless `streaming=False`."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    script: Script = Field(default_factory=Script)
    streaming: bool = True
    bound: list[dict[str, Any]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools: Sequence[Any], **_kwargs: Any) -> ScriptedModel:  # type: ignore[override]
        return self.model_copy(update={"bound": list(tools)})

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:
        message = self.script.next(messages, self.bound)
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        if not self.streaming:
            raise NotImplementedError
        message = self.script.next(messages, self.bound)
        words = str(message.content).split(" ") if message.content else []
        for i, word in enumerate(words):
            text = word if i == len(words) - 1 else word + " "
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=text))
            if run_manager:
                run_manager.on_llm_new_token(text, chunk=chunk)
            yield chunk
        if message.tool_calls:
            calls = [{"name": c["name"], "args": json.dumps(c["args"]), "id": c["id"], "index": i}
                     for i, c in enumerate(message.tool_calls)]
            yield ChatGenerationChunk(message=AIMessageChunk(content="", tool_call_chunks=calls))

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"streaming": self.streaming}

    def _should_stream(self, *, async_api: bool, **kwargs: Any) -> bool:
        return self.streaming and super()._should_stream(async_api=async_api, **kwargs)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def agent_closed(anyio_backend: str) -> AsyncIterator[None]:
    """Close the agent's checkpointer and model clients on the test's own event loop."""
    yield
    await service.aclose()


@pytest.fixture
def install_model(database: str) -> Iterator[Callable[..., Script]]:
    """Install a fresh scripted model in the agent service (as a restart would build a new
    one); returns its script. The service is reset to settings afterwards."""

    def install(**options: Any) -> Script:
        model = ScriptedModel(**options)
        service.reset(model=model)
        return model.script

    yield install
    service.reset()


@pytest.fixture
def script(install_model: Callable[..., Script]) -> Script:
    """The script of a fresh fake model installed in the agent service."""
    return install_model()


def principal_of(account: Any, role: str = "admin") -> Principal:
    return Principal(user_id=account.user_id, tenant_id=account.tenant_id, role=role,  # type: ignore[arg-type]
                     email=account.email)


@pytest.fixture
def me(account: Any) -> Principal:
    return principal_of(account)


@pytest.fixture
def offline(demo_account: Any) -> Iterator[Principal]:
    """The default provider (the built-in offline model) on the seeded demo tenant."""
    from core.settings import get_settings

    get_settings.cache_clear()
    service.reset()
    assert get_settings().provider == "offline"
    yield Principal(user_id=demo_account.user_id, tenant_id=demo_account.tenant_id, role="admin",
                    email=demo_account.email)
    service.reset()


@pytest.fixture
def customer_factory(me: Principal) -> Callable[..., str]:
    """Create a customer in my tenant through the tool runtime; returns its id."""

    def make(name: str = "Acme Buyer", **fields: Any) -> str:
        out = execute("create_customer", me, {"name": name, **fields})
        return str(out.customer.id)  # type: ignore[attr-defined]

    return make
