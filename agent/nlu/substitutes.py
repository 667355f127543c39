"""Which tool's calls stand in for the chosen tool's, and which never may.

A forecast asked about what is over is history ("spend from Aisha Nguyen over the past 90 days",
"when did Maria Khan churn"): the tool about the same kind of record that reads periods answers,
as declared by ToolLanguage.looks_ahead, not by tool names. And a change that would change
nothing ("move the Hooli deal", read as an update of the deal with no field) never replaces the
tool that asks for what is missing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from agent.nlu.catalog import Catalog
from agent.nlu.extract_periods import takes_periods
from agent.nlu.openers import first_word
from agent.nlu.plan import Intent, intents_for

WHEN_DID = re.compile(r"\bwhen (?:did|was|were)\b", re.I)
CLOSE = 0.4
"""How far behind the chosen tool a stand-in may score."""


def looks_back(catalog: Catalog, intents: list[Intent], today: date) -> bool:
    """A forecast asked about a period that is over, or about when something happened."""
    return any(catalog.tools[i.tool].language.looks_ahead
               and ((i.periods and all(p.end <= today for p in i.periods))
                    or (not i.periods and WHEN_DID.search(i.text) is not None)) for i in intents)


def history(catalog: Catalog, text: str, scores: list[tuple[str, float]], ahead: str, today: date,
            lacks: Callable[[Intent], bool]) -> list[Intent] | None:
    """The calls of the tool that reads the period as history and has everything it needs: the
    best-scored one about the same kind of record as the forecast `ahead` ("ytd revenue from Omar
    Taylor": his spend, not the whole business's revenue), else a close one."""
    top = scores[0][1] if scores else 0.0
    kinds = catalog.tools[ahead].kinds
    close = [label for label, score in scores[1:3] if top - score <= CLOSE]
    same_kind = [label for label, _ in scores if kinds and catalog.tools[label].kinds == kinds]
    opener = first_word(text)
    for label in dict.fromkeys([*same_kind, *close]):
        slots = catalog.tools[label]
        if slots.language.looks_ahead or not takes_periods(slots):
            continue
        if opener in catalog.tools[ahead].openers and opener not in slots.openers:
            continue  # "predict ... from 2026-02-01 to 2026-07-31": a forecast's own verb
        other = intents_for(text, label, catalog, today)
        if other and not any(lacks(i) for i in other):
            return other
    return None


AHEAD = re.compile(r"\b(?:forecast\w*|predict\w*|projection|project(?:ed)?|outlook)\b", re.I)
"""Words that ask what is to come, whatever other words ("month by month", "per week") say."""
AHEAD_WINDOW = 1.0
"""How far behind a report a forecast asked for by those words may score."""


def ahead(catalog: Catalog, text: str, scores: list[tuple[str, float]], chosen: str, today: date,
          lacks: Callable[[Intent], bool]) -> list[Intent] | None:
    """A report of periods asked for in a forecast's words ("revenue forecast jan through june
    2027, month by month", "forecast orders per week for January"): the calls of the close tool
    that looks ahead, about a period to come, with everything it needs."""
    report = catalog.tools[chosen]
    if report.language.looks_ahead or not takes_periods(report) or AHEAD.search(text) is None:
        return None
    top = scores[0][1] if scores else 0.0
    for label, score in scores[1:4]:
        if top - score > AHEAD_WINDOW:
            break
        if not catalog.tools[label].language.looks_ahead:
            continue
        other = intents_for(text, label, catalog, today)
        if other and not any(lacks(i) for i in other) and not looks_back(catalog, other, today):
            return other
    return None


def changes_nothing(catalog: Catalog, intent: Intent) -> bool:
    """A change of an existing record given only that record: every field of the change left
    empty and none asked for ("update the probability on ..." names its field), so the call
    would change nothing."""
    tool = catalog.tools[intent.tool]
    record = {slot.name for slot in tool.slots if slot.required and slot.kind == "reference"}
    changes = {slot.name for slot in tool.slots} - record
    given = set(intent.args) | set(intent.references) | set(intent.ids) | set(intent.pronouns)
    return (tool.spec.kind == "write" and bool(record) and bool(changes) and not given & changes
            and not intent.missing)


def all_change_nothing(catalog: Catalog, text: str, tool: str, today: date) -> bool:
    return all(changes_nothing(catalog, i) for i in intents_for(text, tool, catalog, today))
