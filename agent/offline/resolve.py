"""Multi-step requests: find a record by name, then act on it.

"Move the Acme deal to negotiation" is list_deals(search="Acme") and then, if exactly one deal
fits, move_deal_stage(deal_id=...). Several fits: ask which one, listing them. None: try a shorter
name, then the customer's name (deals are searched by title and company only), then say so.
Every decision is made from the calls and results already on the record, so the model stays
stateless between calls.
"""

from __future__ import annotations

from typing import Any

from agent.offline import fmt
from agent.offline.choose import candidates_line, choose
from agent.offline.history import Step
from agent.offline.phrasing import error_answer, step_answer, steps_answer
from agent.offline.phrasing_lists import customer_detail, deals_answer
from agent.offline.plans import Answer, Ask, Calls, Decision, Emit, Plan, Reply, Resolve, ToolCall

LOOKUP_LIMIT = 25
MAX_STEPS = 6
LOOKUP_TOOL = {"deal": "list_deals", "customer": "list_customers"}
NOUN = {"deal": "deal", "customer": "customer"}


def advance(plan: Plan, steps: list[Step]) -> Decision:
    """The next move for `plan` given the tool results of this turn so far."""
    if isinstance(plan, Reply | Ask):
        return Answer(plan.text)
    if isinstance(plan, Calls):
        if not plan.calls:
            return Answer("There is nothing to do for that.")
        return Emit(plan.calls) if not steps else Answer(steps_answer(steps, plan.focus, plan.label))
    if len(steps) >= MAX_STEPS:
        return Answer(step_answer(steps[-1]))
    return _resolve(plan, steps)


def required_tools(plan: Plan) -> set[str]:
    if isinstance(plan, Calls):
        return {name for name, _ in plan.calls}
    if isinstance(plan, Resolve):
        needed = {LOOKUP_TOOL[plan.kind]} if plan.target is None else set()
        action = "list_deals" if plan.action == "list" else plan.action
        return needed | ({action} if action != "show" else set())
    return set()


def _rows(step: Step) -> list[dict[str, Any]]:
    data = step.data or {}
    return list(data.get("deals") or data.get("customers") or [])


def _first_query(plan: Resolve) -> str:
    """Deal titles read "Company - Title": a long reference ("Hooli store fit-out") is searched by its
    first word, and the rest picks among the matches."""
    words = plan.query.split()
    return words[0] if plan.kind == "deal" and len(words) >= 3 and plan.action != "list" else plan.query


def _lookup(plan: Resolve, query: str) -> ToolCall:
    args: dict[str, Any] = {"search": query, "limit": LOOKUP_LIMIT}
    if plan.action == "list":
        args = {**plan.args, "search": query}
    return LOOKUP_TOOL[plan.kind], args


def _resolve(plan: Resolve, steps: list[Step]) -> Decision:
    if plan.target is not None and not steps:
        return Emit((action_call(plan, plan.target),))
    if not steps:
        return Emit((_lookup(plan, _first_query(plan)),))
    last = steps[-1]
    if last.name == plan.action or (plan.action == "list" and last.name == "list_deals"
                                    and "customer_id" in last.args):
        return Answer(step_answer(last, plan.focus))
    if last.error is not None:
        return Answer(error_answer(last.error))
    if last.name == "list_customers" and plan.kind == "deal":
        return _after_owner_lookup(plan, last)
    return _after_lookup(plan, steps, last)


def _after_lookup(plan: Resolve, steps: list[Step], last: Step) -> Decision:
    rows = _rows(last)
    if plan.action == "list" and rows:
        return Answer(deals_answer(last.data or {}, last.args, plan.focus))
    if not rows:
        return _fallback(plan, steps)
    chosen, candidates = choose(plan, rows, str(last.args.get("search") or plan.query))
    if chosen is None:
        total = int((last.data or {}).get("total") or ((last.data or {}).get("pagination") or {}).get("total")
                    or len(rows))
        return _ask_which(plan, candidates, total)
    if plan.action == "show":
        return Answer(_show(plan, chosen))
    return Emit((action_call(plan, chosen),))


def _fallback(plan: Resolve, steps: list[Step]) -> Decision:
    """Nothing matched: a shorter name, then (for deals) the customer's name, then give up."""
    tried = {str(s.args.get("search") or "").lower() for s in steps if s.name == LOOKUP_TOOL[plan.kind]}
    words = plan.query.split()
    if len(words) > 1 and words[0].lower() not in tried:
        return Emit((_lookup(plan, words[0]),))
    if plan.kind == "deal" and not any(s.name == "list_customers" for s in steps):
        return Emit((("list_customers", {"search": plan.query, "limit": LOOKUP_LIMIT}),))
    return Answer(_not_found(plan))


def _after_owner_lookup(plan: Resolve, last: Step) -> Decision:
    """A deal named after its customer ("Noah King's deal"): list that customer's deals."""
    rows = _rows(last)
    if not rows:
        return Answer(_not_found(plan))
    owner, candidates = choose(Resolve("customer", plan.query, "show"), rows, plan.query)
    if owner is None and plan.action == "list":
        none = {"deals": [], "total": 0}
        return Answer(deals_answer(none, {**plan.args, "search": plan.label}, plan.focus))
    if owner is None:
        return _ask_which(Resolve("customer", plan.query, "show", label=plan.label), candidates, len(rows))
    args = {**plan.args} if plan.action == "list" else {"limit": LOOKUP_LIMIT}
    return Emit((("list_deals", {**args, "customer_id": owner["id"]}),))


def action_call(plan: Resolve, record: dict[str, Any]) -> ToolCall:
    """The action's tool call for the chosen record."""
    if plan.action == "list":
        return "list_deals", {**plan.args, "customer_id": record["id"]}
    if plan.kind == "deal":
        return plan.action, {"deal_id": record["id"], **plan.args}
    if plan.action == "create_deal":
        title = plan.args.get("title") or f"{record.get('company') or record.get('name')} - New deal"
        return "create_deal", {**plan.args, "title": title, "customer_id": record["id"]}
    return plan.action, {"customer_id": record["id"], **plan.args}


def _show(plan: Resolve, record: dict[str, Any]) -> str:
    if plan.kind == "customer":
        return customer_detail(record)
    return fmt.bullets([candidates_line("deal", record)])


def _ask_which(plan: Resolve, candidates: list[dict[str, Any]], total: int) -> Answer:
    noun = NOUN[plan.kind] + ("s" if total != 1 else "")
    lines = [candidates_line(plan.kind, c) for c in candidates[: fmt.LIST_LIMIT]]
    more = "" if total <= len(lines) else " (here are the first few)"
    text = (f"I found {fmt.count(total)} {noun} matching “{plan.label or plan.query}”{more}. "
            f"Which one do you mean?\n{fmt.bullets(lines)}\n"
            "Tell me which one, for example “the first one” or part of its name.")
    return Answer(text, choices=tuple(candidates[: fmt.LIST_LIMIT]))


def _not_found(plan: Resolve) -> str:
    noun = NOUN[plan.kind]
    hint = ("ask me to list your deals" if plan.kind == "deal"
            else "ask me to find the customer by another name")
    if plan.action == "create_deal":
        hint = f"add them first, e.g. “add {plan.label} as a lead”"
    return f"I couldn't find a {noun} matching “{plan.label or plan.query}”. Check the name, or {hint}."
