"""The one tool retrieval (tools/retrieval.py) that the agent's tool selection and MCP's
search_tools share: ranking quality on real requests, misspellings, determinism, caching."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, Field

from agent.tool_selection import select_tools
from mcp_server.toolsets import search
from tools import retrieval
from tools.registry import ToolSpec, all_tools

ROOT = Path(__file__).resolve().parents[2]


def top(query: str, k: int = 3) -> list[str]:
    return retrieval.top_names(query, k=k)


@pytest.mark.parametrize(("query", "tool"), [
    ("how much did we make last month", "revenue_for_period"),
    ("what was revenue in September?", "revenue_for_period"),
    ("who is on my team?", "list_workspace_members"),
    ("delete the customer Acme Corp", "delete_customer"),
    ("move the Globex deal to negotiation", "move_deal_stage"),
    ("how's the pipeline looking", "pipeline_summary"),
    ("who are my biggest spenders this year", "top_customers"),
])
def test_everyday_requests_rank_their_tool_in_the_top_3(query: str, tool: str) -> None:
    assert tool in top(query), retrieval.rank(query, limit=5)


@pytest.mark.parametrize(("query", "tool", "misspelt", "meant"), [
    ("show me all my custoemrs", "list_customers", "custoemrs", "customers"),
    ("pipleine overveiw", "pipeline_summary", "pipleine", "pipeline"),
    ("delette the Globex deal", "delete_deal", "delette", "delete"),
])
def test_a_misspelling_still_finds_the_tool(query: str, tool: str, misspelt: str, meant: str) -> None:
    index = retrieval.index_for(all_tools().values())
    assert retrieval.normalize(misspelt) not in index.vocabulary  # really unknown: corrected, not indexed
    assert retrieval.normalize(meant) in index.query_terms(misspelt)
    assert tool in top(query), retrieval.rank(query, limit=5)


def test_a_search_box_prefix_matches_the_words_it_starts() -> None:
    assert all("customer" in name for name in top("cust", 3))


def test_unrelated_words_are_not_forced_onto_a_tool() -> None:
    index = retrieval.index_for(all_tools().values())
    assert index.query_terms("xqzv") == {}
    assert all(m.score == 0 for m in retrieval.rank("xqzv"))


def test_ranking_is_deterministic_and_ties_keep_the_given_order() -> None:
    specs = list(all_tools().values())
    assert retrieval.rank("open deals over 10k", specs) == retrieval.rank("open deals over 10k", specs)
    assert [m.name for m in retrieval.rank("xqzv", specs)] == [s.name for s in specs]
    reverse = specs[::-1]
    assert [m.name for m in retrieval.rank("xqzv", reverse)] == [s.name for s in reverse]


class _In(BaseModel):
    customer_id: str | None = Field(None, description="Which customer.")
    note: str = Field("", description="Free text.")


class _Out(BaseModel):
    ok: bool = True


def fake_spec(name: str, description: str, toolset: Any = "crm") -> ToolSpec:
    return ToolSpec(name=name, title=name.replace("_", " ").capitalize(), description=description,
                    fn=lambda _ctx, _inp: _Out(), input_model=_In, output_model=_Out, kind="read",
                    toolset=toolset, min_role="user", idempotent=True)


def test_declared_examples_bridge_how_people_ask_and_how_tools_describe_themselves() -> None:
    specs = [fake_spec("stock_levels", "Inventory quantities per SKU and warehouse."),
             fake_spec("supplier_list", "Vendors the business buys from, with contact details."),
             fake_spec("shipping_rates", "Carrier prices for parcels by weight and zone.")]
    query = "are we running low on blue kayaks?"
    without = retrieval.rank(query, specs, examples={})
    assert all(m.score == 0 for m in without)
    examples = {"stock_levels": ["how many kayaks do we have left", "are we running low on paddles",
                                 "what's in the warehouse"]}
    with_examples = retrieval.rank(query, specs, examples=examples)
    assert with_examples[0].name == "stock_levels" and with_examples[0].score > 0
    assert with_examples[1].score == 0


def test_the_index_is_cached_per_content() -> None:
    specs = list(all_tools().values())
    assert retrieval.index_for(specs) is retrieval.index_for(list(all_tools().values()))
    one = retrieval.index_for(specs, examples={"list_customers": ["buyers zymurgy"]})
    assert one is not retrieval.index_for(specs)
    assert one is retrieval.index_for(specs, examples={"list_customers": ["buyers zymurgy"]})
    assert "zymurgy" in one.vocabulary and "zymurgy" not in retrieval.index_for(specs).vocabulary
    assert one.rank("zymurgy")[0].name == "list_customers"


def test_every_tool_is_indexed_with_its_declared_examples() -> None:
    from tools.language import language_of

    index = retrieval.index_for(all_tools().values())
    assert index.names == tuple(all_tools())
    declared = [name for name in all_tools() if language_of(name) is not None]
    examples = retrieval.declared_examples()
    assert set(examples) == set(declared)
    for name in declared:
        language = language_of(name)
        assert language is not None and examples[name] == language.examples


def test_agent_selection_and_mcp_search_share_the_ranking() -> None:
    specs = list(all_tools().values())
    query = "add a new lead called Dana Whitfield"
    best = retrieval.rank(query, specs)[0].name
    found, total = search(specs, query, limit=3)
    assert found[0].name == best and total >= 3
    assert best in [s.name for s in select_tools(query, specs, k=4)]


def test_selection_adds_the_lookup_an_action_needs_and_keeps_used_tools() -> None:
    specs = list(all_tools().values())
    picked = [s.name for s in select_tools("create a deal for Acme worth 12k", specs, k=4)]
    assert "create_deal" in picked and "list_customers" in picked  # customer_id: resolve "Acme"
    again = [s.name for s in select_tools("and for Globex?", specs, k=4, always=["create_deal"])]
    assert "create_deal" in again


def test_mcp_search_filters_by_toolset_and_lists_everything_for_an_empty_query() -> None:
    specs = list(all_tools().values())
    found, total = search(specs, "list", toolset="admin", limit=50)
    assert found and all(s.toolset == "admin" for s in found) and total == len(found)
    everything, count = search(specs, "the", limit=100)
    assert count == len(specs) == len(everything)


def test_tools_do_not_import_the_adapters() -> None:
    code = ("import sys, tools.retrieval as r; r.rank('revenue last month'); "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('agent', 'mcp_server', 'api')); "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
