"""Conversations live in the checkpoint store, so they survive a restart: close the
checkpointer, forget every cached graph and model, and the same conversation id continues,
pending confirmations included."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from langchain_core.messages import AIMessage, HumanMessage

from agent import service
from agent.checkpointer import open_checkpointer, sqlite_path
from core.settings import get_settings
from store.db import unit_of_work
from store.models import Customer
from tools.context import Principal

if TYPE_CHECKING:
    from tests.agent.conftest import Script

pytestmark = pytest.mark.anyio


async def restart(install_model: Callable[..., Script]) -> Script:
    """What a process restart does to the agent: everything in memory is gone."""
    await service.aclose()
    return install_model()


async def test_conversation_survives_restart(install_model: Callable[..., Script],
                                             me: Principal) -> None:
    script = install_model()
    script.add(AIMessage("Noted: the launch is on Friday."))
    first = await service.run_turn(me, "Remember: the launch is on Friday.")
    assert Path(sqlite_path(get_settings().checkpoint_url)).exists()

    fresh = await restart(install_model)
    fresh.add(AIMessage("Friday."))
    second = await service.run_turn(me, "When is the launch?", conversation_id=first.conversation_id)

    assert second.answer == "Friday."
    texts = [str(m.content) for m in fresh.last_prompt[1:]]
    assert texts == ["Remember: the launch is on Friday.", "Noted: the launch is on Friday.",
                     "When is the launch?"]


async def test_pending_confirmation_survives_restart(install_model: Callable[..., Script],
                                                     me: Principal,
                                                     customer_factory: Callable[..., str]) -> None:
    script = install_model()
    customer_id = customer_factory("Restart Survivor")
    script.add(script.call("delete_customer", customer_id=customer_id))
    first = await service.run_turn(me, "delete Restart Survivor")
    assert first.pending_confirmation is not None

    fresh = await restart(install_model)
    fresh.add(AIMessage("Deleted."))
    second = await service.run_turn(me, "yes", conversation_id=first.conversation_id)

    assert second.answer == "Deleted."
    with unit_of_work(me.tenant_id) as session:
        assert session.get(Customer, customer_id) is None
    assert isinstance(fresh.last_prompt[1], HumanMessage)


async def test_checkpointer_reads_a_sqlite_url(tmp_path: Path, database: str) -> None:
    settings = get_settings().model_copy(update={"checkpoint_url": f"sqlite:///{tmp_path}/x/c.db"})
    opened = await open_checkpointer(settings)
    try:
        assert opened.kind == "sqlite"
        assert (tmp_path / "x" / "c.db").exists()
    finally:
        await opened.close()


def test_unclosed_service_does_not_block_exit(tmp_path: Path) -> None:
    """A process that never calls `service.aclose()` still exits: the open SQLite connection
    (a non-daemon aiosqlite thread by default) must not keep it alive."""
    code = (
        "import asyncio\n"
        "from agent import service\n"
        "asyncio.run(service._runtime())\n"
        "assert service._runtimes, 'the runtime stays cached'\n"
    )
    env = {**os.environ, "CHECKPOINT_URL": str(tmp_path / "c.db"),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.db'}", "LLM_PROVIDER": "openai_compatible",
           "LLM_BASE_URL": "http://127.0.0.1:9/v1"}
    done = subprocess.run([sys.executable, "-c", code], env=env, timeout=30, capture_output=True,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr.decode()
