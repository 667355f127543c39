"""The records a request acts on or links to: a name to look up, a pronoun for the conversation
to resolve ("move *it* to proposal"), or the words a pronoun's record is called by when nothing
before it is (agent.nlu.fill reads the other values first; a name claims what they left)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from agent.nlu import extract_text as text
from agent.nlu.fill_text import SEARCH_NAMES
from agent.nlu.slots import Slot, ToolSlots
from agent.nlu.utterance import Utterance
from agent.nlu.words import PRONOUNS
from core.ids import UUID

if TYPE_CHECKING:
    from agent.nlu.fill import Filled

LINK_CUE = re.compile(r"\b(?:for|with|from|at|to)\s+(?:the\s+)?$")


def read_references(u: Utterance, tool: ToolSlots, filled: Filled, common: frozenset[str]) -> None:
    """The record acted on (a required reference) is the name in the request, or a pronoun; an
    optional link ("a deal *for Acme*") only where nothing else takes the name: a tool that acts
    on another record, or filters by text, links only after the link's own cue ("customer to
    Acme")."""
    targets = [s for s in tool.references if s.required]
    has_search = any(s.name in SEARCH_NAMES for s in tool.of_kind("text"))
    pronoun = PRONOUNS.search(u.norm)
    cued = [s for s in tool.references if not s.required and tool.language.field_words.get(s.name)]
    for slot in cued if targets else []:
        # "hand the wonka rental fleet deal *over to* Marco": a name after a link's own declared
        # words is that link's before the record acted on takes any name
        span = text.read_cued(u, _link_cue(slot, tool.language.field_words[slot.name]), common)
        if span is not None:
            filled.references[slot.name] = span.text
            u.take(span.start, span.end)
    for slot in targets:
        uuid = next(iter(u.find(UUID)), None)
        if uuid is not None:  # "pull up customer 5b8d2f10-...": its id, not a name to look up
            filled.args[slot.name] = u.cased[uuid.start():uuid.end()]
            u.take(uuid.start(), uuid.end())
            continue
        spans = text.name_spans(u, common)
        span = text.best_span(spans)
        if span is not None and not span.capitalised and slot.reference:  # the first that runs on to it
            span = next((run for s in spans if (run := text.through_noun(u, s, slot.reference))), span)
        said = pronoun.group(0).lower() if pronoun is not None else ""
        fits = pronoun is not None and pronoun_fits(said, slot.reference)
        dropped: text.Span | None = None
        if (span is not None and pronoun is not None and fits and not span.capitalised
                and (" " not in span.text.strip() or (said in ONE_PERSON and span.start > pronoun.start()))):
            # "great news, they signed. move it to won": "it", not a deal called "news"; "take the
            # tag off *him*, he doesn't want special treatment": words after the person pointed
            # at are no name of theirs ("grace wilson - how much she spent" names her first)
            thing = said.split()[0] not in PERSONAL  # a person named in lowercase is capitalised already
            dropped, span = (_named_before(u, spans, pronoun.start()) if thing else None), None
        if span is None and not fits and slot.reference:
            span = text.the_words_before(u, slot.reference, _value_words(tool))
        if span is not None:
            filled.references[slot.name] = span.text
            u.take(span.start, span.end)
        elif fits:
            filled.pronouns[slot.name] = slot.reference or ""
            called = text.the_words_before(u, slot.reference, _value_words(tool)) if slot.reference else None
            fallback = called or dropped  # "hooli annual supply contract, make it qualified": those
            if fallback is not None:  # words' record, when the conversation has none before
                filled.fallbacks[slot.name] = fallback.text
        else:
            filled.missing.append(slot.name)
    linked = False
    titled = ((title := tool.get("title")) is not None and title.required and pronoun is not None
              and pronoun.group(0).lower() in PERSONAL)
    for slot in _named_kind_first([s for s in tool.references
                                   if not s.required and s.name not in filled.references
                                   and not _none_linked(u, s)], u):
        span = text.read_cued(u, _link_cue(slot, tool.language.field_words.get(slot.name, ())), common)
        if span is None and not targets and not has_search and not linked:  # one uncued link
            # a name after its cue before a bare capitalised one: "deal: Trade fair stand w/ Wei Li"
            found = [s for s in text.name_spans(u, common) if _may_link(u, s, titled)]
            found.sort(key=lambda s: (not s.capitalised and " " not in s.text.strip(),  # "come from
                                      LINK_CUE.search(u.norm[: s.start]) is None))   # originally"
            span = found[0] if found else None
        if span is not None:
            filled.references[slot.name] = span.text
            u.take(span.start, span.end)
            linked = True
        elif (pronoun is not None and not targets and not filled.pronouns and not filled.references
              and (not has_search or pronoun.group(0).lower() in ONE_PERSON)
              and pronoun_fits(pronoun.group(0), slot.reference)):
            filled.pronouns[slot.name] = slot.reference or ""  # "open a deal for *him*"
    _pointed_filter(u, tool, filled, pronoun)


def _none_linked(u: Utterance, slot: Slot) -> bool:
    """"..., 4.2k, no customer attached yet", "they're not in the system as a customer yet": the link
    is said to be none."""
    kind = slot.reference or ""
    return bool(kind) and (re.search(rf"\b(?:no|without (?:a |any )?|not for (?:a |any )?)\s*{kind}s?\b",
                                     u.norm) is not None or re.search(
        rf"\b(?:not|n['’]t)\s+(?:yet\s+)?(?:(?:in|on)\s+(?:the\s+|our\s+)?(?:system|crm|books|file|database)"
        rf"(?:\s+as\s+(?:an?\s+)?{kind})?|(?:an?\s+)?{kind}s?\s+(?:yet|of ours)|one of our {kind}s)\b",
        u.norm) is not None)


def _may_link(u: Utterance, span: text.Span, titled: bool) -> bool:
    """A name an uncued link may take: capitalised or after a link's cue, not where someone works
    ("he works at Acme Corp"), nor, where the link is pointed at, a new record's title."""
    cued = LINK_CUE.search(u.norm[: span.start]) is not None
    if not (span.capitalised or cued) or EMPLOYER.search(u.norm[: span.start]):
        return False
    return not (titled and not cued and TITLE_DASH.match(u.cased[span.end:]))


TITLE_DASH = re.compile(r"\s+[-–—]\s+\w")
""""open one for her: Aperture Labs - Trail backpacks": with the link pointed at, a name before a
dash opens a new record's title (company - what it is for), not a link to a record of that name."""
EMPLOYER = re.compile(r"\b(?:works?|worked|working|employed)\s+(?:at|for|with)\s+$")
""""which system says he works at Acme Corp?": the name after is a value of his, not a record."""


def _named_before(u: Utterance, spans: list[text.Span], before: int) -> text.Span | None:
    """The words from the first name-like span before a pronoun to the last one ("hooli annual
    supply"), when none of them is everyday: what the pronoun's record may be called."""
    named = [s for s in spans if s.end <= before and not text.everyday(s)]
    if not named:
        return None
    start, end = named[0].start, named[-1].end
    return text.Span(u.cased[start:end], start, end, False)


def _pointed_filter(u: Utterance, tool: ToolSlots, filled: Filled, pronoun: re.Match[str] | None) -> None:
    """"how have *its* runs gone?" after an automation was shown: an optional field that names a
    record (ToolLanguage.names_record) is that record, when nothing else points anywhere."""
    if pronoun is None or filled.pronouns or filled.references or tool.spec.kind != "read":
        return
    for slot in tool.slots:
        if (not slot.required and slot.names and slot.name not in filled.args
                and pronoun.group(0).lower().split()[0] in ("it", "its", "that", "this")
                and pronoun_fits(pronoun.group(0), slot.names)):
            filled.pronouns[slot.name] = slot.names
            return


def _value_words(tool: ToolSlots) -> frozenset[str]:
    """The words of the tool's declared values ("open", "won", "proposal"): never a title."""
    return frozenset(w for slot in tool.slots for value in slot.values for w in value.split("_"))


def _named_kind_first(links: list[Slot], u: Utterance) -> list[Slot]:
    """Optional links, the one whose kind of record the request names first: "the lineage of the
    Acme *deal*" links the deal called Acme, not the customer."""

    def named(slot: Slot) -> bool:
        noun = re.escape(str(slot.reference or ""))
        return bool(noun) and re.search(rf"\b{noun}s?\b", u.norm) is not None

    return sorted(links, key=lambda s: not named(s))


PERSONAL = frozenset(("him", "her", "them", "his", "their", "he", "she"))
PEOPLE = frozenset(("customer", "member", "user", "contact"))
ONE_PERSON = frozenset(("him", "her", "his", "he", "she"))
"""Pronouns that name one person even where a text filter could read a name ("what deals does
*she* have open?"); "them" there is more often the rows just listed."""
NOT_IT = frozenset(("member", "user"))


def pronoun_fits(pronoun: str, kind: str | None) -> bool:
    """"him" stands for a person (a customer or a team member), "it" for a thing or a company
    (never a team member: "add *it* as a deal" is not the person to assign it to), "that deal"
    only for a deal."""
    words = pronoun.lower().split()
    if words[0] in PERSONAL:
        return kind is None or kind in PEOPLE
    if words[0] in ("it", "its"):
        return kind not in NOT_IT
    noun = words[-1].removesuffix("s")
    return noun == "one" or kind is None or noun == kind or noun not in {"deal", "customer", "member",
                                                                           "automation", "workflow",
                                                                           "webhook", "integration"}


def _link_cue(slot: Slot, other: tuple[str, ...] = ()) -> re.Pattern[str]:
    """What introduces an optional link: "customer to Acme", "assign (the deal) to Ben" for a
    field named `assigned_to`, or the other words the tool declares for the field ("owned by
    Marco")."""
    words = slot.words.removesuffix(" id")
    said = "|".join(re.escape(w) for w in other)
    if words.endswith(" to"):
        verb = words[:-3].removesuffix("ed")
        pattern = rf"\b{re.escape(verb)}(?:ed)?\b.{{0,40}}?\bto\s+"
        return re.compile(pattern + (rf"|\b(?:{said})(?:\s+(?:is|=|:))?\s+" if said else ""), re.I)
    names = "|".join(re.escape(w) for w in {words, slot.reference or slot.name, *other})
    return re.compile(rf"\b(?:{names})(?:\s+(?:to|is|=|:))?\s+", re.I)
