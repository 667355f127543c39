"""Free text: emails, phone numbers, a company after its cue ("from Tech Corp", "at Acme"), a
title after its cue ("called Spring restock") or in quotes, and names: what is left of a request
once every other extractor has claimed its words ("change *Jane Smith*'s status to active").

Owners often type in lowercase, so a name is found by removing what is not a name (command words,
values, contact details) rather than by capital letters alone; capitals still help choose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.nlu.english import is_everyday
from agent.nlu.text import normalize
from agent.nlu.utterance import Utterance
from agent.nlu.words import RECORD_NOUNS, STOP

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w.])\+?\(?\d[\d\s().-]{5,}\d(?![\w@]|\.\w)")
DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$")
COMPANY_CUES = (
    re.compile(
        r"\b(?:who\s+)?(?:works?|working)\s+(?:at|for)\s+|\b(?:who\s+)?(?:runs|owns|manages|heads)\s+"
        r"|\b(?:company|employer)(?:\s+(?:is|name|to))?\s*:?\s+"
    ),
    re.compile(r"\bfrom\s+|\bat\s+|\bof\s+(?=[A-Z])"),
    re.compile(r"\bwith\s+"),
)
CHANGED_COMPANY_CUES = (COMPANY_CUES[0], re.compile(r"\bat\s+|\bof\s+(?=[A-Z])"), COMPANY_CUES[2])
"""A change to a record takes no company "from": "remove the tag *from* Maria King" names the record."""
"""Cues before a company, strongest first ("who runs X" over "with a guy called ...")."""
MOVED_CUE = re.compile(
    r"\b(?:moved|moving|switched|went|gone|left|jumped)\s+(?:over\s+|across\s+)?(?:to|for)\s+"
    r"|\b(?:joined|joining)\s+|\bnow\s+(?:works?\s+)?(?:at|with|for)\s+"
)
"""A new employer said as a move ("moved over to Globex", "joined Initech"): only a capitalised
name counts, so "moved to churned" stays a status."""
TITLE_CUE = re.compile(r"\b(?:called|named|titled|title(?:\s+(?:is|to))?(?!\s+(?:of|on|for)\b)"
                       r"|(?i:call|name)\s+(?:it|this|that"
                       r"|the\s+(?:connection|integration|automation|workflow|webhook|deal|prediction|simulation"
                       r"|initiative)))\s*:?\s+")
NAMING = re.compile(r"\b(?:call|name)\s+(?:it|this|that)\s*:?\s+(?!an?\s)|(?:^|(?<=[.,;]\s))name\s*[:=]\s*",
                    re.I)
"""A name given outright: "call it bookly", "Name: tillpoint_api" name it, capitalised or not ("the
customer called" does not)."""
QUOTED = re.compile(r"[\"“'‘](?P<q>[^\"”'’]{2,80})[\"”'’]")
OPENS_QUOTED = re.compile(r"\s*[\"“'‘](?P<q>[^\"”'’]{2,80})[\"”'’](?!\w)")
_NAME_END = (r"\s+(?:who|and|as|with|for|worth|valued|at|in|to|status|email|phone|closing|"
             r"probability|is|was|has|since|added|created|joined)\b|[,;()!?]|\.(?:$|\s+(?=(?i:could|can|would|will|please|pls|and"
             r"|also|then|so|but|oh|ok|i|we|he|she|they|it|its|his|her|their|my|our|add|open|create|make|move|mark|set"
             r"|tag|show|list|give|tell|send|put|change|update)\b)|\s+(?=[a-z]))|\s+-\s")
NAME_END = re.compile(_NAME_END)
TITLE_END = re.compile(_NAME_END + r"(?![A-Z0-9])")
"""A name also ends at a full stop that ends its sentence ("he runs Greer Hardware. Could you ..."),
not at one inside it ("St. Louis Bakery")."""
"""After "called" or "named", a dash between capitalised parts is inside the title ("Patel
Hardware - Shelving", the form deal titles take); elsewhere it ends a name ("Sam Patel - he's
...")."""
MAX_NAME_WORDS, MAX_NAME_CHARS = 6, 100


@dataclass(frozen=True)
class Span:
    text: str
    start: int
    end: int
    capitalised: bool
    cued: bool = False


def title_case(text: str) -> str:
    """What was typed in lowercase, capitalised; the owner's own capitals kept ("McDonald"), and
    a machine name ("warehouse_api", "pos.feed") kept as typed."""
    if text != text.lower() or re.search(r"\w[_.]\w", text):
        return text
    return " ".join(w[:1].upper() + w[1:] for w in text.split())


def read_email(u: Utterance) -> str | None:
    for m in EMAIL.finditer(u.cased):
        if u.is_free(m.start(), m.end()):
            u.take(m.start(), m.end())
            return m.group(0).rstrip(".")
    return None


def _is_phone(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate)
    if (
        not 7 <= len(digits) <= 15
        or DATE_LIKE.match(candidate)
        or re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", candidate)
    ):
        return False
    return candidate.startswith(("+", "(")) or bool(re.search(r"\d[\s.-]\d", candidate)) or len(digits) >= 10


def read_phone(u: Utterance) -> str | None:
    for m in PHONE.finditer(u.cased):
        candidate = m.group(0).strip()
        if u.is_free(m.start(), m.end()) and _is_phone(candidate):
            u.take(m.start(), m.end())
            return candidate
    return None


def span_after(u: Utterance, start: int, common: frozenset[str],
               end_at: re.Pattern[str] = NAME_END) -> Span | None:
    """The name right after a cue: up to the next cue word, punctuation or claimed text; or, when
    it is quoted ("called 'Friday digest' that posts ..."), up to its closing quote."""
    rest = u.cased[start:]
    quoted = OPENS_QUOTED.match(rest)
    if quoted is not None and u.is_free(start, start + quoted.end()):
        name = quoted.group("q").strip()
        return Span(name, start + quoted.start("q"), start + quoted.end("q"), name != name.lower(), cued=True)
    stop = end_at.search(rest)
    end = start + (stop.start() if stop else len(rest))
    while end > start and not u.is_free(end - 1, end):
        end -= 1
    for a, _ in sorted(u.taken):
        if start <= a < end:
            end = a
    text = u.cased[start:end].strip(" .,:;'\"")
    words = text.split()
    while words and words[-1].lower() in common and not words[-1][:1].isupper():
        words.pop()
    while words and words[0].lower() in common and not words[0][:1].isupper():
        words.pop(0)
    if words and all(w.lower() in common for w in words):
        return None
    text = " ".join(words[:MAX_NAME_WORDS])[:MAX_NAME_CHARS]
    if not text or text.lower() in common:
        return None
    return Span(text, start, start + len(text), text != text.lower(), cued=True)


def read_cued(
    u: Utterance, cue: re.Pattern[str], common: frozenset[str], capitalised_only: bool = False,
    end_at: re.Pattern[str] = NAME_END,
) -> Span | None:
    """The name after a cue ("called X", "rename the deal to X"); only the name is claimed, so a
    cue that spans other words ("rename *the Acme deal* to") leaves them to other fields."""
    for m in cue.finditer(u.cased):
        if not u.is_free(max(m.start(), m.end() - 3), m.end()):
            continue
        span = span_after(u, m.end(), common, end_at)
        if span is None or (capitalised_only and not span.capitalised):
            continue
        u.take(span.start, span.end)
        return span
    return None


def read_quoted(u: Utterance) -> str | None:
    for m in QUOTED.finditer(u.cased):
        if u.is_free(m.start(), m.end()) and not re.fullmatch(r"s\s.*", m.group("q")):
            u.take(m.start(), m.end())
            return as_typed(u, m.group("q").strip())
    return None


def as_typed(u: Utterance, read: str) -> str:
    """A title or name, quoted or not, as the owner typed it ("Spring catalogue", "Colour refresh"),
    not as spelling normalisation made it for matching: the run of typed words that normalises to
    it."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", u.raw)]
    size = len(read.split())
    for n in (k for k in (size, size - 1, size + 1) if k >= 1):
        for i in range(len(words) - n + 1):
            typed = u.raw[words[i][0]:words[i + n - 1][1]].strip(" .,:;!?\"'")
            if normalize(typed, u.vocabulary).strip(" .,:;!?\"'") == read:
                return typed
    return read


ADDRESS = re.compile(r"\S*(?:://|@|\bwww\.)\S*")
"""A URL or an email address: no part of one is a name ("https", "support")."""


SHOUTED = re.compile(r"(?:^|(?<=[.!?]\s))[^a-z.!?]*[A-Z]{2,}\s+[A-Z]{2,}[^a-z.!?]*[.!?]+")
"""A sentence typed in capitals ("POP THE CHAMPAGNE!!") is shouted, not a list of names."""


SAYS_OF_THEM = frozenset({"deserves", "deserve", "wants", "needs", "says", "said", "asked", "asks", "told",
                          "thinks", "thought", "loves", "hates", "prefers", "earned", "keeps", "seems",
                          "just", "finally", "already", "still", "really"})
""""Grace Wilson deserves the vip tag": a lowercase verb after a capitalised name is what is said
of them, not more of the name."""


def name_spans(u: Utterance, common: frozenset[str]) -> list[Span]:
    """Runs of unclaimed words that are not command words, in order."""
    spans: list[Span] = []
    run: list[tuple[str, int, int]] = []

    def close() -> None:
        capital = any(t[:1].isupper() for t, _, _ in run)
        while capital and run and not run[0][0][:1].isupper():  # "put Dana White" -> "Dana White"
            run.pop(0)
        if run:
            text = " ".join(t for t, _, _ in run)[:MAX_NAME_CHARS]
            spans.append(Span(text, run[0][1], run[-1][2], capital))
            run.clear()

    written = [(m.start(), m.end()) for m in ADDRESS.finditer(u.cased)]
    written += [(m.start(), m.end()) for m in SHOUTED.finditer(u.cased)]
    tokens = [t for t in u.tokens() if not any(a <= t[1] < b for a, b in written)]
    for i, (token, start, end) in enumerate(tokens):
        word = token.lower().removesuffix("'s").strip(".'")
        sentence_start = start == 0 or u.cased[:start].rstrip()[-1:] in ".!?:"
        capital = token[:1].isupper() and not token.isupper() and not sentence_start
        contiguous = not run or not u.cased[run[-1][2] : start].strip()
        if not contiguous:
            close()
        if token in ("-", "–") and run and run[-1][0][:1].isupper() and _next_is_capital(tokens, i):
            run.append((token, start, end))  # "Hooli - Annual supply contract": one title
            continue
        named = (
            word
            and not (sentence_start and is_everyday(word) and not _next_is_capital(tokens, i))
            and not (token.isupper() and len(token) > 1 and is_everyday(word))  # "POP THE CHAMPAGNE!!"
            and not re.fullmatch(r"[\d.,%$€£k]+", word)
            and re.match(r"\w", token)
            and (word not in common or (capital and (run or _next_is_capital(tokens, i))))
            and not (run and run[-1][0][:1].isupper() and not capital and word in SAYS_OF_THEM)
        )
        if named and len(run) < MAX_NAME_WORDS:
            run.append((token.removesuffix("'s").removesuffix("’s"), start, end))
        else:
            close()
    close()
    return [_through_noun(u, span, tokens) for span in spans]


FUNCTION_WORDS = frozenset(("a", "an", "the", "to", "of", "for", "in", "on", "at", "by", "with", "from",
                            "as", "is", "are", "was", "were", "be", "been",
                            "and", "or", "it", "its", "my", "our", "your",
                            "this", "that", "now", "has", "have", "had"))


TITLE_STOP = FUNCTION_WORDS | frozenset(("please", "pls", "plz", "thanks", "instead", "then"))
"""What may end a title or a new name but not be part of it: a title is any other words ("Acme
2027 supply", "Spring restock"), even ones that are also command words."""


def _through_noun(u: Utterance, span: Span, tokens: list[tuple[str, int, int]]) -> Span:
    """ "the *Wonka Goods* rental fleet deal": a name runs on up to the noun it qualifies."""
    following = [t for t in tokens if t[1] >= span.end]
    for i, (token, _, end) in enumerate(following[:4]):
        word = token.lower()
        if word in RECORD_NOUNS:
            if i == 0:
                return span
            last = following[i - 1][2]
            return Span(u.cased[span.start : last], span.start, last, span.capitalised)
        if (
            word in FUNCTION_WORDS
            or not re.match(r"[a-z][a-z-]*$", word)
            or u.cased[span.end : end].count(",")
            or not span.capitalised
        ):
            return span
    return span


def _next_is_capital(tokens: list[tuple[str, int, int]], i: int) -> bool:
    return i + 1 < len(tokens) and tokens[i + 1][0][:1].isupper()


def everyday(span: Span) -> bool:
    """Every word of it an everyday word ("across town", "good news"): no name, unless capitalised."""
    return all(map(is_everyday, span.text.split()))


def best_span(spans: list[Span]) -> Span | None:
    """The one most likely to be a name: a capitalised one, else the longest."""
    if not spans:
        return None
    capital = [s for s in spans if s.capitalised]
    if capital:  # "Spoke to Hooli about the Hooli - Annual supply deal": the fuller mention
        first = capital[0]
        return next((s for s in capital[1:] if s.text.startswith(first.text + " ")), first)
    named = [s for s in spans if not everyday(s)]  # "some good news" names nothing
    return max(named, key=lambda s: len(s.text)) if named else None


def through_noun(u: Utterance, span: Span, noun: str) -> Span | None:
    """"the hooli annual supply contract deal": a lowercase name runs on to its record's noun
    over the ordinary words between (a title written in lowercase), as a capitalised one would."""
    m = re.match(rf"((?:\s+[a-z][\w'-]*){{1,4}}?)\s+{re.escape(noun)}s?\b", u.norm[span.end:])
    gap = m.group(1).split() if m else []
    if m is None or not u.is_free(span.end, span.end + m.end(1)) or any(w in STOP for w in gap):
        return None  # "mvoe the cyberdyne deal": "the" is no part of a title
    end = span.end + m.end(1)
    return Span(u.cased[span.start:end], span.start, end, False)


def the_words_before(u: Utterance, noun: str, values: frozenset[str]) -> Span | None:
    """"move the store fit-out deal to proposal", "close the annual supply *one* as lost": the
    unclaimed words between "the" and the record's noun (or "one", standing for it) name the
    record, when no name was found: a title written in the words requests are written in. Not a
    declared value ("the open deal") or a word of the request's grammar."""
    for m in re.finditer(rf"\bthe((?:\s+[a-z][\w'-]*){{1,4}}?)\s+(?:{re.escape(noun)}|one)\b", u.norm):
        words = m.group(1).split()
        if u.is_free(m.start(1), m.end(1)) and not any(w in STOP or w in values for w in words):
            start = m.start(1) + len(m.group(1)) - len(m.group(1).lstrip())
            return Span(u.cased[start:m.end(1)], start, m.end(1), False)
    return None


def before_record_noun(u: Utterance, span: Span) -> bool:
    """Whether a name modifies the records asked about ("*Hooli* customers"): a company."""
    after = re.match(r"\s+(\w+)", u.norm[span.end :])
    if after is None:
        return False
    return after.group(1) in RECORD_NOUNS and "'s" not in u.cased[span.start : span.end + 3]
