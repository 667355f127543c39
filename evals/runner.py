"""Score the offline agent model on the eval datasets against the real tools (`bizpilot eval`).

Each case replays its user turns on a freshly seeded demo database; the last turn is scored:
- tool selection: the calls made have the expected tool names, in order;
- arguments: of the calls with the right name, the share whose expected arguments match;
- end to end: all calls right, the answer contains the expected text, and every figure in the
  answer comes from that turn's tool results (see `evals.scoring`).
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from langchain_core.messages import BaseMessage

from evals.harness import TurnRecord, bound_tools, eval_environment, run_turn
from evals.scoring import args_match, ungrounded

DATASETS = Path(__file__).parent / "datasets"


@dataclass
class CaseResult:
    case_id: str
    tags: list[str]
    tools_ok: bool
    arg_hits: int
    arg_total: int
    answer_ok: bool
    grounded_ok: bool
    record: TurnRecord
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.tools_ok and self.arg_hits == self.arg_total and self.answer_ok and self.grounded_ok


@dataclass
class Report:
    results: list[CaseResult]
    seconds: float = 0.0

    def _share(self, items: list[CaseResult], metric: str) -> float:
        if not items:
            return 0.0
        if metric == "args":
            total = sum(r.arg_total for r in items)
            return sum(r.arg_hits for r in items) / total if total else 1.0
        flag = {"tools": lambda r: r.tools_ok, "e2e": lambda r: r.passed}[metric]
        return sum(1 for r in items if flag(r)) / len(items)

    @property
    def tool_accuracy(self) -> float:
        return self._share(self.results, "tools")

    @property
    def arg_accuracy(self) -> float:
        return self._share(self.results, "args")

    @property
    def end_to_end(self) -> float:
        return self._share(self.results, "e2e")

    def by_tag(self) -> dict[str, tuple[int, float, float, float]]:
        groups: dict[str, list[CaseResult]] = defaultdict(list)
        for r in self.results:
            for tag in r.tags:
                groups[tag].append(r)
        return {tag: (len(items), self._share(items, "tools"), self._share(items, "args"),
                      self._share(items, "e2e")) for tag, items in sorted(groups.items())}


def load_cases(path: Path | None = None) -> list[dict[str, Any]]:
    files = [path] if path else sorted(DATASETS.glob("*.jsonl"))
    cases = []
    for file in files:
        for line in file.read_text().splitlines():
            if line.strip():
                cases.append(json.loads(line))
    return cases


def score(case: dict[str, Any], record: TurnRecord) -> CaseResult:
    expected = case.get("expected_calls") or []
    names = [c.name for c in record.calls]
    tools_ok = names == [e["name"] for e in expected]
    hits = total = 0
    problems = [] if tools_ok else [f"calls {names} != {[e['name'] for e in expected]}"]
    for exp, call in zip(expected, record.calls, strict=False):
        if exp["name"] != call.name:
            continue
        total += 1
        if args_match(exp.get("args") or {}, call.args):
            hits += 1
        else:
            problems.append(f"{call.name} args {call.args} !~ {exp.get('args')}")
    total += sum(1 for i, e in enumerate(expected)
                 if i >= len(record.calls) or record.calls[i].name != e["name"])
    missing_text = [s for s in case.get("expect_in_answer") or [] if s.lower() not in record.answer.lower()]
    if missing_text:
        problems.append(f"answer lacks {missing_text}")
    loose = ungrounded(record.answer, record.calls)
    if loose:
        problems.append(f"figures not from tools: {loose}")
    return CaseResult(case["id"], list(case.get("tags") or []), tools_ok, hits, total, not missing_text,
                      not loose, record, problems)


def run_cases(cases: list[dict[str, Any]]) -> Report:
    """Run cases on a fresh seeded database each; returns the scored report."""
    from agent.offline import OfflineChatModel

    started = time.perf_counter()
    results = []
    with eval_environment() as env:
        model = OfflineChatModel().bind_tools(bound_tools())
        for case in cases:
            env.reset()
            messages: list[BaseMessage] = []
            record = TurnRecord()
            for text in case["turns"]:
                record = run_turn(model, messages, text, env.principal)
            results.append(score(case, record))
    return Report(results, time.perf_counter() - started)


def format_report(report: Report, verbose: bool = False) -> str:
    lines = [f"BizPilot offline agent evals — {len(report.results)} cases, {report.seconds:.1f}s, "
             f"{datetime.now(UTC):%Y-%m-%d}",
             f"{'':24}{'cases':>6}{'tools':>8}{'args':>8}{'e2e':>8}",
             f"{'overall':24}{len(report.results):>6}{report.tool_accuracy:>8.1%}{report.arg_accuracy:>8.1%}"
             f"{report.end_to_end:>8.1%}"]
    for tag, (n, tools, args, e2e) in report.by_tag().items():
        lines.append(f"  {tag:22}{n:>6}{tools:>8.1%}{args:>8.1%}{e2e:>8.1%}")
    failing = [r for r in report.results if not r.passed]
    if verbose and failing:
        lines.append("\nFailing cases:")
        for r in failing:
            lines.append(f"- {r.case_id}: " + "; ".join(r.problems))
            lines.append("    answer: " + r.record.answer.replace("\n", " | ")[:300])
    return "\n".join(lines)


def main(verbose: bool = False) -> int:
    """Entry point of `bizpilot eval`: prints the table; exit code 0 unless the run crashes."""
    report = run_cases(load_cases())
    print(format_report(report, verbose))
    return 0


if __name__ == "__main__":  # pragma: no cover
    import sys

    raise SystemExit(main(verbose="-v" in sys.argv or "--verbose" in sys.argv))
