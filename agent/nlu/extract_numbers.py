"""Money and numbers: "12.5k", "$12,500", "twelve thousand" (already digits), "over 10k", "between
20k and 50k", "40%", "top 5". Pure functions of an utterance; each claims the text it reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from agent.nlu.utterance import Utterance

MONEY = re.compile(
    r"(?P<cur>[$€£])?\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s?"
    r"(?P<suf>k|m|mm|bn|b|thousand|grand|million|mil|billion)?\b"
    r"(?:\s?(?P<cur2>dollars?|usd|bucks|euros?|eur|pounds?|gbp)\b)?"
)
SCALE = {"k": 1e3, "thousand": 1e3, "grand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "mil": 1e6, "b": 1e9,
         "bn": 1e9, "billion": 1e9}
NOT_MONEY_AFTER = re.compile(
    r"^\s?(?:%|percent|per cent|days?|weeks?|months?|years?|quarters?|st\b|nd\b|"
    r"rd\b|th\b|am\b|pm\b|[-/]\d)"
)
COUNTED_AFTER = re.compile(
    r"^\s?(?:\w+\s)?(?:orders|customers|clients|deals|people|items|rows|results|leads|prospects|"
    r"accounts|opportunities|members|records)\b"
)
"""A number before a plural noun counts things ("5 deals"); "a 12,500 deal" is an amount."""
VALUE_CUE = re.compile(
    r"(?:worth|valued?(?: at)?|value(?: of| to| is)?|amount(?:ing)?(?: of| to)?|for|of|at|to|"
    r"is|be|priced at|budget of|size of|around|about|roughly|over|above|under|below|than|"
    r"least|most|up to|between|and|exceeding|north of|upwards of|make (?:it|that|this)|>=?|<=?)\s*$"
)
MIN_CUE = re.compile(
    r"(?:over|above|more than|greater than|bigger than|larger than|higher than|at least|"
    r"exceeding|exceeds|in excess of|min(?:imum)?|north of|upwards of|no less than|>=?|from)\s*$"
)
MAX_CUE = re.compile(
    r"(?:under|below|less than|smaller than|lower than|cheaper than|at most|up to|"
    r"max(?:imum)?|no more than|not more than|<=?)\s*$"
)
MIN_AFTER = re.compile(r"^\s*(?:\+|or (?:more|above|higher|bigger|greater)|and (?:up|above|over|more))")
MAX_AFTER = re.compile(r"^\s*(?:or (?:less|below|under|lower|smaller)|and (?:under|below|less))")
PERCENT = re.compile(
    r"(?P<sign>(?<![\w.])[-−])?(?P<n>\d{1,3}(?:\.\d+)?)\s?(?:%|percent|per cent)"
    r"(?:\s+(?:probability|chance|likely|likelihood|odds))?"
)
COUNT = re.compile(
    r"\b(?:top|first|best|biggest|largest|bottom|worst|show(?: me)?(?: the)?|give me|list|up to)"
    r"\s+(?P<n>\d{1,3})\b"
    r"(?![,.]\d|\s*(?:%|percent|days?|weeks?|months?|years?|hours?|k\b|grand|thousand|dollars?|bucks))"
    r"|\b(?P<m>\d{1,3})\s+(?:biggest|largest|best|top|most|highest|latest|newest|most recent|oldest"
    r"|(?!(?:re|con)?quest|test|interest|forest|chest)[a-z]{2,}est)\b"
    r"|\b(?:which|what|the|my)\s+(?P<k>\d{1,3})(?=\s+(?:\w+\s+){0,2}(?:customers|clients|deals|people|accounts"
    r"|leads|prospects|records)\b)"
    r"|(?<!than )(?<!over )(?<!under )(?<!least )(?<!most )(?<!with )(?<!above )(?<!below )"
    r"\b(?P<p>\d{1,3})\s+"
    r"(?:names|customers|clients|people|accounts|jobs|keys|results|rows|of them|of those|of these)\b"
    r"|\b(?:last|latest|most recent|newest)\s+(?P<q>\d{1,3})\s+(?:\w+\s+)?(?:runs|syncs|deliveries|events"
    r"|entries|changes|actions|logins|sessions|insights|predictions|simulations|incidents|jobs)\b"
)
"""How many were asked for: "top 5", "the 20 biggest", "which 5 customers", "up to 50", "the 5
latest", "fifteen names", "25 of them", "the last 5 sync runs" (not "more than 5 customers", a
filter)."""


@dataclass(frozen=True)
class Amount:
    value: float
    start: int
    end: int
    explicit: bool
    """Written as money: a currency sign or word, or a scale ("10k")."""
    currency: str | None = None
    """The ISO code the amount was written in (€, £, "EUR", "dollars"); None for a bare "$",
    which is also the sign of the Canadian, Australian and other dollars."""


CURRENCIES = {"€": "EUR", "£": "GBP", "usd": "USD", "dollar": "USD", "dollars": "USD", "bucks": "USD",
              "euro": "EUR", "euros": "EUR", "eur": "EUR", "pound": "GBP", "pounds": "GBP", "gbp": "GBP"}


def amounts(u: Utterance, loose: bool = False) -> list[Amount]:
    """Money mentions in unclaimed text. Strict: with a currency or scale, or after a value cue
    ("over 10,000"). Loose also keeps other bare numbers that are not years or counts."""
    found = []
    for m in u.find(MONEY):
        if not re.search(r"\d", m.group("num")):
            continue
        begin = m.start("cur") if m.group("cur") else m.start("num")
        before, after = u.norm[:begin], u.norm[m.end() :]
        if re.search(r"[\w/.-]$", before) or NOT_MONEY_AFTER.match(after):
            continue
        explicit = bool(m.group("cur") or m.group("suf") or m.group("cur2"))
        if not explicit and (re.fullmatch(r"(19|20)\d\d", m.group("num")) or COUNTED_AFTER.match(after)):
            continue
        base = float(m.group("num").replace(",", ""))
        value = base * SCALE.get((m.group("suf") or "").lower(), 1.0)
        if explicit or ((loose or VALUE_CUE.search(before[-30:])) and value >= 1):
            code = CURRENCIES.get(m.group("cur") or "") or CURRENCIES.get((m.group("cur2") or "").lower())
            found.append(Amount(value, begin, m.end(), explicit, code))
    return found


def bounds(u: Utterance) -> tuple[float | None, float | None]:
    """(at least, at most): "over 10k", "under $5,000", "between 20k and 50k", "10k+". A bare
    amount with no direction ("deals worth 10k") is a minimum."""
    found = amounts(u)
    between = re.search(r"\b(?:between|from)\s*$", u.norm[: found[0].start]) if len(found) >= 2 else None
    if between and re.fullmatch(r"\s*(?:and|to|-|–)\s*", u.norm[found[0].end : found[1].start]):
        a, b = found[0], found[1]
        first = a.value * 1000 if not a.explicit and b.explicit and a.value < 1000 <= b.value else a.value
        for amount in (a, b):
            u.take(amount.start, amount.end)
        return min(first, b.value), max(first, b.value)
    low: float | None = None
    high: float | None = None
    for amount in found:
        before, after = u.norm[: amount.start], u.norm[amount.end :]
        if MAX_CUE.search(before[-25:]) or MAX_AFTER.match(after):
            high = amount.value
        elif MIN_CUE.search(before[-25:]) or MIN_AFTER.match(after) or low is None:
            low = amount.value
        else:
            continue
        u.take(amount.start, amount.end)
    return low, high


OLD_VALUE_CUE = re.compile(r"(?:\bnot|\binstead of|\bfrom|\bwas|\brather than)\s*$")
"""An amount being replaced ("should be 9,200 *not 7,925*", "up *from 5k* to 8k")."""


def amount(u: Utterance, loose: bool = False) -> float | None:
    found = money(u, loose)
    return None if found is None else found.value


def money(u: Utterance, loose: bool = False) -> Amount | None:
    """The money mention that is the value (a deal's value): the first one, unless it is the
    old value being replaced and another is given."""
    found = amounts(u) or (amounts(u, loose=True) if loose else [])
    if not found:
        return None
    old = [a for a in found if OLD_VALUE_CUE.search(u.norm[max(0, a.start - 14):a.start])]
    new = [a for a in found if a not in old]
    chosen = (new or found)[0]
    for a in [chosen, *old] if new else [chosen]:
        u.take(a.start, a.end)  # the old value fills nothing else either
    return chosen


def cued_money(u: Utterance, words: tuple[str, ...], loose: bool = False) -> Amount | None:
    """The money mention a field's own words stand right before or after ("*brings in* 12k",
    "20k extra *revenue*"): that field's value, whatever its place in the request."""
    if not words:
        return None
    before, after = _cues(words)
    found = amounts(u)
    if loose:  # "32,000 upfront, should bring 60k": the cued bare number, though "60k" is surer money
        found += [a for a in amounts(u, loose=True) if all(a.start != f.start for f in found)]
    for a in found:
        if before.search(u.norm[max(0, a.start - 30):a.start]) or after.search(u.norm[a.end:a.end + 30]):
            u.take(a.start, a.end)
            return a
    return None


@cache
def _cues(words: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A field's words right before an amount (one word may stand between) and right after it."""
    cue = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"\b(?:{cue})\b(?:\s+\w+)?\s*$"), re.compile(rf"^\s*(?:\w+\s+)?(?:{cue})\b")


def percent(u: Utterance, odds: bool = False) -> int | None:
    """A percentage; with `odds`, for a chance, also odds as people give them ("one in five",
    "50/50")."""
    for m in u.find(PERCENT):
        u.take(m.start(), m.end())
        return round(float(m.group("n"))) * (-1 if m.group("sign") else 1)  # "at -10%": a fall
    if not odds:
        return None
    for m in u.find(EVEN_ODDS):
        u.take(m.start(), m.end())
        return 50
    for m in u.find(ODDS):
        a, b = (1 if m.group("a") in ("one", "a") else int(m.group("a"))), int(m.group("b"))
        if 0 < a <= b:
            u.take(m.start(), m.end())
            return round(100 * a / b)
    return None


ODDS = re.compile(r"\b(?P<a>one|a|\d{1,2})\s+in\s+(?P<b>\d{1,3})\b"
                  r"(?!\s*(?:%|percent|days?|weeks?|months?|years?))")
EVEN_ODDS = re.compile(r"\b(?:50\s*/\s*50|fifty[\s-]fifty|coin\s*(?:flip|toss))\b")


def count(u: Utterance) -> int | None:
    """How many were asked for: "top 5", "the 20 biggest"."""
    for m in u.find(COUNT):
        group = next(g for g in ("n", "m", "k", "p", "q") if m.group(g))
        u.take(m.start(group), m.end(group))
        return int(m.group(group))
    return None
