"""An owner's answer to the assistant's question for one missing field ("What's the deal's
value?" - "22 grand"), merged into the call that waited for it. Kept apart from the interpreter:
it reads one field, where the interpreter reads a whole request."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date
from typing import Any

from agent.nlu.catalog import Catalog
from agent.nlu.extract_tags import listed
from agent.nlu.fill import read
from agent.nlu.plan import Intent
from agent.nlu.routing import route

SHORT_REPLY = 6
"""An answer this short may be the value itself, written as the owner would ("vip and wholesale")."""


def _to_asked(catalog: Catalog, intent: Intent, field: str, answered: dict[str, Any]) -> None:
    """"How much revenue do you expect?" - "about 20k": a lone value of the asked field's kind,
    read into another field the request had already given (the cost), answers the question."""
    slots = catalog.tools[intent.tool]
    asked = slots.get(field)
    if asked is None or field in answered:
        return
    same = [n for n in answered if (slot := slots.get(n)) is not None and slot.kind == asked.kind]
    if len(same) == 1 and same[0] in intent.args:
        answered[field] = answered.pop(same[0])


def _needs_met(catalog: Catalog, intent: Intent, field: str, answered: dict[str, Any]) -> bool:
    """An answer that gives what the tool needs another way: "when should it run?" - "when a
    customer is created" is an event, not a schedule (ToolLanguage.needs)."""
    needs = catalog.tools[intent.tool].language.needs
    return bool(answered) and needs is not None and field not in needs({**intent.args, **answered})


def _whole_name(catalog: Catalog, intent: Intent, field: str, references: dict[str, str], text: str,
                words: int) -> None:
    """"Which customer?" - "ivan young", "Which deal?" - "the Initech store fit-out one": a short
    reply that starts with the name read from it (after "the", before "one") is that name whole
    ("young", "store" are also English words, which had ended the name)."""
    slot = catalog.tools[intent.tool].get(field)
    said, found = text.strip(" .!?"), references.get(field)
    said = re.sub(r"^(?:the|that|this|my|our)\s+|\s+(?:one|deal|customer|record)$", "", said, flags=re.I)
    if (slot is not None and slot.kind == "reference" and found and len(said.split()) <= SHORT_NAME
            and said.lower().startswith(found.lower()) and re.fullmatch(r"[\w' .-]+", said)):
        references[field] = said


SHORT_NAME = 4


def fill_missing(catalog: Catalog, available: Collection[str], today: date, intent: Intent, field: str,
                 text: str) -> bool:
    """Whether `text` answers the question for `field`; if so, the answer is merged into `intent`."""
    filled = read(text, intent.tool, catalog, today)
    _to_asked(catalog, intent, field, filled.args)
    words = len(re.findall(r"\w+", text))
    _whole_name(catalog, intent, field, filled.references, text, words)
    new_topic = route(catalog.classifier.ranked(text), available)
    if (field not in filled.args and field not in filled.references and field not in filled.pronouns
            and not _needs_met(catalog, intent, field, filled.args)):
        slot = catalog.tools[intent.tool].get(field)
        if (
            slot is None
            or slot.kind not in ("reference", "text", "list")
            or words > SHORT_REPLY
            or (new_topic.action == "act" and new_topic.score > 0)
            or (slot.name.endswith("_id") and words > 2)  # "Which insight?" - "should we hire ...?"
        ):
            return False
        said = text.strip(" .!?")
        if slot.kind == "list":  # "Which tag should I add?" - "vip and wholesale"
            filled.args[field] = listed(said.lower())
        else:
            (filled.references if slot.kind == "reference" else filled.args)[field] = said
    for name, value in filled.args.items():
        if name == field:
            intent.args.setdefault(name, value)  # merged with what was given before, below
        else:
            intent.args[name] = value  # the answer is the latest word: "in proposal" over "a new deal"
    _title_in_answer(catalog, intent, field, filled.references)
    earlier, given = intent.args.get(field), filled.args.get(field, intent.args.get(field))
    if isinstance(earlier, dict) and isinstance(given, dict):
        given = {**earlier, **given}  # a value of several parts given over two answers
    intent.args[field] = given
    if field in filled.references:
        intent.references[field] = filled.references[field]
    if field in filled.pronouns:
        intent.pronouns[field] = filled.pronouns[field]
    for name, said in filled.references.items():  # "Maria Thomas -> active": the record too
        known = (intent.args, intent.ids, intent.pronouns)
        if name != field and all(name not in k for k in known):
            intent.references.setdefault(name, said)
    if intent.args.get(field) is None:
        intent.args.pop(field, None)
    needs = catalog.tools[intent.tool].language.needs
    still = needs is not None and field in needs(intent.args)  # part of it given: ask for the rest
    given = set(intent.args) | set(intent.references) | set(intent.pronouns) | set(intent.ids)
    intent.missing = [m for m in intent.missing if m != field and m not in given]
    intent.missing += [field] if still else []
    return True


def _title_in_answer(catalog: Catalog, intent: Intent, field: str, references: dict[str, str]) -> None:
    """"log a deal for Omar Taylor" - "what's its value?" - "Ski hire partnership, 22 grand":
    a name in the answer where the record it would link to is already known is the new
    record's title, not a second link."""
    title = catalog.tools[intent.tool].get("title")
    if title is None or not title.required or "title" in intent.args:
        return
    for name, said in references.items():
        if name != field and (name in intent.references or name in intent.ids or name in intent.pronouns):
            intent.args["title"] = said
            return


def tool_chosen(text: str, choices: tuple[str, ...], titles: list[str]) -> str | None:
    """Which of the tools the owner was asked to choose between the answer names: "the first",
    "the latter", or its title."""
    norm = text.lower()
    if re.search(r"\b(?:first|former|1st|1)\b", norm):
        return choices[0]
    if re.search(r"\b(?:second|latter|2nd|2)\b", norm):
        return choices[1]
    named = [tool for tool, title in zip(choices, titles, strict=False)
             if title.lower() in norm or tool.replace("_", " ") in norm]
    return named[-1] if named else None
