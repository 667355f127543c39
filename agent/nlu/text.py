"""Spelling variation, undone before a request is classified or read.

Owners type contractions with and without apostrophes ("how're", "whats"), British spellings
("summarise"), shorthand ("rev", "yday"), text-speak ("pls", "u"), numbers as words ("fifty
thousand") and typos ("septmber", "custmers"). Each is mapped to one canonical form here, so the
classifier and the extractors see one spelling of each word. Typos are corrected towards a
vocabulary: the words of every tool's declared examples and synonyms, plus common English.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache

from rapidfuzz import fuzz, process

from agent.nlu.english import is_english
from agent.nlu.prefilter import may_match, needed
from agent.nlu.spoken import as_written
from agent.nlu.words import COMMON


def _table(text: str) -> dict[str, str]:
    """"from: to | from: to" pairs, as a mapping."""
    pairs = (item.split(":", 1) for item in text.replace("\n", " | ").split("|") if item.strip())
    return {a.strip(): b.strip() for a, b in pairs}


CONTRACTIONS = _table("""
what's: what is | how's: how is | who's: who is | where's: where is | when's: when is
why's: why is | which's: which is | here's: here is | i'm: i am | we're: we are
it's: it is | that's: that is | there's: there is | don't: do not | didn't: did not
can't: cannot | won't: will not | let's: let us | i've: i have | we've: we have | i'd: i would
""")
# Apostrophe-less spellings that are not also ordinary words ("were", "its", "well").
BARE_CONTRACTIONS = _table("""
whats: what is | hows: how is | whos: who is | wheres: where is | thats: that is
theres: there is | dont: do not | doesnt: does not | didnt: did not | cant: cannot
isnt: is not | arent: are not | wasnt: was not | havent: have not | hasnt: has not | im: i am
ive: i have | youre: you are | theyre: they are | weve: we have | wont: will not
whatre: what are | howre: how are
""")
GENERIC_CONTRACTIONS = tuple((rf"(?<=\w){short}\b", f" {long}") for short, long in (
    ("n't", "not"), ("'re", "are"), ("'ve", "have"), ("'ll", "will"), ("'m", "am"), ("'d", "would")))
BRITISH = _table("""
organisation: organization | organisations: organizations | summarise: summarize
summarised: summarized | analyse: analyze | analysed: analyzed | analysing: analyzing
licence: license | favourite: favorite | finalise: finalize | prioritise: prioritize
catalogue: catalog | behaviour: behavior | categorise: categorize
""")
ABBREVIATIONS = _table("""
yr: year | yrs: years | mth: month | mths: months | qtr: quarter | qtrs: quarters | wk: week
wks: weeks | rev: revenue | cust: customer | custs: customers | avg: average | amt: amount
yday: yesterday | tmrw: tomorrow | biz: business | acct: account | accts: accounts
prob: probability | num: number | ppl: people | opp: opportunity | opps: opportunities
oppty: opportunity | info: information
""")
SLANG = _table("""
u: you | r: are | ur: your | gimme: give me | lemme: let me | wanna: want to | gonna: going to
gotta: have to | n: and | pls: please | plz: please | thx: thanks | tho: though | cuz: because | ya: you
""")
SYMBOLS = (
    (r"(?<![\d.])\s*%", " percent"),
    (r"\s+&\s+(?![A-Z])", " and "),  # "Walker & Co" stays one name
    (r"\s+w/\s*", " with "),
    (r"\s*->\s*|\s*→\s*", " to "),
    (r"\bthru\b", "through"),
    (r"\b([Ww])eb[\s-]+(hooks?)\b", r"\1eb\2"),  # "set up a web hook"
    (r"\b([a-z]+)-(related|based|focused|specific|wise)\b", r"\1 \2"),  # "only the sales-related ones"
    (r"\b(more|less|bigger|larger|greater|higher|lower|smaller|fewer|over|under)\s+then(?=\s*[$€£\d])",
     r"\1 than"),  # "worth more then 50 grand"
    (r"(?<![\w.-])(\d{1,4})\s?(?:d|dys?)\b(?![.-]\w)", r"\1 days"),  # "kpis 90d"
    (r"(?<![\w.-])(\d{1,3})\s?(?:w|wks?)\b(?![.-]\w)", r"\1 weeks"),
    (r"(?<![\w.-])(\d{1,3})\s?(?:mo|mos|mths?)\b(?![.-]\w)", r"\1 months"),
)
_SYMBOLS = tuple((re.compile(pattern), replacement) for pattern, replacement in SYMBOLS)
_SYMBOL_NEEDS = tuple((pattern, replacement, needed(pattern)) for pattern, replacement in _SYMBOLS)
"""Each with what its matches need: most texts have no "%", "&" or "->" (agent.nlu.prefilter)."""
UNITS = {w: n for n, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"))}
TENS = {w: 10 * n for n, w in enumerate(
    ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"), 2)}
SCALE_AFTER = re.compile(r"\s*(?:thousand|million|billion|grand|k|m|bn)\b", re.I)
NUMBER_WORDS = frozenset([*UNITS, *TENS, "hundred", "thousand", "million", "billion", "grand", "k", "m",
                          "bn"])
"""The words digits_for_number_words swaps a run for a number at: a unit, ten or hundred, or a
scale after "a" ("a million"). Each stands as a whole word where it does (\b or a space or
hyphen either side), so a text without one as a word has nothing to swap; only in ASCII text,
where ignoring case makes no other letters match ("ſ" matches "s")."""
NUMBER_RUN = re.compile(
    r"\b(?:(?:" + "|".join([*UNITS, *TENS, "a"]) + r"|hundred(?:\s+and(?=\s))?)(?:[\s-]+|\b))+", re.I
)
SUFFIXES = ("s", "es", "ed", "d", "ing", "er", "ers", "ly", "ies", "ied")
COMMON_WORDS = COMMON


def _plain_word(word: str) -> bool:
    """Lowercase or capitalised at most at the start: a word, not a name like "IBM"."""
    return word.islower() or (word[:1].isupper() and word[1:].islower())


SHORTHAND = frozenset(BRITISH) | frozenset(ABBREVIATIONS) | frozenset(SLANG)
"""The words canonical_words replaces."""
KNOWN = (
    COMMON_WORDS
    | frozenset(BARE_CONTRACTIONS)
    | frozenset(BRITISH)
    | frozenset(ABBREVIATIONS)
    | frozenset(SLANG)
)


_CONTRACTION = re.compile(
    r"\b(?:" + "|".join(re.escape(k) for k in sorted(CONTRACTIONS, key=len, reverse=True)) + r")\b",
    re.I,
)
_GENERIC = tuple((re.compile(pattern, re.I), long) for pattern, long in GENERIC_CONTRACTIONS)


HAS_DONE = re.compile(
    r"\b(he|she|who|that|there)['’]s\s+(?=(?:been|got|gone|spent|bought|paid|ordered|signed|left|had|made|"
    r"done|churned|stopped|moved|closed|sent|asked|said|told|switched|cancelled|canceled)\b)", re.I)
"""'s before a past participle is "has": "what he's spent" is what he has spent."""
PERSON_IS = re.compile(r"\b(he|she)['’]s\b", re.I)


WORD = re.compile(r"\b[A-Za-z']+\b")
LETTERS = re.compile(r"(?<![\w@.'/:=?&#%])[A-Za-z]+(?![\w@'/=&#%])")
"""A run of letters that is not part of an email, a domain, a URL's path or query, or a
contraction ("haven't"): ".../catch/12345/abcde/" stays as written, not "abcdef"."""


ASCII_RUN = re.compile(r"[A-Za-z]+")


def _ascii_words(text: str) -> set[str]:
    """The text's runs of ASCII letters, lowercased. A LETTERS match is such a run, and so is a
    WORD match without an apostrophe (letters with no letter either side): a word they would
    replace is among these, and where none is, the text stays as it is without the regex's pass
    calling back on every word."""
    return {w.lower() for w in ASCII_RUN.findall(text)}


def expand_contractions(text: str) -> str:
    if "'" in text or "’" in text:  # all but bare spellings need one: most text has none
        text = HAS_DONE.sub(lambda m: f"{m.group(1)} has ", text)
        text = PERSON_IS.sub(lambda m: f"{m.group(1)} is", text)
        text = _CONTRACTION.sub(lambda m: CONTRACTIONS[m.group(0).lower()], text)
        for pattern, long in _GENERIC:
            text = pattern.sub(long, text)
    if _ascii_words(text).isdisjoint(BARE_CONTRACTIONS):
        return text
    return WORD.sub(
        lambda m: (
            BARE_CONTRACTIONS.get(m.group(0).lower(), m.group(0)) if _plain_word(m.group(0)) else m.group(0)
        ),
        text,
    )


def canonical_words(text: str) -> str:
    """British spellings, shorthand, text-speak and symbols as plain words."""

    def word(m: re.Match[str]) -> str:
        w = m.group(0)
        if not _plain_word(w):
            return w
        low = w.lower()
        return BRITISH.get(low) or ABBREVIATIONS.get(low) or (SLANG.get(low) if w.islower() else None) or w

    if not _ascii_words(text).isdisjoint(SHORTHAND):
        text = LETTERS.sub(word, text)
    for pattern, replacement, needs in _SYMBOL_NEEDS:
        if may_match(text, needs):
            text = pattern.sub(replacement, text)
    return text


def _number_value(words: list[str]) -> int | None:
    """The number the words say, or None where they say no one number ("fifty-fifty" is odds,
    not a hundred: a ten after units or tens since the last hundred)."""
    current, seen = 0, False
    for word in words:
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            if current % 100:
                return None
            current += TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        else:
            continue
        seen = True
    return current if seen else None


def digits_for_number_words(text: str) -> str:
    """ "fifty thousand" -> "50 thousand", "twenty five k" -> "25 k". A lone "one" or "a" stays a
    word ("the second one", "a deal"), except before a scale ("a million")."""

    def swap(m: re.Match[str]) -> str:
        words = [w for w in re.split(r"[\s-]+", m.group(0).lower()) if w and w != "and"]
        meaningful = [w for w in words if w != "a"]
        scaled = SCALE_AFTER.match(m.string, m.end()) is not None
        if words == ["a"] and scaled:
            return "1 "
        if (
            not meaningful
            or (meaningful == ["one"] and not scaled)
            or (words[0] == "a" and "hundred" not in words)
        ):
            return m.group(0)
        value = _number_value(words)
        return m.group(0) if value is None else f"{value} "

    if text.isascii() and NUMBER_WORDS.isdisjoint(re.findall(r"\w+", text.lower())):
        return text  # no number word to swap, nor a scale after "a"
    return NUMBER_RUN.sub(swap, text)


def _stems(word: str) -> set[str]:
    found = {word}
    for suffix in SUFFIXES:
        stem = word.removesuffix(suffix)
        if stem != word and len(stem) >= 3:
            found |= {stem, stem + "e", stem + "y"}
            if stem[-1] == stem[-2]:
                found.add(stem[:-1])
    return found


def forms_of(words: Iterable[str]) -> frozenset[str]:
    """Every stem of these words, as `inflection_of` compares a word's own stems with."""
    return frozenset(s for word in words for s in _stems(word))


@lru_cache(maxsize=8)
def _index(vocabulary: frozenset[str]) -> tuple[frozenset[str], dict[str, list[str]]]:
    stems = forms_of(vocabulary)
    by_letter: dict[str, list[str]] = {}
    for word in sorted(vocabulary):
        if len(word) >= 5:
            by_letter.setdefault(word[0], []).append(word)
    return stems, by_letter


@lru_cache(maxsize=8)
def _typo_index(vocabulary: frozenset[str]) -> tuple[frozenset[str], frozenset[str], dict[str, list[str]]]:
    """(the words known, those and their stems, the words of 5+ letters by first letter): built
    once per vocabulary, not once per request."""
    vocab = vocabulary | KNOWN
    stems, by_letter = _index(vocab)
    return vocab, vocab | stems, by_letter


def inflection_of(word: str, known: frozenset[str], forms: frozenset[str] | None = None) -> bool:
    """Whether `word` is another form of a known word ("changing" of "change", "loged" of
    "logged"): a request in a tense no example uses still speaks the tools' words. `forms`: the
    known words' `forms_of`, when the caller keeps them (else cached for a few vocabularies)."""
    return bool(_stems(word) & (forms if forms is not None else _index(known)[0]))


def correct_typos(text: str, vocabulary: frozenset[str]) -> str:
    """A misspelt lowercase word becomes the vocabulary word it is close to ("septmber" ->
    "september", "clinets" -> "clients"). Capitalised words (names), short words, inflections of
    known words, English words ("phase" is not a typo of "pause", see agent.nlu.english) and
    words whose first letter differs are left alone. Two letters swapped are tried first:
    "shopfiy" is "shopify", not the "shopfy" some example misspells."""
    vocab, known, by_letter = _typo_index(vocabulary)
    if all(len(w) < SHORT_TYPO or w in vocab or not w.islower() for w in ASCII_RUN.findall(text)):
        return text  # no word fix() would look at (every LETTERS match is an ASCII run)

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        if (len(word) < SHORT_TYPO or word in vocab or not word.islower() or (_stems(word) - {word}) & known
                or is_english(word)):
            return word
        if len(word) < 5:  # "shwo", "lsit": only two letters swapped, into a known English word
            return next((s for s in _swaps(word) if s in vocab and is_english(s)), word)
        return _meant(word, vocab, by_letter) or word

    return LETTERS.sub(fix, text)


def _swaps(word: str) -> Iterator[str]:
    for i in range(len(word) - 1):
        swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if swapped != word:
            yield swapped


SHORT_TYPO = 4


def _meant(word: str, vocab: frozenset[str], by_letter: dict[str, list[str]]) -> str | None:
    """The other known word a misspelt `word` was meant to be, if one is close enough."""
    for swapped in _swaps(word):  # two neighbouring letters swapped: the likeliest slip
        if swapped in vocab:
            return swapped
    cutoff = 0.8 if len(word) <= 7 else 0.85
    close = difflib.get_close_matches(word, _near(word, by_letter.get(word[0], []), cutoff), 2, cutoff)
    return next((c for c in close if c != word), None)


def _near(word: str, words: list[str], cutoff: float) -> list[str]:
    """The words that can reach difflib's `cutoff`: rapidfuzz's ratio (from the longest common
    subsequence) is never below difflib's (from its matching blocks, one common subsequence), so
    nothing it drops could have matched; difflib then ranks the few left exactly as before, in a
    fraction of the time of ranking every word of that letter."""
    return [m[0] for m in process.extract(word, words, scorer=fuzz.ratio, score_cutoff=cutoff * 100 - 1e-6,
                                          limit=None)]


OWN_TYPO_MIN = 3
OWN_TYPO_COMMON = 10
"""A misspelling is of an English word or of a word of ten examples or more ("shopify"), never
of another misspelling ("delet" had been read as the "delte" of another example)."""


def own_typos(counts: Mapping[str, int], vocabulary: frozenset[str]) -> frozenset[str]:
    """The examples' own misspellings: words that are not English and are close to a word written
    in at least five times as many examples, and three or more ("shopfiy" beside "shopify"; a
    rare name beside a slightly commoner one is not one). Examples are misspelt on purpose, as
    people type; but a misspelling left in the vocabulary is not corrected in requests either, so
    "sync shopfiy now" would not read as Shopify."""
    common = frozenset(w for w in vocabulary if is_english(w) or counts.get(w, 0) >= OWN_TYPO_COMMON)
    vocab, _known, by_letter = _typo_index(common)  # "delet" is "delete", not the "delte" of another example
    found = set()
    for word, count in counts.items():
        if len(word) < 5 or not word.isalpha() or not word.islower() or is_english(word):
            continue
        meant = _meant(word, vocab, by_letter)
        if meant and counts.get(meant, 0) >= max(OWN_TYPO_MIN, 5 * count):
            found.add(word)
    return frozenset(found)


def plain(text: str) -> str:
    """Straight quotes and single spaces, case kept: what names are read from."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split())  # the same whitespace as re.sub(r"\s+", " ", text).strip(), quicker


def canonical(phrase: str) -> str:
    """A declared phrase in the form requests are read in ("haven't turned on two factor" ->
    "have not turned on 2 factor"), without spelling correction: what a synonym is matched as."""
    t = as_written(digits_for_number_words(canonical_words(expand_contractions(plain(phrase)))))
    return " ".join(t.split())


def normalize(text: str, vocabulary: frozenset[str] = frozenset()) -> str:
    """Canonical text with its capitals kept (they mark names): typos fixed, contractions
    expanded, shorthand and symbols as words, numbers as digits. Lowercase it to match words;
    positions are the same in both."""
    return canonical(correct_typos(plain(text), vocabulary))


def words_of(text: str) -> list[str]:
    return re.findall(r"[a-z0-9_]+(?:'[a-z]+)?", text.lower())


NOT_THIS = re.compile(
    r"\b(?:not(?: only| just)?|instead of|rather than)(?: for| in| over)?(?: the)?(?: last| past)?\s*$")


def not_wanted(norm: str, start: int) -> bool:
    """Whether the value at `start` is the one the owner turns away ("the whole past week, not
    only the last 24h", "this month instead of last month"): read neither as asked nor as a
    second value that makes the first ambiguous."""
    return NOT_THIS.search(norm, 0, start) is not None
