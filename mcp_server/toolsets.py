"""Which tools an MCP client sees directly, and a lexical search over all of them.

MCP clients degrade or refuse past a few dozen tools (Cursor 40–80, Windsurf 50), so only the
toolsets named by `settings.mcp_toolsets` are listed, capped at MAX_LISTED_TOOLS including the
two meta tools; `search_tools` and `call_tool` reach everything else.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from typing import get_args

from tools.registry import Toolset, ToolSpec

log = logging.getLogger("bizpilot.mcp")

MAX_LISTED_TOOLS = 40
META_TOOLS = ("search_tools", "call_tool")
ALL_TOOLSETS: tuple[str, ...] = get_args(Toolset)
_WORD = re.compile(r"[a-z0-9]+")
_STOPWORDS = frozenset({
    "a", "an", "and", "are", "by", "do", "for", "from", "get", "how", "i", "in", "is", "it", "me", "my",
    "of", "on", "or", "show", "the", "to", "what", "which", "with",
})


def parse_toolsets(value: str) -> list[str]:
    """`crm, analytics` → ["crm", "analytics"] in the operator's order (it decides who is cut
    first by the cap); `all` or `*` selects every toolset; unknown names are logged and skipped."""
    names = [n.strip().lower() for n in value.split(",") if n.strip()]
    if any(n in ("*", "all") for n in names):
        return list(ALL_TOOLSETS)
    unknown = [n for n in names if n not in ALL_TOOLSETS]
    if unknown:
        log.warning("ignoring unknown MCP toolsets %s (known: %s)", unknown, ", ".join(ALL_TOOLSETS))
    return list(dict.fromkeys(n for n in names if n in ALL_TOOLSETS))


def listed_tools(specs: Iterable[ToolSpec], toolsets: Sequence[str]) -> list[ToolSpec]:
    """The registered tools listed directly: selected toolsets in order, capped so that with
    the meta tools the listing never exceeds MAX_LISTED_TOOLS."""
    pool = list(specs)
    chosen = [spec for toolset in toolsets for spec in pool if spec.toolset == toolset]
    room = MAX_LISTED_TOOLS - len(META_TOOLS)
    if len(chosen) > room:
        cut = [spec.name for spec in chosen[room:]]
        log.warning("MCP listing capped at %d tools; reachable through call_tool only: %s",
                    MAX_LISTED_TOOLS, ", ".join(cut))
    return chosen[:room]


def _stem(word: str) -> str:
    """Crude plural folding so "deals" finds delete_deal and "customers" finds get_customer."""
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def terms(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOPWORDS}


def score(spec: ToolSpec, query_terms: set[str]) -> float:
    """Name matches weigh most, then toolset and title, then the description; a query word that
    is a prefix of a name word ("cust") still counts a little."""
    name = terms(spec.name.replace("_", " "))
    described = terms(spec.description)
    heading = terms(spec.title) | {spec.toolset}
    total = 0.0
    for term in query_terms:
        if term in name:
            total += 3
        elif any(word.startswith(term) for word in name) and len(term) >= 3:
            total += 1.5
        if term in heading:
            total += 1
        if term in described:
            total += 1
    return total


def search(specs: Iterable[ToolSpec], query: str, *, toolset: str | None = None,
           limit: int = 10) -> tuple[list[ToolSpec], int]:
    """Best matches first and how many matched in all. An empty query lists every tool."""
    pool = [s for s in specs if toolset is None or s.toolset == toolset]
    wanted = terms(query)
    if not wanted:
        ranked = sorted(pool, key=lambda s: (s.toolset, s.name))
        return ranked[:limit], len(ranked)
    scored = [(score(s, wanted), s) for s in pool]
    hits = sorted(((value, s) for value, s in scored if value > 0), key=lambda p: (-p[0], p[1].name))
    return [s for _value, s in hits[:limit]], len(hits)
