"""References to records: the lookup call that turns a name into an id, the choice among its
candidates, the records a conversation has mentioned (for "him", "it", "that deal"), and the
owner's pick when asked which one ("the second one", "the rental fleet one", "3").

The lookup tool is found by its shape, not its name: the registry tool whose input takes a record
kind and a text and whose output lists candidates with ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from agent.nlu.conversation import Step
from agent.nlu.slots import ToolSlots

CLOSE = 5.0
"""Candidates within this many points of the best are as good a match: the name is ambiguous."""
FOUND = 60.0
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
            "fifth": 5, "5th": 5, "last": -1, "top": 1, "latter": -1, "former": 1}
FILLER = frozenset(("the", "one", "that", "this", "deal", "customer", "please", "i", "mean", "meant", "it",
                    "is", "its", "s", "oh", "yes", "ok", "okay", "go", "with", "pick"))
LABEL_KEYS = ("name", "title", "label", "full_name", "customer_name")


@dataclass(frozen=True)
class Candidate:
    id: str
    label: str
    detail: str
    score: float


@dataclass(frozen=True)
class Entity:
    kind: str
    id: str
    label: str


def lookup_tool(tools: dict[str, ToolSlots]) -> str | None:
    """The tool that finds records by name: input (kind enum, text), output with candidates."""
    for name, tool in tools.items():
        kind, text = tool.get("kind"), tool.get("text")
        output = tool.spec.output_schema().get("properties", {})
        if kind is not None and kind.kind == "enum" and text is not None and "candidates" in output:
            return name
    return None


def candidates_of(step: Step) -> list[Candidate]:
    data = step.data or {}
    found = []
    for item in data.get("candidates") or []:
        if isinstance(item, dict) and item.get("id"):
            found.append(
                Candidate(
                    str(item["id"]),
                    str(item.get("label") or ""),
                    str(item.get("detail") or ""),
                    float(item.get("score") or 0),
                )
            )
    return sorted(found, key=lambda c: -c.score)


def choose(
    candidates: list[Candidate], text: str, linking: bool, request: str = ""
) -> Candidate | list[Candidate] | None:
    """The one candidate meant; the close ones when it is ambiguous; None when nothing matches.
    A link (an optional reference, "a deal *for Acme*") takes the best match. Among close ones,
    the rest of the request may name one: "move Stark Supplies to proposal for the store fit-out"
    looked up "Stark Supplies", and only one of its deals is the store fit-out."""
    good = [c for c in candidates if c.score >= FOUND]
    if not good:
        return None
    top = good[0]
    close = [c for c in good if c.score >= top.score - CLOSE]
    if len(close) == 1 or linking:
        return top
    exact = [c for c in close if default_process(c.label) == default_process(text)]
    if len(exact) == 1:
        return exact[0]
    return named_in(close, text, request) or close


def named_in(close: list[Candidate], text: str, request: str) -> Candidate | None:
    """The one candidate whose own words (those the others do not share: of its label, or the
    first part of its detail, a customer's company; not its status, which a request may name as
    the change it asks for) the request names most (typos allowed), when one is
    named strictly more than every other: "Lucas Moore at Globex" when there are two."""
    words = [w for w in default_process(f"{text} {request}").split() if len(w) > 2]
    labels = [set(default_process(f"{c.label} {c.detail.split(' · ')[0]}").split()) for c in close]
    shared_by_all = set.intersection(*labels) if labels else set()
    if not words:
        return None

    def named(label: set[str]) -> int:
        own = [w for w in label - shared_by_all if len(w) > 2]
        return sum(any(fuzz.ratio(w, x) >= 85 for x in words) for w in own)

    counts = sorted(((named(label), i) for i, label in enumerate(labels)), reverse=True)
    best, runner_up = counts[0][0], counts[1][0] if len(counts) > 1 else 0
    return close[counts[0][1]] if best > runner_up else None


def singular(key: str) -> str:
    """A list's key as the kind of its rows: "deals" -> deal, "deliveries" -> delivery."""
    return key[:-3] + "y" if key.endswith("ies") else key.removesuffix("s")


def entities_of(step: Step, kinds: Iterable[str], every: bool = False) -> list[Entity]:
    """Records a tool result is about: an object with an id under a key naming a kind
    ("customer", "deals", "open_deals"), or `<kind>_id` with `<kind>_name` beside it. A list is
    about its one record (what "it" can mean), or, with `every`, about all it shows."""
    kinds = set(kinds)
    data = step.data
    if not data or step.error:
        return []
    found: list[Entity] = []
    if isinstance(data.get("candidates"), list):  # a lookup: the record it found, if one stands out
        found_one = choose(candidates_of(step), str(data.get("text") or ""), linking=False)
        if not isinstance(found_one, Candidate):
            return []
        kind = next((str(c.get("kind")) for c in data["candidates"] if c.get("id") == found_one.id), "")
        return [Entity(kind or str(data.get("kind") or ""), found_one.id, found_one.label)]

    def kind_of(key: str) -> str | None:
        base = singular(key)
        return next((k for k in kinds if base == k or base.endswith("_" + k)), None)

    def walk(value: Any, kind: str | None) -> None:
        if isinstance(value, dict):
            ident = (value.get("id") or value.get(f"{kind}_id")) if kind else None
            if kind and ident:  # a row of a list about one kind of record may name it by <kind>_id
                label = next((str(value[k]) for k in LABEL_KEYS if value.get(k)), "")
                found.append(Entity(kind, str(ident), label))
            for key, item in value.items():
                if key.endswith("_id") and isinstance(item, str) and key[:-3] in kinds:
                    name = value.get(key[:-3] + "_name")
                    if name:
                        found.append(Entity(key[:-3], item, str(name)))
                elif isinstance(item, dict | list):
                    walk(item, kind_of(key))
        elif isinstance(value, list) and (len(value) == 1 or every):
            for item in value:
                walk(item, kind)

    walk(data, None)
    if not found:  # a result about one record by its id alone ({"simulation_id": "sim_..", ...})
        found = [Entity(key[:-3], value, str(data.get(key[:-3] + "_name") or ""))
                 for key, value in data.items()
                 if key.endswith("_id") and key[:-3] in kinds and isinstance(value, str)][:1]
    return found


def recent_entity(steps: Iterable[Step], kind: str, kinds: Iterable[str]) -> Entity | None:
    """The last record of this kind the given steps (newest first) were about."""
    for step in steps:
        matching = [e for e in entities_of(step, kinds) if e.kind == kind]
        if matching:
            return matching[0]
    return None


def pick(text: str, candidates: list[Candidate]) -> Candidate | None:
    """The candidate a reply to "which one?" names: by position or by its words."""
    norm = text.lower().strip()
    number = re.fullmatch(r"\D{0,20}?#?(\d)\D{0,20}", norm)
    if number and 1 <= int(number.group(1)) <= len(candidates) and not re.search(r"\d{2}", norm):
        return candidates[int(number.group(1)) - 1]
    words = re.findall(r"[a-z0-9]+", norm)
    for word in words:
        if word in ORDINALS and (len(words) <= 4 or "one" in words):
            index = ORDINALS[word]
            if index == -1 or index <= len(candidates):
                return candidates[index - 1 if index > 0 else -1]
    said = " ".join(w for w in words if w not in FILLER) or norm
    scored = sorted(
        (
            (
                max(
                    fuzz.partial_ratio(said, default_process(c.label)),
                    fuzz.token_set_ratio(said, default_process(f"{c.label} {c.detail}")),
                ),
                c,
            )
            for c in candidates
        ),
        key=lambda sc: -sc[0],
    )
    if scored and scored[0][0] >= 75 and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 5):
        return scored[0][1]
    return None
