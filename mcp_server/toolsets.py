"""Which tools an MCP client sees directly, and the search over all of them.

MCP clients degrade or refuse past a few dozen tools (Cursor 40–80, Windsurf 50), so only the
toolsets named by `settings.mcp_toolsets` are listed, capped at MAX_LISTED_TOOLS including the
two meta tools; `search_tools` and `call_tool` reach everything else.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import get_args

from tools.registry import Toolset, ToolSpec
from tools.retrieval import rank, tokenize

log = logging.getLogger("bizpilot.mcp")

MAX_LISTED_TOOLS = 40
META_TOOLS = ("search_tools", "call_tool")
ALL_TOOLSETS: tuple[str, ...] = get_args(Toolset)


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


def search(specs: Iterable[ToolSpec], query: str, *, toolset: str | None = None,
           limit: int = 10) -> tuple[list[ToolSpec], int]:
    """Best matches first (the agent's tool retrieval, `tools.retrieval`) and how many matched
    in all. An empty query lists every tool."""
    pool = list(specs)
    if not tokenize(query):
        listed = sorted((s for s in pool if toolset is None or s.toolset == toolset),
                        key=lambda s: (s.toolset, s.name))
        return listed[:limit], len(listed)
    by_name = {s.name: s for s in pool}
    hits = [by_name[m.name] for m in rank(query, pool)
            if m.score > 0 and (toolset is None or by_name[m.name].toolset == toolset)]
    return hits[:limit], len(hits)
