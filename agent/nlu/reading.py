"""The assistant's reading of one request as a call to one of a few tools, for endpoints that take
a question in words (document 000's predictive-analytics `ask`): the same classifier and the same
extractors as the chat, so the endpoint understands what the chat understands, and a better model
improves both."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from agent.nlu.catalog import Catalog, build_catalog
from agent.nlu.courtesy import without_acknowledgement
from agent.nlu.fill import read
from agent.nlu.meaning import far_from_every_tool
from agent.nlu.routing import route
from agent.nlu.training import DECLINE_LABELS


@dataclass(frozen=True)
class Reading:
    tool: str
    args: dict[str, Any] = field(default_factory=dict)
    references: dict[str, str] = field(default_factory=dict)
    """reference field -> the name the request gave ("Summit Outfitters")"""
    outside: str | None = None
    """Set when the chat would decline the request as no business of the tools' (the decline's
    label: out of scope, or not built yet), or a greeting's: "who painted the Mona Lisa?" is no
    forecast question, whatever it would be read as."""

    def describe(self) -> str:
        """The call as a person would read it: `forecast_metric(metric=orders, ...)`."""
        shown = {**self.args, **{k: f"“{v}”" for k, v in self.references.items()}}
        return f"{self.tool}({', '.join(f'{k}={v}' for k, v in shown.items())})"


def read_as(text: str, tools: Sequence[str], today: date) -> Reading:
    """The request read as a call to whichever of `tools` the classifier ranks highest (the first
    one when it ranks none of them), its arguments filled by the chat's extractors."""
    catalog = build_catalog()
    request = without_acknowledgement(text)
    allowed = [t for t in tools if t in catalog.tools]
    if not allowed:
        raise ValueError(f"none of {list(tools)} is a tool with declared language")
    ranked = catalog.classifier.ranked(request)
    choice = next((name for name, _ in ranked if name in allowed), allowed[0])
    filled = read(request, choice, catalog, today)
    return Reading(choice, dict(filled.args), dict(filled.references), _outside(catalog, request, ranked))


def _outside(catalog: Catalog, text: str, ranked: list[tuple[str, float]]) -> str | None:
    chosen = route(ranked, catalog.tools)
    if chosen.action == "chat" or (chosen.action == "decline" and chosen.label in DECLINE_LABELS):
        return chosen.label
    return far_from_every_tool(catalog, text, ranked, chosen)
