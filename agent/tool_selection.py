"""Which tools the model is shown for a request.

Models choose worse, and cost more, with dozens of tools in the prompt. So the request is
ranked against every tool by the one tool retrieval (`tools.retrieval`: BM25 over each tool's
name, title, toolset, description, input fields and declared example requests, the same
ranking MCP's `search_tools` uses), and the best `k` are shown, always together with the tools
already used in the conversation so follow-ups ("and last month?") keep working, and with the
lookup tools an action needs to resolve the names it is given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tools.language import language_of
from tools.registry import ToolSpec
from tools.retrieval import index_for, tokenize

__all__ = ["DEFAULT_K", "RESOLVER", "score", "select_tools", "tokenize"]

DEFAULT_K = 12

RESOLVER = "find_records"
"""The lookup that resolves a name in the request ("the Acme deal", "Jane Smith") to the id a
tool's reference field (`tools.language.ToolLanguage.references`) needs."""


def score(query: str, specs: Sequence[ToolSpec]) -> dict[str, float]:
    """Retrieval score of every tool for the query (0 for no match)."""
    index = index_for(specs)
    return dict(zip(index.names, index.scores(query), strict=True))


def select_tools(
    query: str,
    specs: Sequence[ToolSpec],
    *,
    always: Iterable[str] = (),
    k: int = DEFAULT_K,
) -> list[ToolSpec]:
    """The tools to show: all of them when there are at most `k`; else the tools in `always`
    (used earlier in the conversation) plus the best matches up to `k` (at least `k // 2` fresh
    ones however many were used, so a new request still finds its tool; ties and misses fall
    back to read-only first, then registry order), each followed by the lookups it needs, and
    always `find_records` when a chosen tool has a reference field, even past `k`: without it
    a model cannot turn "the Acme deal" into a `deal_id`. The result keeps registry order, so
    prompts stay stable."""
    if len(specs) <= k:
        return list(specs)
    by_name = {s.name: s for s in specs}
    order = {s.name: i for i, s in enumerate(specs)}
    pinned = [name for name in dict.fromkeys(always) if name in order]
    scores = score(query, specs)
    ranked = sorted(specs, key=lambda s: (-scores[s.name], not s.read_only, order[s.name]))
    budget = len(pinned) + max(k - len(pinned), k // 2)
    chosen = list(pinned)
    for spec in ranked:
        for name in (spec.name, *_companions(spec, by_name)):
            if len(chosen) < budget and name not in chosen:
                chosen.append(name)
    if RESOLVER in by_name and RESOLVER not in chosen and any(_references(n) for n in chosen):
        chosen.append(RESOLVER)
    return [by_name[n] for n in sorted(chosen, key=order.__getitem__)]


def _references(tool_name: str) -> bool:
    """Whether the tool has an id field filled by resolving a name (see `RESOLVER`)."""
    language = language_of(tool_name)
    return bool(language and language.references)


def _companions(spec: ToolSpec, by_name: dict[str, ToolSpec]) -> list[str]:
    """The lookup tools an action needs to resolve names to ids: `delete_customer` is useless
    without `list_customers` ("delete Acme Corp" names no id), and `create_deal`, whose input
    has a `customer_id`, needs it too ("a deal for Acme")."""
    entities = [spec.name.partition("_")[2]]
    entities += [field[:-3] for field in spec.input_model.model_fields if field.endswith("_id")]
    found: list[str] = []
    for entity in filter(None, entities):
        for candidate in (f"list_{entity}s", f"search_{entity}s", f"list_{entity}"):
            if candidate in by_name and candidate != spec.name and candidate not in found:
                found.append(candidate)
    return found
