"""One eval case: the last turn of one run scored against what the case expects (the rules are
listed in evals.runner), and the case over all its runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evals.scoring import aligned_calls, args_match, declines, ungrounded

RESOLVERS = frozenset({"find_records"})
OUT_OF_SCOPE = "out-of-scope"
MISSING_ARG = "missing-arg"


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
