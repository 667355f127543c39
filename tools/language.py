"""How people ask for a capability, declared beside the capability.

Each tool module (or a `*_language.py` file beside it) calls `declare(tool_name, ToolLanguage(...))`.
The offline assistant model is trained from these declarations alone, so adding a tool with its
language needs no change in `agent/`. Providers with a real LLM use the examples for tool
retrieval too. The example requests are data, not code: they live in a text file beside the
module that declares them (`examples.txt`, one `[tool_name]` section per tool), so requests
written by people who never read the code can be added without touching it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

Phrase = Callable[[BaseModel, Mapping[str, Any]], str]
"""(the tool's typed output, the arguments it ran with) -> the answer in words. Every figure in
the text must come from the output (or the arguments): the evals check it."""

Reader = Callable[[str, Mapping[str, Any]], Mapping[str, Any]]
"""(the request as typed, the arguments read from it so far) -> more arguments, or better ones:
a value the tool's own reading returns replaces what the generic extractors read (None removes
it: "audit log for delete_deal" names the tool, not a text to search for)."""

RecordKind = str
"""A kind of tenant record a text can refer to by name: "customer", "deal", "workspace", ..."""


@dataclass(frozen=True)
class ToolLanguage:
    examples: tuple[str, ...]
    """At least 10 varied requests this tool answers: terse, chatty, misspelt, shorthand, with
    and without arguments. Used to train the intent classifier."""
    phrase: Phrase
    synonyms: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    """field -> enum value -> words people use for it, e.g. {"stage": {"closed_won": ("won",
    "closed", "signed")}}."""
    references: Mapping[str, RecordKind] = field(default_factory=dict)
    """id fields filled by resolving a name in the request against the tenant's records, e.g.
    {"customer_id": "customer"}."""
    names_record: Mapping[str, RecordKind] = field(default_factory=dict)
    """text fields that name the one record a call acts on, by its name or its id as written
    (the tool resolves it), e.g. {"name": "automation"}: a record an earlier answer showed can be
    pointed at ("pause the second one", "delete it") and is passed by its id."""
    questions: Mapping[str, str] = field(default_factory=dict)
    """field -> the question to ask when a required field is missing."""
    field_words: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """field -> other words people use for the field itself, e.g. {"value": ("amount", "worth")}:
    "change the amount on the Tyrell deal" names the field without a value, so the assistant
    asks for the value instead of calling a change that changes nothing."""
    read: Reader | None = None
    """Values no generic extractor knows, read by the tool's own package: a Shopify domain and
    token written into "connect shopify, bloom.myshopify.com, token shpat_..."."""
    looks_ahead: bool = False
    """The tool forecasts: a period wholly in the past ("spend over the past 90 days") asks for
    what happened, which a close tool that reads periods answers instead."""
    needs: Callable[[Mapping[str, Any]], list[str]] | None = None
    """Fields to ask for that the schema does not require, given the arguments read: the ones
    without which the call can only fail (a Shopify connection without its token)."""


_LANGUAGE: dict[str, ToolLanguage] = {}


def alphabetical(*fields: str) -> Reader:
    """A list sorted by a name with no order given reads A first ("sort them alphabetically"):
    the schema's default order (newest or biggest first) is for dates and amounts."""

    def read(text: str, args: Mapping[str, Any]) -> Mapping[str, Any]:
        return {"sort_order": "asc"} if args.get("sort_by") in fields and not args.get("sort_order") else {}

    return read


def read_examples(path: Path) -> dict[str, tuple[str, ...]]:
    """The example requests of a text file: `[tool_name]` opens a tool's section, every other
    non-blank line is one request, and a line starting with `#` is a comment. Whitespace around
    a request is not part of it."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif current is None:
            raise ValueError(f"{path.name}:{number}: a request before any [tool_name] section")
        else:
            current.append(line)
    return {name: tuple(lines) for name, lines in sections.items()}


def declare(tool_name: str, language: ToolLanguage) -> None:
    assert tool_name not in _LANGUAGE, f"language for {tool_name} declared twice"
    assert len(language.examples) >= 10, f"{tool_name}: declare at least 10 examples"
    _LANGUAGE[tool_name] = language


def language_of(tool_name: str) -> ToolLanguage | None:
    from tools.registry import all_tools

    all_tools()  # importing the catalog imports every declaration
    return _LANGUAGE.get(tool_name)


def all_languages() -> dict[str, ToolLanguage]:
    from tools.registry import all_tools

    tools = all_tools()
    return {name: lang for name, lang in _LANGUAGE.items() if name in tools}
