"""Names in a request: the new contact in "add Jane Smith from Tech Corp as a lead", the company
in "customers at Acme", and the record a command is about ("move *the Acme deal* to won").

Owners often type in lowercase, so spans are found by removing what is *not* a name (verbs,
objects, stages, amounts, contact details) rather than by capital letters alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.offline.lexicon import (
    CREATE_VERBS,
    CUSTOMER_STATUS_WORDS,
    CUSTOMER_WORDS,
    DEAL_STAGE_WORDS,
    DEAL_WORDS,
    DELETE_VERBS,
    MOVE_VERBS,
    STOPWORDS,
    UPDATE_VERBS,
)

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_RE = re.compile(r"(?<![\w.])\+?\(?\d[\d\s().-]{5,}\d(?![\w.@])")
CONTACT_CUE = (r"(?:,?\s*(?:and\s+|with\s+)?(?:(?:her|his|their|the)\s+)?"
               r"(?:e-?mail(?:\s+address)?|phone(?:\s+number)?|tel(?:ephone)?|mobile|cell|number)"
               r"\s*(?:is|:|=|of)?\s*)?")
STATUS_PHRASE = re.compile(
    r"\b(?:as|to be)\s+(?:a|an)\s+(?:new\s+)?(?:potential\s+)?"
    r"(?:(?:active|inactive|churned|current|paying)\s+)?(?:lead|prospect|customer|client|contact)s?\b"
    r"|\bas\s+(?:active|inactive|churned|(?:a\s+)?lead|(?:a\s+)?prospect)\b"
    r"|\b(?:with\s+)?status\s*(?:of|is|:|=)?\s*(?:lead|prospect|active|inactive|churned)\b", re.I)
# Words for "someone" in "a guy called Marcus Webb", "this woman named ...".
PERSON_NOUNS = r"(?:guy|gal|man|woman|lady|chap|bloke|fellow|girl|boy|person|someone|somebody|gentleman)"
CREATE_PREFIX = re.compile(
    r"^(?:(?:please|pls|hey|ok|okay|can you|could you|would you|i want to|i would like to|"
    r"i'd like to|let's|lets|go ahead and|quickly)\s+)*"
    r"(?:(?:add|create|register|log|record|enter|insert|onboard|save|put in|put|set up|make|pop|stick|"
    r"chuck|slot|input|capture)\s+)?"
    r"(?:(?:a|an|the|this|my)\s+)?(?:new\s+)?(?:potential\s+)?(?:" + PERSON_NOUNS + r"\s+(?=called|named))?"
    r"(?:(?:customer|client|contact|lead|prospect|account|person)s?\s*)?(?:record\s+)?"
    r"(?:(?:for|named|called|:|-)\s*)?", re.I)
COMPANY_CUE = re.compile(
    r"\s(?:who\s+works?\s+(?:at|for)|works?\s+(?:at|for)|working\s+(?:at|for)|from|at|of|with|@|"
    r"(?:who\s+)?(?:runs|owns|manages|heads|founded|co-?founded|is the (?:owner|boss|ceo|founder|head) of)|"
    r"(?:owner|boss|ceo|founder|head|manager|director) (?:of|at)|"
    r"company(?:\s+is|\s+name)?:?)\s+(?P<co>.+)$", re.I)
COMPANY_END = re.compile(r"\s+(?:who|and|as|with|status|email|phone|tel|mobile|-)\b|[,;()]", re.I)
FIELD_WORDS = frozenset({"email", "e-mail", "mail", "phone", "number", "mobile", "cell", "company",
                         "name", "address", "tags", "tag", "value", "amount", "probability",
                         "close", "date", "closing", "expected", "title", "worth", "price", "size",
                         "she", "he", "they", "him", "her", "them", "his", "their", "since",
                         "left", "because", "today", "yesterday", "tomorrow", "now", "stage",
                         "pipeline", "crm", "system", "database", "list", "new", "closed", "mark",
                         "deals", "to", "us", "we", "please", "thx", "thanks",
                         # time fillers: "what are we negotiating at the moment"
                         "moment", "present", "nowadays", "lately", "recently", "minute",
                         # particles of phrasal verbs: "put Jane Smith *down* as churned"
                         "down", "off", "away", "back"})
COMMON_VERBS = frozenset({
    "went", "goes", "gone", "said", "says", "told", "tells", "asked", "asks", "wants", "wanted", "decided",
    "chose", "picked", "called", "emailed", "phoned", "rang", "left", "joined", "bought", "paid", "runs",
    "owns", "seems", "seem", "looks", "looked", "needs", "needed", "agreed", "replied", "came", "comes",
    "sent", "took", "takes", "moved", "switched", "signed", "dropped", "walked", "backed", "pulled",
    "became", "turned", "opted", "prefers", "preferred", "cancelled", "canceled", "stopped", "marked",
    "sign", "signs", "leave", "leaves", "win", "lose",
})
MAX_NAME_WORDS, MAX_NAME_CHARS = 6, 100  # a name, not a paragraph (tool searches cap at 200)
NAME_TOKEN = re.compile(r"[A-Za-z0-9][\w&'.-]*|[,;:!?()\"]")


@dataclass(frozen=True)
class NewContact:
    name: str | None
    company: str | None


def title_case(span: str) -> str:
    """Capitalize what was typed in lowercase; keep the owner's own capitals ("McDonald", "IBM")."""
    if span != span.lower():
        return span
    return " ".join(w[:1].upper() + w[1:] for w in span.split())


EDGE_STOP = frozenset({"a", "an", "the", "my", "our", "new", "please", "to", "for", "and", "with", "of", "as",
                       "at", "named", "called", "is", "customer", "client", "contact", "lead", "prospect",
                       "today", "now", "from", "who", "works", "she", "he", "they", "in", "on", "by"})


def _clean_span(span: str) -> str | None:
    span = re.sub(r"^[\s,:;.-]+|[\s,:;.!?-]+$", "", span)
    words = [w for w in span.split() if w]
    while words and words[0].lower() in EDGE_STOP:
        words.pop(0)
    while words and words[-1].lower() in EDGE_STOP:
        words.pop()
    cleaned = " ".join(words).strip(" ,.;:")[:MAX_NAME_CHARS]
    return title_case(cleaned) if cleaned else None


def strip_contacts(text: str) -> str:
    text = re.sub(CONTACT_CUE + EMAIL_RE.pattern, " ", text, flags=re.I)
    return re.sub(CONTACT_CUE + PHONE_RE.pattern, " ", text, flags=re.I)


LEAD_IN = re.compile(r"^(?:i|we)\s+(?:just\s+)?(?:met(?: with)?|spoke (?:to|with)|talked (?:to|with)|"
                     r"had a (?:call|chat|meeting) with|got a call from|heard from|was contacted by|"
                     r"got off the phone with|was on the phone (?:to|with)|chatted (?:to|with)|"
                     r"caught up with|ran into|bumped into|got an e-?mail from)\s+", re.I)
ADD_PRONOUN = re.compile(r"[,;.]?\s*(?:(?:please|can you|could you|would you)\s+)?"
                         r"(?:add|create|save|register|put|pop|stick|chuck|slot|input|capture)\s+"
                         r"(?:her|him|them)\b", re.I)


def new_contact(raw: str) -> NewContact:
    """Name and company of a contact to create, from free wording."""
    pronoun = ADD_PRONOUN.search(raw)
    if pronoun:  # "I just met Sara Cole from Cole Camping, add her as a lead"
        raw = LEAD_IN.sub("", raw[: pronoun.start()].strip()) + " " + raw[pronoun.end():]
    text = STATUS_PHRASE.sub(" ", strip_contacts(raw))
    text = re.sub(r"\s+(?:to|into|in|on)\s+(?:the|my|our)\s+(?:crm|system|database|contacts|list|customers?|"
                  r"clients?|address book)\b", " ", text, flags=re.I)
    text = re.sub(r"\s+", " ", text).strip()
    text = CREATE_PREFIX.sub("", text, count=1).strip()
    paren = re.search(r"\((?P<co>[^)]+)\)", text)
    company = None
    m = COMPANY_CUE.search(" " + text)
    if m:
        name_part = (" " + text)[: m.start()]
        company = _clean_span(COMPANY_END.split(m.group("co"), maxsplit=1)[0])
    elif paren:
        name_part, company = text[: paren.start()], _clean_span(paren.group("co"))
    else:
        parts = [p for p in re.split(r"[,;]", text) if p.strip()]
        name_part = parts[0] if parts else ""
        company = _clean_span(parts[1]) if len(parts) > 1 else None
    name = _clean_span(re.split(r"[,;(]", name_part)[0])
    return NewContact(name=name, company=company)


COMMAND_WORDS = (CREATE_VERBS | UPDATE_VERBS | MOVE_VERBS | DELETE_VERBS | CUSTOMER_WORDS | DEAL_WORDS
                 | FIELD_WORDS | frozenset(CUSTOMER_STATUS_WORDS) | frozenset(DEAL_STAGE_WORDS))


def _drop(word: str, extra: frozenset[str], first: bool) -> bool:
    w = word.lower().removesuffix("'s").strip(".'")
    if not w or re.fullmatch(r"[\d.,%$k]+", w) or w in COMMAND_WORDS or w in extra or w.replace("-", "_") in \
            COMMAND_WORDS:
        return True
    if w in STOPWORDS or w in COMMON_VERBS:
        # A capitalized word inside a sentence is a name ("Will Smith"), even if it is a common word;
        # a verb in lowercase ends the name ("Blue Sun *went* with a competitor").
        return first or not word[:1].isupper() or len(w) < 2
    return False


def target_query(raw: str, remove: tuple[str, ...] = (), extra: frozenset[str] = frozenset()) -> str | None:
    """The words naming a record: the first run of words that are not command words.

    `remove` holds regex patterns cut out first (amounts, stages, periods)."""
    text = strip_contacts(raw)
    for pattern in remove:
        text = re.sub(pattern, " , ", text, flags=re.I)
    run: list[str] = []
    for i, token in enumerate(NAME_TOKEN.findall(text)):
        if re.fullmatch(r"[,;:!?()\"]", token) or _drop(token, extra, first=i == 0):
            if run:
                break
            continue
        run.append(re.sub(r"'s$", "", token).strip(".'"))
        if len(run) == MAX_NAME_WORDS:
            break
    return " ".join(run)[:MAX_NAME_CHARS] if run else None


def company_filter(raw: str) -> str | None:
    """The company in "customers at Acme" / "clients from Globex" / "who works for Initech"."""
    m = re.search(r"\b(?:at|from|with|of|for|works? (?:at|for))\s+(?P<co>.+)$", raw, re.I)
    if not m:
        return None
    return target_query(m.group("co"))
