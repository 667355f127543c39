"""What a what-if request says that no generic extractor reads: a change told as a multiple
("double my ad budget" is +100%, "halve it" -50%), and which metric changes when the request
names two ("the effect on revenue if I double my advertising budget": the one the change word is
about, not the outcome asked about)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

MULTIPLES = (
    (re.compile(r"\b(?:doubl(?:e|es|ed|ing))\b"), 100, "increase"),
    (re.compile(r"\b(?:tripl(?:e|es|ed|ing))\b"), 200, "increase"),
    (re.compile(r"\b(?:halv(?:e|es|ed|ing)|(?:by|in) half)\b"), 50, "decrease"),
)
DAYS_SAID = re.compile(r"\b(?:over|in|within|for|across|during)\s+(?:the\s+)?(?:next\s+)?"
                       r"(?P<n>\d{1,3})\s+days?\b")
"""A horizon in any number of days ("over 120 days"), not only the ones the synonyms name."""
FRACTIONS = {"third": 33, "quarter": 25, "fifth": 20, "tenth": 10}
FRACTION = re.compile(r"\bby (?:a|one) (?P<part>third|quarter|fifth|tenth)\b")
"""A change told as a fraction ("slash marketing by a quarter"): its direction is the verb's."""


def read_what_if(text: str, args: Mapping[str, Any], metrics: Mapping[str, tuple[str, ...]],
                 directions: Mapping[str, tuple[str, ...]],
                 horizons: Mapping[str, tuple[str, ...]] | None = None) -> dict[str, Any]:
    norm = text.lower()
    out: dict[str, Any] = _fraction(norm, args, horizons or {})
    days = DAYS_SAID.search(norm)
    if horizons is not None and "time_horizon" not in args and "time_horizon" not in out and days:
        out["time_horizon"] = int(days.group("n"))
    changes: list[int] = []
    for pattern, percent, direction in MULTIPLES:
        for m in pattern.finditer(norm):
            changes.append(m.start())
            if "change_percent" not in args and "change_percent" not in out:
                out["change_percent"], out["direction"] = percent, direction
    for words in directions.values():
        for word in words:
            changes += [m.start() for m in re.finditer(rf"\b{re.escape(word)}\b", norm)]
    mentioned = _mentions(norm, metrics)
    if changes and len({metric for metric, _ in mentioned}) > 1:
        out["metric_id"] = min(mentioned, key=lambda found: min(abs(found[1] - c) for c in changes))[0]
    return out


def _mentions(norm: str, metrics: Mapping[str, tuple[str, ...]]) -> list[tuple[str, int]]:
    """(metric, position) of every metric named, longest phrase first where phrases overlap."""
    found: list[tuple[str, int, int]] = []
    for metric, phrases in metrics.items():
        for phrase in phrases:
            for m in re.finditer(rf"\b{re.escape(phrase)}\b", norm):
                found.append((metric, m.start(), m.end()))
    found.sort(key=lambda f: (f[1], -(f[2] - f[1])))
    kept: list[tuple[str, int, int]] = []
    for item in found:
        if not kept or item[1] >= kept[-1][2]:
            kept.append(item)
    return [(metric, start) for metric, start, _ in kept]


def horizons_said(norm: str, horizons: Mapping[str, tuple[str, ...]]) -> list[int]:
    """The horizons a request names, in days, each phrase read once and the longest first: "half
    a year" is 180 days, not also the 365 of the "a year" inside it."""
    said = []
    phrases = sorted(((p, int(d)) for d, ps in horizons.items() for p in ps), key=lambda x: -len(x[0]))
    for phrase, days in phrases:
        norm, found = re.subn(rf"\b{re.escape(phrase)}\b", " ", norm)
        if found:
            said.append(days)
    return said


def _fraction(norm: str, args: Mapping[str, Any], horizons: Mapping[str, tuple[str, ...]]) -> dict[str, Any]:
    """"by a quarter" is 25%, not a horizon of a quarter: the horizon is then the one said
    elsewhere ("looking 60 days out"), or none."""
    m = FRACTION.search(norm)
    if m is None or "change_percent" in args:
        return {}
    out: dict[str, Any] = {"change_percent": FRACTIONS[m.group("part")]}
    rest = f"{norm[: m.start()]} {norm[m.end():]}"
    said = horizons_said(rest, horizons)
    if m.group("part") == "quarter" or said:
        out["time_horizon"] = max(said) if said else None
    return out
