"""A destructive tool asks for confirmation before it runs; the user confirms or declines in the
next message of the same conversation, and nobody else's message can confirm it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from sqlalchemy import select

from agent import service
from agent.prompts import CANCELLED, CONFIRMATION_QUESTION
from store.db import unit_of_work
from store.models import AuditLog, Customer, Membership, User
from tools.context import Principal

if TYPE_CHECKING:
    from tests.agent.conftest import Script

pytestmark = pytest.mark.anyio


def exists(tenant_id: str, customer_id: str) -> bool:
    with unit_of_work(tenant_id) as session:
        return session.get(Customer, customer_id) is not None


def audit_rows(tenant_id: str, conversation_id: str) -> list[AuditLog]:
    with unit_of_work(tenant_id) as session:
        stmt = (select(AuditLog).where(AuditLog.conversation_id == conversation_id)
                .order_by(AuditLog.created_at))
        return list(session.scalars(stmt))


def echo_tool(script: Script) -> Callable[[list[Any]], AIMessage]:
    """A model step that repeats the last tool result, so tests can read what the model saw."""
    return lambda msgs: AIMessage(f"Tool said: {script.last_tool(msgs).content}")


async def ask_to_delete(script: Script, me: Principal, customer_id: str,
                        conversation_id: str | None = None) -> service.TurnResult:
    script.add(AIMessage("I'll delete that customer.",
                         tool_calls=script.call("delete_customer", customer_id=customer_id).tool_calls))
    return await service.run_turn(me, "Delete the customer Acme Buyer",
                                  conversation_id=conversation_id)


async def test_preview_then_yes_deletes(script: Script, me: Principal,
                                        customer_factory: Callable[..., str]) -> None:
    customer_id = customer_factory("Acme Buyer", company="Acme Corp")
    first = await ask_to_delete(script, me, customer_id)

    assert exists(me.tenant_id, customer_id), "nothing is deleted before the confirmation"
    pending = first.pending_confirmation
    assert pending is not None
    assert pending["tool"] == "delete_customer"
    assert pending["arguments"] == {"customer_id": customer_id}
    assert "Acme Buyer (Acme Corp)" in pending["message"]
    assert pending["preview"]["customer"]["id"] == customer_id
    assert "confirmation_token" not in str(pending)
    assert first.answer.startswith("I'll delete that customer.")
    assert first.answer.endswith(f"{pending['message']} {CONFIRMATION_QUESTION}")
    assert [c.status for c in first.tool_calls] == ["confirmation_required"]
    rows = audit_rows(me.tenant_id, first.conversation_id)
    assert [(r.tool, r.outcome) for r in rows] == [("delete_customer", "preview")]

    script.add(echo_tool(script))
    second = await service.run_turn(me, "yes", conversation_id=first.conversation_id)

    assert not exists(me.tenant_id, customer_id)
    assert second.pending_confirmation is None
    assert '"status": "done"' in second.answer
    [record] = second.tool_calls
    assert (record.name, record.status, record.id) == ("delete_customer", "ok",
                                                        first.tool_calls[0].id)
    assert record.result is not None and record.result["deleted_id"] == customer_id
    assert record.arguments == {"customer_id": customer_id}
    rows = audit_rows(me.tenant_id, first.conversation_id)
    assert [(r.tool, r.outcome) for r in rows] == [("delete_customer", "preview"),
                                                   ("delete_customer", "ok")]
    for row in rows:
        assert (row.user_id, row.tenant_id, row.source) == (me.user_id, me.tenant_id, "agent")
        assert row.arguments == {"customer_id": customer_id}


async def test_no_cancels(script: Script, me: Principal,
                          customer_factory: Callable[..., str]) -> None:
    customer_id = customer_factory("Keep Me")
    first = await ask_to_delete(script, me, customer_id)
    script.add(echo_tool(script))
    second = await service.run_turn(me, "No, don't.", conversation_id=first.conversation_id)

    assert exists(me.tenant_id, customer_id)
    assert second.answer == f"Tool said: {CANCELLED}"
    assert [c.status for c in second.tool_calls] == ["cancelled"]
    assert second.pending_confirmation is None
    outcomes = [r.outcome for r in audit_rows(me.tenant_id, first.conversation_id)]
    assert outcomes == ["preview"]
    # A later "yes" in the same conversation confirms nothing any more.
    script.add(AIMessage("Yes to what?"))
    third = await service.run_turn(me, "yes", conversation_id=first.conversation_id)
    assert third.answer == "Yes to what?" and exists(me.tenant_id, customer_id)


async def test_unrelated_message_cancels_and_is_handled(script: Script, me: Principal,
                                                        customer_factory: Callable[..., str]) -> None:
    customer_id = customer_factory("Still Here")
    first = await ask_to_delete(script, me, customer_id)
    script.add(AIMessage("You have some deals."))
    second = await service.run_turn(me, "How many deals are open right now?",
                                    conversation_id=first.conversation_id)

    assert exists(me.tenant_id, customer_id)
    assert second.answer == "You have some deals."
    tail = script.last_prompt[-2:]
    assert isinstance(tail[0], ToolMessage) and tail[0].content == CANCELLED
    assert isinstance(tail[1], HumanMessage) and tail[1].content == "How many deals are open right now?"


async def test_model_cannot_supply_its_own_token(script: Script, me: Principal,
                                                 customer_factory: Callable[..., str]) -> None:
    customer_id = customer_factory("Token Forger")
    script.add(script.call("delete_customer", customer_id=customer_id, confirmation_token="forged"))
    result = await service.run_turn(me, "delete Token Forger right now")
    assert result.pending_confirmation is not None
    assert exists(me.tenant_id, customer_id)


async def test_confirmation_is_bound_to_the_conversation_user_and_tenant(
    script: Script, me: Principal, other_account: Any, customer_factory: Callable[..., str],
) -> None:
    customer_id = customer_factory("Guarded")
    first = await ask_to_delete(script, me, customer_id)
    conv = first.conversation_id

    stranger = Principal(user_id=other_account.user_id, tenant_id=other_account.tenant_id,
                         role="admin")
    colleague = _colleague(me.tenant_id)
    cross_tenant = Principal(user_id=me.user_id, tenant_id=other_account.tenant_id, role="admin")
    for who, conversation in [(stranger, conv), (colleague, conv), (cross_tenant, conv), (me, None)]:
        script.add(AIMessage("Nothing to confirm here."))
        result = await service.run_turn(who, "yes", conversation_id=conversation)
        assert result.answer == "Nothing to confirm here."
        assert result.tool_calls == [] and result.pending_confirmation is None
        assert exists(me.tenant_id, customer_id)

    script.add(AIMessage("Deleted."))
    await service.run_turn(me, "yes", conversation_id=conv)
    assert not exists(me.tenant_id, customer_id)


def _colleague(tenant_id: str) -> Principal:
    """Another admin of the same tenant."""
    with unit_of_work() as session:
        user = User(email=f"colleague-{tenant_id[:8]}@example.com", password_hash="x")
        session.add(user)
        session.flush()
        session.add(Membership(user_id=user.id, tenant_id=tenant_id, role="admin"))
        return Principal(user_id=user.id, tenant_id=tenant_id, role="admin")


async def test_stream_shows_the_question_and_pending_call(script: Script, me: Principal,
                                                          customer_factory: Callable[..., str]) -> None:
    customer_id = customer_factory("Streamed")
    script.add(script.call("delete_customer", customer_id=customer_id))
    events = [e async for e in service.stream_turn(me, "delete Streamed")]
    kinds = [type(e).__name__ for e in events]
    assert kinds == ["ToolStarted", "ToolFinished", "TextDelta", "TurnDone"]
    finished = events[1]
    assert isinstance(finished, service.ToolFinished)
    assert finished.call.status == "confirmation_required"
    done = events[-1]
    assert isinstance(done, service.TurnDone)
    assert done.result.answer == events[2].text and CONFIRMATION_QUESTION in done.result.answer

    script.add(AIMessage("Deleted Streamed."))
    events = [e async for e in service.stream_turn(me, "go ahead",
                                                   conversation_id=done.result.conversation_id)]
    kinds = [type(e).__name__ for e in events]
    assert kinds[:2] == ["ToolStarted", "ToolFinished"] and kinds[-1] == "TurnDone"
    started, finished = events[0], events[1]
    assert isinstance(started, service.ToolStarted) and isinstance(finished, service.ToolFinished)
    assert (started.call.name, started.call.status) == ("delete_customer", "running")
    assert started.call.arguments == {"customer_id": customer_id}
    assert finished.call.status == "ok"
    assert not exists(me.tenant_id, customer_id)
