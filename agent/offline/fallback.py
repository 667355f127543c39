"""Second chances for messages the rules did not claim.

Rules look for the thing asked about ("customers", "deals", "revenue"). Owners often leave it
implied: "who has churned recently?" is about customers, "what are we negotiating?" about deals,
"any new sign ups?" about customers. `implied_topic` scores each topic by the words that imply it
and, when one topic clearly wins, the message is read again with that noun made explicit, so the
ordinary rule (with all its filters) handles it. Shorthand statements ("Cyberdyne deal: won") are
spelt out as the command they stand for before any rule runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from agent.offline.lexicon import ACTION_VERBS, Text, words_of
from agent.offline.plans import Plan

STATES = (r"(?:closed[ _-]?)?(?:won|lost)|lead|qualified|proposal|negotiation|active|inactive|churned|"
          r"prospect|dead|signed|dormant")
SHORTHAND = re.compile(
    r"^\s*(?P<subject>[^:=\n]+?)\s*(?::|=|—|–|\s-)\s*(?P<state>" + STATES + r")\s*[.!]*\s*$", re.I)
# Words that imply the topic without naming it; phrases count once each.
IMPLIED: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    "customers": (frozenset({"churn", "churned", "churning", "churns", "churners", "signups", "joiners",
                             "joined", "onboarded", "subscribers", "subscriber", "cancelled", "canceled",
                             "leavers", "spenders", "lapsed", "dormant", "inactive"}),
                  ("sign ups", "sign up", "signed up", "left us", "stopped buying", "new joiners")),
    "deals": (frozenset({"negotiating", "negotiate", "negotiated", "quoting", "quoted", "pitching", "pitched",
                         "proposing", "proposed", "closing", "bidding", "tendering"}),
              ("in the works", "on the table", "in play", "in progress", "working on")),
}


FIELD_SHORTHAND = re.compile(
    r"^\s*(?P<subject>[^:=\n]+?)(?:'s)?\s+(?P<field>probability|value|amount|close date|closing date|email|"
    r"phone|company|title|status|stage|chance)\s*(?::|=|->|→|\bto\b|\bis now\b|\bnow\b|(?=[$€£]?\d))\s*"
    r"(?P<value>.+)$",
    re.I)


NOT_A_SUBJECT = ACTION_VERBS | frozenset({"what", "how", "which", "who", "show", "list", "is", "are",
                                          "please", "can", "could", "would"})


def expand_shorthand(text: str) -> str:
    """"Cyberdyne deal: won" -> "mark Cyberdyne deal as won"; "Acme deal probability 80%" ->
    "set Acme deal probability to 80%"; anything else is left as it is."""
    if m := SHORTHAND.match(text):
        return f"mark {m.group('subject').strip()} as {m.group('state')}"
    m = FIELD_SHORTHAND.match(text)
    if m and not set(words_of(m.group("subject"))) & NOT_A_SUBJECT:  # a verb already says what to do
        return f"set {m.group('subject').strip()} {m.group('field')} to {m.group('value').strip()}"
    return text


def implied_topic(t: Text) -> str | None:
    """The one topic the words imply most, or None when none or several tie."""
    scores = {topic: len(t.word_set & words) + sum(1 for p in phrases if t.has_phrase((p,)))
              for topic, (words, phrases) in IMPLIED.items()}
    best = max(scores.values())
    winners = [topic for topic, score in scores.items() if score == best]
    return winners[0] if best and len(winners) == 1 else None


def with_implied_topic(t: Text, today: date, detect: Callable[[Text, date], Plan | None]) -> Plan | None:
    """The plan for the message with its implied topic spelt out, if that makes a rule apply."""
    topic = implied_topic(t)
    if topic is None:
        return None
    raw = t.raw
    for phrase in IMPLIED[topic][1]:  # "on the table" implies deals and names nothing
        raw = re.sub(r"\b" + phrase.replace(" ", r"\s+") + r"\b", " ", raw, flags=re.I)
    return detect(Text(f"{raw.rstrip(' ?.!')} ({topic})"), today)
