"""Tags: the words after "tag" ("tag her wholesale and b2b", "tag Ava Perez as a VIP"), read
once the record's name is taken, into a list field named `add_tags` (a change adds to the tags a
record has) or `tags` (a new record's). "make her a VIP" is the one tag said without the verb."""

from __future__ import annotations

import re
from typing import Any

from agent.nlu.slots import ToolSlots
from agent.nlu.utterance import Utterance

CUE = re.compile(r"\b(?:tag(?:ged)?|label(?:led)?)\b")
VIP = re.compile(r"\b(?:as|a|an)\s+vip\b")
SKIP = frozenset({"him", "her", "them", "it", "as", "a", "an", "with", "the", "and", "tags", "tag",
                  "labels", "label"})
END = frozenset({"then", "also", "please", "pls", "thanks", "too"})
MAX_TAGS = 5


def read_tags(u: Utterance, tool: ToolSlots, args: dict[str, Any]) -> None:
    slot = tool.get("add_tags") or tool.get("tags")
    if slot is None or slot.kind != "list" or slot.name in args:
        return
    cue = next(iter(u.find(CUE)), None)
    if cue is None:
        vip = next(iter(u.find(VIP)), None)
        if vip is not None:
            u.take(vip.start(), vip.end())
            args[slot.name] = ["vip"]
        return
    u.take(cue.start(), cue.end())
    found: list[str] = []
    for token, start, end in u.tokens():
        if start < cue.end():
            continue
        word = token.lower()
        if word in END or (not re.match(r"\w", word) and word != ","):
            break
        if word == "," or word in SKIP:
            continue
        found.append(word)
        u.take(start, end)
        if len(found) == MAX_TAGS:
            break
    if found:
        args[slot.name] = found
