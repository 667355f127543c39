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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evals.cases import MISSING_ARG, OUT_OF_SCOPE, RESOLVERS, CaseOutcome, CaseResult, score
from evals.metrics import AREAS, DATASET_ROLES, EXTRAS, Metrics, Report, metrics
from evals.report import LEGEND, format_report, format_reports
from evals.retrieval_recall import QUERY_TURNS, RETRIEVAL_K, check_retrieval, retrieval_query, turns_seen

__all__ = [
    "AREAS", "DATASETS", "DATASET_ORDER", "DATASET_ROLES", "DEFAULT_RUNS", "EXTRAS", "LEGEND",
    "MISSING_ARG", "OUT_OF_SCOPE", "QUERY_TURNS", "RESOLVERS", "RETRIEVAL_K", "CaseOutcome",
    "CaseResult", "Metrics", "Report", "add_arguments", "build_parser", "check_retrieval",
    "dataset_names", "format_report", "format_reports", "load_cases", "load_dataset", "main",
    "metrics", "offline_model", "report_json", "retrieval_query", "run_cases", "run_datasets",
    "score",
]

DATASETS = Path(__file__).parent / "datasets"
DATASET_ORDER = ("heldout", "heldout2", "crm", "crm2", "crm3", "crm4", "tools", "tools2", "tools3",
                 "args6", "args7", "conv8", "mix9", "weak10", "weak11", "weak12", "weak13",
                 "weak14", "weak15", "weak16", "weak17", "weak18", "weak19",
                 "weak20", "weak21", "weak22", "weak23")
DEFAULT_RUNS = 4


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
        turns_seen()  # import the graph before the clock starts
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
