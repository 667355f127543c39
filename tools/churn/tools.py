"""Churn risk capabilities: which customers are likely to stop buying, and why.

Scores come from the tenant's own model (tools.churn.model), trained on its customers, orders
and deals and cached until that data changes; each training is recorded as a ModelRun (kind
"churn") with its held-out metrics. With too little history the tools raise
InsufficientHistory (422 INSUFFICIENT_DATA) instead of inventing a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import select

from core.errors import NotFound
from store.models import Customer, ModelRun
from tools.churn.features import (
    HORIZON_DAYS,
    LABELS,
    CustomerRow,
    History,
    churned_before,
    features_at,
    load_history,
)
from tools.churn.model import ChurnModel, model_for
from tools.churn.schemas import (
    ChurnFactor,
    ChurnModelSummary,
    ChurnRiskInput,
    ChurnRiskList,
    CustomerChurn,
    CustomerChurnInput,
    CustomerChurnOutput,
    ReliabilityBin,
    RiskLevel,
)
from tools.context import ToolContext
from tools.forecasting.types import InsufficientHistory
from tools.registry import tool

HIGH, MEDIUM = 0.5, 0.2
LEVEL_RANK = {"low": 0, "medium": 1, "high": 2}
SHOWN_FACTORS = 5
INTEGER_FEATURES = {"days_since_last_order", "orders_90d", "orders_365d", "tenure_days", "open_deals",
                    "won_deals", "lost_deals", "days_since_status_change", "status_inactive"}


@dataclass
class Scoring:
    """A tenant's trained model with the history it was trained on and its recorded run."""

    model: ChurnModel
    history: History
    summary: ChurnModelSummary


def risk_level(p: float) -> RiskLevel:
    return "high" if p >= HIGH else "medium" if p >= MEDIUM else "low"


def _record_run(ctx: ToolContext, model: ChurnModel) -> str:
    """The ModelRun for this model's data, written once per data hash (a restarted process that
    retrains on the same data finds the run it recorded before)."""
    run = ctx.session.scalar(select(ModelRun).where(ModelRun.kind == "churn",
                                                    ModelRun.data_hash == model.data_hash))
    if run is None:
        run = ModelRun(tenant_id=ctx.tenant_id, kind="churn", data_hash=model.data_hash,
                       metrics=model.metrics(), created_at=ctx.now,
                       parameters={"method": model.method, "horizon_days": HORIZON_DAYS,
                                   "cutoffs": [c.date().isoformat() for c in model.cutoffs]})
        ctx.session.add(run)
        ctx.session.flush()
    return run.id


def summary_of(model: ChurnModel, run_id: str | None) -> ChurnModelSummary:
    return ChurnModelSummary(
        method=model.method, auc=round(model.auc, 3), brier=round(model.brier, 4),
        base_rate=round(model.base_rate, 4), examples=model.examples, customers=model.customers,
        churners=model.churners, horizon_days=HORIZON_DAYS, cutoffs=[c.date() for c in model.cutoffs],
        trained_at=model.trained_at, model_run_id=run_id,
        gradient_boosting_auc=round(model.comparison["gradient_boosting_auc"], 3)
        if "gradient_boosting_auc" in model.comparison else None,
        reliability=[ReliabilityBin(**vars(r)) for r in model.reliability])


def scoring(ctx: ToolContext) -> Scoring:
    """The tenant's model for its current data (trained now if the data changed). Raises
    InsufficientHistory when it cannot be trained honestly."""
    history = load_history(ctx.session)
    model, _ = model_for(ctx.tenant_id, history, ctx.now)
    return Scoring(model, history, summary_of(model, _record_run(ctx, model)))


def _shown(name: str, value: float) -> str:
    if name in ("spend_365d", "avg_order_value"):
        return f"{value:,.2f}"
    return f"{round(value):,}" if name in INTEGER_FEATURES else f"{value:,.2f}"


def _factor(name: str, value: float, z: float, part: float) -> ChurnFactor:
    direction = "increases risk" if part > 0 else "decreases risk"
    shown = value if name not in INTEGER_FEATURES else float(round(value))
    text = f"{LABELS[name]}: {'yes' if name == 'status_inactive' and value else _shown(name, value)}"
    if name == "status_inactive" and not value:
        text = f"{LABELS[name]}: no"
    return ChurnFactor(factor=name, label=LABELS[name], value=round(shown, 2), standardised=round(z, 2),
                       impact=round(part, 3),
                       direction=direction, description=f"{text} ({direction})")


RECOMMEND: dict[str, tuple[int, str]] = {
    "days_since_last_order": (1, "Reach out: no order in {v} days"),
    "orders_90d": (-1, "Invite them back with an offer: {v} orders in the last 90 days"),
    "orders_365d": (-1, "Plan a re-engagement campaign: {v} orders in the last 365 days"),
    "spend_365d": (-1, "Suggest a bundle or volume offer: {v} spent in the last 365 days"),
    "avg_order_value": (-1, "Offer a loyalty discount on larger orders: average order {v}"),
    "tenure_days": (-1, "Check their onboarding: a customer for {v} days"),
    "lost_deals": (1, "Ask for feedback on the lost deals: {v} lost"),
    "open_deals": (1, "Follow up on the open deals: {v} open"),
    "status_inactive": (1, "Reactivate the account: its status is inactive"),
}
"""feature -> (the side that reads as a warning: 1 above average, -1 below, and what to do)."""


def recommendations(factors: list[ChurnFactor]) -> list[str]:
    """Rules over the factors that raise this customer's risk, strongest first (at most three):
    a factor leads to an action only where its value is on the warning side (a long time since
    the last order, few orders, low spend, ...), not where a model fitted on noise ties risk to,
    say, many orders."""
    actions = []
    for f in factors:
        side, text = RECOMMEND.get(f.factor, (0, ""))
        if f.direction == "increases risk" and side and side * f.standardised > 0:
            actions.append(text.format(v=_shown(f.factor, f.value)))
    if not actions:
        return ["Keep the relationship as it is: nothing in their history is a warning sign"]
    return actions[:3]


def predict(s: Scoring, c: CustomerRow, x: np.ndarray, factors: int = SHOWN_FACTORS) -> CustomerChurn:
    p = s.model.probability(x)
    every = [_factor(*c) for c in s.model.contributions(x)]
    shown = every[:factors]
    return CustomerChurn(
        customer_id=c.id, name=c.name, company=c.company, status=c.status, churn_risk=round(p, 4),
        risk_level=risk_level(p), relative_risk=round(p / s.model.base_rate, 2) if s.model.base_rate else 0.0,
        factors=shown, recommendations=recommendations(every))


def score_all(s: Scoring, now_ids: set[str] | None, when: datetime) -> list[CustomerChurn]:
    """Every customer with a paid order who has not churned, most at risk first."""
    out = []
    for c in s.history.customers:
        if (now_ids is not None and c.id not in now_ids) or churned_before(c, when):
            continue
        x = features_at(s.history, c, when)
        if x is not None:
            out.append(predict(s, c, x, factors=3))
    return sorted(out, key=lambda r: -r.churn_risk)


@tool(name="churn_risk", toolset="forecasting", description="""Churn risk: who is likely to stop
buying (no paid order in the next 90 days) and why. The accounts most at risk with their
probability, risk level and the model's own top factors for each (days since the last order,
orders and spend in the last 90/365 days, tenure, deals won/lost/open, status), plus how the model
validated on held-out accounts (AUC, Brier score). A logistic regression trained on this
workspace's own history; with too little history it says so instead of guessing.""")
def churn_risk(ctx: ToolContext, args: ChurnRiskInput) -> ChurnRiskList:
    wanted = set(args.customer_ids) if args.customer_ids else None
    if wanted is not None and not _exist(ctx, wanted):
        raise NotFound("customer", ", ".join(sorted(wanted)))
    s = scoring(ctx)
    scored = score_all(s, wanted, ctx.now)
    levels = [r.risk_level for r in scored]
    chosen = [r for r in scored if not args.risk_level or
              LEVEL_RANK[r.risk_level] >= LEVEL_RANK[args.risk_level]]
    return ChurnRiskList(model=s.summary, customers=chosen[: args.limit], scored=len(scored),
                         high=levels.count("high"), medium=levels.count("medium"),
                         low=levels.count("low"))


def _exist(ctx: ToolContext, ids: set[str]) -> bool:
    return ctx.session.scalar(select(Customer.id).where(Customer.id.in_(ids)).limit(1)) is not None


@tool(name="customer_churn_risk", toolset="forecasting", description="""How likely one customer is
to churn (no paid order in the next 90 days): the probability, risk level, the factors the model
weighed for this customer (each with its value and whether it raises or lowers the risk) and
recommendations that follow from them. Give the customer's id (find_records turns a name into it).""")
def customer_churn_risk(ctx: ToolContext, args: CustomerChurnInput) -> CustomerChurnOutput:
    row = ctx.session.get(Customer, args.customer_id)
    if row is None or row.tenant_id != ctx.tenant_id:
        raise NotFound("customer", args.customer_id)
    s = scoring(ctx)
    c = s.history.by_id(row.id)
    x = features_at(s.history, c, ctx.now) if c else None
    if c is None or x is None:
        raise InsufficientHistory(f"{row.name} has no paid orders yet: churn risk is estimated for "
                                  "customers with a purchase history.",
                                  details={"customer_id": row.id, "orders": 0})
    note = (f"{c.name} is already marked churned." if churned_before(c, ctx.now) else None)
    return CustomerChurnOutput(customer=predict(s, c, x), model=s.summary, note=note)
