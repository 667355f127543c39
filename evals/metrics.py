"""The figures of a set of case outcomes (tool and argument accuracy, e2e = pass^1, pass^k,
out-of-scope recall and precision, retrieval recall) and the report of one dataset."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from evals.cases import OUT_OF_SCOPE, CaseOutcome, CaseResult

DATASET_ROLES = {
    "heldout": "held-out: frozen, never trained or tuned on",
    "heldout2": "second held-out set, across every tool: frozen, never trained or tuned on",
    "crm": "training / tuning set",
    "crm2": "second CRM tuning set (written before tuning, tuned on since)",
    "crm3": "third CRM tuning set (written before tuning, tuned on since)",
    "tools": "tuning set for the tools beyond the CRM (written before tuning, tuned on since)",
    "tools2": "tuning set across every tool, written blind with heldout2 (tuned on since)",
    "tools3": "tuning set across every tool, follow-ups, several steps and missing values; written "
              "blind in stop 11 from the tool descriptions and the demo data (tuned on since)",
    "crm4": "CRM conversations (follow-ups, several steps, missing values), written blind in stop "
            "11 from the tool descriptions and the demo data (tuned on since)",
    "args6": "arguments of customer, deal, connector and automation requests, written blind in stop 18 "
             "from the tools' input schemas and the demo data; measured blind once at 63.5% end to end "
             "(6 cases whose names match several records dropped), tuned on since",
    "args7": "arguments of deal, webhook, security, insight, forecasting, lineage, trust, simulation, "
             "planner and revenue requests, written blind in stop 18 like args6; measured blind once at "
             "83.5% end to end (1 case whose deal name matches two deals dropped), tuned on since",
    "conv8": "follow-ups, several steps and missing values across the tools, written blind in stop 18 "
             "like args6; measured blind once at 83.3% end to end (2 cases whose names match several "
             "records dropped), tuned on since",
    "mix9": "every kind of request in the voice of owners typing fast or in a second language, written "
            "blind in stop 18 like args6; measured blind once at 74.0% end to end (3 cases whose names "
            "match several records dropped), tuned on since",
    "weak10": "heldout2's weakest areas (lineage, security, insights, automations, connectors, "
              "simulations and initiatives), out-of-scope requests that sound like business data and "
              "in-scope ones in unusual words, written blind in stop 19 like args6; measured blind once "
              "at 66.7% end to end (out-of-scope precision 57.1%), tuned on since",
    "weak11": "heldout2's areas still below target (customers, deals, follow-ups, several steps, missing "
              "values) and out-of-scope requests that sound like business data, written blind in stop 20 "
              "like args6; measured blind once at 85.0% end to end (tools 91.0%, out-of-scope recall and "
              "precision 100%), tuned on since",
    "weak12": "telling apart what the assistant can do from what it cannot when the words make it hard: "
              "in-scope requests told as stories, worries or slang (40, over 40 tools), out-of-scope ones "
              "in the business's and the tools' own words (25), short odd follow-ups (15); written blind in "
              "stop 20 like args6; measured blind once at 66.2% end to end (tools 77.5%, out-of-scope recall "
              "88.0%, precision 71.0%), tuned on since",
    "weak13": "a first-time owner's everyday requests across all 84 tools (one single request per "
              "tool, 14 follow-ups, 12 several steps, 12 missing values, 22 out of scope), written blind "
              "in stop 21 like args6; measured blind once at 74.3% end to end (tools 86.1%, arguments 87.3%, "
              "out-of-scope recall and precision 95.5%), tuned on since",
    "weak14": "two owners new to the product, across all 84 tools again: one types on a phone (terse, "
              "shorthand, typos, non-native English), the other writes full sentences with context "
              "and hedges; 14 follow-ups, 12 several steps, 12 missing values, 22 out of scope (15 "
              "close to a tool); written blind in stop 22 like args6; measured blind once at 70.1% end "
              "to end (tools 79.2%, arguments 87.0%, out-of-scope recall 100%, precision 73.3%), tuned "
              "on since",
    "weak15": "where the line runs between what the assistant can and cannot do: 64 out-of-scope "
              "requests (32 with a tool's nouns and another action, 14 far from business data, 14 "
              "about the business, 4 after an in-scope turn) and 64 in-scope requests asked "
              "indirectly; written blind in stop 23 like args6; measured blind once at 76.6% end to "
              "end (tools 81.2%, arguments 91.9%, out-of-scope recall 84.4%, precision 91.5%), tuned "
              "on since",
    "weak16": "conversations and the edge of scope: 24 out-of-scope requests (12 close to a tool), 40 "
              "deals and customers asked indirectly, 28 follow-ups, 12 out-of-scope follow-ups, 12 "
              "several steps, 12 missing values; written blind in stop 24 like args6; measured blind "
              "once at 85.9% end to end (tools 91.4%, arguments 93.5%, out-of-scope recall 94.4%, "
              "precision 94.4%, R@8 83.6%), tuned on since",
    "weak17": "owners who do not know the tools' names and long conversations: 20 deals asked in the "
              "owner's words, 24 other tools, 20 out-of-scope requests (10 with a tool's nouns, 5 "
              "advice), 24 follow-ups, 8 out-of-scope follow-ups, 12 several steps, 10 missing "
              "values, 10 long messages (5 out of scope); written blind in stop 25 like args6; "
              "measured blind once at 76.6% end to end (tools 84.4%, arguments 90.1%, "
              "out-of-scope recall 90.9%, precision 85.7%, R@8 85.1%), tuned on since",
    "weak18": "dictated and second-language requests (64: 40 single, 8 follow-ups, 4 several steps, 4 "
              "missing values, 8 out of scope) and time, numbers and comparisons (64: 36 single, 12 "
              "follow-ups changing a period or number, 4 comparisons, 4 missing values, 8 figures no "
              "tool gives); written blind in stop 25 like args6; measured blind once at 71.1% end to "
              "end (tools 90.6%, arguments 76.7%, out-of-scope recall 100%, precision 88.9%, R@8 "
              "87.9%), tuned on since",
    "weak19": "where the line lies (64: 28 out of scope with a tool's nouns, missing features, advice "
              "or far from business, 6 out-of-scope follow-ups, 24 in-scope requests worded as worry "
              "or advice, 6 missing values) and five often-missed areas (64: 14 deals, 10 customers, 8 "
              "lineage, 8 insights, 16 follow-ups, 4 missing values, 4 out of scope); written blind in "
              "stop 26 like args6; measured blind once at 76.6% end to end (tools 86.7%, arguments "
              "85.1%, out-of-scope recall 97.4%, precision 90.2%, R@8 85.7%), tuned on since",
    "weak20": "requests with context around them (64: 2-4 sentences of background, feeling or reason "
              "around the request; 30 single, 8 several steps, 6 follow-ups, 14 out of scope, 6 missing "
              "values) and customers asked many ways with the tools asked about least (64: 16 customer "
              "requests, 8 about one customer, 20 rarely used tools, 10 follow-ups, 4 missing values, 6 "
              "out of scope); written blind in stop 27 like args6; measured blind once at 71.1% end to "
              "end (tools 80.5%, arguments 88.0%, out-of-scope recall 80.0%, precision 84.2%, R@8 "
              "83.8%), tuned on since",
    "weak21": "a sample of the whole product as a new user asks it (128: 76 single requests over every "
              "tool, 12 several steps, 12 missing values, 12 follow-ups, 16 out of scope); written blind "
              "in stop 27 like args6; measured blind once at 84.4% end to end (tools 92.2%, arguments "
              "92.4%, out-of-scope recall 100%, precision 94.1%, R@8 92.8%), tuned on since",
    "weak22": "where the data comes from and requests a tool covers in words that sound like one it "
              "does not (128), and the line between what it can and cannot do, with requests wrapped in "
              "context (128): 256 in all, 48 out of scope, 27 several steps, 24 missing values, 25 "
              "follow-ups; written blind in stop 28 like args6; measured blind once at 80.5% end to "
              "end (tools 89.8%, arguments 90.4%, out-of-scope recall 97.9%, precision 85.5%, R@8 "
              "98.6%), tuned on since",
    "weak23": "a month of the shop's requests over every tool (120) and the same from people in a hurry "
              "or writing in a second language (120): 240 in all, 36 out of scope, 24 several steps, 24 "
              "missing values, 24 follow-ups; written blind in stop 28 like args6; measured blind once "
              "(after the weak22 fixes) at 90.4% end to end (tools 94.2%, arguments 94.8%, out-of-scope "
              "recall 94.4%, precision 94.4%, R@8 100%), tuned on since",
}
AREAS = ("customers", "deals", "pipeline", "revenue", "analytics", "workspace", "customer-360",
         "connectors", "lineage", "trust", "security", "forecasting", "insights", "jobs", "webhooks",
         "simulation", "planner", "automations",
         "out-of-scope")
EXTRAS = ("multi-step", "missing-arg", "follow-up", "destructive")


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


def tag_order(tag: str) -> tuple[int, int, str]:
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
        return {tag: metrics(groups[tag]) for tag in sorted(groups, key=tag_order)}

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
