"""One request as the extractors read it: canonical text with capitals kept (names), the same
text lowercased (matching), and the spans already claimed by an extractor, so that a piece of
text fills at most one argument ("10k" is a value, not also a name)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agent.nlu.text import normalize

TOKEN = re.compile(r"[A-Za-z0-9$€£@][\w&'.@$€£+-]*|[,;:!?()\"]")


@dataclass
class Utterance:
    raw: str
    vocabulary: frozenset[str] = frozenset()
    cased: str = field(init=False)
    norm: str = field(init=False)
    taken: list[tuple[int, int]] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.cased = normalize(self.raw, self.vocabulary)
        self.norm = self.cased.lower()

    def is_free(self, start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in self.taken)

    def take(self, start: int, end: int) -> None:
        self.taken.append((start, end))

    def find(self, pattern: re.Pattern[str] | str) -> list[re.Match[str]]:
        """Matches in the lowercase text that no extractor has claimed yet."""
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        return [m for m in regex.finditer(self.norm) if self.is_free(m.start(), m.end())]

    def tokens(self) -> list[tuple[str, int, int]]:
        """(token as typed, start, end) for the unclaimed tokens, punctuation included."""
        return [
            (m.group(0).rstrip(".'"), m.start(), m.end())
            for m in TOKEN.finditer(self.cased)
            if self.is_free(m.start(), m.end())
        ]
