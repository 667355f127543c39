"""Routing on single requests written apart from the examples and the eval sets: which tools the
offline model plans for each in-scope request (`dev/in_scope.jsonl`, the tool that answers it)
and whether it declines each out-of-scope one (`dev/out_of_scope.txt`).

Written blind by helpers in stop 11 from the tool descriptions only (183 CRM requests first
written as candidate examples in stop 10 and never trained on, 204 for the other tools, 229 out
of scope); used since to choose between changes, so it is a tuning set, not a held-out one. In
stop 12 the 130 out-of-scope lines that had first been written in stop 10 as training examples
became training examples (agent/nlu/out_of_scope.txt) and left this set, which keeps 99. Plans
are read without running tools: a name is not looked up, so "right" means the plan holds the
tool, and "exact" that it is that tool alone.

`python -m evals.routing_dev [-v]`
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from langchain_core.messages import HumanMessage

from agent.nlu.catalog import build_catalog
from agent.nlu.conversation import Conversation
from agent.nlu.interpret import Interpreter

HERE = Path(__file__).parent / "dev"
TODAY = date(2026, 12, 5)


def planned(text: str) -> list[str]:
    catalog = build_catalog()
    conversation = Conversation.of([HumanMessage(content=text)])
    interpreter = Interpreter(catalog, conversation, set(catalog.tools), TODAY, catalog.lookup)
    return [intent.tool for intent in interpreter.plan(0).intents]


SETS = (("stop 11", "in_scope.jsonl", "out_of_scope.txt"),
        ("stop 12", "in_scope_2.jsonl", "out_of_scope_2.txt"))


def main(verbose: bool = False) -> None:
    for name, in_scope, out_of_scope in SETS:
        print(f"{name}: {score(in_scope, out_of_scope, verbose)}")


def score(in_scope: str, out_of_scope: str, verbose: bool) -> str:
    cases = [json.loads(line) for line in (HERE / in_scope).read_text().splitlines() if line]
    outside = [line for line in (HERE / out_of_scope).read_text().splitlines() if line.strip()]
    right = exact = refused = declined = 0
    for case in cases:
        wanted = case.get("tools") or [case["tool"]]
        tools = planned(case["text"])
        right += all(tool in tools for tool in wanted)
        exact += tools == wanted
        refused += not tools
        if verbose and tools != wanted:
            print(f"  in scope, {'+'.join(wanted)} -> {', '.join(tools) or 'declined'}: {case['text']}")
    for text in outside:
        tools = planned(text)
        declined += not tools
        if verbose and tools:
            print(f"  out of scope -> {', '.join(tools)}: {text}")
    return (f"in scope: {right}/{len(cases)} plans hold the tool(s), {exact} exactly, {refused} declined or "
            f"asked; out of scope: {declined}/{len(outside)} declined")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true")
    main(parser.parse_args().verbose)
