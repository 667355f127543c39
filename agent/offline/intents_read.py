"""Questions that read the CRM: counts and lists of customers and deals, and "find Jane Smith".

Filters come from the words (status, stage, value bounds, company, name); a deal list that names
someone is a `Resolve` plan so that a person's name, not only a company, finds their deals.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from agent.offline.extract import (
    company_filter,
    customer_status,
    deal_status,
    email_of,
    target_query,
    value_bounds,
    value_filters,
)
from agent.offline.fmt import LIST_LIMIT
from agent.offline.intents_analytics import created_window
from agent.offline.lexicon import COUNT_PHRASES, CUSTOMER_WORDS, DEAL_WORDS, PIPELINE_WORDS, Text
from agent.offline.patterns import DATE_PHRASE, MONEY_PHRASE, STAGE_PHRASE
from agent.offline.plans import Calls, Plan, Resolve

LIST_DROP = frozenset({
    "open", "active", "ongoing", "pending", "live", "outstanding", "progress", "biggest", "largest",
    "top", "highest", "smallest", "lowest", "most", "valuable", "closing", "soon", "soonest", "next",
    "recent", "latest", "newest", "oldest", "total", "value", "worth", "over", "above", "under",
    "below", "more", "less", "than", "least", "between", "big", "large", "small", "many", "much",
    "count", "number", "sum", "everything", "right", "stuck", "last", "this", "month", "week",
    "year", "quarter", "today", "yesterday", "days", "alphabetical", "alphabetically", "order",
    "sorted", "sort", "name", "names", "only", "still", "currently", "we", "have", "do", "did",
    "got", "exist", "existing", "paying", "inactive", "churned", "lost", "won", "closed", "dead",
    "every", "each", "entire", "whole", "full", "k", "dollars", "usd", "amount", "overall",
    "pipeline", "funnel", "stages", "there", "they", "them", "mine", "ours", "owner", "status",
    "base", "book", "list", "database", "system",
})
OBJECT_CUE = re.compile(r"\b(?:with|for|from|at|by|of|named|called|matching|involving|on)\s+(?P<w>.+)$", re.I)
PLAIN_STAGES = {"lead": "lead", "leads": "lead", "qualified": "qualified", "qualification": "qualified",
                "proposal": "proposal", "proposals": "proposal", "negotiation": "negotiation",
                "negotiations": "negotiation", "negotiating": "negotiation", "quoted": "proposal"}


def _focus(t: Text) -> str:
    return "count" if t.has_phrase(COUNT_PHRASES) else "list"


def deal_stage_filter(t: Text) -> str | None:
    for word in t.words:
        if word in PLAIN_STAGES and not (word.startswith("lead") and "leads" in t.words and
                                         not t.has_any(DEAL_WORDS, fuzzy=False)):
            return PLAIN_STAGES[word]
    return None


def deal_sort(t: Text) -> dict[str, Any]:
    if re.search(r"\b(?:biggest|largest|top|highest|most valuable|big|large)\b", t.norm):
        return {"sort_by": "value", "sort_order": "desc"}
    if re.search(r"\b(?:smallest|lowest|least valuable)\b", t.norm):
        return {"sort_by": "value", "sort_order": "asc"}
    if re.search(r"\bclos(?:ing|e) (?:soon|next|soonest)\b|\bclosing\b", t.norm):
        return {"sort_by": "expected_close_date", "sort_order": "asc"}
    return {}


def _deal_query(t: Text) -> str | None:
    """A company or person the deals belong to: "deals with Acme", "Acme deals"."""
    removals = (MONEY_PHRASE, DATE_PHRASE, STAGE_PHRASE)
    cue = OBJECT_CUE.search(t.raw)
    if cue:
        query = target_query(cue.group("w"), removals, LIST_DROP)
        if query:
            return query
    before = re.search(r"(?P<w>[\w&'.-]+(?:\s+[\w&'.-]+){0,2})\s+(?:deals?|opportunit(?:y|ies)|opps?)\b",
                       t.raw, re.I)
    return target_query(before.group("w"), removals, LIST_DROP) if before else None


STAGE_QUESTION = re.compile(
    r"\b(?:in|at)\s+(?:the\s+)?(?:negotiation|proposal|qualification|qualified)\b"
    r"(?!\s+(?:customers?|clients?|leads?))|\b(?:negotiation|proposal|qualified|qualification) stage\b")


def deals_rule(t: Text, today: date) -> Plan | None:
    filtered = bool(deal_stage_filter(t)) or any(v is not None for v in value_bounds(t.raw))
    pipeline_filtered = t.has_any(PIPELINE_WORDS, fuzzy=False) and filtered
    if not (t.has_any(DEAL_WORDS) or pipeline_filtered or STAGE_QUESTION.search(t.norm)):
        return None
    args: dict[str, Any] = {}
    status = deal_status(t.raw)
    stage = deal_stage_filter(t)
    if status:
        args["status"] = status
    if stage:
        args["stage"] = stage
        if status == "open":
            del args["status"]
    args.update(value_filters(t.raw))
    args.update(deal_sort(t))
    args["limit"] = LIST_LIMIT
    query = _deal_query(t)
    focus = _focus(t)
    if query:
        return Resolve("deal", query, "list", args, label=query, focus=focus)
    return Calls((("list_deals", args),), focus=focus)


def _customer_query(t: Text) -> tuple[str | None, str | None]:
    """(company, search) for a customer list."""
    named = re.search(r"\b(?:named|called|matching|whose name is|with (?:the )?name)\s+(?P<n>.+)$",
                      t.raw, re.I)
    if named:
        return None, target_query(named.group("n"), (), LIST_DROP)
    if email := email_of(t.raw):
        return None, email
    if re.search(r"\b(?:at|from|works? (?:at|for)|with)\s+\S", t.raw, re.I):
        company = company_filter(re.sub(DATE_PHRASE, " ", t.raw, flags=re.I))
        if company and company.lower() not in LIST_DROP:
            return company, None
    before = re.search(
        r"(?P<w>[\w&'.-]+(?:\s+[\w&'.-]+){0,2})\s+(?:customers?|clients?|contacts?|leads?|prospects?)\b",
        t.raw, re.I)
    if before:
        company = target_query(before.group("w"), (), LIST_DROP)
        if company:
            return company, None
    return None, None


WHO_AT = re.compile(r"\bwho\b.*\b(?:at|from|with|for)\s+\S")


def customers_rule(t: Text, today: date) -> Plan | None:
    """Counts and lists of customers; also "who do we know at Globex"."""
    if not (t.has_any(CUSTOMER_WORDS - {"person", "people"}) or WHO_AT.search(t.norm)):
        return None
    args: dict[str, Any] = {}
    if status := customer_status(t.raw):
        args["status"] = status
    company, search = _customer_query(t)
    if company:
        args["company"] = company
    if search:
        args["search"] = search
    if re.search(r"\b(?:alphabetical(?:ly)?|a-z|by name)\b", t.norm):
        args.update(sort_by="name", sort_order="asc")
    elif re.search(r"\b(?:oldest|first)\b", t.norm):
        args["sort_order"] = "asc"
    args["limit"] = LIST_LIMIT
    window = created_window(t, today)
    if window is None:
        return Calls((("list_customers", args),), focus=_focus(t))
    return Calls((("list_customers", {**args, **window[0]}),), focus=_focus(t), label=window[1])


FIND_CUE = re.compile(
    r"^(?:(?:please|hey|ok|can you|could you)\s+)*(?:find|look ?up|search(?: for)?|pull up|who is|who's|"
    r"details (?:for|on|of|about)|info (?:on|for|about)|information (?:on|about)|contact (?:info|details) "
    r"(?:for|of)|tell me about|show me|show|get|what is|what's|do (?:we|i) have|is|are|was|has|did|does)\b",
    re.I)


# Cues that make a lookup only when a name-like (capitalized) word follows: "is Jane Smith active?"
WEAK_FIND = ("what is", "what's", "show me", "show", "get", "tell me about", "do we have", "do i have", "is",
             "are", "was", "has", "did", "does")


def find_rule(t: Text, today: date) -> Plan | None:
    """"Find Jane Smith", "who is jane@acme.com", "Jane Smith's phone number"."""
    email = email_of(t.raw)
    contact = re.search(
        r"\b(?:phone|e-?mail|number|contact details|address|details|info|information|profile)\b", t.norm)
    cue = FIND_CUE.search(t.norm)
    if not (cue or email or contact):
        return None
    query = email or target_query(t.raw)
    if not query:
        return None
    weak = cue is not None and cue.group(0).split()[-1] in {w.split()[-1] for w in WEAK_FIND}
    if weak and not (contact or email) and query == query.lower():
        return None  # "what is the weather": only a name-like word makes it a lookup
    return Calls((("list_customers", {"search": query, "limit": LIST_LIMIT}),), focus="find")
