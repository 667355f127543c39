"""Retrieval recall: whether tool retrieval ranks each expected tool of a case among the top
RETRIEVAL_K for the text the graph retrieves on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from evals.cases import CaseOutcome

RETRIEVAL_K = 8
QUERY_TURNS = 2
"""Fallback for agent.graph.QUERY_TURNS (how many user turns tool retrieval matches on)."""


def turns_seen() -> int:
    try:
        from agent import graph
    except ImportError:  # pragma: no cover - the graph is being rebuilt
        return QUERY_TURNS
    return int(getattr(graph, "QUERY_TURNS", QUERY_TURNS))


def retrieval_query(turns: Sequence[str]) -> str:
    """The text tool retrieval sees for the last turn: the last user turns, joined as
    agent.graph joins them."""
    return "\n".join(list(turns)[-turns_seen():])


def check_retrieval(outcome: CaseOutcome, specs: Sequence[Any], k: int = RETRIEVAL_K) -> None:
    from tools.retrieval import index_for

    expected = list(dict.fromkeys(c["name"] for c in outcome.case.get("expected_calls") or []))
    if not expected:
        return
    ranked = [m.name for m in index_for(specs).rank(retrieval_query(outcome.case["turns"]))[:k]]
    outcome.retrieval_total = len(expected)
    outcome.retrieval_missed = [name for name in expected if name not in ranked]
    outcome.retrieval_hits = len(expected) - len(outcome.retrieval_missed)
