"""Questions the model asked last turn and the owner now answers: "which one?" (a list of
candidates), "how much is the deal worth?", "which deal?"."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from agent.offline.choose import pick_choice
from agent.offline.extract import deal_value, new_contact, target_query
from agent.offline.history import Turn
from agent.offline.lexicon import Text
from agent.offline.plans import Answer, Ask, Calls, Plan, Reply, Resolve
from agent.offline.resolve import advance

CANCEL = re.compile(r"^(?:no|nope|none|cancel|stop|never ?mind|forget it|neither|nothing|don'?t)\b")


@dataclass(frozen=True)
class Pending:
    plan: Resolve | Calls
    missing: str  # choice, value, target, name
    choices: tuple[dict[str, Any], ...] = ()


def pending_state(previous: Plan, turn: Turn) -> Pending | None:
    """Whether the previous turn ended with a question this message may answer."""
    if turn.answer is None:
        return None
    if isinstance(previous, Ask):
        return Pending(previous.plan, previous.missing)
    if isinstance(previous, Resolve):
        decision = advance(previous, turn.steps)
        if isinstance(decision, Answer) and decision.choices:
            return Pending(previous, "choice", decision.choices)
    return None


def _with_value(plan: Resolve | Calls, value: float) -> Resolve | Calls:
    if isinstance(plan, Resolve):
        return plan.with_args(value=value)
    name, args = plan.calls[0]
    return replace(plan, calls=((name, {**args, "value": value}),))


def _with_name(plan: Resolve | Calls, text: str) -> Resolve | Calls:
    if not isinstance(plan, Calls):
        return plan
    name, args = plan.calls[0]
    contact = new_contact(text)
    new = {**args, "name": contact.name or text.strip()}
    if contact.company and "company" not in args and name == "create_customer":
        new["company"] = contact.company
    return replace(plan, calls=((name, new),))


def continue_pending(t: Text, pending: Pending) -> Plan | None:
    """The completed plan, or None when the message is a new request instead."""
    if CANCEL.match(t.norm) and len(t.words) <= 5:
        return Reply("OK, I won't change anything.")
    plan = pending.plan
    if pending.missing == "choice" and isinstance(plan, Resolve):
        choice = pick_choice(t.raw, pending.choices)
        return plan.with_target(choice) if choice is not None else None
    if pending.missing == "value":
        value = deal_value(t.raw)
        return _with_value(plan, value) if value is not None and len(t.words) <= 8 else None
    if pending.missing == "target" and isinstance(plan, Resolve) and plan.action:
        query = target_query(t.raw)
        return plan.with_query(query) if query and len(t.words) <= 6 else None
    if pending.missing == "name" and len(t.words) <= 8:
        return _with_name(plan, t.raw)
    return None
