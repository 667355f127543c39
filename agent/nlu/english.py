"""Whether a word is an English word: pyspellchecker's English word-frequency list (about 160,000
words counted in a large corpus), read from the installed package, never downloaded.

Why: the typo fixer corrects towards the words of the tools' examples, and without a dictionary
any real word that is not among them but close to one was "corrected" too: on the tuning sets
"phase" became "pause", "chase" "cases", "nearly" "nearby", "clutter" "cluster", "scheme" "schema";
every one of those ten changes was wrong and every correction of a non-word was right.
"""

from __future__ import annotations

from functools import cache

from spellchecker import SpellChecker

MIN_COUNT = 50
"""Words seen fewer times than this in the list's corpus are treated as unknown: the list's rare
tail holds misspellings and fragments too."""


@cache
def _counts() -> SpellChecker:
    return SpellChecker(language="en", distance=1)


def is_english(word: str) -> bool:
    return _counts().word_frequency[word.lower()] >= MIN_COUNT


EVERYDAY_COUNT = 50_000
"""Words at least this frequent ("finally", "spoke", "great") are everyday words; the commonest
first names ("grace", "sam") stay below it."""


def is_everyday(word: str) -> bool:
    """Too common to be a name when it opens a sentence on its own ("Finally some good news")."""
    return _counts().word_frequency[word.lower()] >= EVERYDAY_COUNT
