"""Follow-ups: a short message that changes the previous request instead of making a new one.

"and the month before?", "what about 90 days?", "only the active ones", "same for Blue Sun",
"break that down by month": the last tool call of the conversation is run again (or, for "that",
a tool the classifier picked with the same shared arguments) with the fields the new message
gives replaced, a period shifted relative to the one asked before, and a new name in place of the
old one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from agent.nlu.bulk import names_kind
from agent.nlu.conversation import Step
from agent.nlu.extract_periods import bounds_of, period_args, period_slot, ref_from_args
from agent.nlu.periods import period_mentions
from agent.nlu.plan import Intent, Plan, read
from agent.nlu.references import entities_of
from agent.nlu.routing import Route
from agent.nlu.shifts import Shift, relative_shift, shift_period
from agent.nlu.slots import ToolSlots
from agent.nlu.text import normalize
from agent.nlu.training import DECLINE_LABELS

if TYPE_CHECKING:
    from agent.nlu.interpret import Interpreter

CUE = re.compile(
    r"^(?:and|what about|how about|same for|same|only|just|now|(?:ok(?:ay)?|k),? (?:and|now)|but|also|"
    r"then|for|in|with|at|over|under|by|excluding|without)\b|\binstead\b|\bsame (?:for|again)\b"
    r"|\bof (?:them|those|these)\b|^(?:the )?(?:\w+ )?ones?\b"
    r"|^(?:now |ok |okay |can you |please )?(?:do|run|redo|repeat|try) (?:it|that|this|the same)\b"
    r"|^(?:now |ok |okay |can you |please )?(?:stretch|extend|widen|expand|shorten|narrow|cut|push)"
    r" (?:it|that|this)(?: (?:out|back|down))? (?:to|for)\b"
    r"|^(?:sorry|oops|no|nope|wait)?[,!.]?\s*(?:i meant|i mean|meant)\b"
    r"|^(?:(?:ok(?:ay)?|k|alright|right),?\s+)?(?:now |then |can you |please )?(?:go|look) back(?: over)?\b"
    r"|^(?:now |ok |okay |can you |please )?"
    r"(?:make|change|set|lower|raise|drop|bump|increase|decrease|reduce) (?:it|that|this)(?: up| down)?"
    r" (?:(?:to|for)\b|(?=[$£€]?\d))"
)
NEXT_STEP = re.compile(r"^(?:(?:ok(?:ay)?|k|right|great)\W*)?(?:now|then|next)\b")
"""A message that goes on to the next thing ("now order the kit from our supplier ...")."""
HOW_MANY = re.compile(r"^(?:and |so )?how many(?: (?:are there|is that|are they|in total|altogether"
                      r"|do (?:i|we) have|of them|of those))?\W*$")
"""Asked of the list just shown: the same call answers, its answer says how many."""
IN_THERE = re.compile(r"\b(?:in there|in that|in it|in those|of those|from (?:that|the) list"
                      r"|on that list)\W*$")
""""just the automation runs in there" after the action history: what was just shown, narrowed,
however surely the words alone choose another tool."""
BACK_REFERENCE = re.compile(r"\b(?:that|those|these|them|it)\b")
NAME_FIELDS = ("search", "company", "name", "title", "query")
SURE_NEW = 0.5
SHORT = 5


def asks_anew(interp: Interpreter, text: str, index: int) -> bool:
    """A message longer than a follow-up that opens with none of a follow-up's cues ("send each of
    them a gift basket", "draft the contract for it as a PDF"), or that goes on to the next thing
    after a change ("now order the kit from our supplier, 40 backpacks and 40 tents" after a deal
    was marked won: the change made again on what else it names would change another record): a
    request of its own, however it points back. "and the worst?", "can u stretch that to 90 days" are
    follow-ups."""
    norm = normalize(text, interp.catalog.training.vocabulary).lower()
    if len(re.findall(r"\w+", norm)) <= SHORT:
        return False
    if CUE.match(norm) is None:
        return True
    last = last_call(interp, index)
    wrote = last is not None and interp.catalog.tools[last.name].spec.kind == "write"
    return wrote and NEXT_STEP.match(norm) is not None  # "and the Monarch Camping one too" follows up


def last_call(interp: Interpreter, index: int) -> Step | None:
    return next(recent_calls(interp, index), None)


def recent_calls(interp: Interpreter, index: int) -> Iterator[Step]:
    """The tool calls before turn `index` that answered (no lookups, errors or cancelled ones),
    newest first."""
    for step in interp.steps_before(index):
        if _answered(interp, step):
            yield step


def _answered(interp: Interpreter, step: Step) -> bool:
    return (step.name != interp.lookup and step.name in interp.catalog.tools and not step.error
            and not step.cancelled and step.output is not None)


def _period_fields(tool: ToolSlots) -> set[str]:
    named = period_slot(tool)
    start, end = bounds_of(tool)
    fields = {s.name for s in (named, start, end) if s is not None}
    fields |= {s.name for s in tool.of_kind("window", "month")}
    return fields | ({"start_date", "end_date"} if named else set())


def follow_up(interp: Interpreter, index: int, text: str, chosen: Route) -> Plan | None:
    catalog = interp.catalog
    norm = normalize(text, catalog.training.vocabulary).lower()
    shift, back = relative_shift(norm), BACK_REFERENCE.search(norm)
    cue = CUE.search(norm) is not None or _period_alone(norm, interp)
    words = len(re.findall(r"\w+", norm))
    last = last_call(interp, index)
    if last is None:
        return None
    same = _same_tool_again(interp, chosen, last, text)
    if not (cue or shift or back or words <= SHORT or same):
        return None
    last = _taking_what_is_said(interp, index, text, last)
    if (number := _bare_number(interp, last, norm)) is not None:
        intent = merge(interp, last, last.name, text, None)
        intent.args.update(number)
        return Plan([intent], chosen)
    if HOW_MANY.match(norm):
        return Plan([merge(interp, last, last.name, text, None)], chosen)
    tool = last.name
    if shift is None and chosen.action == "act" and chosen.tool != last.name:
        other = _names_another(interp, last.name, str(chosen.tool), norm) or _acts_on_one(
            interp, str(chosen.tool), norm, last) or _makes_one(interp, str(chosen.tool), text)
        within = IN_THERE.search(norm) is not None and _changes(interp, last.name, text)
        if within or ((cue or (back and not _changes(interp, str(chosen.tool), text))) and _changes(
                interp, last.name, text) and chosen.score <= SURE_NEW and not other):
            # "sort them by how much they're worth" after a list: the list sorted, not the tool
            # the words chose, which takes nothing the message gives
            tool = last.name
        elif (cue or back) and (back or not catalog.tools[str(chosen.tool)].spec.destructive) and (
                chosen.score > -0.3 or _inherits(interp, last, str(chosen.tool), text)):
            tool = str(chosen.tool)  # "break that down by month": another tool, same arguments
            # (a removal only of what is pointed at: "ok now the other way round" had ended sessions)
        else:
            return None
    elif shift is None and chosen.action in ("chat", "decline") and not same and (
            not cue or _declined_anew(interp, chosen, norm)):
        return None
    if tool == last.name and _created(interp, last):
        return None  # "actually make that 11k" after a deal was made changes it, not a second deal
    return Plan([merge(interp, last, tool, text, shift)], chosen)


def _same_tool_again(interp: Interpreter, chosen: Route, last: Step, text: str) -> bool:
    """"look at the whole past week, not only the last 24h" after the webhooks' health: the
    words lean, too weakly to act on alone, towards the tool just called (first, or second to
    another tool also too weak), and give it something to change; the call again with the
    change, not a decline."""
    leans = chosen.label == last.name or (chosen.action == "decline" and chosen.label not in DECLINE_LABELS
                                          and last.name in chosen.nearest[:2])
    return leans and _changes(interp, last.name, text)


BARE_NUMBER = re.compile(r"^(?:now |ok |okay |can you |please )?(?:make|change|set) (?:it|that|this)"
                         r" (?:to )?(?P<n>\d+(?:\.\d+)?)(?: instead)?\W*$")
"""'make it 90' after one number was given: that number, whatever its unit."""


def _bare_number(interp: Interpreter, last: Step, norm: str) -> dict[str, Any] | None:
    """"make it 90" after "data quality trend for the last 30 days" (or "top 5 customers"): the
    one number the last call was given, changed; None where it was given none or several."""
    said = BARE_NUMBER.match(norm)
    slots = interp.catalog.tools[last.name]
    numbers = [k for k, v in last.args.items() if isinstance(v, int | float) and not isinstance(v, bool)
               and (slot := slots.get(k)) is not None and slot.kind in ("integer", "number")]
    if said is None or len(numbers) != 1:
        return None
    value, slot = float(said.group("n")), slots.get(numbers[0])
    return {numbers[0]: int(value) if slot is not None and slot.kind == "integer" else value}


def _makes_one(interp: Interpreter, tool: str, text: str) -> bool:
    """"open one for her then: Aperture Labs - Trail backpacks, 11k" after her deals were listed: a
    new record with the name it is given, not the list filtered ("open") again."""
    slots = interp.catalog.tools[tool]
    if slots.verb != "create":
        return False
    args = read(text, tool, interp.catalog, interp.today).args
    return any(s.required and s.kind == "text" and s.name in args for s in slots.slots)


def _declined_anew(interp: Interpreter, chosen: Route, norm: str) -> bool:
    """A decline of a message with a word declined requests write and no tool's examples do ("and
    how much VAT do I have to pay on that?" after last month's revenue): it asks what no tool
    does, about what was shown."""
    said = re.findall(r"[a-z]+", norm)
    return chosen.label in DECLINE_LABELS and not interp.catalog.decline_words.isdisjoint(said)


def _taking_what_is_said(interp: Interpreter, index: int, text: str, last: Step) -> Step:
    """Of the calls the turn before made, the newest that takes a value the message gives:
    "and what about Stripe's?" after a feed's signals and the open insights is the feed's."""
    total = len(interp.conversation.turns)
    turn = interp.conversation.previous(total - index) if index > 0 else None
    steps = [s for s in reversed(turn.steps) if _answered(interp, s)] if turn else []
    if len(steps) < 2 or read(text, last.name, interp.catalog, interp.today).args:
        return last
    return next((s for s in steps if s is not last and read(text, s.name, interp.catalog, interp.today).args),
                last)


PERIOD_ALONE_REST = 1
"""Words a period said alone may carry ("last year's *lot*?")."""


def _period_alone(norm: str, interp: Interpreter) -> bool:
    """"last year's lot?" after a ranking: a period said alone, as "what about last year?" is."""
    found = period_mentions(norm, interp.today)
    if len(found) != 1:
        return False
    rest = re.findall(r"[a-z]+", norm[:found[0].pos] + " " + norm[found[0].stop:])
    return len([w for w in rest if w not in ("s", "and", "the", "for", "of")]) <= PERIOD_ALONE_REST


def _created(interp: Interpreter, last: Step) -> bool:
    """Whether the last call made a record: asked again with another value it would make a
    second one (a call that failed made none, and is asked again)."""
    catalog = interp.catalog
    return catalog.tools[last.name].verb == "create" and bool(entities_of(last, catalog.record_kinds))


ONE_RECORD = re.compile(r"\b(?:the|that|this)\s+(?:[a-z]+\s+)?one\b(?!s)|\bit\b")


def _acts_on_one(interp: Interpreter, tool: str, norm: str, last: Step) -> bool:
    """"the hooli one just closed, we won it!" after a list of deals: a change to one record of the
    list, not the list asked again with "won" as its filter. A bare "it" after a list of several
    ("open deals over 20k", then "lower it to 4.5k") is the list's filter, not a record."""
    one = ONE_RECORD.search(norm)
    if interp.catalog.tools[tool].spec.kind != "write" or one is None:
        return False
    return one.group(0) != "it" or bool(entities_of(last, interp.catalog.record_kinds))


def _names_another(interp: Interpreter, last: str, tool: str, norm: str) -> bool:
    """"now open a 6k deal for her" after a customer was added: the message names the kind of
    record its own tool is about, another than the last call's, so it is not a change to it."""
    noun, before = interp.catalog.tools[tool].noun, interp.catalog.tools[last].noun
    return noun != before and names_kind(norm, noun)


def _changes(interp: Interpreter, tool: str, text: str) -> bool:
    """Whether the message gives the previous tool anything to change."""
    new = read(text, tool, interp.catalog, interp.today)
    return bool(new.args or new.references or new.periods)


def _inherits(interp: Interpreter, last: Step, tool: str, text: str) -> bool:
    """"is stripe syncing ok?" then "resync it": what the tool needs and the message does not
    give, the previous call was given under the same name."""
    slots = interp.catalog.tools[tool]
    lacking = read(text, tool, interp.catalog, interp.today).missing
    required = [m for m in lacking if (slot := slots.get(m)) is not None and slot.required]
    return bool(required) and all(m in last.args and _fits(slots, m, last.args[m]) for m in required)


def _fits(slots: ToolSlots, name: str, value: Any) -> bool:
    """Whether an earlier argument means the same for this tool (a deal status is no customer
    status)."""
    slot = slots.get(name)
    return slot is not None and slot.accepts(value)


def merge(interp: Interpreter, last: Step, tool: str, text: str, shift: Shift | None) -> Intent:
    catalog, today = interp.catalog, interp.today
    slots = catalog.tools[tool]
    if shift is not None and shift.phrase:  # "the quarter after" is no quarterly breakdown
        text = re.sub(re.escape(shift.phrase), " ", text, flags=re.I)
    new = read(text, tool, catalog, today)
    base = {k: v for k, v in last.args.items() if _fits(slots, k, v)}
    periods = _period_fields(slots)
    if new.periods and not (shift is not None and shift.year_back):
        base = {k: v for k, v in base.items() if k not in periods}
    elif shift is not None:
        before = ref_from_args(last.args, catalog.tools[last.name], last.data, today)
        if before is not None:
            base = {k: v for k, v in base.items() if k not in periods}
            base.update(period_args(shift_period(before, shift, today), slots, today))
    named_before = [f for f in NAME_FIELDS if base.get(f)]
    named_now = [f for f in NAME_FIELDS if new.args.get(f)]
    if named_now:
        for f in named_before:
            base.pop(f, None)
        if (
            len(named_before) == 1
            and len(named_now) == 1
            and named_before != named_now
            and slots.get(named_before[0]) is not None
        ):
            new.args[named_before[0]] = new.args.pop(named_now[0])
    for name in list(new.references) + list(new.pronouns):
        base.pop(name, None)
    fresh = new.args
    if shift is not None and shift.year_back:  # "the same month last year": not "last year"
        fresh = {k: v for k, v in fresh.items() if k not in periods}
    args = base | fresh
    missing = [
        s.name
        for s in slots.slots
        if s.required and s.name not in args and s.name not in new.references and s.name not in new.pronouns
    ]
    return Intent(tool, args, dict(new.references), dict(new.pronouns), {}, missing, list(new.periods), text,
                  dict(new.fallbacks))
