"""A tool's arguments as the extractors see them: each field of its input model with the kind of
value it takes, read from the model's JSON schema and the tool's language declaration.

Kinds: `enum` (a Literal, or a string whose values the declaration's synonyms name), `date`,
`month` (YYYY-MM), `window` (a trailing window such as "30d"), `number`, `integer`, `email`,
`text`, `reference` (an id the request names by name), `list`, `other`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from tools.language import ToolLanguage
from tools.registry import ToolSpec

HIDDEN = frozenset({"confirmation_token"})


@dataclass(frozen=True)
class Slot:
    name: str
    kind: str
    required: bool
    description: str = ""
    values: tuple[str, ...] = ()
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    reference: str | None = None
    names: str | None = None
    """The kind of record a text field names by name or id (ToolLanguage.names_record)."""
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    json_type: str = ""
    """The field's JSON schema type (string, integer, boolean...), for values that need casting."""

    @property
    def identifies(self) -> bool:
        """The record a call acts on: a required reference, id, or a text naming the record."""
        named = self.kind == "reference" or self.name.endswith("_id") or self.names is not None
        return self.required and named

    @property
    def record_kind(self) -> str | None:
        """The kind of record the field names: its declared reference kind, or the `<kind>` of a
        `<kind>_id` field (webhook_id: a webhook), which is only ever given by id or pointed at."""
        by_id = self.name.removesuffix("_id") if self.name.endswith("_id") else None
        return self.reference or self.names or by_id

    def accepts(self, value: Any) -> bool:
        """Whether a value given to another call means the same here (a deal status is no
        customer status)."""
        return value in self.values if self.kind == "enum" and self.values else True

    @property
    def words(self) -> str:
        """The field's name as words: "min_value" -> "min value"."""
        return self.name.replace("_", " ")


@dataclass(frozen=True)
class ToolSlots:
    spec: ToolSpec
    language: ToolLanguage
    slots: tuple[Slot, ...]

    @property
    def name(self) -> str:
        return self.spec.name

    def get(self, name: str) -> Slot | None:
        return next((s for s in self.slots if s.name == name), None)

    def of_kind(self, *kinds: str) -> list[Slot]:
        return [s for s in self.slots if s.kind in kinds]

    @property
    def references(self) -> list[Slot]:
        return self.of_kind("reference")

    @cached_property
    def kinds(self) -> frozenset[str]:
        """The kinds of record a call acts on (its identifying fields'): a webhook for update_webhook."""
        return frozenset(k for s in self.slots if s.identifies and (k := s.record_kind))

    @property
    def noun(self) -> str:
        """What the tool acts on, from its name: create_deal -> "deal"."""
        return self.name.split("_", 1)[-1].replace("_", " ")

    @property
    def verb(self) -> str:
        """What the tool does, from its name: delete_deal -> "delete"."""
        return self.name.split("_", 1)[0]

    @cached_property
    def openers(self) -> frozenset[str]:
        """The first words of the tool's examples (its verbs, mostly), lowercase: computed once,
        not on every request that reads a name."""
        return frozenset(e.split()[0].lower() for e in self.language.examples if e.split())


def _flat(schema: dict[str, Any]) -> dict[str, Any]:
    """A property's schema with `anyOf [X, null]` unwrapped into X."""
    options = [o for o in schema.get("anyOf", []) if o.get("type") != "null"]
    if len(options) == 1:
        return {**schema, **options[0]}
    return schema


def _kind(prop: dict[str, Any], name: str, synonyms: Mapping[str, Any], reference: str | None) -> str:
    if reference:
        return "reference"
    if "enum" in prop:
        return "enum"
    fmt, typ, pattern = prop.get("format"), prop.get("type"), str(prop.get("pattern", ""))
    if fmt == "date":
        return "date"
    if fmt == "email" or name == "email" or name.endswith("_email"):
        return "email"
    if typ == "string" and pattern.startswith(r"^\d{4}-"):
        return "month"
    if typ == "string" and pattern.endswith("[dwmy]$"):
        return "window"
    if synonyms:
        return "enum"
    return {"number": "number", "integer": "integer", "string": "text", "array": "list"}.get(
        str(typ), "other"
    )


def slots_of(spec: ToolSpec, language: ToolLanguage) -> ToolSlots:
    schema = spec.input_schema()
    required = set(schema.get("required", []))
    slots = []
    for name, raw in schema.get("properties", {}).items():
        if name in HIDDEN:
            continue
        prop = _flat(raw)
        synonyms = dict(language.synonyms.get(name, {}))
        reference = language.references.get(name)
        kind = _kind(prop, name, synonyms, reference)
        values = tuple(prop.get("enum") or synonyms)
        slots.append(
            Slot(
                name=name,
                kind=kind,
                required=name in required,
                description=str(prop.get("description", "")),
                values=values,
                synonyms=synonyms,
                reference=reference,
                names=language.names_record.get(name),
                default=prop.get("default"),
                minimum=prop.get("minimum"),
                maximum=prop.get("maximum"),
                json_type=str(prop.get("type", "")),
            )
        )
    return ToolSlots(spec, language, tuple(slots))
