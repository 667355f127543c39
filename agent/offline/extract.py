"""Argument extraction from an owner's words: money, numbers, emails, phones, stages, statuses.

Periods live in `agent.offline.periods` and names in `agent.offline.names`; both are re-exported
here so callers have one import. Every extractor is a pure function of the text, so it is easy to
test on paraphrases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.offline.lexicon import CUSTOMER_STATUS_WORDS, DEAL_STAGE_WORDS, normalize, words_of
from agent.offline.names import EMAIL_RE, PHONE_RE, company_filter, new_contact, target_query, title_case
from agent.offline.periods import PeriodRef, extract_period, extract_periods
from agent.offline.spelling import digits_for_number_words

__all__ = [
    "Amount", "PeriodRef", "company_filter", "customer_status", "deal_stage", "deal_status",
    "deal_value", "email_of", "extract_period", "extract_periods", "money_amounts", "new_contact",
    "percent_of", "phone_of", "target_query", "title_case", "value_bounds",
]

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
MONEY_RE = re.compile(
    rf"(?P<cur>[$€£]|\busd\b|\beur\b|\bgbp\b)?\s?(?P<num>{_NUM})\s?"
    r"(?P<suf>k\b|m\b|mm\b|b\b|bn\b|thousand\b|grand\b|million\b|mil\b|billion\b)?"
    r"(?:\s?(?P<cur2>dollars?|usd|bucks|euros?|eur|pounds?|gbp)\b)?",
    re.I,
)
SCALE = {"k": 1e3, "thousand": 1e3, "grand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "mil": 1e6,
         "b": 1e9, "bn": 1e9, "billion": 1e9}
NOT_MONEY_AFTER = re.compile(
    r"^\s?(?:%|percent|per cent|days?|weeks?|months?|years?|quarters?|st\b|nd\b|rd\b|th\b|am\b|pm\b|[-/]\d)",
    re.I)
COUNTED_AFTER = re.compile(
    r"^\s?(?:orders?|customers?|clients?|deals?|people|items?|rows?|results?|leads?)\b", re.I)
VALUE_CUES = re.compile(
    r"(?:worth|valued?|value of|amount(?:ing)? (?:of|to)?|for|of|at|to|is|priced at|budget of|"
    r"size of|around|about|roughly|approx\.?|over|above|under|below|than|least|most|up to|"
    r"between|and|min(?:imum)?|max(?:imum)?|exceeding|exceeds|north of|upwards of|>=?|<=?)\s*$",
    re.I)
MIN_CUES = re.compile(
    r"(?:over|above|more than|greater than|bigger than|larger than|higher than|at least|"
    r"exceeding|exceeds|in excess of|min(?:imum)?|north of|upwards of|no less than|>=?|from)\s*$",
    re.I)
MAX_CUES = re.compile(
    r"(?:under|below|less than|smaller than|lower than|cheaper than|at most|up to|max(?:imum)?|"
    r"no more than|not more than|<=?|to)\s*$", re.I)
_NO_NUMBER = r"(?!\s*(?:than\s*)?[$€£]?\d)"
MIN_AFTER = re.compile(
    r"^\s*(?:\+|or (?:more|above|higher|bigger|greater)|and (?:up|above|over|more))" + _NO_NUMBER, re.I)
MAX_AFTER = re.compile(
    r"^\s*(?:or (?:less|below|under|lower|smaller)|and (?:under|below|less))" + _NO_NUMBER, re.I)
BETWEEN_RE = re.compile(r"\bbetween\s+(?P<a>.+?)\s+and\s+(?P<b>.+?(?:\s?(?:k|thousand|grand|million|mil|m|bn|"
                        r"billion)\b)?)(?:$|[,.?!;](?!\d)|\s(?!\d))", re.I)
RANGE_RE = re.compile(
    r"(?:from\s+)?(?P<a>[$€£]?\d[\d,.]*\s?[km]?)\s?(?:-|–|to)\s?(?P<b>[$€£]?\d[\d,.]*\s?[km]?)\b", re.I)
DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$")
PERCENT_RE = re.compile(r"(\d{1,3}(?:\.\d+)?)\s?(?:%|percent|per cent)", re.I)


@dataclass(frozen=True)
class Amount:
    value: float
    start: int
    end: int
    explicit: bool  # has a currency sign, a scale suffix or a currency word


def _amount(m: re.Match[str]) -> float:
    base = float(m.group("num").replace(",", ""))
    suffix = (m.group("suf") or "").lower()
    return base * SCALE.get(suffix, 1.0)


def _looks_like_year(m: re.Match[str]) -> bool:
    raw = m.group("num")
    return bool(re.fullmatch(r"(19|20)\d\d", raw)) and not (m.group("cur") or m.group("suf"))


def money_amounts(text: str, loose: bool = False) -> list[Amount]:
    """Money mentions. Strict: only amounts with a currency or scale ("$25,000", "10k",
    "2.5 million") or after a value cue ("over 10,000"). Loose also keeps other bare numbers that
    are not years, percentages, durations or dates, for requests that are about a value. Numbers
    in words count too ("fifty thousand"); positions refer to the text with them as digits."""
    text = digits_for_number_words(text)
    found: list[Amount] = []
    for m in MONEY_RE.finditer(text):
        if not m.group("num") or not re.search(r"\d", m.group("num")):
            continue
        begin = m.start("cur") if m.group("cur") else m.start("num")
        before, after = text[:begin], text[m.end():]
        if re.search(r"[\w/]$", before) or NOT_MONEY_AFTER.match(after) or _in_token(text, m):
            continue
        if _looks_like_year(m) or re.search(r"\d[-/.]$", before):
            continue
        explicit = bool(m.group("cur") or m.group("suf") or m.group("cur2"))
        if not explicit and COUNTED_AFTER.match(after):
            continue  # "5 deals" counts things
        cued = bool(VALUE_CUES.search(before[-30:]))
        if explicit or ((cued or loose) and _bare_ok(m)):
            found.append(Amount(_amount(m), begin, m.end(), explicit))
    return found


def _bare_ok(m: re.Match[str]) -> bool:
    return float(m.group("num").replace(",", "")) >= 1


def _in_token(text: str, m: re.Match[str]) -> bool:
    """Digits inside an email, a phone number, an id or a date are not amounts."""
    for pattern in (EMAIL_RE, PHONE_RE):
        for hit in pattern.finditer(text):
            if hit.start() <= m.start("num") < hit.end() and (
                pattern is EMAIL_RE or _is_phone(hit.group(0))
            ):
                return True
    return False


def value_filters(text: str) -> dict[str, float]:
    """`min_value` / `max_value` tool arguments for the amounts the text bounds deals by."""
    low, high = value_bounds(text)
    bounds = {"min_value": low, "max_value": high}
    return {key: value for key, value in bounds.items() if value is not None}


def value_bounds(text: str) -> tuple[float | None, float | None]:
    """(min, max) value filters: "over 10k", "under $5,000", "between 10k and 50k", "10k+".
    A bare amount with no direction ("deals worth 10k") is read as a minimum."""
    text = digits_for_number_words(text)
    between = BETWEEN_RE.search(text) or RANGE_RE.search(text)
    if between:
        low, high = money_amounts(between.group("a"), True), money_amounts(between.group("b"), True)
        if low and high:
            a, b = low[0].value, high[0].value
            if between.group("b").strip().lower()[-1:] == "k" or high[0].explicit:
                a = a * 1000 if a < 1000 <= b and not low[0].explicit else a
            return min(a, b), max(a, b)
    lo: float | None = None
    hi: float | None = None
    for amount in money_amounts(text):
        before, after = text[: amount.start], text[amount.end:]
        if MAX_CUES.search(before[-25:]) or MAX_AFTER.match(after):
            hi = amount.value
        elif MIN_CUES.search(before[-25:]) or MIN_AFTER.match(after) or lo is None:
            lo = amount.value
    return lo, hi


def deal_value(text: str) -> float | None:
    """The amount a new or updated deal is worth: the first money mention."""
    amounts = money_amounts(_strip_contacts(text)) or money_amounts(_strip_contacts(text), loose=True)
    return amounts[0].value if amounts else None


def percent_of(text: str) -> int | None:
    m = PERCENT_RE.search(text)
    return round(float(m.group(1))) if m else None


def email_of(text: str) -> str | None:
    m = EMAIL_RE.search(text)
    return m.group(0).rstrip(".") if m else None


def _is_phone(candidate: str) -> bool:
    """7-15 digits written like a phone number (a "+", separators, or 10+ digits)."""
    candidate = candidate.strip()
    digits = re.sub(r"\D", "", candidate)
    if not 7 <= len(digits) <= 15 or DATE_LIKE.match(candidate):
        return False
    return candidate.startswith(("+", "(")) or bool(re.search(r"\d[\s.-]\d", candidate)) or len(digits) >= 10


def phone_of(text: str) -> str | None:
    for m in PHONE_RE.finditer(text):
        candidate = m.group(0).strip()
        if _is_phone(candidate) and not re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", candidate):
            return candidate
    return None


def _strip_contacts(text: str) -> str:
    text = EMAIL_RE.sub(" ", text)
    return PHONE_RE.sub(lambda m: " " if _is_phone(m.group(0)) else m.group(0), text)


def customer_status(text: str) -> str | None:
    """A customer lifecycle status named in the text ("leads", "active clients", "churned")."""
    norm = normalize(text)
    if re.search(r"\b(no longer|not) (a |an )?(customer|client)s?\b|\bwe lost\b|\blost (customer|client)",
                 norm):
        return "churned"
    if re.search(r"\b(?:stopped|quit|gave up) (?:buying|ordering|paying|purchasing)\b", norm):
        return "inactive"
    for word in words_of(norm):
        status = CUSTOMER_STATUS_WORDS.get(word)
        if status:
            return status
    return None


def deal_stage(text: str) -> str | None:
    """A pipeline stage named in the text; "won"/"lost" map to closed_won/closed_lost."""
    norm = normalize(text).replace("-", " ").replace("/", " ")
    if re.search(r"\bclosed? ?won\b|\bwon\b|\bwin it\b|\bwe got it\b|\bsigned\b|\baccepted\b|\bsaid yes\b",
                 norm) or re.search(
            r"\b(?:we|i|they|just|finally)\s+(?:closed|landed|got)\b", norm):
        return "closed_won"
    if re.search(r"\bclosed? ?lost\b|\blost\b|\bdead\b|\bfell through\b|\bwent cold\b|\bdeclined\b|"
                 r"\brejected\b|\bturned (?:us|it) down\b|\bsaid no\b|\bpulled out\b", norm):
        return "closed_lost"
    for word in words_of(norm):
        stage = DEAL_STAGE_WORDS.get(word)
        if stage and stage not in ("closed_won", "closed_lost"):
            return stage
    return None


def deal_status(text: str) -> str | None:
    """open / won / lost as a deal filter ("open deals", "deals we lost")."""
    norm = normalize(text).replace("-", " ")
    if re.search(r"\b(won|wins|closed won|winning|win)\b", norm):
        return "won"
    if re.search(r"\b(lost|losses|closed lost|dead|lose|losing)\b", norm):
        return "lost"
    if re.search(r"\b(open|active|ongoing|in progress|pending|live|current|outstanding)\b", norm):
        return "open"
    return None
