"""Score the built-in offline model on the eval datasets against the real tools (`bizpilot eval`).

Datasets (evals/datasets/*.jsonl) are reported separately, never pooled: `heldout` is the frozen
held-out set (never trained or tuned on: its figures are the ones to quote), `crm` and `tools` the sets the
model was built and tuned against. Each case replays its user turns on a pristine copy of the
seeded demo database, `runs` times; the last turn is scored (see `evals.scoring`):

- tools: the calls made have exactly the expected tool names, in order; a call to the name
  resolver (`find_records`, which turns "Yuki Moore" into an id) is part of filling an argument,
  not a choice of tool, and is ignored unless the case expects it;
- args: of the expected calls the model made (matched by name, in order), the share whose
  expected arguments match;
- e2e: tools and every argument right, the answer contains each `expect_in_answer` text, every
  figure in it comes from that turn's tool results, and, for an out-of-scope case, it declines;
- out of scope: a case is predicted out of scope when its last turn called no tool and its answer
  declines (`evals.scoring.declines`). Recall = out-of-scope cases declined / out-of-scope cases;
  precision = out-of-scope cases declined / all cases declined without a tool call, except the
  missing-arg cases that expect a question (no expected call);
- pass^k: a case passes^k when it passes in all k runs; pass^1 is the mean pass rate of one run
  (= e2e). A deterministic model has pass^k = pass^1 and no flaky case;
- R@8: retrieval recall, each expected tool among the top 8 that `tools.retrieval` ranks for the
  case's last turn together with the earlier turns the graph matches on (agent.graph).

`bizpilot eval [--dataset heldout|crm|all] [--runs N] [--json PATH] [-v]`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evals.scoring import aligned_calls, args_match, declines, ungrounded

DATASETS = Path(__file__).parent / "datasets"
RESOLVERS = frozenset({"find_records"})
DATASET_ORDER = ("heldout", "crm", "crm2", "crm3", "tools")
DATASET_ROLES = {
    "heldout": "held-out: frozen, never trained or tuned on",
    "crm": "training / tuning set",
    "crm2": "second CRM tuning set (written before tuning, tuned on since)",
    "crm3": "third CRM tuning set (written before tuning, tuned on since)",
    "tools": "tuning set for the tools beyond the CRM (written before tuning, tuned on since)",
}
AREAS = ("customers", "deals", "pipeline", "revenue", "analytics", "workspace", "customer-360",
         "connectors", "lineage", "trust", "security", "forecasting", "insights", "jobs", "webhooks",
         "simulation", "planner", "automations",
         "out-of-scope")
EXTRAS = ("multi-step", "missing-arg", "follow-up", "destructive")
OUT_OF_SCOPE = "out-of-scope"
MISSING_ARG = "missing-arg"
RETRIEVAL_K = 8
DEFAULT_RUNS = 4
QUERY_TURNS = 2
"""Fallback for agent.graph.QUERY_TURNS (how many user turns tool retrieval matches on)."""


# --- one case ------------------------------------------------------------------------------------


@dataclass
class CaseResult:
    """One run of one case."""

    case_id: str
    tags: list[str]
    tools_ok: bool
    arg_hits: int
    arg_total: int
    answer_ok: bool
    grounded_ok: bool
    record: Any  # evals.harness.TurnRecord
    declined: bool = False
    out_of_scope: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return (self.tools_ok and self.arg_hits == self.arg_total and self.answer_ok and self.grounded_ok
                and (self.declined or not self.out_of_scope))


def score(case: dict[str, Any], record: Any) -> CaseResult:
    """Score the last turn of one run of a case (`record`: its evals.harness.TurnRecord)."""
    expected = case.get("expected_calls") or []
    tags = list(case.get("tags") or [])
    wanted = [e["name"] for e in expected]
    names = [c.name for c in record.calls if c.name not in RESOLVERS or c.name in wanted]
    tools_ok = names == wanted
    problems = [] if tools_ok else [f"calls {names} != {wanted}"]
    hits = total = 0
    for exp, call in aligned_calls(expected, record.calls):
        total += 1
        if args_match(exp.get("args") or {}, call.args):
            hits += 1
        else:
            problems.append(f"{call.name} args {call.args} !~ {exp.get('args')}")
    missing_text = [s for s in case.get("expect_in_answer") or [] if s.lower() not in record.answer.lower()]
    if missing_text:
        problems.append(f"answer lacks {missing_text}")
    loose = ungrounded(record.answer, record.calls)
    if loose:
        problems.append(f"figures not from tools: {loose}")
    declined = not record.calls and declines(record.answer)
    out_of_scope = OUT_OF_SCOPE in tags
    if out_of_scope and not declined:
        problems.append("out of scope but not declined")
    return CaseResult(case["id"], tags, tools_ok, hits, total, not missing_text, not loose, record,
                      declined, out_of_scope, problems)


@dataclass
class CaseOutcome:
    """A case over all its runs, with its retrieval check (which needs no run)."""

    case: dict[str, Any]
    runs: list[CaseResult]
    retrieval_hits: int = 0
    retrieval_total: int = 0
    retrieval_missed: list[str] = field(default_factory=list)

    @property
    def case_id(self) -> str:
        return str(self.case["id"])

    @property
    def tags(self) -> list[str]:
        return list(self.case.get("tags") or [])

    @property
    def passed_all(self) -> bool:
        return bool(self.runs) and all(r.passed for r in self.runs)

    @property
    def flaky(self) -> bool:
        return len({r.passed for r in self.runs}) > 1

    @property
    def asks_question(self) -> bool:
        """A missing-arg case whose right answer is a question (no call expected)."""
        return MISSING_ARG in self.tags and not self.case.get("expected_calls")


# --- figures -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Metrics:
    cases: int
    runs: int
    tool_accuracy: float | None
    arg_accuracy: float | None
    end_to_end: float | None
    """= pass^1: the mean pass rate of one run."""
    pass_k: float | None
    flaky: int
    oos_cases: int
    oos_declined: float
    """Out-of-scope cases declined, averaged over runs."""
    declines: float
    """Cases declined without a tool call (missing-arg questions excluded), averaged over runs."""
    oos_recall: float | None
    oos_precision: float | None
    retrieval_hits: int
    retrieval_total: int
    retrieval_recall: float | None

    def as_dict(self) -> dict[str, Any]:
        out = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(self).items()}
        out["pass_1"] = out["end_to_end"]
        return out


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def metrics(outcomes: Sequence[CaseOutcome]) -> Metrics:
    runs = [r for o in outcomes for r in o.runs]
    k = max((len(o.runs) for o in outcomes), default=0)
    per_run = max(k, 1)
    arg_total = sum(r.arg_total for r in runs)
    oos = [o for o in outcomes if OUT_OF_SCOPE in o.tags]
    oos_declined = sum(r.declined for o in oos for r in o.runs)
    eligible = sum(r.declined for o in outcomes if not o.asks_question for r in o.runs)
    hits = sum(o.retrieval_hits for o in outcomes)
    total = sum(o.retrieval_total for o in outcomes)
    return Metrics(
        cases=len(outcomes),
        runs=k,
        tool_accuracy=_ratio(sum(r.tools_ok for r in runs), len(runs)),
        arg_accuracy=_ratio(sum(r.arg_hits for r in runs), arg_total),
        end_to_end=_ratio(sum(r.passed for r in runs), len(runs)),
        pass_k=_ratio(sum(o.passed_all for o in outcomes), len(outcomes)),
        flaky=sum(o.flaky for o in outcomes),
        oos_cases=len(oos),
        oos_declined=oos_declined / per_run,
        declines=eligible / per_run,
        oos_recall=_ratio(oos_declined, sum(len(o.runs) for o in oos)),
        oos_precision=_ratio(oos_declined, eligible),
        retrieval_hits=hits,
        retrieval_total=total,
        retrieval_recall=_ratio(hits, total),
    )


def _tag_order(tag: str) -> tuple[int, int, str]:
    for group, tags in enumerate((AREAS, EXTRAS)):
        if tag in tags:
            return group, tags.index(tag), tag
    return 2, 0, tag


@dataclass
class Report:
    outcomes: list[CaseOutcome]
    seconds: float = 0.0
    dataset: str = "cases"
    runs: int = 1
    model: str = ""

    @property
    def results(self) -> list[CaseResult]:
        """Every run of every case."""
        return [r for o in self.outcomes for r in o.runs]

    @property
    def overall(self) -> Metrics:
        return metrics(self.outcomes)

    @property
    def tool_accuracy(self) -> float:
        return self.overall.tool_accuracy or 0.0

    @property
    def arg_accuracy(self) -> float:
        value = self.overall.arg_accuracy
        return 1.0 if value is None else value

    @property
    def end_to_end(self) -> float:
        return self.overall.end_to_end or 0.0

    def by_tag(self) -> dict[str, Metrics]:
        """Areas first, then the extras (multi-step, missing-arg, ...), then any other tag."""
        groups: dict[str, list[CaseOutcome]] = defaultdict(list)
        for o in self.outcomes:
            for tag in dict.fromkeys(o.tags):
                groups[tag].append(o)
        return {tag: metrics(groups[tag]) for tag in sorted(groups, key=_tag_order)}

    def as_dict(self) -> dict[str, Any]:
        failing = [{"id": o.case_id, "tags": o.tags,
                    "runs_failed": sum(not r.passed for r in o.runs),
                    "problems": next(r.problems for r in o.runs if not r.passed)}
                   for o in self.outcomes if not o.passed_all]
        return {
            "dataset": self.dataset,
            "role": DATASET_ROLES.get(self.dataset, ""),
            "runs": self.runs,
            "seconds": round(self.seconds, 2),
            "overall": self.overall.as_dict(),
            "tags": {tag: m.as_dict() for tag, m in self.by_tag().items()},
            "failing": failing,
            "retrieval_misses": {o.case_id: o.retrieval_missed for o in self.outcomes if o.retrieval_missed},
        }


# --- running -------------------------------------------------------------------------------------


def dataset_names() -> list[str]:
    found = sorted(p.stem for p in DATASETS.glob("*.jsonl"))
    return [n for n in DATASET_ORDER if n in found] + [n for n in found if n not in DATASET_ORDER]


def load_cases(path: Path | None = None) -> list[dict[str, Any]]:
    """The cases of one file, or of every dataset (pooled) when no path is given."""
    files = [path] if path else [DATASETS / f"{name}.jsonl" for name in dataset_names()]
    cases = []
    for file in files:
        for line in file.read_text().splitlines():
            if line.strip():
                cases.append(json.loads(line))
    return cases


def load_dataset(name: str) -> list[dict[str, Any]]:
    return load_cases(DATASETS / f"{name}.jsonl")


def offline_model() -> tuple[Any, str]:
    """The built-in model exactly as the product builds it (agent.providers), whatever keys are
    set, shown every tool as a provider model would see them; and its class, for the report."""
    from agent.providers import build_model
    from core.settings import get_settings
    from evals.harness import bound_tools

    settings = get_settings().model_copy(update={"llm_provider": "offline", "openai_api_key": "",
                                                 "anthropic_api_key": ""})
    model = build_model(settings).model
    return model.bind_tools(bound_tools()), f"{type(model).__module__}.{type(model).__name__}"


def _turns_seen() -> int:
    try:
        from agent import graph
    except ImportError:  # pragma: no cover - the graph is being rebuilt
        return QUERY_TURNS
    return int(getattr(graph, "QUERY_TURNS", QUERY_TURNS))


def retrieval_query(turns: Sequence[str]) -> str:
    """The text tool retrieval sees for the last turn: the last user turns, joined as
    agent.graph joins them."""
    return "\n".join(list(turns)[-_turns_seen():])


def check_retrieval(outcome: CaseOutcome, specs: Sequence[Any], k: int = RETRIEVAL_K) -> None:
    from tools.retrieval import index_for

    expected = list(dict.fromkeys(c["name"] for c in outcome.case.get("expected_calls") or []))
    if not expected:
        return
    ranked = [m.name for m in index_for(specs).rank(retrieval_query(outcome.case["turns"]))[:k]]
    outcome.retrieval_total = len(expected)
    outcome.retrieval_missed = [name for name in expected if name not in ranked]
    outcome.retrieval_hits = len(expected) - len(outcome.retrieval_missed)


@contextmanager
def _memory_backed_tmp() -> Iterator[None]:
    """Put the throwaway eval database on tmpfs when there is one: each run of a case starts
    from a fresh copy of the seeded database, and on a disk those copies (and SQLite's syncs)
    are most of the runner's time."""
    shm = Path("/dev/shm")
    saved = tempfile.tempdir
    usable = shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > 512 * 2**20
    if usable and not os.environ.get("TMPDIR"):  # an explicit TMPDIR wins
        tempfile.tempdir = str(shm)
    try:
        yield
    finally:
        tempfile.tempdir = saved


def _replay(case: dict[str, Any], model: Any, principal: Any) -> tuple[Any, bool]:
    """Run the case's turns; its last turn's record, and whether any tool ran (so the database
    may have changed: every call, reads included, writes the audit log)."""
    from langchain_core.messages import BaseMessage

    from evals.harness import TurnRecord, run_turn

    messages: list[BaseMessage] = []
    record = TurnRecord()
    touched = False
    for text in case["turns"]:
        record = run_turn(model, messages, text, principal)
        touched = touched or bool(record.calls)
    return record, touched


def run_datasets(datasets: dict[str, list[dict[str, Any]]], runs: int = 1) -> list[Report]:
    """Run each dataset's cases `runs` times, each run on a pristine database; one report each.
    The demo database is seeded once: a run starts from a copy of it (skipped when the run
    before called no tool and so changed nothing)."""
    from evals.harness import eval_environment
    from tools.registry import all_tools

    reports = []
    with _memory_backed_tmp(), eval_environment() as env:
        model, label = offline_model()
        specs = list(all_tools().values())
        _turns_seen()  # import the graph before the clock starts
        dirty = False
        for name, cases in datasets.items():
            started = time.perf_counter()
            outcomes = []
            for case in cases:
                outcome = CaseOutcome(case, [])
                for _ in range(runs):
                    if dirty:
                        env.reset()
                    record, dirty = _replay(case, model, env.principal)
                    outcome.runs.append(score(case, record))
                check_retrieval(outcome, specs)
                outcomes.append(outcome)
            reports.append(Report(outcomes, time.perf_counter() - started, name, runs, label))
    return reports


def run_cases(cases: list[dict[str, Any]], runs: int = 1, name: str = "cases") -> Report:
    """Run cases on a fresh seeded database each; returns the scored report."""
    return run_datasets({name: cases}, runs)[0]


# --- output --------------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def format_report(report: Report, verbose: bool = False) -> str:
    k = report.runs
    overall = report.overall
    role = DATASET_ROLES.get(report.dataset)
    head = f"{report.dataset}" + (f" ({role})" if role else "")
    cols = ["cases", "tools", "args", "e2e", f"pass^{k}", "OOS rec", "OOS prec", f"R@{RETRIEVAL_K}"]
    widths = [6, 8, 8, 8, 8, 9, 9, 8]

    def row(label: str, m: Metrics) -> str:
        cells = [str(m.cases), _pct(m.tool_accuracy), _pct(m.arg_accuracy), _pct(m.end_to_end),
                 _pct(m.pass_k), _pct(m.oos_recall), _pct(m.oos_precision), _pct(m.retrieval_recall)]
        return f"{label:24}" + "".join(f"{c:>{w}}" for c, w in zip(cells, widths, strict=True))

    lines = [f"{head}: {overall.cases} cases × {k} run{'s' if k != 1 else ''}, {report.seconds:.1f}s",
             f"{'':24}" + "".join(f"{c:>{w}}" for c, w in zip(cols, widths, strict=True)),
             row("overall", overall)]
    group = -1
    for tag, m in report.by_tag().items():
        kind = _tag_order(tag)[0]
        if kind != group:
            group = kind
            lines.append(f" {('areas', 'extras', 'other tags')[kind]}")
        lines.append(row(f"  {tag}", m))
    lines.append(
        f"out of scope: {overall.oos_declined:g}/{overall.oos_cases} out-of-scope cases declined "
        f"(recall {_pct(overall.oos_recall)}); {overall.oos_declined:g} of {overall.declines:g} declines "
        f"without a tool call were out of scope (precision {_pct(overall.oos_precision)})")
    lines.append(f"retrieval: {overall.retrieval_hits}/{overall.retrieval_total} expected tools in the "
                 f"top {RETRIEVAL_K} (recall@{RETRIEVAL_K} {_pct(overall.retrieval_recall)})")
    if k > 1:
        lines.append(f"pass^1 {_pct(overall.end_to_end)}, pass^{k} {_pct(overall.pass_k)}, "
                     f"{overall.flaky} flaky case{'s' if overall.flaky != 1 else ''} "
                     "(a deterministic model has pass^k = pass^1)")
    failing = [o for o in report.outcomes if not o.passed_all]
    if verbose and failing:
        lines.append("failing cases:")
        for o in failing:
            bad = next(r for r in o.runs if not r.passed)
            fails = sum(not r.passed for r in o.runs)
            lines.append(f"- {o.case_id} [{', '.join(o.tags)}] ({fails}/{len(o.runs)} runs): "
                         + "; ".join(bad.problems))
            lines.append("    answer: " + bad.record.answer.replace("\n", " | ")[:300])
    if verbose:
        missed = [o for o in report.outcomes if o.retrieval_missed]
        if missed:
            lines.append(f"retrieval misses (not in the top {RETRIEVAL_K}):")
            for o in missed:
                lines.append(f"- {o.case_id}: {', '.join(o.retrieval_missed)} for "
                             f"{retrieval_query(o.case['turns'])!r}")
    return "\n".join(lines)


def format_reports(reports: Sequence[Report], verbose: bool = False) -> str:
    label = reports[0].model if reports else ""
    title = f"BizPilot agent evals — {label or 'offline model'}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    return "\n\n".join([title + LEGEND, *(format_report(r, verbose) for r in reports)])


LEGEND = f"""
  tools: exactly the expected calls, in order | args: expected arguments, on the expected calls made
  e2e (= pass^1): tools + args + expected text + every figure from a tool result (+ declines, if out
  of scope) | pass^k: passes in all k runs | OOS rec: out-of-scope cases declined | OOS prec: share
  of declines without a tool call (missing-arg questions aside) that were out of scope | R@{RETRIEVAL_K}:
  expected tools in tool retrieval's top {RETRIEVAL_K}. "—": nothing to measure in that row."""


def report_json(reports: Sequence[Report]) -> dict[str, Any]:
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "model": reports[0].model if reports else "",
        "retrieval_k": RETRIEVAL_K,
        "definitions": __doc__,
        "datasets": {r.dataset: r.as_dict() for r in reports},
    }


def main(verbose: bool = False, dataset: str = "all", runs: int = DEFAULT_RUNS,
         json_path: str | None = None) -> int:
    """Entry point of `bizpilot eval`: prints the tables (and writes the figures as JSON);
    exit code 0 unless the run crashes."""
    names = dataset_names() if dataset == "all" else [dataset]
    unknown = [n for n in names if n not in dataset_names()]
    if unknown or runs < 1:
        print(f"unknown dataset {dataset!r} (known: {', '.join(dataset_names())}, all)"
              if unknown else "--runs must be at least 1")
        return 2
    reports = run_datasets({name: load_dataset(name) for name in names}, runs)
    print(format_reports(reports, verbose))
    if json_path:
        Path(json_path).write_text(json.dumps(report_json(reports), indent=2) + "\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m evals.runner", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    return parser


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `bizpilot eval` (and of `python -m evals.runner`)."""
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="list failing cases and retrieval misses")
    parser.add_argument("--dataset", default="all",
                        help="heldout, crm, or all (default: every dataset, each reported separately)")
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS,
                        help=f"runs per case, for pass^k (default {DEFAULT_RUNS})")
    parser.add_argument("--json", dest="json_path", metavar="PATH", help="also write the figures as JSON")


if __name__ == "__main__":  # pragma: no cover
    args = build_parser().parse_args()
    raise SystemExit(main(args.verbose, args.dataset, args.runs, args.json_path))
