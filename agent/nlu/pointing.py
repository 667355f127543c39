"""A message about a record the conversation was just about: pointed at with a pronoun ("what's
*its* value?"), a place in the last list, or a name given alone after the question it answers.
Functions of the interpreter's state (the turns and the calls before), as agent.nlu.followups'
are; agent.nlu.about_last holds the readings that need only the catalog and the last calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent.nlu.about_last import amend, ordinal
from agent.nlu.features import MAX_CHARS, features_text
from agent.nlu.fill import read
from agent.nlu.followups import last_call, recent_calls
from agent.nlu.meaning import far_from_every_tool, foreign
from agent.nlu.plan import Intent
from agent.nlu.references import recent_entity
from agent.nlu.routing import Route, route
from agent.nlu.step_parts import IT
from agent.nlu.story import SENTENCE_END

if TYPE_CHECKING:
    from agent.nlu.interpret import Interpreter

Ranked = list[tuple[str, float]]


def name_alone(interp: Interpreter, text: str, index: int, ranked: Ranked) -> Ranked:
    """"what's the churn risk of one of my customers?" - "Sam Allen": a name alone says which
    record, and the request before says what about it, so the two are ranked together, when
    that ranking's best is a tool about one such record."""
    catalog = interp.catalog
    if index == 0 or features_text(text, catalog.training).split() != ["somename"]:
        return ranked
    earlier = interp.conversation.turns[index - 1].text[:MAX_CHARS]
    joined = catalog.classifier.ranked(f"{earlier} {text}")
    best = next((label for label, _ in joined if label in interp.available), None)
    about_one = best is not None and any(s.identifies for s in catalog.tools[best].slots)
    return joined if about_one else ranked


def about_last(interp: Interpreter, text: str, index: int, ranked: Ranked) -> Intent | None:
    """"actually make that 7.5k" after a deal was created; "tell me more about the number one"
    after a list (agent.nlu.about_last)."""
    if index == 0:
        return None
    last = last_call(interp, index)
    earlier = interp.conversation.turns[index - 1].text[:MAX_CHARS]
    calls = recent_calls(interp, index)
    return (amend(interp.catalog, text, last, ranked, interp.available, interp.today)
            or ordinal(interp.catalog, text, earlier, calls, interp.available, interp.today))


def about_earlier(interp: Interpreter, text: str, tool: str, index: int) -> bool:
    """"what's *his* email?": a pronoun for a record the conversation was just about, which
    this tool acts on."""
    filled = read(text, tool, interp.catalog, interp.today)
    kinds = interp.catalog.reference_kinds
    return any(recent_entity(interp.steps_before(index), kind, kinds) is not None
               for kind in filled.pronouns.values())


def pointed(interp: Interpreter, text: str, chosen: Route, index: int) -> bool:
    """"what's its value?" after the Acme deal was found: a pronoun for the record the
    conversation was just about, in words all of the nearest tool's kind of record, is about
    that record however little the words say alone ("can you email him a discount code?"
    has a word no such tool writes, and is checked as any request is)."""
    tool = chosen.nearest[0] if chosen.nearest else None
    return (index > 0 and tool is not None and not foreign(interp.catalog, text, tool)
            and about_earlier(interp, text, tool, index))


EVIDENCE_MARGIN = 0.3
"""How far below the choice a close tool may score and still be the one the request is about."""


def the_one_before(interp: Interpreter, text: str, ranked: Ranked, chosen: Route, index: int) -> str | None:
    """"start a sales forecast for the next 6 months" - "is it finished yet?": a list chosen for
    a request about "it", where a close tool reads the one record of that kind the conversation
    was just about."""
    catalog = interp.catalog
    if index == 0 or chosen.tool is None or catalog.tools[chosen.tool].verb != "list" or not IT.search(text):
        return None
    before = list(interp.steps_before(index))
    for label, score in [(label, s) for label, s in ranked if label in interp.available][1:3]:
        if chosen.score - score > EVIDENCE_MARGIN:
            break
        tool = catalog.tools[label]
        kinds = {slot.record_kind for slot in tool.slots if slot.identifies and slot.record_kind}
        if tool.verb == "get" and any(recent_entity(before, kind, catalog.record_kinds) is not None
                                      for kind in kinds):
            return label
    return None


def asked_last(interp: Interpreter, text: str, chosen: Route) -> bool:
    """"Noah King ... is coming to the shop on thursday .... Before the meeting I want to know
    everything: how much they spent, ...": the last sentence, read alone, is near the chosen
    tool; the story's words are what seemed far from every tool."""
    sentences = SENTENCE_END.split(text.strip())
    if len(sentences) < 2 or chosen.tool is None:
        return False
    last = sentences[-1]
    ranked = interp.catalog.classifier.ranked(last)
    alone = route(ranked, interp.available)
    return alone.tool == chosen.tool and far_from_every_tool(interp.catalog, last, ranked, alone) is None
