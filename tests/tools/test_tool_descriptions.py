"""Every registered tool, and every field of its input, says what it is for: MCP clients and
models choose tools and fill arguments from these texts alone."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, Field

from tools.registry import ToolSpec, all_tools

NESTED = ("items", "additionalProperties", "not")
ALTERNATIVES = ("anyOf", "oneOf", "allOf", "prefixItems")


def undescribed(schema: Any, path: str = "") -> list[str]:
    """Paths of properties without a non-empty description, in the schema, the object and array
    schemas nested in it, and its $defs."""
    if not isinstance(schema, dict):
        return []
    missing: list[str] = []
    for name, prop in (schema.get("properties") or {}).items():
        where = f"{path}.{name}" if path else name
        if not (isinstance(prop, dict) and str(prop.get("description") or "").strip()):
            missing.append(where)
        missing += undescribed(prop, where)
    for key in NESTED:
        missing += undescribed(schema.get(key), f"{path}[{key}]")
    for key in ALTERNATIVES:
        for i, option in enumerate(schema.get(key) or []):
            missing += undescribed(option, f"{path}[{key}{i}]")
    for name, definition in (schema.get("$defs") or {}).items():
        missing += undescribed(definition, f"$defs.{name}")
    return missing


TOOLS = sorted(all_tools().values(), key=lambda spec: spec.name)


def test_there_are_tools_to_check() -> None:
    assert len(TOOLS) >= 10


@pytest.mark.parametrize("spec", TOOLS, ids=[spec.name for spec in TOOLS])
def test_the_tool_and_every_input_field_are_described(spec: ToolSpec) -> None:
    assert spec.description.strip(), f"{spec.name} has no description"
    schema = spec.input_schema()
    assert schema.get("type") == "object"
    assert undescribed(schema) == [], f"{spec.name}: input fields without a description"


class _Line(BaseModel):
    sku: str = Field(description="Stock keeping unit.")
    quantity: int


class _Order(BaseModel):
    note: str = Field(description="A note.")
    lines: list[_Line] = Field(description="The order lines.")
    gift: _Line | None = Field(None, description="A free extra line.")


class _Bare(BaseModel):
    note: str = Field(description="A note.")
    count: int


def test_the_check_finds_a_missing_description_at_any_depth() -> None:
    assert undescribed(_Bare.model_json_schema()) == ["count"]
    assert undescribed(_Order.model_json_schema()) == ["$defs._Line.quantity"]
    blank_label = {"label": {"type": "string", "description": " "}}
    tags = {"type": "array", "description": "Tags.", "items": {"type": "object", "properties": blank_label}}
    assert undescribed({"type": "object", "properties": {"tags": tags}}) == ["tags[items].label"]
