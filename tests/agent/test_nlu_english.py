"""The English word counts, read from pyspellchecker's own file, are the counts its
SpellChecker holds."""

from __future__ import annotations

from spellchecker import SpellChecker

from agent.nlu import english


def test_the_word_counts_are_the_spellcheckers() -> None:
    theirs = SpellChecker(language="en", distance=1).word_frequency
    assert dict(english._counts()) == dict(theirs.dictionary)
    for word in ("phase", "Pause", "shopfiy", "grace", "finally", "zzzz", ""):
        assert (theirs[word.lower()] >= english.MIN_COUNT) == english.is_english(word)
        assert (theirs[word.lower()] >= english.EVERYDAY_COUNT) == english.is_everyday(word)
