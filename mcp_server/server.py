"""The MCP server: every registered tool as an MCP tool, plus `search_tools` and `call_tool`.

Built on the SDK's low-level `Server` (the `MCPServer` helper derives schemas from Python
signatures; here the input schema, output schema and annotations must be exactly the registry's).
No capability logic lives here: every call, listed or reached through `call_tool`, goes through
`tools.runtime.aexecute(..., source="mcp")`, so validation, roles, tenant scoping, the
preview/confirm protocol of destructive tools and the audit log are the runtime's, not ours.
The transport decides who is calling: it hands `build_server` a function that returns the
Principal of the request being served (fixed for stdio, per HTTP request for streamable HTTP).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from importlib import metadata
from typing import Any, TypeVar

from mcp.server import Server, ServerRequestContext
from mcp_types import (
    CallToolRequestParams,
    CallToolResult,
    ListToolsResult,
    PaginatedRequestParams,
    TextContent,
    Tool,
    ToolAnnotations,
)
from pydantic import BaseModel, Field, ValidationError, field_validator

from core.errors import AppError, ValidationFailed
from core.settings import get_settings
from mcp_server import toolsets
from tools.context import Principal
from tools.registry import Toolset, ToolSpec, all_tools
from tools.runtime import aexecute, validation_details

log = logging.getLogger("bizpilot.mcp")

PrincipalResolver = Callable[[ServerRequestContext[Any, Any]], Principal]
M = TypeVar("M", bound=BaseModel)

INSTRUCTIONS = """BizPilot: typed tools over one business's own data (CRM, revenue, analytics, admin).
Tools not listed here exist too: find them with search_tools and run them with call_tool.
Destructive tools never act on the first call: they return a preview and a confirmation_token;
show the preview to the user and call again with that token to carry it out."""


class SearchToolsInput(BaseModel):
    query: str = Field("", max_length=500, description=(
        "Words for what you want to do, e.g. 'revenue last month' or 'delete deal'. "
        "Empty lists every tool."))
    toolset: Toolset | None = Field(None, description="Only tools of this toolset.")
    limit: int = Field(10, ge=1, le=50, description="At most this many tools.")


class ToolMatch(BaseModel):
    name: str
    title: str
    description: str
    toolset: str
    read_only: bool
    destructive: bool
    listed: bool = Field(description="Whether the tool is also listed directly by this server.")
    input_schema: dict[str, Any]


class SearchToolsOutput(BaseModel):
    tools: list[ToolMatch]
    total: int = Field(description="How many tools matched before the limit.")


class CallToolInput(BaseModel):
    name: str = Field(..., min_length=1, max_length=100,
                      description="The tool to run, by the name search_tools returned.")
    arguments: dict[str, Any] = Field(default_factory=dict,
                                      description="Its arguments, matching its input_schema.")

    @field_validator("arguments", mode="before")
    @classmethod
    def _json_string(cls, value: Any) -> Any:
        """Some clients send nested objects as JSON text."""
        if isinstance(value, str):
            try:
                return json.loads(value) if value.strip() else {}
            except ValueError:
                return value
        return value


def mcp_tool(spec: ToolSpec) -> Tool:
    return Tool(
        name=spec.name,
        title=spec.title,
        description=spec.description,
        input_schema=spec.input_schema(),
        output_schema=spec.output_schema(),
        annotations=ToolAnnotations(
            title=spec.title,
            read_only_hint=spec.read_only,
            destructive_hint=spec.destructive,
            idempotent_hint=spec.idempotent,
            open_world_hint=False,
        ),
    )


def meta_tools() -> list[Tool]:
    search = Tool(
        name="search_tools",
        title="Search tools",
        description="Find BizPilot tools by what they do, across every toolset (including tools not "
        "listed here). Returns each match's name, description and input schema; run one with call_tool.",
        input_schema=SearchToolsInput.model_json_schema(),
        output_schema=SearchToolsOutput.model_json_schema(),
        annotations=ToolAnnotations(title="Search tools", read_only_hint=True, destructive_hint=False,
                                    idempotent_hint=True, open_world_hint=False),
    )
    call = Tool(
        name="call_tool",
        title="Call a tool",
        description="Run any BizPilot tool by name with its arguments, including tools not listed here "
        "(find them with search_tools). Same permissions as calling it directly; destructive tools "
        "still preview first and need the confirmation_token they return.",
        input_schema=CallToolInput.model_json_schema(),
        annotations=ToolAnnotations(title="Call a tool", read_only_hint=False, destructive_hint=True,
                                    idempotent_hint=False, open_world_hint=False),
    )
    return [search, call]


def _parse(model: type[M], arguments: dict[str, Any]) -> M:
    try:
        return model.model_validate(arguments)
    except ValidationError as err:
        raise ValidationFailed("Invalid input data", details=validation_details(err)) from None


def _describe(details: Any) -> str:
    """Only {field, message} pairs are echoed: they name what to fix and carry no internals."""
    items = details if isinstance(details, list) else [details]
    parts = [f"{d['field']}: {d['message']}" if "message" in d else str(d["field"])
             for d in items if isinstance(d, dict) and "field" in d]
    return "; ".join(parts)


def ok(output: BaseModel | dict[str, Any]) -> CallToolResult:
    data = output if isinstance(output, dict) else output.model_dump(mode="json", by_alias=False)
    text = json.dumps(data, ensure_ascii=False, default=str)
    return CallToolResult(content=[TextContent(text=text)], structured_content=data)


def failed(err: AppError) -> CallToolResult:
    fields = _describe(err.details)
    text = f"{err.message} ({err.code})" + (f". {fields}" if fields else "")
    return CallToolResult(content=[TextContent(text=text)], is_error=True)


def _request_id(ctx: ServerRequestContext[Any, Any]) -> str:
    scope = getattr(ctx.request, "scope", None)
    state = scope.get("state") if isinstance(scope, dict) else None
    rid = state.get("request_id") if isinstance(state, dict) else None
    return rid if isinstance(rid, str) else f"mcp_{uuid.uuid4().hex[:20]}"


class ToolRouter:
    """Routes one tools/call to a registered tool or a meta tool; raises AppError on refusal."""

    def __init__(self, specs: dict[str, ToolSpec], listed: list[ToolSpec]) -> None:
        self.specs = specs
        self.listed_names = {s.name for s in listed}

    def lookup(self, name: str) -> ToolSpec:
        spec = self.specs.get(name)
        if spec is None:
            raise AppError(f"Unknown tool {name[:100]!r}: use search_tools to find the right name",
                           details=[{"field": "name", "message": "unknown tool"}], code="TOOL_NOT_FOUND")
        return spec

    async def call(self, name: str, arguments: dict[str, Any], principal: Principal) -> BaseModel:
        if name == "search_tools":
            return self.search(_parse(SearchToolsInput, arguments))
        if name == "call_tool":
            inner = _parse(CallToolInput, arguments)
            if inner.name in toolsets.META_TOOLS:
                raise ValidationFailed("call_tool runs BizPilot tools, not meta tools",
                                       details=[{"field": "name", "message": "not a BizPilot tool"}])
            return await aexecute(self.lookup(inner.name), principal, inner.arguments, source="mcp")
        return await aexecute(self.lookup(name), principal, arguments, source="mcp")

    def search(self, query: SearchToolsInput) -> SearchToolsOutput:
        found, total = toolsets.search(self.specs.values(), query.query, toolset=query.toolset,
                                       limit=query.limit)
        matches = [
            ToolMatch(name=s.name, title=s.title, description=s.description, toolset=s.toolset,
                      read_only=s.read_only, destructive=s.destructive,
                      listed=s.name in self.listed_names, input_schema=s.input_schema())
            for s in found
        ]
        return SearchToolsOutput(tools=matches, total=total)


def _version() -> str:
    try:
        return metadata.version("bizpilot")
    except metadata.PackageNotFoundError:
        return "0.0.0"


def build_server(resolve_principal: PrincipalResolver, *, toolsets_setting: str | None = None) -> Server[Any]:
    """A server over the whole registry; `toolsets_setting` (default: settings.mcp_toolsets)
    chooses what is listed directly. `resolve_principal` is asked on every call, never cached."""
    specs = dict(all_tools())
    selected = toolsets.parse_toolsets(toolsets_setting or get_settings().mcp_toolsets)
    listed = toolsets.listed_tools(specs.values(), selected)
    catalog = [mcp_tool(s) for s in listed] + meta_tools()
    schemas = {t.name: t.input_schema for t in catalog}
    router = ToolRouter(specs, listed)

    async def on_list_tools(_ctx: ServerRequestContext[Any, Any],
                            _params: PaginatedRequestParams | None) -> ListToolsResult:
        return ListToolsResult(tools=catalog)

    async def on_call_tool(ctx: ServerRequestContext[Any, Any],
                           params: CallToolRequestParams) -> CallToolResult:
        try:
            principal = resolve_principal(ctx)
            return ok(await router.call(params.name, params.arguments or {}, principal))
        except AppError as err:
            return failed(err)
        except Exception:
            rid = _request_id(ctx)
            log.exception("MCP call to %s failed (request id %s)", params.name[:100], rid)
            return CallToolResult(content=[TextContent(text=f"Internal error (request id {rid})")],
                                  is_error=True)

    def input_schema(name: str) -> dict[str, Any] | None:
        spec = specs.get(name)
        return schemas.get(name) or (spec.input_schema() if spec else None)

    return Server(
        "bizpilot",
        version=_version(),
        title="BizPilot",
        instructions=INSTRUCTIONS,
        get_tool_input_schema=input_schema,
        on_list_tools=on_list_tools,
        on_call_tool=on_call_tool,
    )
