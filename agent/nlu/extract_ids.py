"""Values that are written, not said: record ids ("job 5d2e9a10-…", "wh_3f9a"), web addresses,
and durations ("older than 90 days", "a week", "for 48 hours"). Pure functions of an utterance;
each claims the text it reads. Which field a value goes to is decided by the words before it
(the field's own name: "delivery 4c1…" is a `delivery_id`), else by the only field of its kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.nlu.slots import Slot
from agent.nlu.text import not_wanted
from agent.nlu.utterance import Utterance

ID = re.compile(
    r"\b(?:[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}"  # a uuid (core.ids.UUID)
    r"|[a-z]{1,6}_(?=[a-z0-9]*\d)[a-z0-9]+"  # a prefixed id: wh_3f9a, evt_12ab
    r"|(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,32})\b"  # a hex id or its start
)
URL = re.compile(r"\bhttps?://[^\s,;<>\"']+", re.I)
DURATION = re.compile(  # "once a month", "twice a week" say how often, not how long
    r"(?<!once )(?<!twice )(?<!times )"
    r"\b(?:(?P<n>\d{1,4})(?:\s*\+|\s+or\s+(?:more|over))?|(?P<a>an?|one|(?:the\s+)?(?:last|past|previous)))\s*"
    r"(?P<unit>hours?|hrs?|days?|weeks?|wks?|fortnights?|months?|years?|yrs?|(?<=\d)[hd])\b"  # "48h"
)
HOURS = {"h": 1.0, "d": 24.0, "w": 168.0, "f": 336.0, "m": 720.0, "y": 8760.0}
CUE_WINDOW = 40


@dataclass(frozen=True)
class Found:
    value: str
    start: int
    end: int


def _cued(u: Utterance, found: Found, slot: Slot) -> bool:
    """Whether the words just before the value name the field ("webhook" for `webhook_id`,
    "older than" for `older_than_days`)."""
    before = u.norm[max(0, found.start - CUE_WINDOW): found.start]
    words = [w for w in slot.name.removesuffix("_id").split("_") if w not in ("days", "hours", "id")]
    return bool(words) and all(re.search(_cue(w), before) for w in words)


def _cue(word: str) -> str:
    """A field word as said: "unused" is also "not used", "hasn't been used", "nobody used"."""
    if word.startswith("un") and len(word) > 4:
        negated = r"(?:not|n't|never|nobody|no one|no-one)"
        return rf"\b(?:{re.escape(word)}|{negated}\b.{{0,12}}\b{re.escape(word[2:])})"
    return rf"\b{re.escape(word)}"


def _assign(u: Utterance, found: list[Found], slots: list[Slot], args: dict[str, object],
            convert: object = None) -> None:
    """Each value to the field its cue names, else to the first open field (required first)."""
    open_slots = [s for s in slots if s.name not in args]
    for item in found:
        if not open_slots:
            return
        slot = next((s for s in open_slots if _cued(u, item, s)), None)
        if slot is None and len(found) == 1:
            slot = next((s for s in open_slots if s.required), open_slots[0])
        if slot is None:
            continue
        args[slot.name] = convert(item, slot) if callable(convert) else item.value
        u.take(item.start, item.end)
        open_slots.remove(slot)


def id_slots(slots: list[Slot]) -> list[Slot]:
    return [s for s in slots if s.kind == "text" and s.name.endswith("_id")]


def _after_noun(u: Utterance, slot: Slot) -> list[Found]:
    """A short id right after the record's noun ("webhook 4f2a", "delivery #d9", "webhook
    wh_abc"): any token with a digit, or a prefix and an underscore, which is no word."""
    noun = r"[\s_-]+".join(re.escape(w) for w in slot.name.removesuffix("_id").split("_"))
    token = r"[a-z0-9_-]*\d[a-z0-9_-]*|[a-z]{1,6}_[a-z0-9]+"
    pattern = re.compile(rf"\b{noun}s?\s+(?:id\s+|#)?(?P<id>{token})\b")
    return [Found(u.cased[m.start("id"):m.end("id")], m.start("id"), m.end("id")) for m in u.find(pattern)]


def read_ids(u: Utterance, slots: list[Slot], args: dict[str, object]) -> None:
    wanted = id_slots(slots)
    if not wanted:
        return
    for slot in wanted:
        for item in _after_noun(u, slot)[:1]:
            if slot.name not in args and u.is_free(item.start, item.end):
                args[slot.name] = item.value
                u.take(item.start, item.end)
    found = [Found(u.cased[m.start():m.end()], m.start(), m.end()) for m in u.find(ID)]
    _assign(u, found, wanted, args)


def read_urls(u: Utterance, slots: list[Slot], args: dict[str, object]) -> None:
    wanted = [s for s in slots if s.kind == "text" and (s.name == "url" or s.name.endswith("_url"))]
    if wanted:
        found = [Found(u.cased[m.start():m.end()].rstrip(".)!?"), m.start(), m.end()) for m in u.find(URL)]
        _assign(u, found, wanted, args)


def duration_slots(slots: list[Slot]) -> list[Slot]:
    return [s for s in slots if s.kind == "integer" and (s.name == "days" or s.name == "hours"
                                                         or s.name.endswith(("_days", "_hours")))]


def read_durations(u: Utterance, slots: list[Slot], args: dict[str, object]) -> None:
    """"older than 90 days" -> 90 for a days field; "a week" -> 7; "48 hours" -> 2 for days
    (rounded up), 48 for an hours field; capped at the field's maximum."""
    wanted = duration_slots(slots)
    if not wanted:
        return
    found = []
    for m in u.find(DURATION):
        if not_wanted(u.norm, m.start()):
            continue
        n = int(m.group("n")) if m.group("n") else 1
        found.append(Found(f"{n * HOURS[m.group('unit')[0]]}", m.start(), m.end()))

    def convert(item: Found, slot: Slot) -> int:
        hours = float(item.value)
        value = hours if slot.name.endswith("hours") else -(-hours // 24)
        top = int(slot.maximum) if slot.maximum is not None else None
        return min(int(value), top) if top is not None else int(value)

    _assign(u, found, wanted, args, convert)
