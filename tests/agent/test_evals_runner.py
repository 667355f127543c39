"""The eval runner: dataset shape, scoring rules, the report's figures (out of scope, pass^k,
retrieval recall), and a real run of a subset against the tools."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from evals.harness import CallRecord, TurnRecord
from evals.runner import (
    AREAS,
    CaseOutcome,
    Report,
    check_retrieval,
    format_report,
    load_cases,
    load_dataset,
    main,
    metrics,
    report_json,
    run_cases,
    score,
)
from evals.scoring import args_match, declines, ungrounded
from tools.registry import all_tools


def test_dataset_is_well_formed() -> None:
    cases = load_cases()
    assert len(cases) >= 60
    assert len({c["id"] for c in cases}) == len(cases)
    for case in cases:
        assert case["turns"] and all(isinstance(t, str) and t for t in case["turns"])
        assert all("name" in call for call in case["expected_calls"])
        assert case["tags"]
    assert sum(1 for c in cases if len(c["turns"]) > 1) >= 10
    assert sum(1 for c in cases if len(c["expected_calls"]) > 1) >= 10


@pytest.mark.parametrize(("name", "size", "tuned_on"), [("heldout", 247, "crm"), ("heldout2", 237, "tools2")])
def test_held_out_sets_have_one_area_per_case_and_known_tools(name: str, size: int, tuned_on: str) -> None:
    heldout = load_dataset(name)
    assert len(heldout) == size
    assert not {c["id"] for c in heldout} & {c["id"] for c in load_dataset(tuned_on)}
    tools = set(all_tools())
    for case in heldout:
        assert sum(tag in AREAS for tag in case["tags"]) == 1, case["id"]
        assert {call["name"] for call in case["expected_calls"]} <= tools, case["id"]
        if "out-of-scope" in case["tags"]:
            assert case["expected_calls"] == []


def test_args_match_operators() -> None:
    today = date(2026, 11, 24)
    assert args_match({"search": {"contains": "acme"}}, {"search": "Acme Corp"}, today)
    assert args_match({"month": {"month_offset": -2}}, {"month": "2026-09"}, today)
    assert args_match({"month": {"pattern": r"-09$"}}, {"month": "2025-09"}, today)
    assert args_match({"min_value": {"gte": 10000}}, {"min_value": 25000.0}, today)
    assert args_match({"status": {"absent": True}}, {}, today)
    assert not args_match({"status": "lead"}, {"status": "active"}, today)
    assert args_match({"value": 12000}, {"value": 12000.0}, today)
    # a nested object is matched on the keys the case fixes; a value it fixes must agree
    config = {"base_url": "https://api.example.com", "auth_type": "bearer_token",
              "auth_config": {"token": "t"}}
    assert args_match({"config": {"base_url": "https://api.example.com", "auth_type": "bearer_token"}},
                      {"config": config}, today)
    assert not args_match({"config": {"base_url": "https://api.example.com", "auth_type": "api_key"}},
                          {"config": config}, today)
    assert not args_match({"config": {"base_url": "https://x"}}, {"config": "https://x"}, today)


def test_grounding_check_catches_invented_figures() -> None:
    calls = [CallRecord("revenue_for_period", {"period": "last_month"},
                        '{"revenue": 70558.36, "orders": 1019, "change_percent": -9.64, '
                        '"start_date": "2026-10-01", "win_rate": 0.3636}')]
    assert ungrounded("Revenue was $70,558.36 from 1,019 orders, down 9.64% (9.6%).", calls) == []
    assert ungrounded("From Oct 1 – Oct 1, 2026; win rate 36.4%.", calls) == []
    assert ungrounded("Quoted “10k” is not a claim.", calls) == []
    assert ungrounded("Revenue was $71,000 and 12 orders.", calls) == ["$71,000", "12"]
    said = [CallRecord("customer_churn_risk", {}, '{"actions": ["Offer: 4,572.55 spent in 365 days"]}')]
    assert ungrounded("Offer: 4,572.55 spent in the last 365 days.", said) == []
    assert ungrounded("Offer: 4,572 spent.", said) == ["4,572"]


def test_score_requires_calls_text_and_grounding() -> None:
    expected = [{"name": "list_customers", "args": {"status": "lead"}}]
    case = {"id": "x", "tags": ["t"], "expected_calls": expected, "expect_in_answer": ["leads"]}
    good = TurnRecord([CallRecord("list_customers", {"status": "lead"}, '{"pagination": {"total": 52}}')],
                      "You have 52 leads.")
    assert score(case, good).passed
    invented = TurnRecord(good.calls, "You have 53 leads.")
    assert not score(case, invented).passed
    wrong = TurnRecord([CallRecord("list_deals", {}, "{}")], "You have 52 leads.")
    result = score(case, wrong)
    assert not result.tools_ok and not result.passed
    assert (result.arg_hits, result.arg_total) == (0, 0)  # args are scored on the calls made


def test_arguments_are_scored_on_the_expected_call_even_after_an_extra_call() -> None:
    expected = [{"name": "update_customer", "args": {"status": "churned"}}]
    case = {"id": "x", "tags": ["customers"], "expected_calls": expected}
    record = TurnRecord([CallRecord("list_customers", {"search": "Sofia"}, "{}"),
                         CallRecord("update_customer", {"status": "churned"}, "{}")], "Done.")
    result = score(case, record)
    assert not result.tools_ok and (result.arg_hits, result.arg_total) == (1, 1) and not result.passed


def test_a_name_lookup_before_the_expected_call_is_not_a_wrong_tool() -> None:
    """Resolving "Sofia Brown" to an id is filling an argument; calling another tool is not."""
    expected = [{"name": "update_customer", "args": {"status": "churned"}}]
    case = {"id": "x", "tags": ["customers"], "expected_calls": expected}
    lookup = CallRecord("find_records", {"kind": "customer", "text": "Sofia Brown"}, "{}")
    resolved = TurnRecord([lookup, CallRecord("update_customer", {"status": "churned"}, "{}")], "Done.")
    assert score(case, resolved).passed
    only_lookup = TurnRecord([lookup], "Which Sofia?")
    assert not score(case, only_lookup).tools_ok
    expecting_it = {**case, "expected_calls": [{"name": "find_records", "args": {}}]}
    assert score(expecting_it, TurnRecord([lookup], "Found her.")).tools_ok


@pytest.mark.parametrize(("answer", "declined"), [
    ("I'm not sure what you'd like me to do. I can help with your CRM and sales numbers.", True),
    ("I can’t check the weather: I only know your CRM and sales numbers.", True),
    ("Sorry, I cannot book flights.", True),
    ("That's outside what I can do here.", True),
    ("I don't have a tool for forecasting yet.", True),
    ("I can only delete one record at a time: tell me which customer or deal.", True),
    ("Which deal should I move?", False),
    ("Hello! I can help with your CRM and sales numbers. Try for example: ...", False),
    ("You have 52 leads.", False),
    ("What should the new workspace be called?", False),
])
def test_decline_detection(answer: str, declined: bool) -> None:
    assert declines(answer) is declined


def case_(cid: str, tags: list[str], expected: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"id": cid, "turns": ["..."], "tags": tags, "expected_calls": expected or [],
            "expect_in_answer": []}


NO = "I can't help with that: it's not something BizPilot does."
ASK = "Which customer do you mean?"


def outcome(case: dict[str, Any], *answers: str, calls: list[CallRecord] | None = None) -> CaseOutcome:
    return CaseOutcome(case, [score(case, TurnRecord(list(calls or []), a)) for a in answers])


def test_out_of_scope_recall_and_precision() -> None:
    lookup = [CallRecord("list_customers", {}, '{"pagination": {"total": 240}}')]
    outcomes = [
        outcome(case_("oos-declined", ["out-of-scope"]), NO),
        outcome(case_("oos-asked", ["out-of-scope"]), ASK),  # not a decline: a recall miss
        outcome(case_("oos-answered", ["out-of-scope"]), NO, calls=lookup),  # called a tool
        outcome(case_("false-decline", ["customers"], [{"name": "list_customers"}]), NO),
        outcome(case_("question", ["customers", "missing-arg"]), NO),  # excluded from precision
        outcome(case_("completed", ["customers", "missing-arg"], [{"name": "create_customer"}]), NO),
    ]
    m = metrics(outcomes)
    assert m.oos_cases == 3 and m.oos_declined == 1
    assert m.oos_recall == pytest.approx(1 / 3)
    assert m.declines == 3 and m.oos_precision == pytest.approx(1 / 3)
    assert [o.runs[0].passed for o in outcomes[:3]] == [True, False, False]  # OOS must decline
    assert metrics(outcomes[3:]).oos_recall is None


def test_pass_k_needs_every_run_and_counts_flaky_cases() -> None:
    steady = case_("steady", ["deals"])
    flaky = case_("flaky", ["deals"])
    outcomes = [outcome(steady, "Done.", "Done.", "Done."),
                outcome(flaky, "Done.", "Done. You have 7 deals.", "Done.")]  # 7: ungrounded
    m = metrics(outcomes)
    assert m.runs == 3
    assert m.end_to_end == pytest.approx(5 / 6)
    assert m.pass_k == pytest.approx(1 / 2)
    assert m.flaky == 1
    report = Report(outcomes, dataset="demo", runs=3)
    table = format_report(report)
    assert "pass^3" in table and "1 flaky case" in table and "50.0%" in table
    assert report.by_tag()["deals"].pass_k == pytest.approx(1 / 2)


def test_retrieval_recall_checks_each_expected_tool() -> None:
    specs = list(all_tools().values())
    found = CaseOutcome(case_("r1", ["revenue"], [{"name": "revenue_for_period"}]), [])
    found.case["turns"] = ["how much did we make last month"]
    check_retrieval(found, specs)
    assert (found.retrieval_hits, found.retrieval_total, found.retrieval_missed) == (1, 1, [])
    missed = CaseOutcome(case_("r2", ["revenue"], [{"name": "revenue_for_period"},
                                                   {"name": "no_such_tool"}]), [])
    missed.case["turns"] = ["revenue last month"]
    check_retrieval(missed, specs)
    assert missed.retrieval_missed == ["no_such_tool"]
    assert metrics([found, missed]).retrieval_recall == pytest.approx(2 / 3)
    follow_up = CaseOutcome(case_("r3", ["revenue"], [{"name": "revenue_for_period"}]), [])
    follow_up.case["turns"] = ["what was revenue in March?", "and in April?"]
    check_retrieval(follow_up, specs)  # the earlier turn counts, as in the graph
    assert follow_up.retrieval_hits == 1


SUBSET = ("cust-count-leads", "cust-list-acme", "create-cust-basic", "upd-cust-status", "del-cust",
          "deals-open-10k", "deals-negotiation", "create-deal-acme", "move-acme", "move-ambiguous",
          "move-pick-name", "rev-last-month", "rev-month-before", "rev-september", "pipeline", "win-rate",
          "dashboard", "workspace", "team", "fu-active", "fu-over-50k", "hello")


def test_runner_on_a_subset_is_accurate(tmp_path: Path) -> None:
    cases = [c for c in load_dataset("crm") if c["id"] in SUBSET]
    assert len(cases) == len(SUBSET)
    before = os.environ.get("DATABASE_URL")
    report = run_cases(cases, runs=2, name="crm")
    assert os.environ.get("DATABASE_URL") == before  # the runner restores the environment
    table = format_report(report, verbose=True)
    overall = report.overall
    assert overall.tool_accuracy is not None and overall.tool_accuracy >= 0.9, table
    assert overall.arg_accuracy is not None and overall.arg_accuracy >= 0.9, table
    assert overall.end_to_end is not None and overall.end_to_end >= 0.9, table
    assert overall.pass_k == overall.end_to_end and overall.flaky == 0, table  # deterministic
    assert overall.retrieval_recall is not None and overall.retrieval_recall >= 0.8, table
    assert all(len(o.runs) == 2 for o in report.outcomes)
    for heading in ("overall", "revenue", "pass^2", "OOS rec", "OOS prec", "R@8", "training"):
        assert heading in table
    figures = report_json([report])["datasets"]["crm"]
    assert figures["overall"]["pass_k"] == figures["overall"]["pass_1"]
    assert figures["tags"]["revenue"]["cases"] == sum("revenue" in c["tags"] for c in cases)
    json.dumps(figures)  # serialisable


def test_main_refuses_unknown_datasets() -> None:
    assert main(dataset="nope", runs=1) == 2
    assert main(dataset="crm", runs=0) == 2


def test_cli_passes_the_eval_options(monkeypatch: pytest.MonkeyPatch) -> None:
    import evals.runner
    from bizpilot_cli.main import build_parser

    seen: dict[str, Any] = {}

    def fake_main(**kwargs: Any) -> int:
        seen.update(kwargs)
        return 0

    monkeypatch.setattr(evals.runner, "main", fake_main)
    args = build_parser().parse_args(["eval", "--dataset", "heldout", "--runs", "2", "--json", "x.json"])
    with pytest.raises(SystemExit) as done:
        args.fn(args)
    assert done.value.code == 0
    assert seen == {"verbose": False, "dataset": "heldout", "runs": 2, "json_path": "x.json"}
    defaults = build_parser().parse_args(["eval"])
    assert (defaults.dataset, defaults.runs, defaults.json) == ("all", 4, None)


def test_unseen_wording_batches_are_kept_apart() -> None:
    """held-out-2 was written before the model was tuned on it; `untuned` cases were never looked at
    while tuning and are the final check on wording the model has not seen."""
    cases = load_dataset("crm")
    held_out_2 = [c for c in cases if "held-out-2" in c["tags"]]
    untuned = [c for c in cases if "untuned" in c["tags"]]
    assert len(held_out_2) >= 40
    assert 5 <= len(untuned) <= 10 and all("held-out-2" in c["tags"] for c in untuned)
    assert sum(1 for c in cases if "analytics" in c["tags"]) >= 25
