"""Base models for tool inputs and outputs.

Fields are snake_case in Python, in MCP and agent schemas, and in the /api/v1 documents;
their camelCase aliases serve the /api documents. Inputs accept either spelling.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.alias_generators import to_camel


def _blank_to_none(value: Any) -> Any:
    """Clients send "" for "no value" in optional references; an empty id is no id."""
    return None if isinstance(value, str) and not value.strip() else value


OptionalId = Annotated[Annotated[str, Field(max_length=64)] | None, BeforeValidator(_blank_to_none)]


class ToolModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        extra="ignore",
        str_strip_whitespace=True,
    )

    def camel(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)

    def snake(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=False)


class ConfirmableInput(ToolModel):
    """Input of a destructive tool: without a token the tool only previews."""

    confirmation_token: str | None = Field(
        default=None,
        description=(
            "Leave empty on the first call: the tool then only previews what it would delete "
            "and returns a confirmation_token. Call again with that token to carry it out."
        ),
    )


class DestructiveResult(ToolModel):
    """Output of a destructive tool, either a preview awaiting confirmation or the outcome."""

    status: Literal["confirmation_required", "done"]
    message: str
    preview: dict[str, Any] | None = None
    confirmation_token: str | None = None


JSON_LIMIT = 10_000


def small_json(value: Any) -> Any:
    """Free-form settings a client sends are kept small: at most JSON_LIMIT characters of JSON.
    One rule for every body field that takes an open object."""
    if len(json.dumps(value, default=str)) > JSON_LIMIT:
        raise ValueError(f"at most {JSON_LIMIT} characters of JSON")
    return value
