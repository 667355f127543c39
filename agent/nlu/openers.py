"""What the first word of a request says about it: a verb only work not built yet opens with
("refund ..."), or the chosen tool's own verb ("pull up ...")."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from agent.nlu.catalog import Catalog
from agent.nlu.routing import Route
from agent.nlu.text import normalize
from agent.nlu.words import REMOVAL

NOT_VERBS = frozenset({"how", "what", "when", "where", "which", "who", "why", "whats", "is", "are", "do",
                       "does", "can", "could", "will", "would", "i", "hey", "the", "a", "an", "my", "our",
                       "please", "pls", "ok", "so", "just", "and", "any", "all", "every", "no", "we",
                       "you", "it", "this", "that", "there", "he", "she", "they", "if", "hi", "hello",
                       "well", "also", "but", "or", "yes", "yeah", "sorry", "thanks"})
"""Openers that are no verb: questions, articles, pronouns, courtesy ("any API key nobody has used
in 60 days - shut it off" opens with no verb of another tool)."""


def first_word(text: str) -> str | None:
    words = re.findall(r"[a-z]+", text.lower())
    return words[0] if words else None


def verb_no_tool_takes(catalog: Catalog, text: str, chosen: Route) -> bool:
    """"refund Sam Wright's last order", "invite sarah@... to the team": a request that opens
    with a verb only requests for work not built yet open with (and no tool's example uses),
    read by a tool that only shows data and is unsure of it (showing data would not do it), or
    declined for want of confidence (no value it gives, an email, makes it another tool's
    request: "invite jo@example.com as an analyst" had added a customer called "Invite")."""
    if (removal_a_reader_cannot_do(catalog, text, chosen) or another_kind_named(catalog, text, chosen)
            or reversal_it_cannot_do(catalog, text, chosen)):
        return True
    if first_word(text) not in catalog.not_yet_verbs:
        return False
    if chosen.action == "decline":
        return True
    if chosen.action != "act" or chosen.tool is None or chosen.score >= 0:
        return False
    return catalog.tools[chosen.tool].spec.kind == "read"


UNDOING = re.compile(r"\b(?:restore|undelete|un-delete|undo|reinstate|roll\s*back|revert|recover"
                     r"|(?:bring|get)\s+(?:it|them|that|this|him|her|\w+)\s+back)\b")
UNDOING_BY_READER = re.compile(r"\b(?:restore|undelete|un-delete|undo|reinstate)\b")
"""Asking to undo what was done: "restore the deal that got deleted", "undo the last sync". A
removal does the opposite, and showing data undoes nothing ("recover" only with a removal:
revenue is recovered too)."""


def reversal_it_cannot_do(catalog: Catalog, text: str, chosen: Route) -> bool:
    """"A deal got deleted by accident, get it back out of the trash and restore it": a request to
    undo, read by a removal (its words of removal say what happened) or by a tool that only
    shows data; no tool brings a record back."""
    if chosen.action != "act" or chosen.tool is None:
        return False
    kind, lower = catalog.tools[chosen.tool].spec.kind, text.lower()
    if catalog.tools[chosen.tool].spec.destructive:
        return UNDOING.search(lower) is not None
    return kind == "read" and UNDOING_BY_READER.search(lower) is not None


COURTESY = re.compile(r"^(?:(?:please|pls|can you|could you|would you|just|now|ok|okay)\s+)*")


def removal_a_reader_cannot_do(catalog: Catalog, text: str, chosen: Route) -> bool:
    """"delete prediction pred_7f3a91c2", "delete that marketing spend simulation": a request that
    opens with removal, read by a tool that only shows data (no tool removes that kind of record,
    or a removal tool would have scored first): showing the record would not do what was asked."""
    if chosen.action != "act" or chosen.tool is None:
        return False
    tool = catalog.tools[chosen.tool]
    asked = COURTESY.sub("", text.lower().lstrip())
    return (tool.spec.kind == "read" and REMOVAL.match(asked) is not None
            and first_word(asked) not in tool.openers)


def another_kind_named(catalog: Catalog, text: str, chosen: Route) -> bool:
    """"Delete the prediction I made yesterday", "delete this whole workspace": a change that
    names only kinds of record that neither the chosen tool nor any tool acting on its kind of
    record ever names in its examples (delete_deal's never say "prediction"): the words that chose
    it were the verb's, and no tool does that to that kind of record."""
    if chosen.action != "act" or chosen.tool is None or catalog.tools[chosen.tool].spec.kind == "read":
        return False
    nouns = catalog.training.id_nouns
    lower = KEPT.split(text.lower())[0]
    own = [m.start() for m in re.finditer(r"[a-z]+", lower)
           if m.group(0) in catalog.tools[chosen.tool].openers - NOT_VERBS]
    if own:  # "the IT guy says old api keys are a risk. revoke mine ...": what the verb acts on
        lower = lower[own[0]:]
    first = first_word(lower)
    verb = rf"|{re.escape(first)}" if first is not None and first not in NOT_VERBS else ""
    before = rf"\b(?:{OBJECT}{verb})\s+(?:[\"'“]?[\w-]+[\"'”]?\s+){{0,3}}?"
    named = {n for n in nouns if re.search(rf"{before}{re.escape(n)}s?\b", lower)}
    return bool(named) and not named & catalog.kin(chosen.tool).nouns


KEPT = re.compile(r"\b(?:but|except|apart from|leave|keep)\b")
"""What follows is left as it is ("cut HubSpot loose, but leave the contacts it brought over")."""
OBJECT = r"(?:the|this|that|my|our|its|his|her|their|these|those)"
"""What points at the record a change is made to ("delete *the* prediction"); a kind said in
passing ("leaning too hard on one customer") is not what is changed."""


def opens_with_its_verb(catalog: Catalog, text: str, chosen: Route) -> bool:
    """"pull up Grace Wilson for me": a request that opens with a verb the chosen tool's
    examples open with is that tool's, however close a decline scores."""
    first = first_word(text)
    return (chosen.tool is not None and first is not None and first not in NOT_VERBS
            and first in catalog.tools[chosen.tool].openers)


def opens_with_another_verb(catalog: Catalog, text: str, tool: str, available: set[str]) -> bool:
    """"move the Hooli annual supply deal": a request that opens with a verb another tool's
    examples open with and this tool's never do, and that asks to remove nothing, is that verb's,
    not this tool's. For destructive tools, which words a request shares with their examples
    ("annual supply") must not choose."""
    first = first_word(text)
    own = catalog.tools[tool].openers
    if first is None or first in NOT_VERBS or REMOVAL.search(text.lower()) or any(
            SequenceMatcher(None, first, opener).ratio() >= SAME_VERB for opener in own):
        return False  # "delte webhook ..." opens with "delete", misspelt
    return any(first in catalog.tools[other].openers for other in available if other != tool)


def asks_removal(catalog: Catalog, text: str, tool: str) -> bool:
    """Whether a request asks for what this destructive tool removes: a verb of removal, or a
    word of its own (catalog.removal_cues). Names alone ("n hubspot?") ask for nothing."""
    lower = normalize(text).lower()
    return REMOVAL.search(lower) is not None or ENDING.search(lower) is not None or not catalog.removal_cues[
        tool].isdisjoint(re.findall(r"[a-z']+", lower))


def removal_unasked(catalog: Catalog, text: str, ranked: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """The ranking without its first label when that is a removal the text does not ask for:
    "create a webhook pointing at https://... that gets won and lost deals" is no deletion, however
    many words it shares with the removal's examples."""
    top = ranked[0][0] if ranked else None
    if top in catalog.tools and catalog.tools[top].spec.destructive and not asks_removal(catalog, text, top):
        return ranked[1:]
    return ranked


ENDING = re.compile(r"\b(?:turn|switch|shut|cut|cancel|kill|close|end|stop|disable|deactivate|boot|kick|log|"
                    r"sign|block|unplug|disconnect|revoke|expire)\b")
"""Verbs that end or switch off something: they may ask for a removal, however many tools use them."""


SAME_VERB = 0.85
"""How alike a misspelt opener and the tool's own must be: "delte" is "delete" (0.91); "move" is
not "remove" (0.8)."""
