"""Tags: the words after "tag" ("tag her wholesale and b2b", "tag Ava Perez as a VIP"), read
once the record's name is taken, into a list field named `add_tags` (a change adds to the tags a
record has) or `tags` (a new record's). "make her a VIP" is the one tag said without the verb.
A list's text field `tag` filters by one: "customers tagged wholesale", "with the b2b tag", "my
VIPs"."""

from __future__ import annotations

import re
from typing import Any

from agent.nlu.slots import ToolSlots
from agent.nlu.utterance import Utterance

CUE = re.compile(r"\b(?:tags?|tagged|labels?|labelled)\b:?")
VIP = re.compile(r"\b(?:as|a|an|is(?: now)?|now|is a|be|become|becomes)\s+vip\b")
SKIP = frozenset({"him", "her", "them", "it", "as", "a", "an", "with", "the", "and", "tags", "tag",
                  "labels", "label", "to", "onto", "on"})
END = frozenset({"then", "also", "please", "pls", "thanks", "too", "but", "so", "because", "except", "keep",
                 "if", "well"})  # "tag him wholesale as well"
MAX_TAGS = 5
OBJECTS = frozenset({"him", "her", "them", "it", "his", "their", "its", "this", "that"})
NAMED_TAG = re.compile(
    r"\b(?P<verb>add|put|give|attach|stick|deserves?|earned|needs|should get|should have|remove|take off"
    r"|take away|drop|delete|strip|clear)\b"
    r"(?:\s+(?:him|her|them|it)(?=\s+(?:the|a|an)\b))?(?:\s+(?:the|a|an|his|her|their|its|this|that))?"
    r"\s+(?P<tags>(?!(?:the|a|an|his|her|their|its|this|that)\b)[a-z0-9][\w-]*"
    r"(?:\s*(?:,|and)\s*[a-z0-9][\w-]*)?)\s+(?:tags?|labels?)\b")
"""The tag named before the word "tag" ("add the wholesale tag", "take off his vip tag"); not an
article ("add the tag": which tag is said elsewhere)."""
REMOVING = frozenset({"remove", "take off", "take away", "drop", "delete", "strip", "clear"})
TAKEN_OFF = re.compile(
    r"\b(?:take|get|pull)(?:\s+(?:the|his|her|their|its|that))?"
    r"\s+(?P<tags>[a-z0-9][\w-]*(?:\s*(?:,|and)\s*[a-z0-9][\w-]*)?)\s+(?:tags?|labels?)\s+(?:off|away)\b")
"""A removal said around the tag: "take the vip tag off"."""

POINTING = frozenset({"that", "this", "those", "these", "it"})
"""A tag pointed at ("take that tag off"): the tag is the one named elsewhere in the request."""
VIP_WORD = re.compile(r"\b(?P<tag>vip)s?\b", re.I)
NO_LONGER = re.compile(
    r"\b(?:not|no longer)\s+(?:an?\s+)?(?P<tag>[a-z0-9][\w-]*)\s+(?:any\s?more|now)\b", re.I)
""""she's not wholesale anymore": the tag a pointed-at removal means."""


FILTER_TAG = (
    re.compile(r"\b(?:tagged|labell?ed)(?:\s+(?:as|with))?(?:\s+(?:an?|the))?\s+['\"‘“]?(?P<tag>[a-z0-9][\w-]*)"),
    re.compile(r"\b(?:with|has|have|having)\s+(?:an?\s+|the\s+)?(?:tag|label)\s+['\"‘“]?(?P<tag>[a-z0-9][\w-]*)"),
    re.compile(r"\b(?P<tag>[a-z0-9][\w-]*)['\"’”]?\s+(?:tag|label|tagged|labell?ed)\b(?!\s+(?:her|him|them|it|as)\b)"),
    re.compile(r"\b(?P<vip>vip)s?\b"),
)
"""The one tag a list is filtered by; "vip" is the tag people say without the word."""
NOT_A_TAG = frozenset({"a", "an", "the", "any", "no", "that", "this", "which", "what", "with", "same",
                       "customers", "customer", "clients", "contacts", "people", "ones", "are", "is", "were",
                       "been"})


def read_tag_filter(u: Utterance, tool: ToolSlots, args: dict[str, Any]) -> None:
    slot = tool.get("tag")
    if slot is None or slot.kind != "text" or "tag" in args:
        return
    for pattern in FILTER_TAG:
        for found in u.find(pattern):
            tag = next(v for v in found.groupdict().values() if v).lower()
            if tag not in NOT_A_TAG:
                u.take(found.start(), found.end())
                args["tag"] = tag
                return


def read_tags(u: Utterance, tool: ToolSlots, args: dict[str, Any]) -> str | None:
    """The tags given; returns the field when the request tags without saying which tag ("tag
    Sofia Khan"): it is asked for, not changed to nothing."""
    slot = tool.get("add_tags") or tool.get("tags")
    if slot is None or slot.kind != "list" or slot.name in args:
        return None
    if _named_tags(u, tool, args):
        return None
    cue = next(iter(u.find(CUE)), None)
    if cue is None:
        vip = next(iter(u.find(VIP)), None)
        if vip is not None:
            u.take(vip.start(), vip.end())
            args[slot.name] = ["vip"]
        return None
    u.take(cue.start(), cue.end())
    found: list[str] = []
    tokens = [t for t in u.tokens() if t[1] >= cue.end()]
    for i, (token, start, end) in enumerate(tokens):
        word = token.lower()
        if word in END or (not re.match(r"\w", word) and word != ","):
            break
        if found and i + 1 < len(tokens) and tokens[i + 1][0].lower() in OBJECTS:
            break  # "tag her vip and mark her as inactive": a verb on the record, not a tag
        if word == "," or word in SKIP:
            continue
        found.append(word)
        u.take(start, end)
        if len(found) == MAX_TAGS:
            break
    if found:
        args[slot.name] = found
        return None
    vip = next(iter(u.find(VIP)), None)  # "... is VIP now, add the tag"
    if vip is not None:
        u.take(vip.start(), vip.end())
        args[slot.name] = ["vip"]
        return None
    return slot.name if cue.start() == 0 and slot.name == "add_tags" else None


def _named_tags(u: Utterance, tool: ToolSlots, args: dict[str, Any]) -> bool:
    """"add the wholesale tag" adds it; "take off his vip tag" removes it (to `remove_tags` where
    the tool has one)."""
    off = next(iter(u.find(TAKEN_OFF)), None)
    found = off or next(iter(u.find(NAMED_TAG)), None)
    if found is None:
        return False
    removing = off is not None or found.group("verb") in REMOVING
    slot = tool.get("remove_tags") if removing else tool.get("add_tags") or tool.get("tags")
    if slot is None or slot.kind != "list":
        return False
    u.take(found.start(), found.end())
    tags = listed(found.group("tags"))
    if all(t in POINTING for t in tags):  # "he's not a VIP anymore, take that tag off him"
        said = next(iter(u.find(VIP_WORD)), None) or next(iter(u.find(NO_LONGER)), None)
        if said is None:
            return True
        tags = [said.group("tag").lower()]
    args[slot.name] = tags
    return True


def listed(said: str) -> list[str]:
    """"vip, wholesale and b2b" as its items."""
    return [item for item in re.split(r"\s*(?:,|\band\b)\s*", said) if item]
