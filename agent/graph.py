"""The agent graph: model → tools → model … → END, with a confirmation step before any
destructive tool.

    START → model ─(tool calls)→ tools ─(destructive call previewed)→ confirm → model
              └──(answer)→ END          └────────(otherwise)──────────→ model

`confirm` interrupts the run; the user's next message resumes it. The preview runs in `tools`,
not in `confirm`, because an interrupted node re-runs from its start when resumed: a preview
there would be audited (and a token issued) twice.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AnyMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.messages.utils import count_tokens_approximately, trim_messages
from langchain_core.runnables import Runnable
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime
from langgraph.types import interrupt

from agent.prompts import CANCELLED, classify_reply, system_prompt
from agent.providers import provider_failure
from agent.state import AgentContext, AgentState, PendingConfirmation, public_pending
from agent.tool_binding import ToolOutcome, call_tool, model_arguments, openai_tool, usable_tools
from agent.tool_selection import select_tools
from core.errors import AppError
from core.ids import utcnow
from tools.registry import all_tools

log = logging.getLogger("bizpilot.agent")

MAX_PROMPT_TOKENS = 24_000
QUERY_TURNS = 2


# --- model ---------------------------------------------------------------------------------------


async def call_model(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    """Ask the model for the next step, showing it only the tools relevant to the request."""
    ctx = runtime.context
    messages = state["messages"]
    specs = usable_tools(ctx.principal)
    if ctx.max_tools is not None:
        specs = select_tools(_recent_requests(messages), specs, always=_used_tools(messages),
                             k=ctx.max_tools)
    tools = [openai_tool(spec) for spec in specs]
    prompt = build_prompt(messages)
    try:
        response = await _bind(ctx.model, tools).ainvoke(prompt)
    except AppError:
        raise
    except Exception as exc:
        log.warning("model provider failed: %s: %.300s", type(exc).__name__, exc)  # operators only
        raise provider_failure(exc) from None
    return {"messages": [_with_usage(response, prompt, tools)]}


def _bind(model: BaseChatModel, tools: list[dict[str, Any]]) -> Runnable[Any, BaseMessage]:
    if not tools:
        return model
    try:
        return model.bind_tools(tools)
    except NotImplementedError:
        return model


def build_prompt(messages: Sequence[AnyMessage]) -> list[BaseMessage]:
    """Our system prompt (with any client-supplied system text after it), then the
    conversation, repaired and trimmed to fit a context window."""
    extra = "\n".join(str(m.text) for m in messages if isinstance(m, SystemMessage))
    chat = _close_dangling_calls([m for m in messages if not isinstance(m, SystemMessage)])
    prompt: list[BaseMessage] = [SystemMessage(system_prompt(utcnow().date(), extra)), *chat]
    return trim_messages(
        prompt,
        max_tokens=MAX_PROMPT_TOKENS,
        token_counter=count_tokens_approximately,
        strategy="last",
        start_on="human",
        include_system=True,
    )


def _close_dangling_calls(messages: Sequence[BaseMessage]) -> list[BaseMessage]:
    """Every tool call needs an answer before the next turn, or providers reject the history
    (a turn that failed mid-way can leave one): unanswered calls read as cancelled."""
    answered = {m.tool_call_id for m in messages if isinstance(m, ToolMessage)}
    out: list[BaseMessage] = []
    open_calls: list[str] = []
    for message in messages:
        if open_calls and not isinstance(message, ToolMessage):
            out.extend(ToolMessage(CANCELLED, tool_call_id=c) for c in open_calls)
            open_calls = []
        out.append(message)
        if isinstance(message, AIMessage):
            open_calls = [c["id"] for c in message.tool_calls if c["id"] and c["id"] not in answered]
    out.extend(ToolMessage(CANCELLED, tool_call_id=c) for c in open_calls)
    return out


def _recent_requests(messages: Sequence[AnyMessage]) -> str:
    """The last few user messages: what tool retrieval matches against."""
    human = [str(m.text) for m in messages if isinstance(m, HumanMessage)]
    return "\n".join(human[-QUERY_TURNS:])


def _used_tools(messages: Sequence[AnyMessage]) -> list[str]:
    return [c["name"] for m in messages if isinstance(m, AIMessage) for c in m.tool_calls]


def _with_usage(response: BaseMessage, prompt: list[BaseMessage],
                tools: list[dict[str, Any]]) -> BaseMessage:
    """Keep the model's token counts (the offline model counts what it read); estimate them when
    it reports none (many local servers). No tiktoken: it downloads its encodings."""
    if not isinstance(response, AIMessage) or response.usage_metadata:
        return response
    prompt_tokens = count_tokens_approximately(prompt, tools=tools)  # type: ignore[arg-type]
    completion = count_tokens_approximately([response])
    usage = {"input_tokens": prompt_tokens, "output_tokens": completion,
             "total_tokens": prompt_tokens + completion}
    return response.model_copy(update={"usage_metadata": usage})


def after_model(state: AgentState) -> str:
    last = state["messages"][-1]
    return "tools" if isinstance(last, AIMessage) and last.tool_calls else END


# --- tools ---------------------------------------------------------------------------------------


async def run_tools(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    """Run the model's tool calls in order. A destructive call only previews here; it waits
    in `pending` for the user's answer (one at a time)."""
    ctx = runtime.context
    last = state["messages"][-1]
    assert isinstance(last, AIMessage)
    replies: list[ToolMessage] = []
    pending: PendingConfirmation | None = None
    for call in last.tool_calls:
        call_id, name = call["id"] or "", call["name"]
        spec = all_tools().get(name)
        if spec is not None and spec.needs_confirmation and pending is not None:
            outcome = ToolOutcome("error", "Error: CONFIRMATION_PENDING: Another action is waiting "
                                  "for the user's confirmation; ask for one at a time.",
                                  error="CONFIRMATION_PENDING")
        else:
            outcome = await call_tool(name, call["args"], ctx.principal, ctx.conversation_id)
        if outcome.status == "confirmation_required" and outcome.result is not None:
            pending = _pending(call_id, name, model_arguments(spec, call["args"]), outcome.result)
            continue
        replies.append(outcome.message(call_id, name))
    return {"messages": replies, "pending": pending}


def _pending(call_id: str, name: str, args: dict[str, Any],
             result: dict[str, Any]) -> PendingConfirmation:
    return PendingConfirmation(
        tool_call_id=call_id,
        tool=name,
        arguments=args,
        message=str(result.get("message") or "Confirm to proceed."),
        preview=result.get("preview") or {},
        confirmation_token=str(result.get("confirmation_token") or ""),
    )


def after_tools(state: AgentState) -> str:
    return "confirm" if state.get("pending") else "model"


# --- confirm -------------------------------------------------------------------------------------


async def confirm(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    """Wait for the user's reply to the preview. Yes runs the call with its token; no tells the
    model it was cancelled; anything else cancels too and is handled as a new request."""
    pending = state["pending"]
    assert pending is not None
    reply = interrupt(public_pending(pending))
    text = str(reply.get("message", "")) if isinstance(reply, dict) else str(reply)
    decision = classify_reply(text)
    ctx = runtime.context
    call_id, name = pending["tool_call_id"], pending["tool"]
    if decision == "confirm":
        outcome = await call_tool(name, pending["arguments"], ctx.principal, ctx.conversation_id,
                                  confirmation_token=pending["confirmation_token"])
        return {"messages": [outcome.message(call_id, name)], "pending": None}
    messages: list[AnyMessage] = [ToolOutcome("cancelled", CANCELLED).message(call_id, name)]
    if decision == "other":
        messages.append(HumanMessage(text))
    return {"messages": messages, "pending": None}


# --- wiring --------------------------------------------------------------------------------------


def build_graph() -> StateGraph[AgentState, AgentContext, AgentState, AgentState]:
    """The uncompiled graph: compiled once per checkpointer by the service."""
    graph = StateGraph(AgentState, context_schema=AgentContext)
    graph.add_node("model", call_model)
    graph.add_node("tools", run_tools)
    graph.add_node("confirm", confirm)
    graph.add_edge(START, "model")
    graph.add_conditional_edges("model", after_model, ["tools", END])
    graph.add_conditional_edges("tools", after_tools, ["confirm", "model"])
    graph.add_edge("confirm", "model")
    return graph


def compile_graph(checkpointer: Any) -> CompiledStateGraph[AgentState, AgentContext, AgentState, AgentState]:
    return build_graph().compile(checkpointer=checkpointer, name="bizpilot")
