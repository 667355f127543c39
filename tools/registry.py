"""The one tool registry. A capability is a function `fn(ctx, input) -> output` with pydantic
input and output models, declared with `@tool(...)`; every adapter reads this registry."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, get_type_hints

from pydantic import BaseModel

from tools.context import Role, ToolContext
from tools.schemas import ConfirmableInput, DestructiveResult

Kind = Literal["read", "write", "destructive"]
Toolset = Literal[
    "crm", "analytics", "forecasting", "simulation", "security", "connectors", "marketing",
    "cdp", "admin",
]
F = TypeVar("F", bound=Callable[..., Any])
In = TypeVar("In", bound=BaseModel)
Out = TypeVar("Out", bound=BaseModel)
ToolFn = Callable[[ToolContext, In], Out]
"""What a capability is: adapters pass the function itself, so mypy checks input and output."""
PreviewFn = Callable[[ToolContext, Any], dict[str, Any]]


@dataclass(frozen=True)
class ToolSpec:
    name: str
    title: str
    description: str
    fn: Callable[[ToolContext, Any], BaseModel]
    input_model: type[BaseModel]
    output_model: type[BaseModel]
    kind: Kind
    toolset: Toolset
    min_role: Role
    idempotent: bool
    preview: PreviewFn | None = None
    tenant_scoped: bool = True
    exposed: bool = True
    public: bool = False
    confirm: bool = False
    """A write that is not destructive but must still be previewed and confirmed, like a
    destructive one (connecting an outside account on someone's behalf)."""

    @property
    def read_only(self) -> bool:
        return self.kind == "read"

    @property
    def destructive(self) -> bool:
        return self.kind == "destructive"

    @property
    def needs_confirmation(self) -> bool:
        """Whether a call previews first and acts only with a confirmation token."""
        return self.destructive or self.confirm

    def input_schema(self) -> dict[str, Any]:
        return self.input_model.model_json_schema(by_alias=False)

    def output_schema(self) -> dict[str, Any]:
        return self.output_model.model_json_schema(by_alias=False, mode="serialization")


_REGISTRY: dict[str, ToolSpec] = {}
_BY_FUNCTION: dict[Callable[..., Any], ToolSpec] = {}


def tool(
    *,
    name: str,
    description: str,
    toolset: Toolset,
    kind: Kind = "read",
    min_role: Role = "user",
    idempotent: bool | None = None,
    preview: PreviewFn | None = None,
    title: str | None = None,
    tenant_scoped: bool = True,
    exposed: bool = True,
    public: bool = False,
    confirm: bool = False,
) -> Callable[[F], F]:
    """Register a capability. Models come from the function's annotations.

    `exposed=False` keeps a capability off the assistant and MCP (signing in, for instance, is
    something a client does for itself, not something a model should do for it); `public=True`
    lets it run without a signed-in caller (register, log in, refresh). `confirm=True` gives a
    write the destructive tools' preview/confirmation protocol (it needs a `preview`)."""

    def register(fn: F) -> F:
        hints = get_type_hints(fn)
        params = list(inspect.signature(fn).parameters)
        input_model, output_model = hints[params[1]], hints["return"]
        if kind == "destructive" or confirm:
            assert preview is not None, f"{name}: a destructive tool needs a preview"
            assert issubclass(input_model, ConfirmableInput), f"{name}: input must be confirmable"
            assert issubclass(output_model, DestructiveResult), f"{name}: output must be a result"
        assert name not in _REGISTRY, f"tool {name} registered twice"
        spec = ToolSpec(
            name=name,
            title=title or name.replace("_", " ").capitalize(),
            description=description.strip(),
            fn=fn,
            input_model=input_model,
            output_model=output_model,
            kind=kind,
            toolset=toolset,
            min_role=min_role,
            idempotent=kind == "read" if idempotent is None else idempotent,
            preview=preview,
            tenant_scoped=tenant_scoped and not public,
            exposed=exposed,
            public=public,
            confirm=confirm,
        )
        _REGISTRY[name] = spec
        _BY_FUNCTION[fn] = spec
        return fn

    return register


def _load() -> dict[str, ToolSpec]:
    import tools.catalog  # noqa: F401  (importing registers every capability)

    return _REGISTRY


def all_tools() -> dict[str, ToolSpec]:
    """The capabilities the assistant and MCP clients may call, by name."""
    return {name: spec for name, spec in _load().items() if spec.exposed}


def spec_of(fn: ToolFn[Any, Any]) -> ToolSpec:
    """The registration of a capability function: how REST routes reach a tool, by reference."""
    _load()
    return _BY_FUNCTION[fn]


def get_tool(name: str) -> ToolSpec:
    from core.errors import NotFound

    spec = all_tools().get(name)
    if spec is None:
        raise NotFound("tool", name)
    return spec
