"""The eval reports as text: one table per dataset, with the legend."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from evals.metrics import DATASET_ROLES, Metrics, Report, tag_order
from evals.retrieval_recall import RETRIEVAL_K, retrieval_query


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
        kind = tag_order(tag)[0]
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
