"""The service contract the chat endpoints rely on: ids, streaming events, history seeding,
token usage, audit, safe errors, model listing, and the terminal chat built on it."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from sqlalchemy import select

from agent import service, terminal
from core.errors import AIQueryFailed, ValidationFailed
from store.db import unit_of_work
from store.models import AuditLog
from tools.context import Principal

if TYPE_CHECKING:
    from tests.agent.conftest import Script

pytestmark = pytest.mark.anyio


async def test_stream_yields_text_deltas_then_done(script: Script, me: Principal,
                                                   customer_factory: Callable[..., str]) -> None:
    customer_factory("Streamy")
    script.add(
        AIMessage("Let me count.", tool_calls=script.call("list_customers").tool_calls),
        lambda msgs: AIMessage(f"You have {script.tool_json(msgs)['pagination']['total']} "
                               "customers right now."),
    )
    events = [e async for e in service.stream_turn(me, "how many customers?")]

    assert isinstance(events[-1], service.TurnDone)
    result = events[-1].result
    deltas = [e.text for e in events if isinstance(e, service.TextDelta)]
    assert len(deltas) > 3, "the answer arrives in several chunks"
    assert "".join(deltas) == result.answer == "Let me count.\n\nYou have 1 customers right now."
    kinds = [type(e).__name__ for e in events]
    assert kinds.index("ToolStarted") < kinds.index("ToolFinished") < len(kinds) - 1
    started = next(e for e in events if isinstance(e, service.ToolStarted))
    finished = next(e for e in events if isinstance(e, service.ToolFinished))
    assert started.call.status == "running" and finished.call.status == "ok"
    assert started.call.id == finished.call.id == result.tool_calls[0].id
    assert result.prompt_tokens > 0 and result.completion_tokens > 0


async def test_non_streaming_model_still_streams_its_answer(install_model: Callable[..., Script],
                                                            me: Principal) -> None:
    install_model(streaming=False).add(AIMessage("Hello there."))
    events = [e async for e in service.stream_turn(me, "hi")]
    assert [type(e).__name__ for e in events] == ["TextDelta", "TurnDone"]
    assert events[0].text == "Hello there."  # type: ignore[union-attr]


async def test_conversation_continues_and_history_seeds_only_new_ones(script: Script,
                                                                      me: Principal) -> None:
    history = [{"role": "system", "content": "Be terse."},
               {"role": "user", "content": "My name is Ada."},
               {"role": "assistant", "content": "Hello Ada."}]
    script.add(AIMessage("Noted."))
    first = await service.run_turn(me, "Remember that.", history=history)
    prompt = script.last_prompt
    assert "Be terse." in str(prompt[0].content)
    assert [type(m) for m in prompt[1:]] == [HumanMessage, AIMessage, HumanMessage]
    assert prompt[1].content == "My name is Ada."

    script.add(AIMessage("Ada."))
    await service.run_turn(me, "What is my name?", conversation_id=first.conversation_id,
                           history=[{"role": "user", "content": "IGNORED"}])
    texts = [str(m.content) for m in script.last_prompt]
    assert "IGNORED" not in texts
    assert texts[1:] == ["My name is Ada.", "Hello Ada.", "Remember that.", "Noted.",
                         "What is my name?"]
    assert isinstance(script.last_prompt[0], SystemMessage)


async def test_conversation_ids_are_namespaced(script: Script, me: Principal) -> None:
    result = await (_say(script, me, "hi", "Hello."))
    assert result.conversation_id.startswith("conv_") and len(result.conversation_id) == 37
    other = Principal(user_id="someone-else", tenant_id=me.tenant_id, role="admin")
    assert service.thread_id(me, "c1") != service.thread_id(other, "c1")
    assert service.thread_id(me, "c1") == f"{me.tenant_id}:{me.user_id}:c1"


async def _say(script: Script, who: Principal, message: str, answer: str) -> service.TurnResult:
    script.add(AIMessage(answer))
    return await service.run_turn(who, message)


async def test_every_agent_tool_call_is_audited(script: Script, me: Principal) -> None:
    script.add(script.call("list_customers", status="lead"), AIMessage("None."))
    result = await service.run_turn(me, "list my leads")
    with unit_of_work(me.tenant_id) as session:
        rows = list(session.scalars(select(AuditLog).where(
            AuditLog.conversation_id == result.conversation_id)))
    assert len(rows) == 1
    row = rows[0]
    assert (row.tool, row.source, row.outcome) == ("list_customers", "agent", "ok")
    assert (row.user_id, row.tenant_id) == (me.user_id, me.tenant_id)
    assert row.arguments["status"] == "lead"


async def test_provider_errors_become_safe_ai_query_failed(script: Script, me: Principal) -> None:
    script.add(ConnectionError("connect to http://secret-host:1234 with key sk-SECRET failed"))
    with pytest.raises(AIQueryFailed) as info:
        await service.run_turn(me, "hi")
    assert info.value.message == "The AI model provider could not be reached."
    assert "SECRET" not in str(info.value.details) + info.value.message
    # The conversation is still usable after a failure.
    script.add(AIMessage("Back."))
    assert (await service.run_turn(me, "hi again")).answer == "Back."


async def test_invalid_input_is_a_validation_error(script: Script, me: Principal) -> None:
    with pytest.raises(ValidationFailed):
        await service.run_turn(me, "   ")
    with pytest.raises(ValidationFailed):
        await service.run_turn(me, "hi", conversation_id="x" * 201)


def test_model_listing(database: str) -> None:
    assert service.model_name() == "bizpilot-offline"
    alias, model = service.list_models()
    assert set(model) == set(alias) == {"id", "name", "provider", "description", "capabilities"}
    assert model["id"] == "bizpilot-offline" and model["provider"] == "offline"
    assert alias["id"] == "bizpilot" and "bizpilot-offline" in alias["description"]


def test_terminal_chat(script: Script, account: Any) -> None:
    """`bizpilot chat` resolves the user's home workspace and streams answers until exit."""
    principal = terminal.resolve_principal(account.email)
    assert (principal.user_id, principal.tenant_id, principal.role) == (
        account.user_id, account.tenant_id, "admin")
    script.add(script.call("list_customers"), AIMessage("You have no customers yet."),
               AIMessage("Still none."))
    out = io.StringIO()
    import asyncio

    conv = asyncio.run(terminal.chat(principal, None, io.StringIO("how many customers?\n\nand now?\nexit\n"),
                                     out, verbose=True))
    text = out.getvalue()
    assert "[list_customers: ok] You have no customers yet." in text
    assert "Still none." in text
    assert conv is not None and f"--conversation {conv}" in text
    with pytest.raises(LookupError):
        terminal.resolve_principal("nobody@example.com")
