"""The classifier's training data, built from what the registry declares.

Every tool's declared examples are one class each (the tool's name). Requests no tool answers come
from `out_of_scope.txt` (two classes: outside the business, and business work not built yet), and
conversation moves that need no tool (greetings, thanks, help) from `conversation.txt`. Nothing
here names a tool: a new tool with its language is learnt without a change in `agent/`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from agent.nlu.dates import MONTHS, WEEKDAYS
from agent.nlu.prefilter import may_match, needed
from agent.nlu.text import canonical, own_typos, words_of
from agent.nlu.words import RECORD_NOUNS
from tools.language import ToolLanguage

HERE = Path(__file__).parent
OUT_OF_SCOPE = "_out_of_scope"
NOT_YET = "_not_yet"
GREETING, THANKS, HELP = "_greeting", "_thanks", "_help"
SECTIONS = {"general": OUT_OF_SCOPE, "not yet": NOT_YET, "greeting": GREETING, "thanks": THANKS, "help": HELP}
DECLINE_LABELS = frozenset({OUT_OF_SCOPE, NOT_YET})
CHAT_LABELS = frozenset({GREETING, THANKS, HELP})


@dataclass(frozen=True)
class TrainingSet:
    texts: tuple[str, ...]
    labels: tuple[str, ...]
    vocabulary: frozenset[str]
    """Every word of the examples and synonyms: what typos are corrected towards."""
    proper_nouns: frozenset[str]
    """Words the examples only ever write capitalised: names, which say nothing about the intent."""
    fingerprint: str
    """A hash of everything the classifier is trained from: the cache key of a trained model."""
    values: ValuePhrases | None = None
    """The phrases declared for every tool's enum values (its synonyms)."""
    id_nouns: frozenset[str] = frozenset()
    """The kinds of record a tool takes by id ("webhook" for `webhook_id`), and the record nouns:
    what a prefixed id ("wh_3", "dlv_88") is read as (agent.nlu.features.name_ids)."""
    tool_words: frozenset[str] = frozenset()
    """Every word of the tools' examples and declared values: what a request for a tool is
    written with (agent.nlu.features.unknown_words)."""
    shared_words: frozenset[str] = frozenset()
    """The same, less the words of one example only: what a tool's example would find known if
    it were a new request (leave one out), so that training sees unknown words where requests have them."""
    name_words: frozenset[str] = frozenset()
    """Words the examples mostly write capitalised, not as acronyms (proper_nouns, and "acme" or
    "stark" that an example or two write in lowercase): the words a record's name is made of."""


def _sections(name: str) -> list[tuple[str, str]]:
    """(label, text) pairs of a bundled file with `[section]` headers and `#` comments."""
    pairs, label = [], ""
    for raw in (HERE / name).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            label = SECTIONS[line[1:-1]]
        elif label:
            pairs.append((label, line))
    return pairs


@cache
def bundled_examples() -> tuple[tuple[str, str], ...]:
    return tuple(_sections("out_of_scope.txt") + _sections("conversation.txt"))


def _listed_kinds(languages: Mapping[str, ToolLanguage]) -> set[str]:
    """The kinds of record a tool lists ("list_initiatives": initiative), given by id or not: a
    change to one ("delete the initiative I analysed") names that kind."""
    plural = (name.removeprefix("list_").replace("_", " ") for name in languages if name.startswith("list_"))
    return {p[:-3] + "y" if p.endswith("ies") else p.removesuffix("s") for p in plural}


def build(languages: Mapping[str, ToolLanguage], id_fields: Iterable[str] = (),
          described: Iterable[str] = ()) -> TrainingSet:
    """The training set of these tools' languages; `id_fields` are the names of the fields their
    records are given by ("webhook_id"); `described`: the tools' descriptions, whose words are
    words of a request for a tool too."""
    pairs = [(name, text) for name in sorted(languages) for text in languages[name].examples]
    id_nouns = frozenset({f.removesuffix("_ids").removesuffix("_id").replace("_", " ") for f in id_fields}
                         | {n for n in RECORD_NOUNS if not n.endswith("s")} | _listed_kinds(languages))
    pairs += bundled_examples()
    values = _value_words(languages)
    words = [set(words_of(text)) for _, text in pairs]  # each example's words, once
    counts = Counter(w for each in words for w in each)
    vocabulary = frozenset(w for w in set(counts) | values | set(MONTHS) if w.isalpha())
    vocabulary -= own_typos(counts, vocabulary) - values
    tool_words, shared_words = _tool_words(words[: sum(len(lang.examples) for lang in languages.values())],
                                           values | {w for text in described for w in words_of(text)})
    phrases = _value_phrases(languages)
    # what a declared value phrase stands for is a feature too: a changed synonym trains afresh
    stands_for = sorted([*(pair for pairs_ in phrases.by_first.values() for pair in pairs_), *phrases.other])
    declared = [pairs, sorted(vocabulary), sorted(id_nouns), sorted(tool_words), stands_for]
    digest = hashlib.sha256(json.dumps(declared).encode()).hexdigest()[:16]
    tokens = [token for _, text in pairs for token in example_words(text)]
    proper_nouns = _proper_nouns(tokens)
    return TrainingSet(
        tuple(t for _, t in pairs),
        tuple(label for label, _ in pairs),
        vocabulary,
        proper_nouns,
        digest,
        phrases,
        id_nouns,
        tool_words,
        shared_words,
        _name_words(tokens) | proper_nouns,
    )


def _value_words(languages: Mapping[str, ToolLanguage]) -> set[str]:
    """The words of every declared enum value and its synonyms."""
    words: set[str] = set()
    for language in languages.values():
        for values in language.synonyms.values():
            for value, phrases in values.items():
                words |= set(words_of(value.replace("_", " ")))
                words |= {w for phrase in phrases for w in words_of(phrase)}
    return words


def _tool_words(words: list[set[str]], declared: set[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Every word of the tools' examples (`words`: each example's), and those in two or more of
    them, each with the `declared` words (values, descriptions, months and weekdays):
    TrainingSet.tool_words and shared_words."""
    seen = Counter(w for each in words for w in each)
    known = declared | set(MONTHS) | set(WEEKDAYS)
    return frozenset(seen) | known, frozenset(w for w, n in seen.items() if n >= 2) | known


@dataclass(frozen=True)
class ValuePhrases:
    """Every declared value phrase, indexed by its first word: a request is scanned once, word
    by word, instead of once per declared value (a few hundred regex searches per request)."""

    by_first: Mapping[str, tuple[tuple[str, str], ...]]
    """First word -> (phrase, "is_<field>_<value>" token) of the phrases starting with it."""
    other: tuple[tuple[str, str], ...]
    """Phrases that do not start with a word character ("$"), checked one by one."""

    def found(self, norm: str) -> list[str]:
        """The tokens of the values named in `norm`: a phrase counts where it stands as whole
        words (not inside a longer word or hyphenated word)."""
        hits: set[str] = set()
        if not self.by_first.keys().isdisjoint(_TOKEN.findall(norm)):  # most requests name no value
            for m in _TOKEN.finditer(norm):
                for phrase, token in self.by_first.get(m.group(0), ()):
                    if token not in hits and _whole(norm, phrase, m.start()):
                        hits.add(token)
        for phrase, token in self.other:
            start = norm.find(phrase)
            while start >= 0 and token not in hits:
                if _whole(norm, phrase, start) and (start == 0 or not _word_char(norm[start - 1])):
                    hits.add(token)
                start = norm.find(phrase, start + 1)
        return sorted(hits)


_TOKEN = re.compile(r"[\w-]+")


def _word_char(c: str) -> bool:
    return c.isalnum() or c in "_-"


def _whole(text: str, phrase: str, start: int) -> bool:
    end = start + len(phrase)
    return text.startswith(phrase, start) and (end == len(text) or not _word_char(text[end]))


def _value_phrases(languages: Mapping[str, ToolLanguage]) -> ValuePhrases:
    phrases: dict[tuple[str, str], set[str]] = {}
    for language in languages.values():
        for name, values in language.synonyms.items():
            for value, words in values.items():
                said = {canonical(w).lower() for w in words} - RECORD_NOUNS  # "customer" names no value
                phrases.setdefault((name, value), set()).update(said)
    by_first: dict[str, list[tuple[str, str]]] = {}
    other: list[tuple[str, str]] = []
    for (name, value), said in sorted(phrases.items()):
        token = f"is_{name}_{value}".replace("-", "_")
        for phrase in sorted(p for p in said if p):
            first = _TOKEN.match(phrase)
            if first is not None:
                by_first.setdefault(first.group(0), []).append((phrase, token))
            else:
                other.append((phrase, token))
    return ValuePhrases({k: tuple(v) for k, v in by_first.items()}, tuple(other))


WRITTEN_VALUE = re.compile(r"\S*(?:[./@]\w|\w_)\S*")
"""A URL, domain, email or key in an example ("acme.io/api", "shpat_3f9a"): its parts are not
words the example uses ("acme" in a URL says nothing about whether Acme is a name)."""


_WRITTEN_VALUE_NEEDS = needed(WRITTEN_VALUE)
"""A ".", "/", "@" or "_": most examples have none, and the pattern is slow to find nothing."""
EXAMPLE_WORD = re.compile(r"[A-Za-z][\w'-]*")


def example_words(text: str) -> list[str]:
    """The words of an example, written values left out."""
    if may_match(text, _WRITTEN_VALUE_NEEDS):
        text = WRITTEN_VALUE.sub(" ", text)
    return EXAMPLE_WORD.findall(text)


NAME_RATIO = 3
"""How many times more often a name word is written capitalised than in lowercase."""


def _name_words(tokens: list[str]) -> frozenset[str]:
    capitalised = Counter(t.lower() for t in tokens if t[0].isupper() and not t.isupper())
    lowercase = Counter(t.lower() for t in tokens if t.islower())
    return frozenset(w for w, n in capitalised.items() if n >= NAME_RATIO * lowercase[w] and w.isalpha()
                     and w not in MONTHS and w not in WEEKDAYS)


def _proper_nouns(tokens: list[str]) -> frozenset[str]:
    capitalised = {t.lower() for t in tokens if t[0].isupper()}
    lowercase = {t.lower() for t in tokens if not t[0].isupper()}
    return frozenset(capitalised - lowercase - set(MONTHS) - set(WEEKDAYS))
