"""Spelling variation, undone before any rule reads a message.

Owners type contractions with and without apostrophes ("how're", "whats", "dont"), British
spellings ("organisation", "summarise"), symbols for words ("%"), numbers as words ("fifty
thousand") and typos ("septmber", "negotiaton"). Each is mapped to one canonical form here, so a
rule written for "september" or "how are we" also serves every variant, instead of each rule
growing its own list of misspellings.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

CONTRACTIONS = {
    "what's": "what is", "how's": "how is", "who's": "who is", "where's": "where is",
    "i'm": "i am", "we're": "we are", "it's": "it is", "that's": "that is", "there's": "there is",
    "don't": "do not", "didn't": "did not", "can't": "cannot", "won't": "will not",
    "let's": "let us", "i've": "i have", "we've": "we have", "i'd": "i would",
}
# Common apostrophe-less spellings; only words that are not also ordinary words ("were", "its").
BARE_CONTRACTIONS = {
    "whats": "what is", "hows": "how is", "whos": "who is", "wheres": "where is", "thats": "that is",
    "theres": "there is", "dont": "do not", "doesnt": "does not", "didnt": "did not", "cant": "cannot",
    "isnt": "is not", "arent": "are not", "wasnt": "was not", "havent": "have not", "hasnt": "has not",
    "im": "i am", "ive": "i have", "youre": "you are", "theyre": "they are", "weve": "we have",
    "wont": "will not", "whatre": "what are", "howre": "how are", "wheres's": "where is",
}
GENERIC_CONTRACTIONS = ((r"(?<=\w)n't\b", " not"), (r"(?<=\w)'re\b", " are"), (r"(?<=\w)'ve\b", " have"),
                        (r"(?<=\w)'ll\b", " will"), (r"(?<=\w)'m\b", " am"), (r"(?<=\w)'d\b", " would"))
BRITISH = {
    "organisation": "organization", "organisations": "organizations", "summarise": "summarize",
    "summarised": "summarized", "summarising": "summarizing", "analyse": "analyze", "analysed": "analyzed",
    "analysing": "analyzing", "licence": "license", "licences": "licenses", "favourite": "favorite",
    "favourites": "favorites", "finalise": "finalize", "finalised": "finalized", "prioritise": "prioritize",
    "cheque": "check", "programme": "program", "enrol": "enroll", "catalogue": "catalog",
    "behaviour": "behavior", "categorise": "categorize", "recognise": "recognize", "realise": "realize",
}
# Shorthand owners type; "mo" and "q" are left alone (too often something else).
ABBREVIATIONS = {
    "yr": "year", "yrs": "years", "mth": "month", "mths": "months", "qtr": "quarter", "qtrs": "quarters",
    "wk": "week", "wks": "weeks", "rev": "revenue", "cust": "customer", "custs": "customers",
    "avg": "average", "amt": "amount", "yday": "yesterday", "tmrw": "tomorrow", "convo": "conversation",
    "biz": "business", "acct": "account", "accts": "accounts", "prob": "probability", "num": "number",
    "nums": "numbers", "approx": "about", "asap": "now",
}
# Text-speak; replaced in the owner's own text too, so names read from it are clean ("can u add ...").
SLANG = {"u": "you", "r": "are", "ur": "your", "gimme": "give me", "lemme": "let me", "wanna": "want to",
         "gonna": "going to", "gotta": "have to", "pls": "please", "plz": "please", "thx": "thanks",
         "tho": "though", "cos": "because", "cuz": "because", "ya": "you", "y'all": "you"}
SYMBOLS = ((r"(?<![\d.])\s*%", " percent"), (r"\s+&\s+", " and "), (r"\s+@\s+", " at "),
           (r"\s+w/\s*", " with "), (r"\s+->\s*|\s+→\s*", " to "), (r"\bthru\b", "through"),
           (r"\b(?:pls|plz)\b", "please"))
SUFFIXES = ("s", "es", "ed", "d", "ing", "er", "ers", "ly", "ies", "ied")
UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
         "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90}
SCALE_AFTER = re.compile(r"\s*(?:thousand|million|billion|grand|k|m|bn)\b", re.I)
NUMBER_RUN = re.compile(
    r"\b(?:(?:" + "|".join([*UNITS, *TENS, "a"]) + r"|hundred(?:\s+and(?=\s))?)(?:[\s-]+|\b))+", re.I)


def expand_contractions(text: str) -> str:
    for short, long in CONTRACTIONS.items():
        text = text.replace(short, long)
    for pattern, long in GENERIC_CONTRACTIONS:
        text = re.sub(pattern, long, text)
    return re.sub(r"\b[a-z']+\b", lambda m: BARE_CONTRACTIONS.get(m.group(0), m.group(0)), text)


def canonical_words(text: str) -> str:
    """British spellings and symbols as the words the rules use."""
    text = re.sub(r"\b[a-z]+\b", lambda m: BRITISH.get(m.group(0), ABBREVIATIONS.get(m.group(0), m.group(0))),
                  text)
    for pattern, word in SYMBOLS:
        text = re.sub(pattern, word, text)
    return text


def _number_value(words: list[str]) -> int | None:
    total, current, seen = 0, 0, False
    for word in words:
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "a":
            current += 1 if not seen else 0
            continue
        else:
            continue
        seen = True
    return total + current if seen else None


def digits_for_number_words(text: str) -> str:
    """"fifty thousand" -> "50 thousand", "twenty five k" -> "25 k", "a hundred and fifty" -> "150".
    A lone "one" or "a" stays a word ("the second one", "a deal")."""
    def swap(m: re.Match[str]) -> str:
        words = [w for w in re.split(r"[\s-]+", m.group(0).lower()) if w and w != "and"]
        meaningful = [w for w in words if w != "a"]
        scaled = SCALE_AFTER.match(m.string, m.end()) is not None
        if words == ["a"] and scaled:
            return "1 "  # "a million"
        lone_one = meaningful == ["one"] and not scaled
        if not meaningful or lone_one or (words[0] == "a" and "hundred" not in words):
            return m.group(0)
        value = _number_value(words)
        return m.group(0) if value is None else f"{value} "
    return NUMBER_RUN.sub(swap, text)


def _stems(word: str) -> set[str]:
    """The word without each common ending, as spelt with and without a final "e"/"y"."""
    found = {word}
    for suffix in SUFFIXES:
        stem = word.removesuffix(suffix)
        if stem != word and len(stem) >= 3:
            found |= {stem, stem + "e", stem + "y"}
            if stem[-1] == stem[-2]:
                found.add(stem[:-1])
    return found


@lru_cache(maxsize=4)
def _vocab_stems(vocabulary: frozenset[str]) -> frozenset[str]:
    return frozenset(s for word in vocabulary for s in _stems(word))


def _inflected(word: str, vocab: frozenset[str]) -> bool:
    """"closed", "spends", "deals": another form of a known word is not a typo."""
    return bool(_stems(word) & (vocab | _vocab_stems(vocab)) - {word})


def _swapped(word: str, vocab: frozenset[str]) -> str | None:
    """The vocabulary word this one is with two neighbouring letters swapped ("clinets")."""
    for i in range(len(word) - 1):
        candidate = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        if candidate in vocab:
            return candidate
    return None


def respell(raw: str, vocabulary: frozenset[str]) -> str:
    """The owner's text with typos and text-speak fixed but capitals kept, for reading names."""
    text = correct_typos(raw, vocabulary)
    return re.sub(r"(?<![\w@.'])[a-z']+(?![\w@.'])", lambda m: SLANG.get(m.group(0), m.group(0)), text)


def correct_typos(raw: str, vocabulary: frozenset[str]) -> str:
    """Replace a misspelt lowercase word by the vocabulary word it is close to ("septmber" ->
    "september", "clinets" -> "clients"). Words typed with capitals are names and are left alone;
    so are short words, where one letter changes the meaning, and words whose first letter differs
    (typos rarely hit the first letter). Long words need a closer match, which keeps real words
    such as "contrast" from being read as "contract"."""
    by_letter = _by_letter(vocabulary)

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        if len(word) < 5 or word in vocabulary or not word.islower() or _inflected(word, vocabulary):
            return word
        cutoff = 0.85 if len(word) <= 7 else 0.88
        close = difflib.get_close_matches(word, by_letter.get(word[0], []), 1, cutoff)
        return close[0] if close else (_swapped(word, vocabulary) or word)
    return re.sub(r"(?<![\w@.])[A-Za-z]+(?![\w@])", fix, raw)


@lru_cache(maxsize=4)
def _by_letter(vocabulary: frozenset[str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for word in sorted(vocabulary):
        if len(word) >= 5:
            groups.setdefault(word[0], []).append(word)
    return groups


# Ordinary English words (5+ letters) that owners use in requests and that sit one letter away from
# a domain word ("bought" / "brought", "contrast" / "contract"): known words, never typos.
_COMMON = """
about above across actually after again against agree ahead allow almost alone along already also
although always among amount another answer anyone anything anyway anywhere around asked asking
average avoid aware back based basic basis became because become before begin behind being below
better between beyond big bigger bought bring brings broke brought build built business busy buyer
buying called calls cannot careful carry cause certain change chance cheap check choose chose
claim class clear clearly close closer coming company compare complete contact contrast corner cost
costs could count country couple course cover create cross current customer daily dated dates
decide design detail didn't different dinner doing dollar during early earlier easily either email
enough entire especially evening event every everyone everything exact exactly example expect extra
fairly family father feels field figure final finally first fixed follow forget forward fought found
friday front funny further games general getting given gives going goods great green group growing
guess happen happy heard heart heavy hello helps hours house however human hundred idea important
include income inside instead interest issue itself joined keeps kind known large later latest least
leave level light likely limit listen little local longer looked looking lower lucky major makes
making market match matter maybe means meant meeting might minute missing model money monday month
months moral morning mostly mother mouth moved moving music myself needed never night nobody normal
nothing notice number offer office often older online order other others outside owner paper party
people period person phone piece place plain plans plant please point pounds power press pretty
price prices print probably problem proper public quick quickly quiet quite rather reach ready really
reason recent record right round sales saturday saying second seems sense seven share short should
shown since single small smaller someone something sometimes soon sorry sought sound south spend
spent split sport staff stage stand start state still stock store story street strong stuff sunday
sure table taken takes taught talking thank thanks their there these thing things think third those
though thought three through thursday today together tomorrow tonight total tough towards trade
tried truly trust trying tuesday twice under until usual usually value various wants watch water
wednesday weekend weird whatever where whether which while whole whose within without woman women
wonder words world worry worse worst worth would write wrong years young yours yourself
"""
COMMON_WORDS = frozenset(_COMMON.split())
