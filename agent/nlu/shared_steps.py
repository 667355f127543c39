"""What the steps of one request share: a later step that names no record, value or period takes
the one an earlier step gave, as if "it", "its" or "that month" had been said."""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise

from agent.nlu.catalog import Catalog
from agent.nlu.extract_periods import period_args, takes_periods
from agent.nlu.plan import Intent
from agent.nlu.words import POINTS_BACK

SAME_PERIOD = re.compile(r"\b(?:that|the same|same) (?:month|quarter|year|week|period|day|time)\b"
                         r"|\b(?:behind|during|driving|making up|brought in) (?:it|that|this|those)\b")
"""A step said of the period before ("... and the top 3 customers that month", "... and who are the
top 3 customers behind it?")."""


def shared_by_steps(intents: list[Intent], catalog: Catalog, today: date) -> list[Intent]:
    return _same_record(_same_value(_same_period(intents, catalog, today), catalog), catalog)


def _same_record(intents: list[Intent], catalog: Catalog) -> list[Intent]:
    """"mark the Wayne deal as lost and add a note: ...": a later change that names no record is
    to the one the step before acted on, when it is of the kind the change needs, as if "it"
    had been said."""
    for before, intent in pairwise(intents):
        tool = catalog.tools[intent.tool]
        if tool.spec.kind == "read" or tool.spec.destructive:
            continue
        acted_on = catalog.tools[before.tool].kinds
        for name in list(intent.missing):
            slot = tool.get(name)
            if slot is not None and slot.identifies and slot.record_kind in acted_on:
                intent.pronouns[name] = slot.record_kind
                intent.missing.remove(name)
    return intents

def _same_value(intents: list[Intent], catalog: Catalog) -> list[Intent]:
    """"sync stripe now, then tell me how healthy its feed is": a later step that points back
    and lacks a value of a declared set (a platform) takes the one an earlier step gave."""
    for i, intent in enumerate(intents):
        if not POINTS_BACK.search(intent.text.lower()):
            continue
        slots = catalog.tools[intent.tool]
        for name in list(intent.missing):
            slot = slots.get(name)
            if slot is None or slot.kind != "enum" or not slot.values:
                continue
            given = (v for e in reversed(intents[:i]) for v in e.args.values())
            value = next((v for v in given if isinstance(v, str) and slot.accepts(v)), None)
            if value is not None:
                intent.args[name] = value
                intent.missing.remove(name)
    return intents

def _same_period(intents: list[Intent], catalog: Catalog, today: date) -> list[Intent]:
    """"revenue in october 2026 and the top 3 customers *that month*": a later step that
    points back at the period takes the earlier step's."""
    for i, intent in enumerate(intents):
        earlier = next((e for e in reversed(intents[:i]) if e.periods), None)
        slots = catalog.tools[intent.tool]
        if earlier is None or intent.periods or not SAME_PERIOD.search(intent.text.lower()) \
                or not takes_periods(slots):
            continue
        intent.args.update(period_args(earlier.periods[0], slots, today))
        intent.periods = [earlier.periods[0]]
    return intents
