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
from agent.nlu.details import STATEMENT
from agent.nlu.fill import read
from agent.nlu.plan import split_request
from agent.nlu.routing import Route, near_decline, route
from agent.nlu.training import DECLINE_LABELS
from agent.nlu.words import PERSON_BACK, POINTS_BACK

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
MIN_WORDS = 4
NAMED = re.compile(r"(?<=[a-z,;:]\s)(?!I\b)[A-Z][\w'-]+")
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
    if len(sentences) < 2:
        return text
    story, last = " ".join(sentences[:-1]), sentences[-1]
    if len(re.findall(r"\w+", last)) < MIN_WORDS or "?" in story or STATEMENT.match(last):
        return text  # "... We already sent them our proposal.": the last sentence only tells
    if NAMED.search(story) and (POINTS_BACK.search(last.lower()) or PERSON_BACK.search(last)):
        return text  # "Globex finally signed ... Mark that deal as won.": the story names it
    alone = _route(last, catalog, available)
    if alone.action != "act":
        return text
    told, whole = _route(story, catalog, available), _route(text, catalog, available)
    if told.action == "act" and told.score > alone.score - AHEAD:
        return text  # the first sentences ask something too
    label, score = catalog.classifier.ranked(story)[0]
    opens = re.match(r"\w+", story.lower())
    verb = opens is not None and opens.group(0) in catalog.openers and opens.group(0) not in NOT_VERBS
    if label in DECLINE_LABELS and verb and score > alone.score - 2 * AHEAD:
        return text  # "Split last month's revenue by country. How much came from Canada ...?": asked too
    removal = whole.tool is not None and catalog.tools[whole.tool].spec.destructive
    if whole.action == "act" and not (removal and whole.tool != alone.tool):
        # the story may help choose ("... like a radio out of tune. Can I believe the apps?"); when
        # the request alone chooses the same and the story gives it nothing more, its words would
        # only be read into the values ("the bookkeeper quit lol. switch the ... reminders back on")
        return last if whole.tool == alone.tool and _adds_nothing(text, last, str(alone.tool), catalog,
                                                                  available, today) else text
    return last  # a removal chosen from a story's words is not what is asked


def _adds_nothing(text: str, last: str, tool: str, catalog: Catalog, available: Collection[str],
                  today: date) -> bool:
    """Whether the last sentence alone has all it needs, points back to nothing the story names
    ("... Globex finally signed. Mark that deal as won."), is one step, and the whole text gives
    the tool no value it lacks."""
    alone = read(last, tool, catalog, today)
    if alone.missing or alone.pronouns or split_request(last, catalog, set(available), today) is not None:
        return False
    return set(read(text, tool, catalog, today).args) <= set(alone.args)


def _route(text: str, catalog: Catalog, available: Collection[str]) -> Route:
    """The choice, declined where a decline scores almost as well (routing.near_decline)."""
    ranked = catalog.meaning.blend(text, catalog.classifier.ranked(text))
    return near_decline(ranked, route(ranked, available))
