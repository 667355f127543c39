"""What the classifier's scores decide: act with one tool, ask which of two was meant, answer a
greeting or a question about the assistant, or decline (out of scope, not built yet, or too
unsure to act on).

The scores are LinearSVC margins (positive: on the class's side of its boundary). The thresholds
were set by measuring the declared examples (cross-validated) and the tuning set, never the
held-out set.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from agent.nlu.training import CHAT_LABELS, DECLINE_LABELS, NOT_YET

LOW = -0.45
"""Below this the best tool is a guess: decline rather than answer with unrelated data."""
CLOSE = 0.05
"""Two tools this close, neither clearly chosen, are worth a question."""
SURE = -0.3
"""At or above this the best tool is taken even when another is close."""
MARGIN = 0.0
"""How far the out-of-scope score must beat the best tool's for a decline."""
NEAR_DECLINE = 0.2
"""A decline this close behind the chosen tool is taken instead (see near_decline)."""
SPLIT_SURE = -0.2
"""At or above this a part of a request is sure enough of its tool to be a step of its own."""
AGREED_BAND = 0.15
"""How far below LOW the classifier's first tool may score and still be taken when the sentence
head agrees (see agreed)."""
AGREED_LEAD = 0.3
"""How far ahead of the next tool or decline the blended first must be to be taken (see agreed)."""


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


def near_decline(ranked: list[tuple[str, float]], chosen: Route) -> Route:
    """A request for which a decline scores almost as well as the chosen tool ("log a £45 fuel
    expense", "update the price of the large hamper to 85") is declined: the tool won on words it shares with
    the request, not on what is asked. Only for a whole request, after it was found to be no
    follow-up and no several steps (a short step, "resync it", is as close to a decline on its
    own), and before the request's values may still point to a tool (Interpreter._supported).
    Measured on 616 dev requests written apart from the examples and the evals: 6 more of 229
    out-of-scope ones declined, 2 of 387 in-scope ones wrongly; the tuning sets scored the same
    (0.3 declined 5 more and lost 2 in-scope dev requests and 2 tuning cases)."""
    if chosen.action != "act":
        return chosen
    said = next(((label, score) for label, score in ranked if label in DECLINE_LABELS), None)
    if said is None or said[1] <= chosen.score - NEAR_DECLINE:
        return chosen
    return Route("decline", said[0], said[1], nearest=chosen.nearest, not_yet=said[0] == NOT_YET)


def agreed(said: list[tuple[str, float]], blended: list[tuple[str, float]], chosen: Route,
           available: Collection[str], outside: Callable[[], str | None]) -> Route:
    """A tool the classifier (`said`) put first just short of sure, that the sentence head puts
    first too (`blended`), well ahead of the next tool or decline, with no decline nearer in
    meaning (`outside`, asked last: it encodes the request) ("who all has access to the
    Northwind account, and what is each of them allowed to do?"): chosen, not turned down."""
    tool = chosen.label
    if chosen.action != "decline" or tool not in available or said[0][0] != tool:
        return chosen
    # a decline as near as a tool ("a/b test two subject lines for the win back email") is no lead
    runner_up = next((s for label, s in blended[1:] if label in available or label in DECLINE_LABELS), None)
    if said[0][1] < LOW - AGREED_BAND or (runner_up is not None and blended[0][1] - runner_up < AGREED_LEAD):
        return chosen
    if outside() is not None:
        return chosen
    return Route("act", tool, said[0][1], tool=tool, nearest=chosen.nearest)
