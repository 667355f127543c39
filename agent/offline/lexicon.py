"""Word lists and text normalization for the offline model.

Owners type in many ways ("clients", "custmers", "what's", "opps"): matching runs on normalized
lowercase words with synonym sets and a small typo tolerance, so routing does not depend on exact
phrases.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from agent.offline.dates import MONTHS
from agent.offline.spelling import (
    BARE_CONTRACTIONS,
    BRITISH,
    COMMON_WORDS,
    canonical_words,
    expand_contractions,
    respell,
)

CUSTOMER_WORDS = frozenset({
    "customer", "customers", "client", "clients", "contact", "contacts", "lead", "leads",
    "prospect", "prospects", "account", "accounts", "buyer", "buyers", "crm", "person", "people",
})
DEAL_WORDS = frozenset({
    "deal", "deals", "opportunity", "opportunities", "opp", "opps", "oppty", "contract",
    "contracts",
})
REVENUE_WORDS = frozenset({
    "revenue", "revenues", "sales", "sale", "income", "earnings", "earned", "earn", "made", "make",
    "turnover", "takings", "sold", "sell", "selling", "orders", "order", "gross", "money",
    "bring", "brought", "receipts",
})
PIPELINE_WORDS = frozenset({"pipeline", "pipelines", "funnel", "forecast", "stages"})
WIN_RATE_WORDS = ("win rate", "winrate", "close rate", "closing rate", "conversion rate",
                  "success rate", "hit rate", "win ratio", "win percentage", "how many deals did we win",
                  "how often do we win", "how many did we win", "won vs lost", "won versus lost")
DASHBOARD_PHRASES = ("dashboard", "overview", "kpi", "kpis", "key metrics", "headline",
                     "how is the business", "how is business", "how are we doing", "how am i doing",
                     "how are things", "business doing", "business going", "state of the business",
                     "state of my business", "health of", "snapshot", "at a glance", "big picture",
                     "summary of the business", "business summary", "metrics", "numbers look",
                     "how is my business", "how is my company", "how is the company")
TEAM_PHRASES = ("team", "teammates", "members", "member", "colleagues", "staff", "employees",
                "coworkers", "co-workers", "users", "who works here", "who works with me",
                "who works for me", "who works for us", "who has access", "people in my workspace",
                "people on my", "who is on my", "who are on my", "who is in my", "who else is in")
WORKSPACE_WORDS = frozenset({"workspace", "workspaces", "tenant", "tenants", "organisation",
                             "organization", "org"})
GREETINGS = frozenset({"hi", "hello", "hey", "hiya", "yo", "morning", "afternoon", "evening",
                       "greetings", "howdy", "sup"})
THANKS = ("thanks", "thank you", "thx", "cheers", "great", "perfect", "awesome", "ok", "okay",
          "cool", "got it", "nice")
HELP_PHRASES = ("help", "what can you do", "what do you do", "how do i use", "how does this work",
                "what are you", "who are you", "commands", "capabilities", "what can i ask")

CREATE_VERBS = frozenset({"add", "create", "new", "register", "log", "record", "enter", "insert",
                          "onboard", "open", "start", "save", "make", "setup", "pop", "stick", "chuck",
                          "slot", "put", "input", "capture"})
UPDATE_VERBS = frozenset({"change", "update", "set", "edit", "modify", "mark", "make", "switch", "put",
                          "rename", "correct", "fix", "flag", "turn", "convert", "reclassify"})
MOVE_VERBS = frozenset({"move", "advance", "push", "progress", "bump", "shift", "put", "drag",
                        "promote", "demote", "send", "take", "transition", "escalate"})
DELETE_VERBS = frozenset({"delete", "remove", "erase", "drop", "trash", "purge", "destroy",
                          "scrap", "wipe"})
COUNT_PHRASES = ("how many", "number of", "count", "total number", "how much")

CUSTOMER_STATUS_WORDS: dict[str, str] = {
    "lead": "lead", "leads": "lead",
    "prospect": "prospect", "prospects": "prospect", "prospective": "prospect",
    "active": "active", "current": "active", "paying": "active", "existing": "active",
    "inactive": "inactive", "dormant": "inactive", "idle": "inactive", "lapsed": "inactive",
    "churned": "churned", "churn": "churned", "churning": "churned", "cancelled": "churned",
    "canceled": "churned", "former": "churned", "ex": "churned",
}
DEAL_STAGE_WORDS: dict[str, str] = {
    "lead": "lead", "leads": "lead", "prospecting": "lead",
    "qualified": "qualified", "qualify": "qualified", "qualification": "qualified",
    "qualifying": "qualified",
    "proposal": "proposal", "proposals": "proposal", "quote": "proposal", "quoted": "proposal",
    "quoting": "proposal", "quotes": "proposal",
    "negotiation": "negotiation", "negotiations": "negotiation", "negotiating": "negotiation",
    "negotiate": "negotiation",
    "won": "closed_won", "win": "closed_won", "closed_won": "closed_won", "wins": "closed_won",
    "lost": "closed_lost", "lose": "closed_lost", "closed_lost": "closed_lost",
    "losses": "closed_lost",
}
STOPWORDS = frozenset({
    "a", "an", "the", "my", "our", "your", "me", "i", "we", "us", "you", "please", "pls", "plz",
    "can", "could", "would", "will", "to", "of", "for", "in", "on", "at", "with", "and",
    "is", "are", "was", "were", "be", "been", "do", "does", "did", "what", "which", "who",
    "how", "show", "list", "find", "get", "give", "tell", "about", "all", "any", "some", "that",
    "this", "these", "those", "it", "its", "one", "ones", "just", "now", "then", "so", "hey",
    "ok", "okay", "kindly", "quickly", "up", "look", "lookup", "search", "pull", "display",
    "see", "view", "let", "know", "want", "need", "like", "have", "has", "got", "there",
    "details", "detail", "info", "information", "record", "records", "entry", "file", "profile",
    "as", "into", "from", "by", "stage", "status", "named", "called", "currently",
    "please.", "thanks", "too", "also", "again", "hi", "hello", "where", "whats", "out",
    "actually", "really", "basically", "exactly", "right", "still", "even",
    "win", "close", "sell", "buy", "go", "going", "doing", "done", "make", "makes", "made", "had",
    "if", "or", "not", "no", "yes", "should", "shall", "may", "might", "must", "why", "when",
    "he", "she", "they", "them", "him", "her", "his", "their", "here", "than", "yet", "ever",
    "much", "many", "very", "quite", "such", "each", "every", "other", "another",
})


KNOWN_WORDS = (CUSTOMER_WORDS | DEAL_WORDS | REVENUE_WORDS | PIPELINE_WORDS | WORKSPACE_WORDS | CREATE_VERBS
               | UPDATE_VERBS | MOVE_VERBS | DELETE_VERBS | frozenset(CUSTOMER_STATUS_WORDS)
               | frozenset(DEAL_STAGE_WORDS) | STOPWORDS)


# Words a typo is corrected towards (see `spelling.correct_typos`): the domain's own words, calendar
# words, and the contractions and British spellings that are mapped later (so they stay as typed).
CALENDAR_AND_METRIC_WORDS = frozenset({
    "quarter", "quarterly", "monthly", "weekly", "daily", "yesterday", "today", "tomorrow", "since", "until",
    "average", "summary", "dashboard", "overview", "metrics", "workspace", "members", "winrate", "percent",
    "biggest", "largest", "highest", "lowest", "busiest", "quietest", "strongest", "weakest", "trend",
    "trends", "spending", "spenders", "customer", "negotiating", "proposal", "qualified", "churned",
    "inactive", "prospects", "business", "performance", "compare", "previous", "thousand", "million",
})
SPELL_VOCAB = (KNOWN_WORDS | CALENDAR_AND_METRIC_WORDS | frozenset(MONTHS) | frozenset(BARE_CONTRACTIONS)
               | frozenset(BRITISH) | COMMON_WORDS)


ACTION_VERBS = CREATE_VERBS | UPDATE_VERBS | MOVE_VERBS | DELETE_VERBS | frozenset({"close"})
PASSIVE = re.compile(r"\b(?:be|been|being|get|gets|getting)\s+(?:\w+ly\s+)?(?P<v>[a-z]+)\b"
                     r"|\bneeds?\s+(?P<g>[a-z]+ing)\b")
FILLERS = frozenset({"else", "exactly", "actually", "really", "just", "even", "currently", "still", "quickly",
                     "roughly", "basically", "honestly", "please", "so", "now", "here"})


def verb_lemma(word: str) -> str | None:
    """The action verb a participle comes from ("marked" -> "mark", "deleting" -> "delete")."""
    stems = [word]
    if word.endswith("ed"):
        stems += [word[:-2], word[:-1], word[:-3] + "y", word[:-3]]
    if word.endswith("ing"):
        stems += [word[:-3], word[:-3] + "e", word[:-4]]
    return next((s for s in stems if s in ACTION_VERBS), None)


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Straight quotes, typos corrected (while capitals still mark names), lowercase, expanded
    contractions, British spellings and symbols as words, single spaces."""
    t = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    t = respell(t, SPELL_VOCAB).lower()
    t = canonical_words(expand_contractions(t))
    return re.sub(r"\s+", " ", t).strip()


def clean_raw(text: str) -> str:
    """The message as typed, with typos and text-speak fixed: names are read from this."""
    return respell(text, SPELL_VOCAB)


def words_of(text: str) -> list[str]:
    return re.findall(r"[a-z0-9_]+(?:'[a-z]+)?", text.lower())


def fuzzy_in(word: str, vocabulary: frozenset[str] | set[str]) -> bool:
    """Exact match, or a close misspelling of a long enough word ("custmers", "revnue").
    A word that is itself known ("contacts") is never read as a misspelling of another ("contracts")."""
    if word in vocabulary:
        return True
    if len(word) < 6 or word in KNOWN_WORDS:
        return False
    pool = [v for v in vocabulary if len(v) >= 5 and v[0] == word[0]]
    return bool(difflib.get_close_matches(word, pool, 1, 0.85 if len(word) <= 7 else 0.88))


@dataclass
class Text:
    """One user message, normalized once and queried many times."""

    raw: str
    norm: str = field(init=False)

    def __post_init__(self) -> None:
        self.norm = normalize(self.raw)

    @cached_property
    def words(self) -> list[str]:
        return words_of(self.norm)

    @cached_property
    def word_set(self) -> frozenset[str]:
        """The words, plus the base verb of a passive request ("should be *marked*", "needs to be
        *deleted*", "could it be *created*"): asked that way, it is the same command."""
        words = {w.removesuffix("'s") for w in self.words}
        for m in PASSIVE.finditer(self.norm):
            lemma = verb_lemma(m.group("v") or m.group("g"))
            if lemma:
                words.add(lemma)
        return frozenset(words)

    def has_any(self, vocabulary: frozenset[str] | set[str], fuzzy: bool = True) -> bool:
        if self.word_set & vocabulary:
            return True
        return fuzzy and any(fuzzy_in(w, vocabulary) for w in self.word_set)

    def has_phrase(self, phrases: tuple[str, ...] | list[str]) -> bool:
        """Whole-word phrase match, also with filler words left out ("who *else* has access")."""
        padded = f" {' '.join(self.words)} "
        plain = f" {' '.join(w for w in self.words if w not in FILLERS)} "
        return any(f" {p} " in padded or f" {p} " in plain or (" " in p and p in self.norm) for p in phrases)

    def starts_with_any(self, prefixes: tuple[str, ...]) -> bool:
        joined = " ".join(self.words)
        return any(joined == p or joined.startswith(p + " ") for p in prefixes)
