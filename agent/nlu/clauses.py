"""Clauses of a message and the parts that are no request of their own: where a message of
several requests breaks ("..., and then ...", "...; ...", sentences), and the parts that only
say more about the request beside them (a bound, a count, a grouping, a month, an attribute)."""

from __future__ import annotations

import re

from agent.nlu.dates import MONTH_ALT

STRONG_BREAK = re.compile(
    r"\s*(?:[,;.]\s*|\s)(?:and then|then(?!\s+[$€£]?\d)|after that|afterwards|and also|also|plus)\s+"
    r"|\s*(?:[,;.!]\s*|\s)(?:and\s+)?(?:once|when|after)\s+(?:that|this|it)(?:['’]s|\s+is|\s+has\s+been)\s+"
    r"(?:done|finished|sorted|through)\s*,?\s+"
    r"|\s*;\s*|\s+\+\s+|(?<=[a-z0-9])[.!?]\s+(?=[A-Za-z])",
    re.I,
)
COMMAND = (r"(?:how|what|who|which|show|list|give|add|create|move|mark|delete|update|set|count|"
           r"tell|find|get)\b")
SOFT_BREAK = re.compile(rf"\s+and\s+(?!\d)|\s*,\s+(?=(?:and\s+)?{COMMAND})", re.I)
ATTRIBUTE = re.compile(r"^(?:their|its|his|her)\s+(?!.*\b(?:is|are|was|were)\b)", re.I)
"""A part joined by "and" that is what the request before it asks about its records ("the completed
predictions and *their* accuracy scores"): the same request, not another."""
BOUND_ONLY = re.compile(
    r"^(?:(?:are|is|that are|which are|worth|valued(?: at)?|priced(?: at)?|sized|with (?:a )?value)\s+)*"
    r"(?:under|over|above|below|more than|less than|at least|at most|greater than|bigger than|smaller than"
    r"|[<>]=?)\s*(?:[$€£]?\d|(?:a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
    r"|thirty|forty|fifty|sixty|seventy|eighty|ninety)\s+(?:hundred|thousand|grand|k|million)\b)", re.I)
"""A part joined by "and" that only bounds a value ("which deals are at proposal and worth under
10k") filters the records asked for, not a request of its own."""
CONDITION = re.compile(r"^(?:so\s+)?(?:what\s+if|if|suppose|supposing|imagine|assuming)\b", re.I)
"""A part that opens with a condition ("If I put 25% more into marketing, what happens to sales over
the next 60 days?") is asked about with the part after it: one request, not two."""
COUNT_ONLY = re.compile(r"^(?:(?:just|only|give me|show me)\s+)?(?:the\s+)?(?:top|first|best|worst)\s+\d{1,3}"
                        r"(?:\s+(?:pls|please|only|is fine|will do))*[\s.!?]*$", re.I)
"""A part that only says how many ("which customers might leave? top 5 pls"): the request before
it, cut to that many, not a request of its own."""
GRAIN_ONLY = re.compile(r"(?:(?:please |pls |can you |could you |and |now )*"
                        r"(?:break|split|lay) (?:it|that|this|them)"
                        r"(?: down| out| up)?\s+|(?:broken down|split|grouped|shown)\s+)?"
                        r"(?:week by week|month by month|day by day|quarter by quarter"
                        r"|by (?:the )?(?:week|month|day|quarter)|weekly|monthly|daily|quarterly)"
                        r"(?:,?\s+(?:with\s+|and\s+)?(?:an?\s+)?\d{2}\s*%\s*(?:intervals?|ranges?|confidence|bands?))?"
                        r"(?: for me)?(?: please| pls)?", re.I)
"""A part that only says how finely ("Week by week, how have sales gone this year?"): part of the
request beside it."""
MONTH_ONLY = re.compile(rf"(?:{MONTH_ALT})\.?")
"""A month alone after "and" is a list of months ("the 1st of January, April, July and October"),
not a request for that month's figures."""
JOINER = re.compile(r"^(?:and|also|plus|then)\s+", re.I)
OWN_REQUEST = re.compile(rf"^{COMMAND}\s+\S+\s+\S+", re.I)
"""Two parts for the same tool are two steps only when each is a request of its own, a command
and what it is about ("count active customers, and count churned ones"), not a list ("leads and
prospects") or a statement and its consequence ("Noah cancelled, mark him churned")."""


SEQUENCE = re.compile(r"\b(?:then|also|plus|next|after that|afterwards|as well|too|first|second|another"
                      r"|additionally|besides)\b|^\s*and\b", re.I)


def sentences_only(text: str) -> bool:
    """Sentences side by side, none of them said to come next or as well ("Can I trust the
    figures from our apps? Give each feed a health grade."): perhaps one request said twice,
    unlike "..., then list them" or "... Also show ...". """
    breaks = list(STRONG_BREAK.finditer(text))
    if not breaks or not all(re.fullmatch(r"[.!?]\s+", b.group(0)) for b in breaks):
        return False
    return SEQUENCE.search(text[breaks[0].end():]) is None


ASIDE = re.compile(r"^(?:and\s+|oh\s+)?(?:while\s+(?:we|you|i)(?:['’]re|['’]m|\s+are|\s+am)\s+at\s+it"
                   r"|by\s+the\s+way|btw|on\s+another\s+note)\s*,?\s*(?=\S)", re.I)
"""An aside that opens a part ("And while we're at it, who ..."): no "it" the part points back to."""


def clauses(text: str) -> list[str]:
    parts = (part.strip(" ,.") for part in STRONG_BREAK.split(text) if part and part.strip(" ,."))
    return [ASIDE.sub("", part) for part in parts if part]


NAMES_IT = re.compile(r"\s*(?:and\s+)?(?:call|name)\s+(?:it|this|that)\s", re.I)
"""", and call it 'Q1 planning'": the name of what the part before makes, no step of its own."""


OF_THEM = re.compile(r"^(?:and\s+)?(?:what|which|how\s+much|how\s+big|when)\s+(?:\w+\s+){0,2}?"
                     r"(?:are|were|do|did|will)\s+(?:they|those|these)"
                     r"(?:\s+(?:\w+\s+){0,2}?(?:at|in|on|worth|close|closing|due))?\W*$", re.I)
"""A short question about the records the part before asks for ("Do we still have deals open with
Jane Garcia? what stage are they at"): what to show of them, not another request."""


INCLUDING = re.compile(r"^(?:and\s+|oh\s+)?(?:please\s+|pls\s+)?(?:also\s+)?(?:include|including|count in)\b",
                       re.I)
"""What the request before also shows ("... what numbers can each one feed? Include the apps I
disconnected too"): part of it, not another request."""


def only_modifies(part: str) -> bool:
    """A later part that says more about the request before it ("... and worth under 10k",
    "... top 5 pls", "... and their accuracy scores") or is only its verb ("..., list")."""
    return bool(ATTRIBUTE.match(part) or OF_THEM.match(part) or INCLUDING.match(part)
                or MONTH_ONLY.fullmatch(part.lower())
                or BOUND_ONLY.match(part)
                or COUNT_ONLY.match(part) or NAMES_IT.match(part) or DOTTED_ONLY.fullmatch(part.strip(" .!"))
                or ONES_ONLY.fullmatch(part.strip(" .!"))
                or re.fullmatch(rf"{COMMAND}(?:\s+(?:pls|please|it|them))?", part, re.I))


ONES_ONLY = re.compile(r"(?:(?:also|and|plus)\s+)?(?:the\s+|any\s+)?[\w-]+\s+ones"
                       r"(?:\s+(?:too|as well|also))?", re.I)
"""Which of them, alone ("..., also the disconnected ones"): says more of the request before it."""
DOTTED_ONLY = re.compile(r"(?:the\s+)?[a-z]+\.[a-z_*]+(?:\s+(?:events?|ones?|too|as well))?", re.I)
"""A value written as the system writes it, alone ("... for deal.won and deal.lost"): another value
of the request before it, not a request."""


def only_grain(part: str) -> bool:
    """A part that only says how finely ("Week by week, ..."), wherever it stands."""
    return GRAIN_ONLY.fullmatch(part.strip(" ,.?!")) is not None


def counts_joined(parts: list[str]) -> list[str]:
    """Each part that only says how many or what to show of the records, read with the part before
    it ("which customers might leave? top 5 pls", "deals open with Jane Garcia? what stage are
    they at")."""
    joined = list(parts)
    for i in range(len(joined) - 1, 0, -1):
        said = JOINER.sub("", joined[i].strip())
        if COUNT_ONLY.match(said) or OF_THEM.match(said) or INCLUDING.match(said):
            joined[i - 1:i + 1] = [f"{joined[i - 1]}, {joined[i]}"]
    return joined
