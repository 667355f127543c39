"""How much of a tool's input a request supplies: the slot-filling half of choosing a tool.

The classifier reads words; when it is unsure ("Soylent corporate gifts should close end of Feb
now": update_customer -0.61, update_deal -0.72) the values in the request often settle it: a
record named and a date for a tool that changes a record's close date is a better reading than a
record named and nothing to change. Joint intent-and-slot models use the same signal; here it only
reorders tools the classifier already ranks close to each other, and only acts when the request
supplies at least two things the tool takes.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from agent.nlu.advance import titled
from agent.nlu.catalog import Catalog
from agent.nlu.extract_ids import ID
from agent.nlu.fill import Filled, read
from agent.nlu.meaning import foreign
from agent.nlu.slots import Slot, ToolSlots
from agent.nlu.words import REMOVAL, STOP

TYPED = frozenset({"enum", "number", "integer", "date", "email", "month", "window"})
DATED = frozenset({"date", "month", "window"})
"""Kinds a period fills (from and to dates, a month, a window): the period counts once."""
PATTERNED = frozenset({"phone", "company", "title", "name", "description"})
"""Text fields filled only from a cue or a pattern (a phone number, "called X", "from Acme"):
a value there is evidence, unlike a search text that takes any word."""
WINDOW = 0.35
"""Tools scoring within this of the best are reconsidered by what the request gives them."""
ENOUGH = 2
NAMED_WINDOW = 0.6
"""How far behind the best a tool about one record may score and still be chosen for a record the
request names ("the churn risk on leila king", where the words alone favour the list of all)."""
STRONG_WINDOW = 1.5
"""How far down a tool about one record may rank and still be chosen for an id or a "she"."""
PERSONAL = re.compile(r"\b(?:he|she|him|her|his|hers)\b")


@dataclass(frozen=True)
class Support:
    """The tool a request's own values point to when the classifier is unsure (agent.nlu.support)."""

    tool: str
    by_name: bool = False
    """Chosen for the record the request names, from no other value ("what was the population of
    Lisbon in 2020"): still checked by meaning (agent.nlu.meaning)."""


def support(catalog: Catalog, text: str, tool: str, today: date) -> int:
    """Values the request gives the tool (a period counts once, a record it names once), less
    the required ones it lacks. For a tool that only reads, a period is no evidence (most reads
    take one) and a name counts only when it is written as one (capitalised)."""
    filled: Filled = read(text, tool, catalog, today)
    slots = catalog.tools[tool]
    writes = slots.spec.kind != "read"
    dated = DATED if filled.periods else frozenset()
    given = sum(
        1 for name, value in filled.args.items()
        if (slot := slots.get(name)) is not None and slot.kind not in dated
        and (slot.kind in TYPED or (name in PATTERNED and re.search(r"[^\W\d_]", str(value))))
    ) + (1 if filled.periods and writes else 0)
    required = [s for s in slots.references if s.required]
    refs = filled.references
    found = sum(
        1 for s in required
        if s.name in filled.pronouns or (s.name in refs and (writes or (refs[s.name] != refs[s.name].lower()
                                                                       and not _acronym(refs[s.name]))))
    )
    named = bool(filled.references or filled.pronouns)
    lacking = sum(1 for m in filled.missing if not (named and titled(catalog, tool, m)))
    return given + found - lacking + _cues(text, slots, required, refs)


def values_declared(catalog: Catalog, text: str, tool: str, today: date) -> bool:
    """Whether the request gives a tool that changes records all it needs, one of its declared
    values among them ("Wonka Goods just signed for the rental fleet!! book it as a win": the
    deal and closed_won): it asks for that change, however close a decline scores on its words.
    A new record needs one value more than a change of one the request names ("automatically
    assign every new lead to Marco" gives a name and a status, and makes no customer)."""
    slots = catalog.tools[tool]
    words = re.findall(r"[a-z]+", text.lower())
    if slots.spec.kind == "read" or not words or words[0] in catalog.decline_openers:
        return False  # "ring lucas moore and tell him the quote is ready": no change of a deal
    filled = read(text, tool, catalog, today)
    declared = any((slot := slots.get(name)) is not None and slot.kind == "enum" for name in filled.args)
    named = any(s.name in filled.references for s in slots.references if s.required)
    return declared and not filled.missing and support(catalog, text, tool, today) >= ENOUGH + (not named)


def record_and_value(catalog: Catalog, text: str, tool: str, today: date) -> bool:
    """Whether the request names the record a change acts on and gives it a value ("the Tyrell
    licence deal feels shakier... id say its one in five now"): about the business's own data,
    however near a decline of things far from it ("what's the capital of Mongolia") scores."""
    slots = catalog.tools[tool]
    if slots.spec.kind == "read":
        return False
    filled = read(text, tool, catalog, today)
    named = any(s.name in filled.references for s in slots.references if s.required)
    valued = any((slot := slots.get(n)) is not None and not (slot.reference or slot.identifies)
                 for n in filled.args)
    return named and valued and not filled.missing


def nothing_to_change(catalog: Catalog, text: str, tool: str, today: date) -> bool:
    """A change that gives none of the tool's fields a value, in words that tool's kind of record
    never uses, and names none of its fields ("Switch the webhook payloads from JSON to XML" had
    asked which webhook): a change no field of it makes, so no record is asked for."""
    slots = catalog.tools[tool]
    if slots.verb != "update":
        return False
    filled = read(text, tool, catalog, today)
    changed = [n for n in filled.args
               if (slot := slots.get(n)) is None or not (slot.reference or slot.identifies)]
    return not changed and not _named_only(slots, filled) and foreign(catalog, text, tool)


BREAKDOWN = re.compile(
    r"\b(?:split|break(?:s|ing)?(?: (?:it|that|them|this))? down|broken down|breakdown|grouped|group"
    r"(?: (?:it|that|them))?|segment(?:ed)?|slice[sd]?)\b[^.?!]{0,40}?\b(?:by|per|into)\s+"
    r"(?:the\s+|each\s+|every\s+|their\s+)?(?P<by>[a-z]+)\b")
TIME_UNITS = frozenset({"day", "days", "week", "weeks", "month", "months", "quarter", "quarters", "year",
                        "years", "hour", "hours", "date", "period", "periods", "weekday"})


def breakdown_it_lacks(catalog: Catalog, text: str, tool: str) -> str | None:
    """What a request asks its answer to be split by, when that is no time unit and no word the
    examples of the tool's kind of record use ("Split last month's revenue by country": no tool
    has a country): a figure the tool cannot give, so it is not answered with the whole."""
    found = BREAKDOWN.search(text.lower())
    if found is None or found.group("by") in TIME_UNITS:
        return None
    kin, by = catalog.kin(tool), found.group("by")
    fields = {w for slot in catalog.tools[tool].slots for w in slot.words.split()}
    known = kin.words | kin.forms | fields | STOP
    return None if by in known or by.rstrip("s") in known else by


LEADING = re.compile(r"^\W*(?:(?:please|pls|can you|could you|ok|okay|so|just)\W+)*$")
"""Nothing but courtesy before the verb: the verb is the request's action ("get rid of X, it's
dead anyway" deletes; "dead" is only the reason)."""


def _cues(text: str, slots: ToolSlots, required: list[Slot], refs: dict[str, str]) -> int:
    """What the wording says beyond values: a removal verb for a tool that deletes; a name in the
    possessive ("Grace Wilson's email") for a tool that acts on an existing record."""
    norm = text.lower()
    removal = REMOVAL.search(norm) if slots.spec.destructive else None
    cues = 0 if removal is None else 2 if LEADING.match(norm[: removal.start()]) else 1
    possessive = any(
        re.search(rf"\b{re.escape(refs[s.name].lower())}['’]s\b", norm) for s in required if s.name in refs
    )
    return cues + int(possessive)


def best_supported(catalog: Catalog, text: str, ranked: list[tuple[str, float]],
                   available: Collection[str], today: date) -> tuple[str, int] | None:
    """The tool, among those close to the best, to which the request gives the most (ties go to
    the classifier's order), with its support; None when none gets ENOUGH."""
    tools = [(label, score) for label, score in ranked if label in available]
    if not tools:
        return None
    top = tools[0][1]
    close = [label for label, score in tools[:4] if top - score <= WINDOW]
    scored = [(support(catalog, text, label, today), -i, label) for i, label in enumerate(close)]
    best = max(scored)
    return (best[2], best[0]) if best[0] >= ENOUGH else None


CHANGE = re.compile(r"\b(?:update|change|set(?! up)|edit|rename|modify|correct|amend|adjust)\b")


def change_asked(catalog: Catalog, text: str, ranked: list[tuple[str, float]],
                 available: Collection[str], today: date) -> str | None:
    """"update the probability on the Globex deal": a change that names its field but not the
    value. The classifier may prefer the tool that reads the field; the close tool that changes
    it, and will ask for the value, is what was asked."""
    if not CHANGE.search(text.lower()):
        return None
    tools = [(label, score) for label, score in ranked if label in available]
    if not tools or catalog.tools[tools[0][0]].spec.kind != "read":
        return None
    kinds = {s.reference for s in catalog.tools[tools[0][0]].references if s.required}
    for label, _ in tools[1:]:
        own = {s.reference for s in catalog.tools[label].references if s.required}
        if catalog.tools[label].spec.kind == "read" or not kinds or own != kinds:
            continue  # only a tool that changes the same kind of record the read tool shows
        if _names_field(catalog, text, label, today):
            return label
    return None


def _names_field(catalog: Catalog, text: str, tool: str, today: date) -> bool:
    """Whether the request names a field of this tool without its value, on a named record."""
    filled = read(text, tool, catalog, today)
    return bool(_named_only(catalog.tools[tool], filled) and (filled.references or filled.pronouns))


def _named_only(slots: ToolSlots, filled: Filled) -> list[str]:
    """The optional fields the request names without a value ("update her phone number")."""
    return [m for m in filled.missing if (slot := slots.get(m)) is not None and not slot.required]


def one_record(catalog: Catalog, text: str, ranked: list[tuple[str, float]],
               available: Collection[str], today: date) -> str | None:
    """"whats the churn risk on leila king": the close tool about one record (a customer's churn
    risk) rather than the one about all of them, when the request names a record for it: written
    as a name, in the possessive, or in two words or more the tools' language does not use. An
    id written out ("webhook 7e9d1c3b-...") or "she"/"his" says so from further down the ranking:
    a list of everything has no use for either."""
    tools = [(label, score) for label, score in ranked if label in available]
    top = catalog.tools[tools[0][0]] if tools else None
    if len(tools) < 2 or top is None or top.references or top.spec.kind != "read":
        return None  # a tool that can already take the record, or a change, is left to the classifier
    best = tools[0][1]
    for label, score in tools[1:3]:
        slots = catalog.tools[label]
        required = [s for s in slots.slots if s.identifies]
        if slots.spec.kind != "read" or len(required) != 1 or best - score > STRONG_WINDOW:
            continue
        filled = read(text, label, catalog, today)
        field = required[0].name
        if filled.missing or top.get(field) is not None:
            continue  # the best tool takes that record too ("is webhook wh_3 failing?": its health)
        kind = (required[0].record_kind or field).replace("_", " ")
        written = field in filled.args and re.search(rf"\b{re.escape(kind)}\b", text.lower()) is not None
        strong = written or (field in filled.pronouns and PERSONAL.search(text.lower()) is not None)
        name = filled.references.get(field)
        if strong or (best - score <= NAMED_WINDOW and name and _named(name, text)
                      and not _its_own_value(catalog, text, tools[0][0], name, today)):
            return label
    return None


def _its_own_value(catalog: Catalog, text: str, tool: str, name: str, today: date) -> bool:
    """"the clients from company Globex": the list tool reads the name as a value of its own (a
    company to filter by), so it names no record of the other tool."""
    values = read(text, tool, catalog, today).args.values()
    return any(isinstance(v, str) and v.lower() == name.lower() for v in values)


def names_its_record(catalog: Catalog, text: str, tool: str, today: date) -> bool:
    """"pull up leila martin": a read of one record that the request names and gives all else it
    needs, when the words alone left the classifier unsure."""
    slots = catalog.tools[tool]
    required = [s for s in slots.slots if s.identifies or (s.required and s.kind == "text")]
    if slots.spec.kind != "read" or len(required) != 1:
        return False
    filled = read(text, tool, catalog, today)
    if filled.missing:
        return False
    if required[0].kind == "text":  # "show automation auto_42": a record given by its id
        written = filled.args.get(required[0].name)
        return isinstance(written, str) and ID.fullmatch(written.lower()) is not None
    name = filled.references.get(required[0].name)
    return bool(name) and _named(str(name), text)


def _named(name: str, text: str) -> bool:
    """Written as a name: capitalised, possessive or two words; not a short acronym ("what's our
    NPS score": a figure, not a customer called NPS)."""
    possessive = re.search(rf"\b{re.escape(name.lower())}['’]s\b", text.lower())
    if possessive is None and _acronym(name):
        return False
    return name != name.lower() or possessive is not None or len(name.split()) >= 2


ACRONYM_LETTERS = 4


def _acronym(name: str) -> bool:
    return name.isupper() and len(name) <= ACRONYM_LETTERS


def removal_asked(catalog: Catalog, text: str, ranked: list[tuple[str, float]],
                  available: Collection[str]) -> str | None:
    """"remove the Globex renewal deal from the system": a request that opens with a removal verb
    is a deletion, not a read the classifier liked for its other words ("system" is lineage's):
    the close tool that deletes. So is one with a removal verb anywhere that chose a creation ("that
    weekly thing that nags people about unpaid invoices - scrap it")."""
    norm = text.lower()
    removal = REMOVAL.search(norm)
    tools = [(label, score) for label, score in ranked if label in available]
    if removal is None or not tools:
        return None
    top = catalog.tools[tools[0][0]]
    if not (top.spec.kind == "read" and LEADING.match(norm[: removal.start()])) and top.verb != "create":
        return None  # a creation is never what a removal verb asks for, wherever it stands
    best = tools[0][1]
    return next((label for label, score in tools[1:4]
                 if best - score <= WINDOW and catalog.tools[label].spec.destructive
                 and (top.spec.kind == "read" or catalog.tools[label].noun == top.noun)), None)


def named_kind(catalog: Catalog, text: str, ranked: list[tuple[str, float]],
               available: Collection[str]) -> str | None:
    """"delete the old pied piper expedition kit deal, its just clutter": of close tools that do
    the same thing to different kinds of record, the one whose kind the request names, when the
    best-scored one's kind goes unnamed."""
    tools = [(label, score) for label, score in ranked if label in available]
    if len(tools) < 2:
        return None
    norm = text.lower()

    def says(label: str) -> bool:
        noun = catalog.tools[label].noun
        return bool(noun) and re.search(rf"\b{re.escape(noun)}s?\b", norm) is not None

    top, best = tools[0]
    kind = catalog.tools[top].spec.kind
    if says(top) or kind == "read":  # reads name many kinds at once ("the average deal size")
        return None

    def near(label: str, score: float) -> bool:
        """Removing another kind of record ("delete" and "delete") is near even further down:
        a removal must not land on a kind the request never named."""
        other = catalog.tools[label]
        removal = other.spec.destructive and other.verb == catalog.tools[top].verb
        return best - score <= (STRONG_WINDOW if removal else WINDOW)

    named = [label for label, score in tools[1:4]
             if near(label, score) and catalog.tools[label].spec.kind == kind and says(label)]
    return named[0] if len(named) == 1 else None
