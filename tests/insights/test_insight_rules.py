"""Each insight rule fires when it should, with the priority its thresholds give, on data built
for it (a fresh workspace per test, a fixed clock)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from helpers import Account
from insights.builders import (
    NOW,
    add,
    customer,
    deal,
    incident,
    invoice,
    month_start,
    order,
    security_issue,
)

from store.db import unit_of_work
from tools.insights import rules
from tools.insights.rules import Finding, Scope


def no_churn() -> Any:
    raise AssertionError("the churn model is not needed here")


def run(tenant_id: str, rule: Any) -> list[Finding]:
    with unit_of_work(tenant_id) as session:
        return list(rule(Scope(session, NOW, no_churn)))


@pytest.mark.parametrize(("current", "previous", "priority"), [
    (650, 1000, "critical"), (800, 1000, "high"), (920, 1000, "medium"), (970, 1000, None),
    (1030, 1000, None), (1080, 1000, "low"), (1200, 1000, "medium"),
])
def test_revenue_change_thresholds(account: Account, current: float, previous: float,
                                   priority: str | None) -> None:
    t = account.tenant_id
    add(t, order(t, current, month_start(NOW, 1) + timedelta(days=3)),
        order(t, previous, month_start(NOW, 2) + timedelta(days=3)),
        order(t, 99999, NOW - timedelta(days=1)))  # this month: not compared until it is complete
    found = run(t, rules.revenue_change)
    assert [f.priority for f in found] == ([priority] if priority else [])
    if found:
        assert found[0].data["revenue"] == current and found[0].data["previous_revenue"] == previous
        assert found[0].data["change_percent"] == round((current - previous) / previous * 100, 1)
        assert found[0].fingerprint == "revenue_change:2026-05"


def test_no_revenue_before_means_no_revenue_insight(account: Account) -> None:
    add(account.tenant_id, order(account.tenant_id, 500, month_start(NOW, 1)))
    assert run(account.tenant_id, rules.revenue_change) == []


@pytest.mark.parametrize(("big", "priority"), [(600, "critical"), (350, "high"), (220, "medium"),
                                               (150, None)])
def test_customer_concentration(account: Account, big: float, priority: str | None) -> None:
    t = account.tenant_id
    whale, other = customer(t, "Whale Co"), customer(t, "Minnow")
    add(t, whale, other)
    add(t, order(t, big, NOW - timedelta(days=10), whale.id),
        order(t, 100, NOW - timedelta(days=5), other.id),
        order(t, 900 - big, NOW - timedelta(days=20)),  # a guest checkout: revenue, no customer
        order(t, 5000, NOW - timedelta(days=400), other.id))  # older than a year: not counted
    found = run(t, rules.customer_concentration)
    assert [f.priority for f in found] == ([priority] if priority else [])
    if found:
        assert found[0].data["customer_name"] == "Whale Co"
        assert found[0].data["share_percent"] == round(big / 1000 * 100, 1)


def test_stalled_deals(account: Account) -> None:
    t = account.tenant_id
    add(t, deal(t, 300, NOW - timedelta(days=40)), deal(t, 300, NOW - timedelta(days=31)),
        deal(t, 400, NOW - timedelta(days=2)), deal(t, 9000, NOW - timedelta(days=90), "closed_won"))
    [found] = run(t, rules.stalled_deals)
    assert found.priority == "high" and found.data["count"] == 2 and found.data["value"] == 600
    assert found.data["share_percent"] == 60.0 and found.data["deals"][0]["days_unchanged"] == 40
    add(t, deal(t, 5000, NOW - timedelta(days=1)))
    assert run(t, rules.stalled_deals)[0].priority == "low"  # 600 of 6000: 10%


@pytest.mark.parametrize(("amount", "priority"), [(60000, "critical"), (12000, "high"), (1500, "medium"),
                                                  (200, "low")])
def test_overdue_invoices(account: Account, amount: float, priority: str) -> None:
    t = account.tenant_id
    add(t, invoice(t, amount, (NOW - timedelta(days=12)).date()),
        invoice(t, 99999, (NOW - timedelta(days=30)).date(), status="paid"),
        invoice(t, 99999, (NOW + timedelta(days=5)).date()))
    [found] = run(t, rules.overdue_invoices)
    assert found.priority == priority and found.data["outstanding"] == amount
    assert found.data["count"] == 1 and found.data["oldest_days_overdue"] == 12


def test_trust_incidents_and_security_issues_take_the_worst_severity(account: Account) -> None:
    t = account.tenant_id
    assert run(t, rules.data_trust) == [] and run(t, rules.security_issues) == []
    add(t, incident(t, "medium"), incident(t, "high"), incident(t, "critical", status="resolved"),
        security_issue(t, "low"), security_issue(t, "critical"), security_issue(t, "high", resolved=True))
    [trust] = run(t, rules.data_trust)
    assert trust.priority == "high" and trust.data["count"] == 2
    [security] = run(t, rules.security_issues)
    assert security.priority == "critical" and security.data["count"] == 2


def test_thresholds_pick_the_first_step_reached() -> None:
    steps = ((30.0, "critical"), (15.0, "high"))
    assert rules.by_threshold(30, steps) == "critical" and rules.by_threshold(29.9, steps) == "high"
    assert rules.by_threshold(1, steps) is None
    assert rules.digest(["b", "a"]) == rules.digest(["a", "b"]) != rules.digest(["a"])
