"""The substring test before a regular expression (agent.nlu.prefilter) may only skip texts the
expression finds nothing in: what a match needs is read from the pattern, never guessed."""

from __future__ import annotations

import importlib
import json
import pkgutil
import random
import re
from pathlib import Path

import pytest

import agent.nlu
from agent.nlu.prefilter import Needs, may_match, needed

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("pattern", "needs"),
    [
        (r"\b(?:from|between)\s+\d", Needs(("between", "from"))),
        (r"\b(?:this|that) week\b|\bwtd\b", Needs((" week", "wtd"))),  # the parser's "th(?:is|at)"
        (r"\b(?:sept|sep|september)\b", Needs(("sep",))),  # where "sept" is, "sep" is
        (r"(?<![\d.])\s*%", Needs(("%",))),  # a lookbehind's letters are not in the match
        (r"[$€£]\s?\d|\b\d+ dollars", Needs((" dollars",), digit=True)),  # a digit, or the longer word
        (r"(?i)\bnote\b[^:]{0,60}:", Needs((":",))),  # case ignored: only what has no case counts
        (r"(?i)\bdelete\b", None),
        (r"\b(?:q[1-4])?sales", Needs(("sales",))),  # an optional part needs nothing
        (r"\bthe\b|.*", None),  # one alternative needs nothing
        (r"x*", None),
    ],
)
def test_what_a_match_needs_is_read_from_the_pattern(pattern: str, needs: Needs | None) -> None:
    assert needed(re.compile(pattern)) == needs


def _patterns() -> list[re.Pattern[str]]:
    found: dict[int, re.Pattern[str]] = {}
    for module in pkgutil.iter_modules(agent.nlu.__path__):
        for value in vars(importlib.import_module(f"agent.nlu.{module.name}")).values():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                found[id(value)] = value
    return list(found.values())


def _texts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "evals" / "datasets").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            text = json.loads(line).get("text") if line.strip() else None
            if isinstance(text, str):
                texts += [text, text.lower()]
    rng = random.Random(0)
    pieces = ["from", "march", "Sept", "q3", "h2", "2026", "٣", "ſ", "K", "İ", "$5k", "50%", "->", "&", "w/",
              "thru", "web hooks", "sales-related", "more then 5", "12wks", "90d", "note:", "wh_9", "a@b.io",
              "last", "week", "the year so far", "whats", "u", "twenty", "a million", "don't", "she's", "“x”",
              "2026-01-02", "3/4/26"]
    texts += [" ".join(rng.choices(pieces, k=rng.randint(1, 6))) for _ in range(3000)]
    return texts


def test_a_text_is_skipped_only_where_the_pattern_finds_nothing() -> None:
    texts = _texts()
    for pattern in _patterns():
        needs = needed(pattern)
        skipped = [t for t in texts if not may_match(t, needs)]
        assert not [t for t in skipped if pattern.search(t)], pattern.pattern
