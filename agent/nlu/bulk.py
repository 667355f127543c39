"""A removal asked for in bulk ("delete all churned customers"): the tools that delete act on
one record at a time, so such a request is refused with a reason rather than guessed at."""

from __future__ import annotations

import re

from agent.nlu.catalog import Catalog
from agent.nlu.slots import ToolSlots
from agent.nlu.words import REMOVAL

WHEN = r"(?!(?:time|day|week|month|morning|night|evening|hour|monday|friday)\b)"
BULK = re.compile(
    r"\b(?:all|every|each)\s+" + WHEN
    + r"(?:(?:of\s+)?(?:my|our|the|these|those)\s+)?(?:[\w-]+\s+){0,2}\w+s\b"
    r"|\b(?:every|each)\s+" + WHEN
    + r"(?:[\w-]+\s+){0,2}(?:deal|customer|lead|prospect|contact|client|record|one)\b"
    r"|\bin bulk\b"
)
"""Many records at once; not "each time a deal changes stage" (when, not which)."""


def bulk(text: str, catalog: Catalog, ranked: list[tuple[str, float]]) -> str | None:
    """ "delete all churned customers": the destructive tool asked for in bulk (it acts on one
    record at a time), if that is what the request is."""
    norm = text.lower()
    removal = set(re.findall(r"[a-z]+", norm)) & catalog.destructive_words or REMOVAL.search(norm)
    if BULK.search(norm) is None or not removal:
        return None
    destructive = [label for label, _ in ranked
                   if label in catalog.tools and catalog.tools[label].spec.destructive]
    named = [label for label in destructive if names_kind(norm, catalog.tools[label].noun)
             or any(names_kind(norm, status) for status in _statuses(catalog, catalog.tools[label].noun))]
    chosen = (named or destructive)[:1]
    if not chosen or not _one_at_a_time(catalog.tools[chosen[0]]):
        return None  # the tool asked for is built for bulk ("revoke keys older than a year")
    return chosen[0]


def _statuses(catalog: Catalog, noun: str) -> set[str]:
    """What records of a kind are also called, by status: "leads" and "prospects" are customers."""
    return {value.replace("_", " ") for tool in catalog.tools.values() if tool.noun.removesuffix("s") == noun
            for slot in tool.slots if slot.name == "status" for value in slot.values}


def _one_at_a_time(tool: ToolSlots) -> bool:
    """A tool that needs the record it acts on (a required id or name); a tool built for bulk
    ("revoke keys older than 90 days") is not refused as a bulk request."""
    return any(s.identifies for s in tool.slots)


def names_kind(text: str, noun: str) -> bool:
    """Does the request name what the tool acts on ("customers" for delete_customer)?"""
    return re.search(rf"\b{re.escape(noun)}(s|es)?\b", text) is not None
