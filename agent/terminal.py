"""`bizpilot chat`: the assistant in a terminal, for the operator of a local install.

The operator already controls the machine and its database, so no password is asked: the
chat acts as the given user (default: the demo owner) in that user's home workspace, with the
user's real role, and every tool call is audited under that user like any other.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

import anyio

from agent import service
from agent.remote_chat import EXIT_WORDS, tool_note
from core.errors import AppError
from core.settings import get_settings
from tools.context import Principal

__all__ = ["EXIT_WORDS", "chat", "resolve_principal", "run"]


def run(email: str | None = None, conversation_id: str | None = None, verbose: bool = False) -> None:
    """Chat until EOF or "exit"; with `verbose`, each answer shows the tools it ran."""
    try:
        principal = resolve_principal(email or get_settings().demo_email)
    except LookupError as err:
        sys.exit(str(err))
    asyncio.run(chat(principal, conversation_id, verbose=verbose))


def resolve_principal(email: str) -> Principal:
    """The user's home membership (their default workspace, else their first), as a Principal.
    The demo owner is created on first use so `bizpilot chat` works on a fresh install."""
    from store.db import unit_of_work
    from store.migrate import upgrade
    from store.repositories import tenancy

    upgrade()
    settings = get_settings()
    with unit_of_work() as session:
        user = tenancy.user_by_email(session, email)
        if user is None and email.lower() == settings.demo_email.lower():
            _seed_demo()
            user = tenancy.user_by_email(session, email)
        if user is None or not user.is_active:
            raise LookupError(f"No active user {email}: create one, or run `bizpilot seed`.")
        memberships = tenancy.memberships_of(session, user.id)
        if not memberships:
            raise LookupError(f"{email} belongs to no workspace.")
        home = next((m for m in memberships if m.tenant_id == user.default_tenant_id),
                    memberships[0])
        return Principal(user_id=user.id, tenant_id=home.tenant_id, role=home.role,  # type: ignore[arg-type]
                         email=user.email, is_superadmin=user.is_superadmin)


def _seed_demo() -> None:
    from store import demo
    from store.db import unit_of_work
    from tools.identity.passwords import hash_password

    settings = get_settings()
    with unit_of_work() as session:
        demo.seed(session, email=settings.demo_email, password_hash=hash_password,
                  password=settings.demo_password)


async def chat(principal: Principal, conversation_id: str | None = None,
               stdin: TextIO | None = None, stdout: TextIO | None = None, *,
               verbose: bool = False) -> str | None:
    """The read-answer loop; returns the conversation id so it can be resumed. `verbose` shows
    each tool call as a `[name: status]` note (`run`, and so `bizpilot chat`, default to off)."""
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    interactive = stdin.isatty()
    stdout.write(f"BizPilot ({service.model_name()}) as {principal.email or principal.user_id}. "
                 "Type exit to leave.\n")
    try:
        while True:
            if interactive:
                stdout.write("you> ")
                stdout.flush()
            line = await anyio.to_thread.run_sync(stdin.readline)
            if not line:
                break
            message = line.strip()
            if message.lower() in EXIT_WORDS:
                break
            if message:
                conversation_id = await _answer(principal, message, conversation_id, stdout, verbose)
    finally:
        await service.aclose()
    if conversation_id:
        stdout.write(f"\nResume with: bizpilot chat --conversation {conversation_id}\n")
    return conversation_id


async def _answer(principal: Principal, message: str, conversation_id: str | None,
                  out: TextIO, verbose: bool) -> str | None:
    """Stream one answer; with `verbose`, tool calls show as short notes of what ran."""
    out.write("bizpilot> ")
    try:
        async for event in service.stream_turn(principal, message, conversation_id=conversation_id):
            if isinstance(event, service.TextDelta):
                out.write(event.text)
            elif isinstance(event, service.ToolFinished) and verbose:
                out.write(tool_note(event.call.name, event.call.status))
            elif isinstance(event, service.TurnDone):
                conversation_id = event.result.conversation_id
            out.flush()
    except AppError as err:
        out.write(f"Sorry: {err.message}")
    out.write("\n")
    out.flush()
    return conversation_id
