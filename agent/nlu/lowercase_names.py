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
from typing import Any

from agent.nlu.training import TrainingSet
from agent.nlu.words import STOP

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
    if not names:
        return None
    out = text
    for i in sorted(names, reverse=True):
        start = spans[i].start(1)
        out = out[:start] + out[start].upper() + out[start + 1:]
    return out


def _adjacent(text: str, spans: list[re.Match[str]], i: int, j: int) -> bool:
    a, b = sorted((spans[i], spans[j]), key=lambda m: m.start())
    return text[a.end():b.start()].strip() == ""


def as_typed(value: Any, read: str, typed: str) -> Any:
    """A name read from the capitalised request, spelt as the owner typed it: it is looked up
    the same either way, and the lookup says what it searched for in the owner's words."""
    if not isinstance(value, str) or not value:
        return value
    at = read.find(value)
    return typed[at:at + len(value)] if at >= 0 else value
