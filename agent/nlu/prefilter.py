"""A substring test before a regular expression, where it can tell that the expression cannot
match: the same result, in a fraction of the time.

Most patterns a request is read with need a word, a sign or a digit that most requests do not
have ("quarter", "from", "@", "%", "2026"), and Python's `re` has no such shortcut for a pattern
that opens with \\b, a lookbehind or an alternation: it tries the pattern at every position of
the text. Reading the 150-tool benchmark's 6,600 examples ran some thirty period patterns and a
dozen others over each: half of the reading, itself a third of a cold training. `needed` reads a
pattern's parse tree for what every match must contain (one of some strings, or a digit); where
the text has none of it there is no match, so `may_match` is false only where the pattern would
have found nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

DIGIT = re.compile(r"\d")
MAX_CHARSET = 8
"""A character class of at most this many single characters ("[$€£]") counts as one of them."""


@dataclass(frozen=True)
class Needs:
    """What every match contains: one of `strings`, or (`digit`) a digit."""

    strings: tuple[str, ...] = ()
    digit: bool = False

    def found_in(self, text: str) -> bool:
        for s in self.strings:  # a loop: quicker than any() over so few
            if s in text:
                return True
        return self.digit and DIGIT.search(text) is not None

    def either(self, other: Needs) -> Needs:
        return Needs(_minimal({*self.strings, *other.strings}), self.digit or other.digit)

    def telling(self) -> tuple[int, int]:
        """How rarely a text has it: its shortest string's length (a digit counts as two letters:
        rarer in requests than any one letter), then the fewer alternatives the better."""
        shortest = min([*map(len, self.strings), *([2] if self.digit else [])])
        return shortest, -len(self.strings) - self.digit


def _minimal(strings: set[str]) -> tuple[str, ...]:
    """The strings less those that contain another: where "sept" is, "sep" is too."""
    return tuple(sorted(s for s in strings if not any(t != s and t in s for t in strings)))


@cache
def needed(pattern: re.Pattern[str]) -> Needs | None:
    """What every match of `pattern` contains, or None where nothing is known (then every text
    may match)."""
    try:
        tree = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # an expression this parser does not read: no shortcut
        return None
    return _sequence(tree, bool(pattern.flags & re.IGNORECASE))


def may_match(text: str, needs: Needs | None) -> bool:
    """False only where the text lacks what every match of a pattern contains (see `needed`)."""
    return needs is None or needs.found_in(text)


def _sequence(items: Any, ignore_case: bool) -> Needs | None:
    """What a sequence of items needs: every item is in every match, in turn, so any one item's
    needs are the sequence's; the most telling is kept. Consecutive literal characters are one
    string."""
    candidates: list[Needs] = []
    run = ""
    for op, av in items:
        if op is sre.LITERAL and (not ignore_case or _caseless(chr(av))):
            run += chr(av)
            continue
        if run:
            candidates.append(Needs((run,)))
            run = ""
        found = _item(op, av, ignore_case)
        if found is not None:
            candidates.append(found)
    if run:
        candidates.append(Needs((run,)))
    return max(candidates, key=Needs.telling, default=None)


def _item(op: Any, av: Any, ignore_case: bool) -> Needs | None:
    """What one item other than a literal needs: a group's or a required repeat's body; one of
    each alternative's needs; one character of a small class, or a digit. Lookarounds, optional
    parts, anchors and other classes need nothing that is sure to be in the match."""
    if op is sre.SUBPATTERN:
        _group, add_flags, del_flags, body = av
        ignore_case = (ignore_case or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE
        return _sequence(body, ignore_case)
    if op is sre.ATOMIC_GROUP:
        return _sequence(av, ignore_case)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        least, _most, body = av
        return _sequence(body, ignore_case) if least >= 1 else None
    if op is sre.BRANCH:
        return _either([_sequence(alternative, ignore_case) for alternative in av[1]])
    if op is sre.IN:
        return _charset(av, ignore_case)
    return None


def _either(alternatives: list[Needs | None]) -> Needs | None:
    """One of the alternatives' needs; nothing if one of them needs nothing."""
    found = Needs()
    for alternative in alternatives:
        if alternative is None:
            return None
        found = found.either(alternative)
    return found if found.strings or found.digit else None


def _charset(members: list[tuple[Any, Any]], ignore_case: bool) -> Needs | None:
    """`\\d` (any digit: a digit, whatever the case), or a few characters that have no case."""
    if members == [(sre.CATEGORY, sre.CATEGORY_DIGIT)]:
        return Needs(digit=True)
    chars = [chr(code) for op, code in members if op is sre.LITERAL]
    if len(chars) != len(members) or len(chars) > MAX_CHARSET:
        return None
    if ignore_case and not all(map(_caseless, chars)):
        return None
    return Needs(_minimal(set(chars)))


def _caseless(char: str) -> bool:
    """A character that matches only itself when case is ignored: ASCII digits and signs."""
    return char.isascii() and not char.isalpha()
