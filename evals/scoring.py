"""Scoring one eval case: tool choice, arguments, and whether the answer's figures are grounded.

"Grounded" is checked, not assumed: every number written in the answer must be one the tools
returned in that turn (or an argument the agent itself passed, such as the "10,000" of a filter
it applied), allowing only for rounding and for 0..1 ratios shown as percentages. Text inside
curly quotes (“…”) is the model quoting the owner or an example request, not a claim, and is
skipped. `declines` is the one definition of an answer that turns a request down.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from typing import Any

from dateutil.relativedelta import relativedelta

from evals.harness import CallRecord

ANSWER_NUMBER = re.compile(r"(?<![\w.@/+-])[-]?[$€£]?(\d[\d,]*(?:\.\d+)?)(?:\s?(k|m)\b)?(?![\w@])", re.I)
TOOL_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
"""A number in a tool's text, thousands separators included ("4,572.55 spent in the last 365 days")."""
QUOTED = re.compile(r"“[^”]*”")


def _matches(expected: Any, actual: Any, today: date) -> bool:
    if isinstance(expected, dict) and len(expected) == 1:
        (op, value), = expected.items()
        if op == "contains":
            return actual is not None and str(value).lower() in str(actual).lower()
        if op == "pattern":
            return actual is not None and re.search(str(value), str(actual)) is not None
        if op == "gte":
            return isinstance(actual, int | float) and actual >= value
        if op == "lte":
            return isinstance(actual, int | float) and actual <= value
        if op == "month_offset":
            month = today.replace(day=1) + relativedelta(months=int(value))
            return actual == f"{month:%Y-%m}"
        if op == "absent":
            return actual is None
    if isinstance(expected, dict) and isinstance(actual, dict):  # a nested object: the keys the words fix
        return all(_matches(value, actual.get(key), today) for key, value in expected.items())
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return abs(float(expected) - float(actual)) < 1e-6
    return bool(expected == actual)


def args_match(expected: dict[str, Any], actual: dict[str, Any], today: date | None = None) -> bool:
    day = today or datetime.now(UTC).date()
    return all(_matches(value, actual.get(key), day) for key, value in expected.items())


def _collect(value: Any, into: set[float]) -> None:
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int | float):
        into.add(abs(float(value)))
        if abs(value) <= 1:
            into.add(abs(float(value)) * 100)
    elif isinstance(value, str):
        into.update(float(n.replace(",", "")) for n in TOOL_NUMBER.findall(value))
    elif isinstance(value, dict):
        for item in value.values():
            _collect(item, into)
    elif isinstance(value, list):
        into.add(float(len(value)))
        for item in value:
            _collect(item, into)


def grounded_numbers(calls: list[CallRecord]) -> set[float]:
    numbers: set[float] = set()
    for call in calls:
        _collect(call.args, numbers)
        try:
            _collect(json.loads(call.output), numbers)
        except ValueError:
            _collect(call.output, numbers)
    return numbers


def answer_numbers(answer: str) -> list[tuple[str, float, int]]:
    """(as written, value, decimals) for each figure in the answer."""
    found = []
    for m in ANSWER_NUMBER.finditer(QUOTED.sub(" ", answer)):
        digits = m.group(1).replace(",", "")
        scale = {"k": 1e3, "m": 1e6}.get((m.group(2) or "").lower(), 1.0)
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        found.append((m.group(0), float(digits) * scale, decimals))
    return found


def ungrounded(answer: str, calls: list[CallRecord]) -> list[str]:
    """Figures in the answer that no tool result (or argument) of the turn supports."""
    allowed = grounded_numbers(calls)
    missing = []
    for text, value, decimals in answer_numbers(answer):
        if not any(abs(round(a, decimals) - value) < 10 ** -(decimals + 3) or abs(a - value) < 1e-6
                   for a in allowed):
            missing.append(text)
    return missing


# --- declining ------------------------------------------------------------------------------------

_DECLINE = re.compile(
    r"""\b(?:
        i\s*(?:can\s*not|can't|cannot|couldn't|am\s+(?:not\s+able|unable)|'m\s+(?:not\s+able|unable))\b
      | i\s+(?:don't|do\s+not)\s+(?:have\s+(?:a|any)\s+(?:tool|way|access)|know\s+how\s+to)
      | i\s+can\s+only\b
      | not\s+sure\s+what\s+you(?:'d|\s+would)\s+like
      | (?:outside|beyond)\s+(?:what\s+i\s+can|my\b|the\s+scope)
      | (?:not|isn't)\s+something\s+i\s+can
      | no\s+tool\s+(?:for|that|to)
      | (?:can't|cannot|unable\s+to)\s+help\s+with
    )""",
    re.IGNORECASE | re.VERBOSE,
)


def declines(answer: str) -> bool:
    """Whether an answer turns the request down ("I can't do that", "that's outside what I can
    do", "I'm not sure what you'd like me to do") rather than answering it or asking for a
    missing detail ("Which deal should I move?"). The one definition of a decline the evals use:
    a case is predicted out of scope when its last turn called no tool and its answer declines."""
    return _DECLINE.search(answer.replace("\u2019", "'")) is not None


def aligned_calls(expected: list[dict[str, Any]],
                  made: list[CallRecord]) -> list[tuple[dict[str, Any], CallRecord]]:
    """Each expected call paired with the first call of that name made after the previous pair
    (in order; calls the model added in between are skipped), for the expected calls it made."""
    pairs: list[tuple[dict[str, Any], CallRecord]] = []
    position = 0
    for exp in expected:
        for i in range(position, len(made)):
            if made[i].name == exp["name"]:
                pairs.append((exp, made[i]))
                position = i + 1
                break
    return pairs
