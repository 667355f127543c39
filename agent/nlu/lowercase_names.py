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

from agent.nlu.training import TrainingSet
from agent.nlu.words import STOP

WORD = re.compile(r"(?<![\w@./'-])([a-z][a-z-]*)(?:'s)?(?![\w@/-])")


def capitalised(text: str, training: TrainingSet) -> str | None:
    """The request with each unknown lowercase word that stands beside a name word of the
    examples ("omar taylor", "hannah lopes") capitalised with that word; None when there is none.
    An unknown word on its own is more often a word no example uses ("refund") than a name."""
    spans = [m for m in WORD.finditer(text) if m.group(1) not in STOP]
    names: set[int] = set()
    for i, m in enumerate(spans):
        if m.group(1) in training.tool_words:
            continue
        beside = [j for j in (i - 1, i + 1) if 0 <= j < len(spans) and _adjacent(text, spans, i, j)
                  and spans[j].group(1) in training.proper_nouns]
        if beside:
            names |= {i, *beside}
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
