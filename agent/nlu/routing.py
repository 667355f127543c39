"""What the classifier's scores decide: act with one tool, ask which of two was meant, answer a
greeting or a question about the assistant, or decline (out of scope, not built yet, or too
unsure to act on).

The scores are LinearSVC margins (positive: on the class's side of its boundary). The thresholds
were set by measuring the declared examples (cross-validated) and the tuning set, never the
held-out set.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from agent.nlu.training import CHAT_LABELS, DECLINE_LABELS, NOT_YET

LOW = -0.45
"""Below this the best tool is a guess: decline rather than answer with unrelated data."""
CLOSE = 0.05
"""Two tools this close, neither clearly chosen, are worth a question."""
SURE = -0.3
MARGIN = 0.0
"""How far the out-of-scope score must beat the best tool's for a decline."""
"""At or above this the best tool is taken even when another is close."""


@dataclass(frozen=True)
class Route:
    action: str  # act | ask | chat | decline
    label: str
    score: float
    tool: str | None = None
    choices: tuple[str, ...] = ()
    nearest: tuple[str, ...] = ()
    not_yet: bool = False


def route(ranked: list[tuple[str, float]], available: Collection[str]) -> Route:
    tools = [(label, score) for label, score in ranked if label in available]
    nearest = tuple(label for label, _ in tools[:3])
    label, score = ranked[0]
    if label in CHAT_LABELS:
        return Route("chat", label, score, nearest=nearest)
    if not tools:
        return Route("decline", label, score, not_yet=label == NOT_YET)
    best, top = tools[0]
    if label in DECLINE_LABELS and (score - top > MARGIN or top < LOW):
        return Route("decline", label, score, nearest=nearest, not_yet=label == NOT_YET)
    if top < LOW:
        return Route("decline", label, score, nearest=nearest)
    if len(tools) > 1 and top - tools[1][1] < CLOSE and top < SURE:
        return Route("ask", best, top, choices=(best, tools[1][0]), nearest=nearest)
    return Route("act", best, top, tool=best, nearest=nearest)
