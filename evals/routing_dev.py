"""Routing on single requests written apart from the examples and the eval sets: which tools the
offline model plans for each in-scope request (`dev/in_scope_3.jsonl`, the tool or tools that
answer it) and whether it declines each out-of-scope one (`dev/out_of_scope_3.txt`).

Written blind in stop 15 by helpers who read only the tool cards and the demo data: 504 single
requests (6 per tool), 24 of two steps, and 200 out of scope (60 general, 140 business work no
tool does). The dev sets of stops 11 and 12 were written the same way; in stop 15 they became
training examples (each tool's `examples.txt`, `agent/nlu/out_of_scope.txt`), chosen on this set,
so this set is a tuning set now, not a held-out one. Stop 16's set (`dev/in_scope_4.jsonl`: 252
single requests, 3 per tool, and 24 of two steps; `dev/out_of_scope_4.txt`: 35 general and 65
business) was written the same way, blind to stop 16's training data, which it then decided.
Stop 17's (`dev/in_scope_5.jsonl`: 180 requests over every tool, 5 of two steps;
`dev/out_of_scope_5.txt`: 40 business tasks, 40 operations on known records no tool does, 40
general) was written the same way and measured blind once before stop 17's changes. Stop 18's
(`dev/in_scope_6.jsonl`: 170 requests over every tool in six personas' voices, 20 of two steps;
`dev/out_of_scope_6.txt`: 50 business tasks, 30 operations on known records, 40 general) was
measured blind once before stop 18's changes: 158/170 hold, 143 exact, 1 declined; 115/120
declined. Stop 19's (`dev/in_scope_7.jsonl`: 160 requests weighted to lineage, security,
insights, automations, connectors and simulations, 10 of two steps; `dev/out_of_scope_7.txt`: 70
near misses on the business's own data, 50 general) was measured blind once before stop 19's
changes: 149/160 hold, 140 exact, 2 declined; 114/120 declined. Stop 20's (`dev/in_scope_8.jsonl`:
150 requests weighted to customers and deals, 15 that sound out of scope but are not, 10 of two
steps; `dev/out_of_scope_8.txt`: 65 near misses on the business's own data, 35 general) was measured
blind once before stop 20's changes: 131/150 hold, 126 exact, 7 declined; 97/100 declined.
Plans are read without running tools: a name is not looked up, so "right" means the plan holds
the tool, and "exact" that it is that tool alone.

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


SETS = (("stop 15", "in_scope_3.jsonl", "out_of_scope_3.txt"),
        ("stop 16", "in_scope_4.jsonl", "out_of_scope_4.txt"),
        ("stop 17", "in_scope_5.jsonl", "out_of_scope_5.txt"),
        ("stop 18", "in_scope_6.jsonl", "out_of_scope_6.txt"),
        ("stop 19", "in_scope_7.jsonl", "out_of_scope_7.txt"),
        ("stop 20", "in_scope_8.jsonl", "out_of_scope_8.txt"))


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
