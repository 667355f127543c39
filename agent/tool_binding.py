"""The registry's tools as the model sees them (OpenAI tool dicts, LangChain tools), and one
function that runs a model's tool call through `tools.runtime.aexecute`: validated, role
checked, one transaction, audited with the conversation id. Whatever goes wrong becomes a
message the model can read and recover from; a tool call never crashes the graph."""

from __future__ import annotations

import copy
import json
import logging
from dataclasses import dataclass
from typing import Any, Literal

from langchain_core.messages import ToolMessage
from langchain_core.tools import StructuredTool
from pydantic import BaseModel

from core.errors import AppError
from tools.context import Principal
from tools.registry import ToolSpec, all_tools
from tools.runtime import aexecute
from tools.schemas import DestructiveResult

log = logging.getLogger("bizpilot.agent")

TOKEN_FIELD = "confirmation_token"
AGENT_CONFIRMATION_NOTE = (
    "Here, call it once without a token: the user is shown the preview and asked to confirm."
)
Status = Literal["ok", "error", "confirmation_required", "cancelled"]


@dataclass
class ToolOutcome:
    """One executed call: `content` is what the model reads, the rest is for the caller."""

    status: Status
    content: str
    result: dict[str, Any] | None = None
    error: str | None = None

    def message(self, tool_call_id: str, name: str) -> ToolMessage:
        """A ToolMessage whose artifact keeps the structured outcome for streaming clients."""
        artifact = {"status": self.status, "result": self.result, "error": self.error}
        return ToolMessage(
            content=self.content,
            tool_call_id=tool_call_id,
            name=name,
            artifact=artifact,
            status="error" if self.status == "error" else "success",
        )


def usable_tools(principal: Principal) -> list[ToolSpec]:
    """Tools this caller's role may run, in registry order: showing others only invites errors."""
    return [spec for spec in all_tools().values() if principal.can(spec.min_role)]


def model_arguments(spec: ToolSpec | None, args: dict[str, Any]) -> dict[str, Any]:
    """A model's arguments without a confirmation token: only the graph's confirmation step
    may supply one, so a model can never skip the user's yes."""
    clean = dict(args or {})
    if spec is None or spec.needs_confirmation:
        clean.pop(TOKEN_FIELD, None)
    return clean


def input_schema(spec: ToolSpec) -> dict[str, Any]:
    """The JSON schema shown to models. Destructive tools hide the token: the graph confirms."""
    schema = copy.deepcopy(spec.input_schema())
    schema.pop("title", None)
    if spec.needs_confirmation:
        schema.get("properties", {}).pop(TOKEN_FIELD, None)
        if TOKEN_FIELD in schema.get("required", []):
            schema["required"].remove(TOKEN_FIELD)
    schema.setdefault("properties", {})
    return schema


def openai_tool(spec: ToolSpec) -> dict[str, Any]:
    """The OpenAI function-tool dict: every provider (and the offline model) accepts it."""
    description = spec.description
    if spec.needs_confirmation:
        description += f" {AGENT_CONFIRMATION_NOTE}"
    return {
        "type": "function",
        "function": {"name": spec.name, "description": description,
                     "parameters": input_schema(spec)},
    }


def structured_tool(spec: ToolSpec, principal: Principal, conversation_id: str) -> StructuredTool:
    """The tool as a LangChain StructuredTool bound to one caller, for LangChain-native callers.
    Destructive tools only ever preview through it (no token is accepted from the model)."""

    async def run(**kwargs: Any) -> str:
        outcome = await call_tool(spec.name, kwargs, principal, conversation_id)
        return outcome.content

    return StructuredTool.from_function(
        coroutine=run,
        name=spec.name,
        description=spec.description,
        args_schema=input_schema(spec),
    )


async def call_tool(
    name: str,
    args: dict[str, Any],
    principal: Principal,
    conversation_id: str,
    *,
    confirmation_token: str | None = None,
) -> ToolOutcome:
    """Run one call as the principal. Never raises: failures become "Error: CODE: message"."""
    spec = all_tools().get(name)
    if spec is None:
        return _error("RESOURCE_NOT_FOUND", f"There is no tool named {name!r}.")
    payload = model_arguments(spec, args)
    if confirmation_token:
        payload[TOKEN_FIELD] = confirmation_token
    try:
        output = await aexecute(spec, principal, payload, source="agent",
                                conversation_id=conversation_id)
    except AppError as err:
        return _error(err.code, _error_text(err, spec))
    except Exception:
        log.exception("agent call to %s failed", name)
        return _error("INTERNAL_ERROR", "The tool failed unexpectedly.")
    return _success(output)


def _success(output: BaseModel) -> ToolOutcome:
    result = output.model_dump(mode="json", by_alias=False)
    status: Status = "ok"
    if isinstance(output, DestructiveResult) and output.status == "confirmation_required":
        status = "confirmation_required"
    return ToolOutcome(status, json.dumps(result, ensure_ascii=False, default=str), result=result)


def _error(code: str, message: str) -> ToolOutcome:
    return ToolOutcome("error", f"Error: {code}: {message}", error=f"{code}: {message}")


def _error_text(err: AppError, spec: ToolSpec) -> str:
    """The safe message plus the offending fields, named as in the schema the model was shown
    (snake_case, not the camelCase aliases the REST documents use)."""
    details = err.details
    if isinstance(details, list):
        names = {f.alias or n: n for n, f in spec.input_model.model_fields.items()}
        fields = [
            f"{_snake_path(str(d.get('field')), names)}: {d.get('message')}"
            for d in details if isinstance(d, dict)
        ]
        if fields:
            return f"{err.message} ({'; '.join(fields)})"
    return err.message


def _snake_path(path: str, names: dict[str, str]) -> str:
    head, dot, rest = path.partition(".")
    return names.get(head, head) + dot + rest
