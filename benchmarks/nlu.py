"""The offline NLU and the tool retrieval at 150 tools (`make bench`, or `python -m benchmarks.nlu`).

The registry has a couple of dozen tools today; the design expects many more. So the real tools,
with their declared example requests, are joined by synthetic ones up to 150: each a ToolSpec with
a description and typed inputs, and a ToolLanguage-like example set, templated from varied verbs
(list, create, update, delete, summarise) and business objects (invoices, shipments, payroll
runs, ...), written the ways owners ask (terse, chatty, misspelt). Three of each tool's templates
are held back from its examples: they are the requests it is measured on.

Measured:
- NLU training time, and routing latency p50/p95 over 1,000 requests, with top-1 accuracy on
  the held-back synthetic requests and on crm.jsonl's single-tool requests (the training /
  tuning set: never the held-out set);
- the meaning check (agent.nlu.meaning): encoding every example cold, the share of requests
  unsure enough to be checked, and routing latency with the check;
- tool retrieval (tools.retrieval): index build time, latency p50/p95 over 1,000 requests,
  recall@8 on the same requests (crm.jsonl also at the real registry size, for comparison).

The classifier is reached through one small interface, `Trainer`: (examples per tool, out-of-scope
requests) -> an object whose `.predict(text)` is (label, confidence). `nlu_trainer()` adapts
agent.nlu's classifier to it; if agent.nlu is missing or its interface moved, that part of the
report says so and the retrieval figures still print.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, get_args

from pydantic import BaseModel, Field, create_model

from benchmarks.meaning import _ms, bench_meaning
from tools.registry import Toolset, ToolSpec

ROOT = Path(__file__).resolve().parents[1]
TOTAL_TOOLS = 150
REQUESTS = 1000
RETRIEVAL_K = 8
HELD_BACK = 3

OBJECTS: tuple[tuple[str, str], ...] = (
    ("invoice", "invoices"), ("supplier", "suppliers"), ("shipment", "shipments"),
    ("support ticket", "support tickets"), ("marketing campaign", "marketing campaigns"),
    ("discount code", "discount codes"), ("warehouse", "warehouses"), ("employee shift", "employee shifts"),
    ("expense report", "expense reports"), ("purchase order", "purchase orders"), ("product", "products"),
    ("subscription", "subscriptions"), ("refund", "refunds"), ("appointment", "appointments"),
    ("newsletter", "newsletters"), ("webhook", "webhooks"), ("integration", "integrations"),
    ("payroll run", "payroll runs"), ("tax filing", "tax filings"), ("contract", "contracts"),
    ("inventory item", "inventory items"), ("loyalty member", "loyalty members"), ("review", "reviews"),
    ("survey", "surveys"), ("budget", "budgets"), ("vendor payment", "vendor payments"),
    ("delivery route", "delivery routes"), ("gift card", "gift cards"),
)
VERBS: dict[str, dict[str, Any]] = {
    "list": {
        "description": "List the business's {pl} with optional filters (status, date range, free text), "
                       "newest first; paginated, with the total count.",
        "fields": {"status": "Only {pl} in this status.", "search": "Text to find in the {sg}'s name.",
                   "created_after": "Only {pl} added on or after this day (YYYY-MM-DD)."},
        "kind": "read",
        "templates": ("show me all {pl}", "list {pl}", "which {pl} do we have", "how many {pl} are there",
                      "pull up the {pl}", "{pl} please", "any open {pl}?", "what {pl} came in this week",
                      "can you get me the {pl} from last month", "display every {sg}",
                      "lst all {pl}", "i'd like to see our {pl}", "find {pl} for {company}",
                      "count the {pl}"),
    },
    "create": {
        "description": "Create {a} {sg} with its name and details; returns the new {sg}.",
        "fields": {"name": "The {sg}'s name.", "amount": "Its amount in the workspace currency.",
                   "notes": "Free text kept with the {sg}."},
        "kind": "write",
        "templates": ("add a new {sg}", "create {a} {sg} for {company}", "new {sg}: {company}",
                      "set up {a} {sg}", "log {a} {sg}", "make {a} {sg} called Spring",
                      "register {a} {sg}", "I need a new {sg}", "open {a} {sg} for {company}",
                      "start {a} {sg} worth 2k", "creat {a} {sg}", "please add {a} {sg} for {company}",
                      "new {sg} for next week", "can you create another {sg}"),
    },
    "update": {
        "description": "Change fields of {a} {sg} (status, owner, dates, amounts); unset fields stay.",
        "fields": {"{key}_id": "The {sg} to change.", "status": "Its new status.",
                   "owner": "Who is responsible for it now."},
        "kind": "write",
        "templates": ("change the {sg} for {company}", "edit {sg} 42", "update the {sg} status to done",
                      "rename the {sg}", "modify the latest {sg}", "set the {sg} date to Friday",
                      "fix the {sg} amount", "adjust the {sg} details", "mark the {sg} as approved",
                      "correct the {sg} owner", "updte the {sg}", "the {sg} for {company} needs a new owner",
                      "move the {sg} to next month", "switch the {sg} to pending"),
    },
    "delete": {
        "description": "Permanently delete {a} {sg}. The first call only previews and returns a "
                       "confirmation_token; call again with it to delete.",
        "fields": {"{key}_id": "The {sg} to delete."},
        "kind": "destructive",
        "templates": ("delete the {sg}", "remove {sg} 17", "get rid of the old {pl}",
                      "cancel the {sg} for {company}", "erase that {sg}", "drop the duplicate {sg}",
                      "trash the {sg}", "wipe the test {pl}", "discard {sg} 9", "delete all draft {pl}",
                      "delet the {sg} from {company}", "please remove this {sg}", "kill the {sg}",
                      "the {sg} for {company} should go"),
    },
    "summarize": {
        "description": "Summarize {pl} for a period: count, totals and the change against the "
                       "previous period.",
        "fields": {"period": "The period: this_month, last_month, last_quarter, ytd, ..."},
        "kind": "read",
        "templates": ("{sg} summary", "summarize our {pl}", "{sg} totals this quarter",
                      "how are {pl} trending", "give me a {sg} report", "{sg} stats for last month",
                      "overview of {pl}", "breakdown of {pl} by month", "what's the total across {pl}",
                      "{pl} at a glance", "sumary of {pl} ytd", "how did {pl} do last year",
                      "{pl} compared to last quarter", "are {pl} up or down"),
    },
}
COMPANIES = ("Acme", "Globex", "Initech", "Hooli", "Oscorp", "Umbrella", "Stark Supplies")
OUT_OF_SCOPE = ("what's the weather tomorrow", "tell me a joke", "book me a flight to Berlin",
                "write a poem about autumn", "who won the world cup", "translate hello into German")


class Router(Protocol):
    def predict(self, text: str) -> tuple[str, float]: ...


Trainer = Callable[[dict[str, list[str]], list[str]], Router]


@dataclass
class SyntheticTool:
    spec: ToolSpec
    examples: list[str]
    held_back: list[str]


class _Out(BaseModel):
    ok: bool = True


def _fill(template: str, sg: str, pl: str, rng: random.Random) -> str:
    article = "an" if sg[0] in "aeiou" else "a"
    return template.format(sg=sg, pl=pl, a=article, company=rng.choice(COMPANIES))


def synthetic_tools(count: int, seed: int = 0) -> list[SyntheticTool]:
    """`count` made-up tools (object x verb), each with its examples and held-back requests."""
    rng = random.Random(seed)
    toolsets = get_args(Toolset)
    out: list[SyntheticTool] = []
    for i, ((sg, pl), verb) in enumerate((o, v) for o in OBJECTS for v in VERBS):
        if len(out) == count:
            break
        spec_of = VERBS[verb]
        key = sg.replace(" ", "_")
        name = f"{verb}_{key if verb in ('create', 'update', 'delete') else pl.replace(' ', '_')}"
        fields: dict[str, Any] = {
            field.format(key=key): (str | None, Field(None, description=text.format(sg=sg, pl=pl)))
            for field, text in spec_of["fields"].items()}
        model = create_model(f"Synthetic{i}Input", **fields)
        spec = ToolSpec(name=name, title=name.replace("_", " ").capitalize(),
                        description=_fill(spec_of["description"], sg, pl, rng),
                        fn=lambda _ctx, _inp: _Out(), input_model=model, output_model=_Out,
                        kind=spec_of["kind"], toolset=toolsets[i % len(toolsets)], min_role="user",
                        idempotent=spec_of["kind"] == "read")
        templates = list(spec_of["templates"])
        rng.shuffle(templates)
        texts = [_fill(t, sg, pl, rng) for t in templates]
        out.append(SyntheticTool(spec, texts[HELD_BACK:], texts[:HELD_BACK]))
    if len(out) < count:
        raise ValueError(f"only {len(out)} synthetic tools can be made; add objects")
    return out


def crm_requests() -> list[tuple[str, str, list[str]]]:
    """(last turn, the last two turns as retrieval sees them, expected tools) of crm.jsonl cases
    that expect tool calls. crm.jsonl is the training / tuning set, never the held-out set."""
    out = []
    for line in (ROOT / "evals" / "datasets" / "crm.jsonl").read_text().splitlines():
        if line.strip():
            case = json.loads(line)
            names = list(dict.fromkeys(c["name"] for c in case["expected_calls"]))
            if names:
                out.append((case["turns"][-1], "\n".join(case["turns"][-2:]), names))
    return out


def nlu_trainer() -> Trainer:
    """agent.nlu's intent classifier behind the benchmark's interface. It brings its own
    out-of-scope and conversation examples (agent/nlu/*.txt), so the list passed is not used."""
    from agent.nlu.classifier import IntentClassifier
    from agent.nlu.training import build
    from tools.language import ToolLanguage

    class Adapter:
        def __init__(self, classifier: Any) -> None:
            self.classifier = classifier

        def predict(self, text: str) -> tuple[str, float]:
            label, confidence = self.classifier.ranked(text)[0]
            return str(label), float(confidence)

    def train(examples: dict[str, list[str]], out_of_scope: list[str]) -> Router:
        languages = {name: ToolLanguage(examples=tuple(texts), phrase=lambda _out, _args: "")
                     for name, texts in examples.items()}
        return Adapter(IntentClassifier(build(languages)))

    return train


def _timed(fn: Callable[[str], Any], texts: Sequence[str]) -> tuple[list[Any], list[float]]:
    results, latencies = [], []
    for text in texts:
        started = time.perf_counter()
        results.append(fn(text))
        latencies.append(time.perf_counter() - started)
    return results, latencies


def bench_retrieval(specs: Sequence[ToolSpec], examples: Mapping[str, Sequence[str]],
                    probes: Sequence[tuple[str, list[str]]], real: Sequence[ToolSpec],
                    crm: Sequence[tuple[str, str, list[str]]], synthetic_probes: int) -> list[str]:
    from tools import retrieval

    started = time.perf_counter()
    index = retrieval.index_for(specs, examples)
    build_ms = (time.perf_counter() - started) * 1000
    texts = [probes[i % len(probes)][0] for i in range(REQUESTS)]
    _, latencies = _timed(index.rank, texts)

    def recall(items: Sequence[tuple[str, list[str]]], idx: Any) -> float:
        hits = total = 0
        for text, wanted in items:
            top = {m.name for m in idx.rank(text)[:RETRIEVAL_K]}
            hits += sum(name in top for name in wanted)
            total += len(wanted)
        return hits / total if total else float("nan")

    small = retrieval.index_for(real)
    crm_probes = [(query, names) for _last, query, names in crm]
    return [
        f"  tool retrieval: index of {len(specs)} tools built in {build_ms:.0f} ms (then cached); "
        f"{REQUESTS:,} requests p50 {_ms(latencies, 0.5):.2f} ms, p95 {_ms(latencies, 0.95):.2f} ms",
        f"    recall@{RETRIEVAL_K}: held-back synthetic requests "
        f"{recall(probes[:synthetic_probes], index):.1%}; "
        f"crm.jsonl {recall(crm_probes, index):.1%} at {len(specs)} tools "
        f"(vs {recall(crm_probes, small):.1%} at {len(real)})",
    ]


def bench_nlu(train: Trainer, examples: dict[str, list[str]], real_examples: dict[str, list[str]],
              probes: Sequence[tuple[str, list[str]]], crm: Sequence[tuple[str, str, list[str]]],
              synthetic_probes: int) -> list[str]:
    os.environ["NLU_CACHE"] = "false"  # training itself, not a load of an earlier run's model
    started = time.perf_counter()
    router = train(examples, list(OUT_OF_SCOPE))
    train_s = time.perf_counter() - started
    load_s = _cached_load(train, examples)
    texts = _requests(probes, crm, synthetic_probes)
    _, latencies = _timed(router.predict, texts)

    def accuracy(items: Sequence[tuple[str, list[str]]], r: Router) -> float:
        right = sum(r.predict(text)[0] == wanted[0] for text, wanted in items)
        return right / len(items) if items else float("nan")

    single = [(last, names) for last, query, names in crm if len(names) == 1 and last == query]
    small_started = time.perf_counter()
    small = train(real_examples, list(OUT_OF_SCOPE))
    small_s = time.perf_counter() - small_started
    return [
        f"  NLU training: {train_s:.2f} s for {len(examples)} tools, "
        f"{sum(map(len, examples.values())):,} examples (vs {small_s:.2f} s at {len(real_examples)} tools); "
        f"a later start loads it from the data directory in {load_s:.2f} s",
        f"  NLU routing: {REQUESTS:,} requests p50 {_ms(latencies, 0.5):.2f} ms, "
        f"p95 {_ms(latencies, 0.95):.2f} ms",
        f"    top-1: held-back synthetic requests {accuracy(probes[:synthetic_probes], router):.1%} "
        f"({_misroutes(probes[:synthetic_probes], router)}); crm.jsonl single-tool requests "
        f"{accuracy(single, router):.1%} at {len(examples)} tools (vs {accuracy(single, small):.1%} "
        f"at {len(real_examples)})",
    ]


def _requests(probes: Sequence[tuple[str, list[str]]], crm: Sequence[tuple[str, str, list[str]]],
              synthetic_probes: int) -> list[str]:
    """REQUESTS requests to time: the held-back synthetic ones and crm.jsonl's, in turn."""
    asked = [*(text for text, _names in probes[:synthetic_probes]), *(last for last, _q, _n in crm)]
    return [asked[i % len(asked)] for i in range(REQUESTS)]


def _cached_load(train: Trainer, examples: dict[str, list[str]]) -> float:
    """Seconds to start with the model a previous start saved (agent.nlu.model_cache), measured
    in a throwaway data directory: one start to save it, one to load it."""
    import tempfile

    from core.env import settings_env

    with tempfile.TemporaryDirectory() as tmp, settings_env(NLU_CACHE="true", DATA_DIR=tmp):
        train(examples, list(OUT_OF_SCOPE))
        started = time.perf_counter()
        train(examples, list(OUT_OF_SCOPE))
        return time.perf_counter() - started


def _misroutes(items: Sequence[tuple[str, list[str]]], router: Router) -> str:
    """Where the wrong answers went: a synthetic tool is `<verb>_<object>`, so a miss is the
    same object with another verb, another object, or a non-tool label (decline, chat)."""
    kinds = {"same object, other verb": 0, "other object": 0, "no tool": 0}
    for text, (wanted, *_rest) in items:
        got = router.predict(text)[0]
        if got == wanted:
            continue
        if got.startswith("_"):
            kinds["no tool"] += 1
        elif _object(got) == _object(wanted):
            kinds["same object, other verb"] += 1
        else:
            kinds["other object"] += 1
    return "misses: " + ", ".join(f"{n} {kind}" for kind, n in kinds.items())


def _object(name: str) -> str:
    rest = name.partition("_")[2]
    return rest[:-1] if rest.endswith("s") else rest


def report(trainer: Trainer | None = None) -> str:
    """The section `make bench` prints."""
    from tools.registry import all_tools
    from tools.retrieval import declared_examples

    real = list(all_tools().values())
    declared = declared_examples()
    real_examples = {name: list(texts) for name, texts in declared.items()}
    made = synthetic_tools(TOTAL_TOOLS - len(real))
    specs = real + [t.spec for t in made]
    examples = {**real_examples, **{t.spec.name: t.examples for t in made}}
    crm = crm_requests()
    probes = [(text, [t.spec.name]) for t in made for text in t.held_back]
    synthetic_probes = len(probes)
    probes += [(query, names) for _last, query, names in crm]
    lines = [f"\nOffline NLU and tool retrieval at {len(specs)} tools ({len(real)} real + {len(made)} "
             f"synthetic, {sum(map(len, examples.values())):,} examples)"]
    lines += bench_retrieval(specs, examples, probes, real, crm, synthetic_probes)
    try:
        train = trainer or nlu_trainer()
        lines += bench_nlu(train, examples, real_examples, probes, crm, synthetic_probes)
        lines += bench_meaning(examples, _requests(probes, crm, synthetic_probes))
    except Exception as exc:  # the classifier is being built: report, don't fail the bench
        lines.append(f"  NLU: not measured ({type(exc).__name__}: {exc}); expected "
                     "agent.nlu.training.build + agent.nlu.classifier.IntentClassifier(...).ranked")
    return "\n".join(lines)


def main() -> None:
    print(report())


if __name__ == "__main__":
    main()

