"""A request told after a story ("My cousin's bakery got hacked in the spring and she lost her
whole customer list. Be straight with me, how exposed are we?"): the sentences before the last
tell why it is asked; their words (hacked, customer list) choose no tool and had turned the
request down. The last sentence is read alone if it is a request the classifier acts on and the
story is not one, unless the whole text chooses a tool too (one that removes nothing, or the same
one): then the story may be what chooses it ("... like a radio out of tune.
Can I believe what the apps feed in?" is the data's trust, the last sentence alone a list of the
apps)."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date

from agent.nlu.catalog import Catalog
from agent.nlu.dates import MONTHS, WEEKDAYS
from agent.nlu.details import OWN_PLAN, STATEMENT, TELLING
from agent.nlu.fill import read
from agent.nlu.plan import split_request
from agent.nlu.routing import Route, near_decline, route
from agent.nlu.support import PATTERNED
from agent.nlu.training import DECLINE_LABELS
from agent.nlu.words import PERSON_BACK, POINTS_BACK

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
MIN_WORDS = 4
CALENDAR = "|".join(w.capitalize() for w in (*MONTHS, *WEEKDAYS))
NAMED = re.compile(rf"(?<=[a-z,;:]\s)(?!I\b)(?!(?:{CALENDAR})\b)[A-Z][\w'-]+")
"""A capitalised word inside a sentence: a name the request may point back to."""
AHEAD = 0.2
"""How far the request alone must score above the story for the story to be only a story."""
NOT_VERBS = frozenset({"the", "a", "an", "my", "our", "i", "we", "it", "this", "that", "these", "those", "he",
                       "she", "they", "you", "his", "her", "their", "your", "there", "so", "and", "but",
                       "honestly", "ok", "okay", "well", "hi", "hey", "if", "when", "since", "because",
                       "after", "before"})
"""Words that open a sentence which tells, not asks: no verb of a request."""


LEAD_IN = re.compile(r"^[^:?.!]{0,100}\b(?:two|three|a couple of|a few|some|quick|one)\s+"
                     r"(?:things?|questions?|requests?)\s*:\s*(?=\S)", re.I)
""""For the board pack I need two things: ...": what is asked comes after the colon."""


def request_of(text: str, catalog: Catalog, available: Collection[str], today: date) -> str:
    """The last sentence, when the text before it only tells; else the text itself. A lead-in
    that announces the request ("two things: ...") is left out."""
    lead = LEAD_IN.match(text)
    if lead is not None and len(re.findall(r"\w+", text[lead.end():])) >= MIN_WORDS:
        text = text[lead.end():]
    sentences = [s for s in SENTENCE_END.split(text.strip()) if s]
    while len(sentences) >= 2 and _only_tells(" ".join(sentences[:-1]), sentences[-1], catalog, available,
                                              today):
        sentences = sentences[:-1]  # "... please mark it as won. Drinks are on me tonight."
    sentences = [s for i, s in enumerate(sentences) if i == len(sentences) - 1 or not CHECKING.fullmatch(s)]
    text = " ".join(sentences)
    if len(sentences) < 2:
        return text
    for k in range(len(sentences) - 1, 0, -1):  # the longest story first
        chosen = _after_story(" ".join(sentences[:k]), " ".join(sentences[k:]), sentences[k], text, catalog,
                              available, today)
        if chosen is not None:
            return chosen
    return text


def _after_story(story: str, last: str, head: str, text: str, catalog: Catalog, available: Collection[str],
                 today: date) -> str | None:
    """The request after the story (`last`, whose first sentence is `head`), or the whole text when
    the story helps choose; None when the sentences before `last` are no story ("My landlord is
    raising the rent. What did we take in last month? Also lay out this year month by month.")."""
    if len(re.findall(r"\w+", head)) < MIN_WORDS or "?" in story or STATEMENT.match(head):
        return None  # "... We already sent them our proposal.": the last sentence only tells
    alone = _route(head, catalog, available)
    if alone.action == "act" and (said := _said_as_before(story, last)) is not None:
        return said
    if _said_before(story, last) or (NAMED.search(story) and (POINTS_BACK.search(last.lower())
                                                              or PERSON_BACK.search(last))):
        # "Globex finally signed ... Mark that deal as won.": the story names it
        return _named_in(story, last) if alone.action == "act" and _route(
            text, catalog, available).action != "act" else None
    if alone.action != "act":
        return last if _asks_what_none_does(head, alone) else None
    told, whole = _route(story, catalog, available), _route(text, catalog, available)
    if told.action == "act" and told.score > alone.score - AHEAD:
        return None  # the first sentences ask something too
    label, score = catalog.classifier.ranked(story)[0]
    opens = re.match(r"\w+", story.lower())
    verb = opens is not None and opens.group(0) in catalog.openers and opens.group(0) not in NOT_VERBS
    if label in DECLINE_LABELS and verb and score > alone.score - 2 * AHEAD:
        return None  # "Split last month's revenue by country. How much came from Canada ...?": asked too
    removal = whole.tool is not None and catalog.tools[whole.tool].spec.destructive
    steps = split_request(last, catalog, set(available), today) if last != head else None
    if steps is not None and len(steps) > 1:
        return last  # "... not sure I logged out. Sign me out everywhere. And who hasn't turned on MFA?"
    if whole.action == "act" and not (removal and whole.tool != alone.tool):
        # the story may help choose ("... like a radio out of tune. Can I believe the apps?"); when
        # the request alone chooses the same and the story gives it nothing more, its words would
        # only be read into the values ("the bookkeeper quit lol. switch the ... reminders back on")
        return last if whole.tool == alone.tool and _adds_nothing(text, last, str(alone.tool), catalog,
                                                                  available, today) else text
    return last  # a removal chosen from a story's words is not what is asked


PERSON = re.compile(rf"\b(?!(?:{CALENDAR})\b)[A-Z][a-z'-]+(?:\s+(?!(?:{CALENDAR})\b)[A-Z][a-z'-]+)+")
"""A person's full name: two or more capitalised words."""
THEIRS = re.compile(r"\b(?:her|his|their)\b(?=\s+(?!(?:to|in|on|at|up|out|off|for|from|with|a|an|the|as|and"
                    r"|or|now|again|today|please|pls|back|down|over)\b)[a-z])", re.I)


CHECKING = re.compile(r"(?:(?:but|so|and)\s+)?(?:is\s+(?:that|it|this)\s+(?:true|right|correct|so)|really"
                      r"|am\s+i\s+right|is\s+(?:she|he)\s+right|are\s+they\s+right)\s*\?+", re.I)
"""A question whether the story is so ("... she hasn't ordered from us in ages. Is that true? When was
her last order?"), before the request that answers it: no request of its own."""
POINTED = re.compile(r"\b(?:that|this|the same)\s+(?P<noun>[a-z]{3,})\b", re.I)


PLEASE = re.compile(r"^(?:please|pls|can you|could you|would you|i need you to|i want you to)\b", re.I)


def _asks_what_none_does(head: str, alone: Route) -> bool:
    """"November was our best month, so I want to put some aside. Please move 5,000 from the business
    account into our savings pot.": a request in words of its own that is surely out of scope is
    what is asked; the story's words (revenue) would answer something else."""
    return (alone.action == "decline" and alone.score >= 0 and PLEASE.match(head) is not None
            and not POINTS_BACK.search(head.lower()) and not PERSON_BACK.search(head))


def _said_before(story: str, last: str) -> bool:
    """"... the Monday invoice reminder email is making them grumpy. Put that reminder on ice": the
    thing pointed at by its noun is the one the story names."""
    pointed = POINTED.search(last)
    return pointed is not None and re.search(rf"\b{pointed.group('noun')}", story, re.I) is not None


def _said_as_before(story: str, last: str) -> str | None:
    """The request with "that reminder" said as the story says it ("... the Monday invoice
    reminder email is making them grumpy. Put that reminder on ice": "Put the Monday invoice
    reminder on ice"), when the story names one such thing."""
    pointed = POINTED.search(last)
    if pointed is None:
        return None
    noun = pointed.group("noun")
    named = re.findall(rf"\b(?:the|our|my)\s+((?:[\w'-]+\s+){{1,4}}?{noun})\b", story, re.I)
    if len(set(map(str.lower, named))) != 1:
        return None
    return f"{last[:pointed.start()]}the {named[0]}{last[pointed.end():]}"


def _named_in(story: str, last: str) -> str | None:
    """The request with its "she" or "her" said as the one person the story names ("Hannah Scott
    from Hooli is coming by later and I want to be prepared. Can you pull up her record?"), when
    the story's words turn the whole text down and the request alone asks for a tool."""
    people = set(PERSON.findall(story))
    if len(people) != 1 or POINTS_BACK.search(PERSON_BACK.sub("", last.lower())):
        return None
    person = people.pop()
    return PERSON_BACK.sub(person, THEIRS.sub(f"{person}'s", last))


ASKS = re.compile(r"^(?:please|pls|plz|can|could|would|will|do|does|did|is|are|how|what|who|whom|which|when"
                  r"|where|why|also|and|then|now|oh|plus)\b", re.I)
"""Words that open a sentence which asks something: never a sign-off."""
SAYS = re.compile(r"^(?:[\w'’-]+\s+){0,3}?(?:is|are|was|were|am|has|had)\b|^[\w-]+['’](?:s|re|m)\b", re.I)
"""A sentence whose verb comes after a subject: it says something ("Drinks are on me tonight.",
"That's ok."), unlike one that opens with a verb ("boot every other device off my account")."""
VALUED = frozenset({"enum", "number", "integer", "date", "email", "month", "window", "list", "other"})
"""Kinds of value a sentence after the request may add to it ("... It's worth about 7.5k.")."""


WANTS = re.compile(r"^(?:i|we)\s+(?:want|need|have|['’]d like|would like)\s+to\s+(?P<verb>[a-z]+)", re.I)
"""What the owner means to do next ("... Who else is still without two-factor? I want to *nag* everyone
at once."): told, when no tool's examples open with that verb."""


def _only_tells(before: str, last: str, catalog: Catalog, available: Collection[str], today: date) -> bool:
    """A sentence after the request that only tells ("Made my week.", "Drinks are on me tonight.",
    "I'll switch it back on in January."): no question, no request verb, no request of its own,
    and no value of the kind the request's tool takes that the request lacks. Its words would
    otherwise be read as the request's values or turn it down."""
    if "?" in last or ASKS.match(last) or ("?" not in before and not re.search(r"[.!]\s*$", before)):
        return False
    opens = re.match(r"[a-z]+", last.lower())
    if opens is not None and opens.group(0) in catalog.openers and opens.group(0) not in NOT_VERBS:
        return False
    asked = _route(before, catalog, available)
    if asked.action != "act" or asked.tool is None:
        return False
    wants = WANTS.match(last)
    told = STATEMENT.match(last) or OWN_PLAN.match(last) or TELLING.match(last) or (
        wants is not None and wants.group("verb").lower() not in catalog.openers)
    if not (told or SAYS.match(last)) or (_route(last, catalog, available).action == "act" and not told):
        return False  # "... boot every other device off my account": a verb of its own
    slots = catalog.tools[asked.tool]
    whole = read(f"{before} {last}", asked.tool, catalog, today)
    alone = read(before, asked.tool, catalog, today)
    if whole.references.keys() != alone.references.keys():
        return False  # "... They're not in the system as a customer yet.": the link it says is none
    added = set(whole.args) - set(alone.args)
    return not any((slot := slots.get(name)) is not None and (slot.kind in VALUED or name in PATTERNED
                                                              or name == "url") for name in added)


def _adds_nothing(text: str, last: str, tool: str, catalog: Catalog, available: Collection[str],
                  today: date) -> bool:
    """Whether the last sentence alone has all it needs, points back to nothing the story names
    ("... Globex finally signed. Mark that deal as won."), is one step, and the whole text gives
    the tool no value it lacks."""
    alone = read(last, tool, catalog, today)
    steps = split_request(last, catalog, set(available), today)
    if alone.missing or alone.pronouns or (steps is not None and len(steps) > 1):
        return False
    whole = read(text, tool, catalog, today)
    extra = set(whole.args) - set(alone.args)
    if alone.periods:  # "Meeting the bank on Wednesday ... What was our revenue in November?": its own
        extra -= {name for ref in [*whole.periods, *alone.periods] for name in ref.args}
    return not extra


def _route(text: str, catalog: Catalog, available: Collection[str]) -> Route:
    """The choice, declined where a decline scores almost as well (routing.near_decline)."""
    ranked = catalog.meaning.blend(text, catalog.classifier.ranked(text))
    return near_decline(ranked, route(ranked, available))
