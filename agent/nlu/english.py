"""Whether a word is an English word: pyspellchecker's English word-frequency list (about 160,000
words counted in a large corpus), read from the installed package, never downloaded.

Why: the typo fixer corrects towards the words of the tools' examples, and without a dictionary
any real word that is not among them but close to one was "corrected" too: on the tuning sets
"phase" became "pause", "chase" "cases", "nearly" "nearby", "clutter" "cluster", "scheme" "schema";
every one of those ten changes was wrong and every correction of a non-word was right.
"""

from __future__ import annotations

import gzip
import json
import pkgutil
from collections import Counter
from collections.abc import Mapping
from functools import cache

MIN_COUNT = 50
"""Words seen fewer times than this in the list's corpus are treated as unknown: the list's rare
tail holds misspellings and fragments too."""


@cache
def _counts() -> Mapping[str, int]:
    """The list's count per lowercased word, as `SpellChecker(language="en").word_frequency`
    holds it (words that differ only in case have their counts summed), read from the package's
    own file: building the SpellChecker also works out totals and the letters of all 160,000
    words, which nothing here uses, and was half of its 0.15 s load on every cold start."""
    raw = pkgutil.get_data("spellchecker", "resources/en.json.gz")
    if raw is None:
        raise FileNotFoundError("pyspellchecker's English word list")
    data: dict[str, int] = json.loads(gzip.decompress(raw).decode("utf-8"))
    if all(map(str.islower, data)):  # as the list ships: lowercasing would change no word
        return data
    lowered: Counter[str] = Counter()
    for word, count in data.items():
        lowered[word.lower()] += count
    return lowered


def is_english(word: str) -> bool:
    return _counts().get(word.lower(), 0) >= MIN_COUNT


EVERYDAY_COUNT = 50_000
"""Words at least this frequent ("finally", "spoke", "great") are everyday words; the commonest
first names ("grace", "sam") stay below it."""


def is_everyday(word: str) -> bool:
    """Too common to be a name when it opens a sentence on its own ("Finally some good news")."""
    return _counts().get(word.lower(), 0) >= EVERYDAY_COUNT
