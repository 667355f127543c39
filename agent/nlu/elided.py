"""Parts of one request that leave out what the first part said once: the verb ("move the Tyrell
deal to proposal and the restock to negotiation") or the noun ("pull up the Globex rental fleet and
the Globex team uniforms deals"). Each part is then a step of its own with the first part's tool."""

from __future__ import annotations

import re
from datetime import date

from agent.nlu.catalog import Catalog
from agent.nlu.clauses import COMMAND, OWN_REQUEST
from agent.nlu.fill import read
from agent.nlu.routing import SPLIT_SURE, Route, route
from agent.nlu.words import RECORD_NOUNS

PLURAL_NOUN_END = re.compile(r"\s+(?P<noun>deal|customer|client|automation|webhook)s\W*$", re.I)


def each_shown(parts: list[str], catalog: Catalog, available: set[str]) -> list[tuple[str, Route]] | None:
    """"pull up the Globex rental fleet and the Globex team uniforms deals": the noun said once at
    the end is each part's, and the verb of the first is each part's: one read per record."""
    noun = PLURAL_NOUN_END.search(parts[-1])
    if noun is None or any(OWN_REQUEST.match(p) or re.match(COMMAND, p, re.I) for p in parts[1:]):
        return None
    said = [p if i < len(parts) - 1 else p[:noun.start()] for i, p in enumerate(parts)]
    if any(w in RECORD_NOUNS for p in said for w in re.findall(r"[a-z]+", p.lower())):
        return None  # "show me the Hooli customers and the Hooli deals": each part says its own
    said = [f"{p} {noun.group('noun').lower()}" for p in said]
    chosen = route(catalog.classifier.ranked(said[0]), available)
    if chosen.action != "act" or chosen.tool is None or chosen.score < SPLIT_SURE:
        return None
    tool = catalog.tools[chosen.tool]
    if tool.spec.kind != "read" or not any(s.identifies and s.required for s in tool.slots):
        return None
    return [(p, chosen) for p in said]


def elided_parts(parts: list[str], routes: list[Route], catalog: Catalog,
            today: date) -> list[tuple[str, Route]] | None:
    """"Move the Tyrell annual supply to proposal and the seasonal restock to negotiation": later
    parts without a verb of their own repeat the first part's action on another record, when
    each names a record and gives a value that action takes."""
    first = routes[0]
    if first.action != "act" or first.tool is None or first.score < SPLIT_SURE:
        return None
    tool = catalog.tools[first.tool]
    if tool.spec.kind == "read":
        return None
    for part in parts[1:]:
        if OWN_REQUEST.match(part) or re.match(COMMAND, part, re.I):
            return None
        filled = read(part, first.tool, catalog, today)
        valued = [n for n in filled.args if n not in ("name", "title")
                  and (slot := tool.get(n)) is not None and slot.kind != "reference"]
        titles = [n for n in ("name", "title") if n in filled.args and (s := tool.get(n)) and s.required]
        names = filled.references or titles  # "... and make *her* a prospect" is the same record
        if not names or not valued:
            return None
    return [(part, first) for part in parts]

