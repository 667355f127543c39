"""The chat model, chosen by settings: the built-in offline model, OpenAI, Anthropic, or any
OpenAI-compatible server (vLLM, Ollama, LM Studio). Provider packages are imported only when
chosen: langchain_anthropic alone costs over a second of start-up."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models import BaseChatModel

from agent.tool_selection import DEFAULT_K
from core.errors import AIQueryFailed
from core.settings import Settings, get_settings

log = logging.getLogger("bizpilot.agent")

OFFLINE_MODEL = "bizpilot-offline"
DEFAULT_MODELS = {
    "offline": OFFLINE_MODEL,
    "openai": "gpt-4o-mini",
    "anthropic": "claude-sonnet-4-5",
    "openai_compatible": "local-model",
}
DESCRIPTIONS = {
    "offline": "Built-in deterministic assistant: routes requests to tools, runs without any key.",
    "openai": "OpenAI chat model with BizPilot's tools.",
    "anthropic": "Anthropic Claude model with BizPilot's tools.",
    "openai_compatible": "OpenAI-compatible server (vLLM, Ollama, LM Studio) with BizPilot's tools.",
}
REQUEST_TIMEOUT_SECONDS = 120.0
MAX_RETRIES = 1


@dataclass
class ModelHandle:
    """A built model, how many tools it should be shown (None: all), and what must be closed
    with it (HTTP clients bound to one event loop)."""

    model: BaseChatModel
    closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    max_tools: int | None = DEFAULT_K

    async def aclose(self) -> None:
        for close in self.closers:
            try:
                await close()
            except Exception:  # closing must never fail a shutdown
                log.debug("closing model client failed", exc_info=True)


def model_name(settings: Settings | None = None) -> str:
    """The configured model's name, or the provider's default."""
    settings = settings or get_settings()
    provider = settings.provider
    if provider == "offline":
        return OFFLINE_MODEL
    return settings.llm_model or DEFAULT_MODELS[provider]


def describe(settings: Settings | None = None) -> dict[str, Any]:
    """The model as `/v1/models` and document 002's model list show it."""
    settings = settings or get_settings()
    provider = settings.provider
    return {
        "id": model_name(settings),
        "name": "BizPilot offline" if provider == "offline" else model_name(settings),
        "provider": provider,
        "description": DESCRIPTIONS[provider],
        "capabilities": ["chat", "tools", "streaming"],
    }


def build_model(settings: Settings | None = None) -> ModelHandle:
    """A chat model for the configured provider, fresh (its HTTP clients belong to the caller's
    event loop)."""
    settings = settings or get_settings()
    builders: dict[str, Callable[[Settings], ModelHandle]] = {
        "offline": _offline,
        "openai": _openai,
        "openai_compatible": _openai_compatible,
        "anthropic": _anthropic,
    }
    return builders[settings.provider](settings)


def _offline(_settings: Settings) -> ModelHandle:
    """The built-in intent-and-slot model (agent.nlu) is shown every tool: tool retrieval exists
    to spare a language model's context and attention, while this model classifies over every
    tool itself (narrowing its choice could only make it refuse requests it can serve). It also
    then behaves exactly as `evals/` measures it. Its classifier is trained on its first call
    (about a second, once per process, in the thread LangChain runs a sync model in: never on
    the event loop)."""
    from agent.nlu.model import OfflineChatModel

    return ModelHandle(OfflineChatModel(), max_tools=None)


def _chat_openai(settings: Settings, api_key: str, base_url: str | None, **extra: Any) -> ModelHandle:
    import openai
    from langchain_openai import ChatOpenAI

    client = openai.DefaultAsyncHttpxClient(timeout=REQUEST_TIMEOUT_SECONDS)
    model = ChatOpenAI(
        model=model_name(settings),
        api_key=api_key,  # type: ignore[arg-type]
        base_url=base_url or None,
        timeout=REQUEST_TIMEOUT_SECONDS,
        max_retries=MAX_RETRIES,
        http_async_client=client,
        **extra,
    )
    return ModelHandle(model, [client.aclose])


def _openai(settings: Settings) -> ModelHandle:
    key = settings.llm_api_key or settings.openai_api_key
    return _chat_openai(settings, key, settings.llm_base_url or None)


def _openai_compatible(settings: Settings) -> ModelHandle:
    """Local servers usually ignore the key but the client insists on one."""
    if not settings.llm_base_url:
        raise AIQueryFailed("LLM_BASE_URL must be set for the openai_compatible provider")
    key = settings.llm_api_key or settings.openai_api_key or "not-needed"
    return _chat_openai(settings, key, settings.llm_base_url, use_responses_api=False)


def _anthropic(settings: Settings) -> ModelHandle:
    from langchain_anthropic import ChatAnthropic

    kwargs: dict[str, Any] = {
        "model": model_name(settings),
        "api_key": settings.llm_api_key or settings.anthropic_api_key,
        "timeout": REQUEST_TIMEOUT_SECONDS,
        "max_retries": MAX_RETRIES,
        "max_tokens": 4096,
    }
    if settings.llm_base_url:
        kwargs["base_url"] = settings.llm_base_url
    return ModelHandle(ChatAnthropic(**kwargs))


def provider_failure(exc: BaseException) -> AIQueryFailed:
    """A provider exception as a safe error: its text may carry URLs or key fragments, so only
    its kind is reported."""
    status = getattr(exc, "status_code", None) or getattr(getattr(exc, "response", None),
                                                          "status_code", None)
    kind = type(exc).__name__.lower()
    if status in (401, 403):
        message = "The AI model provider rejected the configured credentials."
    elif status == 429:
        message = "The AI model provider is rate limiting requests; try again shortly."
    elif status == 404:
        message = "The AI model provider does not know the configured model."
    elif isinstance(status, int) and status >= 500:
        message = "The AI model provider had an internal error; try again shortly."
    elif "timeout" in kind:
        message = "The AI model provider did not answer in time."
    elif "connect" in kind:
        message = "The AI model provider could not be reached."
    else:
        message = "The AI model provider failed to answer."
    return AIQueryFailed(message, details={"provider": get_settings().provider})
