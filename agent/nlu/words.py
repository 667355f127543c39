"""Words that are never part of a name: English function words, pronouns, fillers, and the
nouns people use for business records (the lists are in words.txt). Together with the words of
every tool's examples (see `catalog.Catalog.command_words`), what is left of a request after the
extractors have read it is the name of something ("Jane Smith", "the *Acme* deal")."""

from __future__ import annotations

import re
from pathlib import Path


def _sections() -> dict[str, frozenset[str]]:
    sections: dict[str, set[str]] = {}
    name = ""
    for raw in (Path(__file__).parent / "words.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            name = line[1:-1]
            sections[name] = set()
        elif line and not line.startswith("#") and name:
            sections[name].update(line.split())
    return {key: frozenset(value) for key, value in sections.items()}


_WORDS = _sections()
STOP = _WORDS["stop"]
RECORD_NOUNS = _WORDS["record nouns"]
COMMON = _WORDS["common"]
"""Ordinary English words (5+ letters) that are never corrected as typos."""
PRONOUNS = re.compile(
    r"\b(?:him|her|them|it|his|their|its|he|she|(?:that|this|the same) (?:one|"
    + "|".join(sorted(RECORD_NOUNS))
    + r"))\b"
)
POINTS_BACK = re.compile(r"\b(?:it|that|this|its|him|her|them|those)\b")
PERSON_BACK = re.compile(r"\b(?:she|he|they|her|him|his|their|them)\b", re.I)
"""A person said before: "... then check how likely *they* are to churn", "Is *she* about to leave?"."""
"""Words that point back at something said before: "actually make *that* 7.5k", "then disconnect *it*"."""

REMOVAL = re.compile(r"\b(?:delete|remove|erase|get rid of|wipe|drop|scrap|purge|nuke|trash|ditch"
                     r"|clear (?:out|away)|throw (?:away|out)|bin (?:him|her|them|it|that|this|the))\b"
                     r"|\b(?:be|like|want|need|get|have)\b[^.?!,]{0,40}?\b(?:deleted|removed|erased|wiped)\b"
                     r"|\b(?:take|clear|get|throw)\b[^.?!,]{1,40}?\b(?:out of|off)\s+(?:the|our|my)\s+"
                     r"(?:system|crm|books|database|list|records)\b")
"""Verbs of removal, whatever the record: what makes a request a deletion (with "all": a bulk one).
A participle counts only as asked for ("needs to be deleted", "I'd like it removed"): "somebody
deleted the Acme deal" reports one. "take Sam out of the system", "get X off our books" remove too."""
