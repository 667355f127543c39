"""The named insight rules. Each reads the tenant's data (the session is tenant-scoped), and
returns findings that state their figures in `data`; the priority follows the figure's size by
the thresholds below, so a bigger problem is never ranked lower than a smaller one.

Thresholds (documented, tested in tests/insights):
- revenue_change: last complete month vs the month before. Drop of 30% or more critical, 15%
  high, 5% medium; growth of 15% or more medium, 5% low; under 5% either way nothing.
- customer_concentration: the top customer's share of paid revenue in the last 365 days: 50%
  or more critical, 30% high, 20% medium; below 20% nothing.
- stalled_deals: open deals unchanged for STALE_DAYS (30) days or more; priority by their share
  of the open pipeline's value: 50% or more high, 20% medium, else low.
- churn_risk: customers the churn model puts at high risk (probability 0.5 or more), only when
  the model trains and validates with AUC of at least 0.6; 10% or more of scored customers
  high, else medium.
- overdue_invoices: open invoices past their due date; outstanding 50,000 or more critical,
  10,000 high, 1,000 medium, else low.
- data_trust: open data-trust incidents; the priority is the most severe incident's.
- security_issues: unresolved security-score findings; the priority is the most severe one's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import Customer, Deal, Invoice, Order, SecurityIssue, TrustIncident
from store.repositories.deals import OPEN_STAGES
from store.repositories.orders import REVENUE_STATUSES, revenue_between

STALE_DAYS = 30
MIN_CHURN_AUC = 0.6
SEVERITY = ("critical", "high", "medium", "low")


@dataclass(frozen=True)
class Finding:
    rule: str
    type: str
    priority: str
    title: str
    description: str
    data: dict[str, Any]
    subject: str

    @property
    def fingerprint(self) -> str:
        return f"{self.rule}:{self.subject}"[:100]


@dataclass
class Scope:
    """What a rule reads: the tenant-scoped session, the time, and the churn list (loaded only
    by the churn rule, since training costs a few seconds)."""

    session: Session
    now: datetime
    churn: Callable[[], Any]


def digest(ids: Iterable[str]) -> str:
    """A short, stable subject for a set of records: new records make a new insight."""
    return hashlib.sha256("|".join(sorted(ids)).encode()).hexdigest()[:16]


def by_threshold(value: float, steps: tuple[tuple[float, str], ...]) -> str | None:
    """The first priority whose threshold the value reaches (steps from the largest down)."""
    return next((priority for threshold, priority in steps if value >= threshold), None)


def _day_start(d: date) -> datetime:
    return datetime.combine(d, time(0), tzinfo=UTC)


def revenue_change(s: Scope) -> list[Finding]:
    this_month = s.now.date().replace(day=1)
    last, before = this_month - relativedelta(months=1), this_month - relativedelta(months=2)
    current, _ = revenue_between(s.session, _day_start(last), _day_start(this_month))
    previous, _ = revenue_between(s.session, _day_start(before), _day_start(last))
    if not previous:
        return []
    change = round(float((current - previous) / previous * 100), 1)
    priority = (by_threshold(-change, ((30, "critical"), (15, "high"), (5, "medium"))) if change < 0
                else by_threshold(change, ((15, "medium"), (5, "low"))))
    if priority is None:
        return []
    month = f"{last:%B %Y}"
    word = "fell" if change < 0 else "grew"
    return [Finding("revenue_change", "revenue_trend", priority,
                    f"Revenue {word} {abs(change)}% in {month}",
                    f"Paid revenue in {month} was {float(current):,.2f} against {float(previous):,.2f} "
                    f"in {before:%B %Y}, a change of {change}%.",
                    {"month": f"{last:%Y-%m}", "revenue": float(current), "previous_month": f"{before:%Y-%m}",
                     "previous_revenue": float(previous), "change_percent": change},
                    f"{last:%Y-%m}")]


def customer_concentration(s: Scope) -> list[Finding]:
    since = s.now - timedelta(days=365)
    paid = (Order.status.in_(REVENUE_STATUSES), Order.ordered_at >= since, Order.ordered_at < s.now)
    total = float(s.session.scalar(select(func.coalesce(func.sum(Order.total), 0)).where(*paid)) or 0)
    top = s.session.execute(
        select(Order.customer_id, func.sum(Order.total).label("spent")).where(
            *paid, Order.customer_id.is_not(None)).group_by(Order.customer_id)
        .order_by(func.sum(Order.total).desc()).limit(1)).first()
    if not total or top is None:
        return []
    share = round(float(top.spent) / total * 100, 1)
    priority = by_threshold(share, ((50, "critical"), (30, "high"), (20, "medium")))
    if priority is None:
        return []
    name = s.session.scalar(select(Customer.name).where(Customer.id == top.customer_id)) or "One customer"
    return [Finding("customer_concentration", "concentration", priority,
                    f"{name} brings {share}% of your revenue",
                    f"{name} paid {float(top.spent):,.2f} of {total:,.2f} in the last 365 days ({share}%): "
                    "losing them would hurt.",
                    {"customer_id": top.customer_id, "customer_name": name, "revenue": float(top.spent),
                     "total_revenue": total, "share_percent": share, "days": 365},
                    str(top.customer_id))]


def stalled_deals(s: Scope) -> list[Finding]:
    cutoff = s.now - timedelta(days=STALE_DAYS)
    open_deals = list(s.session.scalars(select(Deal).where(Deal.stage.in_(OPEN_STAGES))))
    stale = sorted((d for d in open_deals if d.updated_at <= cutoff), key=lambda d: d.updated_at)
    if not stale:
        return []
    value = round(sum(float(d.value) for d in stale), 2)
    pipeline = round(sum(float(d.value) for d in open_deals), 2)
    share = round(value / pipeline * 100, 1) if pipeline else 0.0
    priority = by_threshold(share, ((50, "high"), (20, "medium"))) or "low"
    deals = [{"id": d.id, "title": d.title, "stage": d.stage, "value": float(d.value),
              "days_unchanged": (s.now - d.updated_at).days} for d in stale[:10]]
    return [Finding("stalled_deals", "pipeline", priority,
                    f"{len(stale)} open deal{'s' if len(stale) != 1 else ''} stuck for {STALE_DAYS}+ days",
                    f"{len(stale)} open deals worth {value:,.2f} ({share}% of the open pipeline) have not "
                    f"changed in {STALE_DAYS} days or more; the oldest for "
                    f"{deals[0]['days_unchanged']} days.",
                    {"count": len(stale), "value": value, "pipeline_value": pipeline, "share_percent": share,
                     "stale_days": STALE_DAYS, "deals": deals},
                    digest(d.id for d in stale))]


def churn_risk(s: Scope) -> list[Finding]:
    risk = s.churn()
    if risk.model.auc < MIN_CHURN_AUC:
        return []
    high = [c for c in risk.customers if c.risk_level == "high"]
    if not high:
        return []
    share = round(risk.high / risk.scored * 100, 1) if risk.scored else 0.0
    priority = "high" if share >= 10 else "medium"
    names = [c.name for c in high[:5]]
    return [Finding("churn_risk", "churn_risk", priority,
                    f"{risk.high} customer{'s' if risk.high != 1 else ''} at high risk of churning",
                    f"The churn model (AUC {risk.model.auc} on held-out customers) gives {risk.high} of "
                    f"{risk.scored} customers a churn probability of 50% or more; most at risk: "
                    f"{', '.join(names)}.",
                    {"high": risk.high, "scored": risk.scored, "share_percent": share, "auc": risk.model.auc,
                     "customers": [{"id": c.customer_id, "name": c.name, "churn_risk": c.churn_risk}
                                   for c in high[:10]]},
                    digest(c.customer_id for c in high))]


def overdue_invoices(s: Scope) -> list[Finding]:
    today = s.now.date()
    rows = list(s.session.scalars(select(Invoice).where(Invoice.status == "open", Invoice.due_date < today)))
    if not rows:
        return []
    owed = round(sum(float(i.amount_due) - float(i.amount_paid) for i in rows), 2)
    oldest = max((today - i.due_date).days for i in rows if i.due_date)
    priority = by_threshold(owed, ((50_000, "critical"), (10_000, "high"), (1_000, "medium"))) or "low"
    return [Finding("overdue_invoices", "cash_flow", priority,
                    f"{len(rows)} overdue invoice{'s' if len(rows) != 1 else ''}: {owed:,.2f} outstanding",
                    f"{len(rows)} open invoices are past their due date, {owed:,.2f} outstanding; the "
                    f"oldest is {oldest} days overdue.",
                    {"count": len(rows), "outstanding": owed, "oldest_days_overdue": oldest,
                     "invoice_ids": [i.id for i in rows[:20]]},
                    digest(i.id for i in rows))]


def _most_severe(values: Iterable[str]) -> str:
    found = set(values)
    return next((s for s in SEVERITY if s in found), "low")


def data_trust(s: Scope) -> list[Finding]:
    rows = list(s.session.scalars(select(TrustIncident).where(TrustIncident.status == "open")))
    if not rows:
        return []
    worst = _most_severe(r.severity for r in rows)
    platforms = sorted({r.platform for r in rows})
    return [Finding("data_trust", "data_quality", worst,
                    f"{len(rows)} open data trust incident{'s' if len(rows) != 1 else ''}",
                    f"Data from {', '.join(platforms)} has {len(rows)} open incidents (most severe: "
                    f"{worst}); figures that depend on it may be off until they are resolved.",
                    {"count": len(rows), "most_severe": worst, "platforms": platforms,
                     "incidents": [{"id": r.id, "title": r.title, "severity": r.severity}
                                   for r in rows[:10]]},
                    digest(r.id for r in rows))]


def security_issues(s: Scope) -> list[Finding]:
    rows = list(s.session.scalars(select(SecurityIssue).where(SecurityIssue.resolved_at.is_(None))))
    if not rows:
        return []
    worst = _most_severe(r.severity for r in rows)
    return [Finding("security_issues", "security", worst,
                    f"{len(rows)} open security issue{'s' if len(rows) != 1 else ''}",
                    f"The security score has {len(rows)} unresolved findings (most severe: {worst}): "
                    + "; ".join(r.title for r in rows[:5]) + ".",
                    {"count": len(rows), "most_severe": worst,
                     "issues": [{"key": r.key, "title": r.title, "severity": r.severity} for r in rows[:10]]},
                    digest(r.key for r in rows))]


@dataclass(frozen=True)
class Rule:
    name: str
    groups: frozenset[str]
    check: Callable[[Scope], list[Finding]]
    recommend: Callable[[dict[str, Any]], str]


RULES: tuple[Rule, ...] = (
    Rule("revenue_change", frozenset({"revenue"}), revenue_change,
         lambda d: "Find what changed: compare orders by channel and customer with the month before"
         if d["change_percent"] < 0 else "Find what worked and do more of it"),
    Rule("customer_concentration", frozenset({"revenue", "customers"}), customer_concentration,
         lambda d: f"Reduce the dependence on {d['customer_name']}: grow other accounts"),
    Rule("stalled_deals", frozenset({"deals"}), stalled_deals,
         lambda d: "Follow up on the stuck deals, oldest first, or close them as lost"),
    Rule("churn_risk", frozenset({"customers"}), churn_risk,
         lambda d: "Reach out to the customers most at risk, starting with the first listed"),
    Rule("overdue_invoices", frozenset({"revenue"}), overdue_invoices,
         lambda d: "Send payment reminders, oldest invoice first"),
    Rule("data_trust", frozenset({"data"}), data_trust,
         lambda d: "Check the affected connections and resolve the incidents"),
    Rule("security_issues", frozenset({"security"}), security_issues,
         lambda d: "Open the security score and fix the most severe issue first"),
)
BY_NAME = {r.name: r for r in RULES}
DATA_TYPES = ("all", "revenue", "customers", "deals", "security", "data")


def rules_for(data_type: str) -> list[Rule]:
    return [r for r in RULES if data_type == "all" or data_type in r.groups]
