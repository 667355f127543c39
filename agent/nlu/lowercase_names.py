"""Names written in lowercase ("what's omar taylor's email?").

The classifier reads a capitalised name as a placeholder and the rest of the request as its
intent; a lowercase name is read as words no tool's examples use, which makes a request look
like something else entirely (declined, or "how much did omar taylor spend" read as a forecast).
So a request is also read with each unknown word that stands beside a name word of the examples
capitalised with it: if a tool is then chosen confidently and the name fills one of its values,
that reading is the request. The lookup that follows says whether such a record exists, so a
wrong guess is never answered with unrelated data.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date

from agent.nlu.catalog import Catalog
from agent.nlu.plan import Plan, intents_for
from agent.nlu.routing import route
from agent.nlu.training import TrainingSet
from agent.nlu.words import RECORD_NOUNS, STOP

WORD = re.compile(r"(?<![\w@./'-])([a-z][a-z-]*)(?:'s)?(?![\w@/-])")


def capitalised(text: str, training: TrainingSet) -> str | None:
    """The request with each unknown lowercase word or name word that stands beside a name word
    of the examples ("omar taylor", "hannah lopes", "noah king") capitalised with it; None when
    there is none. An unknown word on its own is more often a word no example uses ("refund")
    than a name."""
    spans = [m for m in WORD.finditer(text) if m.group(1) not in STOP]
    names: set[int] = set()
    for i, m in enumerate(spans):
        beside = [j for j in (i - 1, i + 1) if 0 <= j < len(spans) and _adjacent(text, spans, i, j)
                  and spans[j].group(1) in training.proper_nouns]
        if beside and (m.group(1) not in training.tool_words or m.group(1) in training.proper_nouns):
            names |= {i, *beside}  # "omar taylor": an unknown word or another name word beside one
    names |= _titled(text, spans, training)
    if not names:
        return None
    out = text
    for i in sorted(names, reverse=True):
        start = spans[i].start(1)
        out = out[:start] + out[start].upper() + out[start + 1:]
    return out


AFTER_CAPITAL = re.compile(r"\b[A-Z][\w'-]*\s+$")
BEFORE_NOUN = re.compile(r"\s+(?:" + "|".join(sorted(RECORD_NOUNS)) + r")\b")


def _titled(text: str, spans: list[re.Match[str]], training: TrainingSet) -> set[int]:
    """The words from a name word of the examples to a record noun ("the monarch camping
    enterprise license deal", "the stark supplies wholesale order deal"): a record's title, whose
    words are not the request's."""
    found: set[int] = set()
    for i, m in enumerate(spans):
        if m.group(1) not in training.name_words or (i > 0 and _adjacent(text, spans, i - 1, i)) \
                or AFTER_CAPITAL.search(text[:m.start()]):
            continue  # "the Soylent Foods corporate gifts deal": the name is written, as before
        j = i
        while j + 1 < len(spans) and _adjacent(text, spans, j, j + 1):
            j += 1
        if j > i and BEFORE_NOUN.match(text, spans[j].end()):
            found |= set(range(i, j + 1))
    return found


def _adjacent(text: str, spans: list[re.Match[str]], i: int, j: int) -> bool:
    a, b = sorted((spans[i], spans[j]), key=lambda m: m.start())
    return text[a.end():b.start()].strip() == ""


def looked_up_as_typed(plan: Plan, read: str, typed: str) -> Plan:
    """The plan made from the capitalised request, with each name it looks up spelt as the owner
    typed it (a new record's name stays capitalised)."""
    for intent in plan.intents:
        intent.references = {k: as_typed(v, read, typed) for k, v in intent.references.items()}
    return plan


def as_typed(value: str, read: str, typed: str) -> str:
    """A name read from the capitalised request, spelt as the owner typed it: it is looked up
    the same either way, and the lookup says what it searched for in the owner's words."""
    at = read.find(value) if value else -1
    return typed[at:at + len(value)] if at >= 0 else value


def read_as_names(catalog: Catalog, text: str, available: Collection[str], today: date) -> str | None:
    """The request with its lowercase names capitalised (see capitalised), if a tool is then
    chosen and the names fill one of its values; else None."""
    names = capitalised(text, catalog.classifier.training)
    if names is None:
        return None
    chosen = route(catalog.classifier.ranked(names), available)
    if chosen.action != "act" or chosen.tool is None:
        return None
    written = [w for w, was in zip(names.split(), text.split(), strict=True) if w != was]
    intents = intents_for(names, chosen.tool, catalog, today)
    read = [str(v) for i in intents for v in [*i.references.values(), *i.args.values()]]
    return names if any(w.strip("'s?,.!") in v for w in written for v in read) else None
