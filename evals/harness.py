"""A throwaway database seeded with the demo tenant, and the agent loop the evals drive.

The loop is deliberately minimal and independent of the production graph: the model is invoked,
its tool calls run through `tools.runtime.execute` (the one path every adapter takes) as the demo
owner, results go back as ToolMessages, until the model answers in words. Destructive tools run
only as a preview and the owner then declines ("Cancelled by the user."), as the graph's
confirmation step would record it. Each case starts from a pristine copy of the database.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from core.env import settings_env

CANCELLED = "Cancelled by the user."
MAX_ROUNDS = 8


@dataclass
class CallRecord:
    name: str
    args: dict[str, Any]
    output: str


@dataclass
class TurnRecord:
    calls: list[CallRecord] = field(default_factory=list)
    answer: str = ""


@dataclass
class EvalEnv:
    principal: Any
    db_path: Path
    pristine: Path

    def reset(self) -> None:
        """Back to the freshly seeded database (cases may create, move or update records)."""
        from store.db import get_engine

        get_engine().dispose()
        for suffix in ("-wal", "-shm"):
            Path(f"{self.db_path}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self.pristine, self.db_path)


@contextmanager
def eval_environment() -> Iterator[EvalEnv]:
    """Point settings at a temporary database, migrate, seed; restore the environment after."""
    with tempfile.TemporaryDirectory(prefix="bizpilot-eval-") as tmp:
        db_path = Path(tmp) / "eval.db"
        with settings_env(DATABASE_URL=f"sqlite:///{db_path}", CHECKPOINT_URL=str(Path(tmp) / "cp.db"),
                          ARGON2_TIME_COST="1", ARGON2_MEMORY_COST="1024", ARGON2_PARALLELISM="1",
                          SECRET_KEY=os.environ.get("SECRET_KEY", secrets.token_urlsafe(48))):
            try:
                yield _prepare(db_path)
            finally:
                from store.db import get_engine

                get_engine().dispose()


def _prepare(db_path: Path) -> EvalEnv:
    from core.settings import get_settings

    get_settings.cache_clear()
    from store import demo
    from store.db import get_engine, unit_of_work
    from store.migrate import upgrade
    from tools.context import Principal
    from tools.identity.passwords import hash_password

    settings = get_settings()
    upgrade(settings.database_url)
    with unit_of_work() as session:
        tenant = demo.seed(session, email=settings.demo_email, password_hash=hash_password,
                           password=settings.demo_password)
        principal = Principal(user_id=str(tenant.owner_id), tenant_id=tenant.id, role="admin",
                              email=settings.demo_email)
    with get_engine().connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    get_engine().dispose()
    pristine = db_path.with_name("pristine.db")
    shutil.copyfile(db_path, pristine)
    return EvalEnv(principal, db_path, pristine)


def bound_tools() -> list[dict[str, Any]]:
    """Every registry tool as an OpenAI tool dict, the way a provider model would see them."""
    from tools.registry import all_tools

    return [{"type": "function", "function": {"name": name, "description": spec.description,
                                              "parameters": spec.input_schema()}}
            for name, spec in all_tools().items()]


def run_tool(name: str, args: dict[str, Any], principal: Any) -> str:
    """One call as the agent would make it; errors become the agent's "Error: CODE: message"."""
    from core.errors import AppError
    from tools.registry import get_tool
    from tools.runtime import execute

    try:
        result = execute(name, principal, args, source="agent")
    except AppError as err:
        return f"Error: {err.code}: {err.message}"
    if get_tool(name).destructive:
        return CANCELLED
    return json.dumps(result.model_dump(mode="json"))


def run_turn(model: Any, messages: list[BaseMessage], text: str, principal: Any) -> TurnRecord:
    """Send one user message and loop model → tools until the model answers."""
    messages.append(HumanMessage(content=text))
    record = TurnRecord()
    for _ in range(MAX_ROUNDS):
        reply = model.invoke(messages)
        assert isinstance(reply, AIMessage)
        messages.append(reply)
        if not reply.tool_calls:
            record.answer = str(reply.content)
            return record
        for call in reply.tool_calls:
            output = run_tool(call["name"], dict(call["args"]), principal)
            record.calls.append(CallRecord(call["name"], dict(call["args"]), output))
            messages.append(ToolMessage(content=output, tool_call_id=str(call["id"]), name=call["name"]))
    record.answer = "(no answer: too many tool rounds)"
    return record
