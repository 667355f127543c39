"""Insight capabilities: run the named rules (tools.insights.rules) over the tenant's data, keep
what they find as Insight rows, list them, move their status, and the insights hub overview.

An insight is not generated twice while an equal one (same fingerprint: rule and subject) is
open (new or viewed) or was dismissed; an actioned one may come back if the finding persists.
Each new insight is announced as `insight.generated`, a critical one also as `insight.critical`,
in the same transaction that stores it.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from sqlalchemy import distinct, func, select

from core.errors import AppError, NotFound
from store.models import Deal, Insight, Order
from store.repositories.orders import REVENUE_STATUSES
from tools.churn import tools as churn
from tools.context import ToolContext
from tools.crm.schemas import Pagination
from tools.events import emit
from tools.insights.rules import BY_NAME, Finding, Scope, rules_for
from tools.insights.schemas import (
    Alert,
    ChurnOverview,
    GenerateInsightsInput,
    GenerateInsightsOutput,
    InsightList,
    InsightOut,
    InsightOutput,
    InsightsOverview,
    InsightsOverviewInput,
    ListInsightsInput,
    OverviewMetrics,
    RuleSkipped,
    Trend,
    UpdateInsightInput,
)
from tools.registry import tool

OPEN = ("new", "viewed")
KEPT = (*OPEN, "dismissed")
PRIORITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3}


def to_out(row: Insight) -> InsightOut:
    rule = BY_NAME.get(row.rule or "")
    data = dict(row.data or {})
    confidence = (float(data["auc"]) if "auc" in data else 1.0) if rule else None
    return InsightOut(
        id=row.id, type=row.type, priority=row.priority, status=row.status,  # type: ignore[arg-type]
        title=row.title, description=row.description, data=data, rule=row.rule,
        fingerprint=row.fingerprint, confidence=confidence, potential_impact=row.priority,  # type: ignore[arg-type]
        recommendation=rule.recommend(data) if rule else None, created_at=row.created_at,
        updated_at=row.updated_at)


def _churn_list(ctx: ToolContext) -> Any:
    return churn.churn_risk(ctx, churn.ChurnRiskInput(limit=100))


def _store(ctx: ToolContext, finding: Finding) -> Insight:
    row = Insight(tenant_id=ctx.tenant_id, type=finding.type, priority=finding.priority, status="new",
                  title=finding.title[:300], description=finding.description, data=finding.data,
                  rule=finding.rule, fingerprint=finding.fingerprint, created_by=ctx.user_id or None,
                  created_at=ctx.now, updated_at=ctx.now)
    ctx.session.add(row)
    ctx.session.flush()
    payload = to_out(row).snake()
    emit(ctx, "insight.generated", payload)
    if row.priority == "critical":
        emit(ctx, "insight.critical", payload)
    return row


@tool(name="generate_insights", toolset="analytics", kind="write", min_role="analyst",
      description="""Run the insight rules over the business's data now and keep what they find:
revenue change last month, dependence on one customer, deals stuck for 30+ days, customers at high
churn risk (from the churn model), overdue invoices, open data-trust incidents and security issues.
Each insight states its figures, a priority from their size and a recommendation. Returns new and
still-open insights; an open or dismissed one is not generated twice.""")
def generate_insights(ctx: ToolContext, args: GenerateInsightsInput) -> GenerateInsightsOutput:
    scope = Scope(ctx.session, ctx.now, lambda: _churn_list(ctx))
    existing = {r.fingerprint: r for r in ctx.session.scalars(
        select(Insight).where(Insight.status.in_(KEPT), Insight.fingerprint.is_not(None))
        .order_by(Insight.created_at))}
    current, skipped, run, new = [], [], [], 0
    for rule in rules_for(args.data_type):
        try:
            findings = rule.check(scope)
        except AppError as err:  # the churn model without enough history, say
            skipped.append(RuleSkipped(rule=rule.name, reason=err.message))
            continue
        run.append(rule.name)
        for finding in findings:
            row = existing.get(finding.fingerprint)
            if row is None:
                row, new = _store(ctx, finding), new + 1
            if row.status in OPEN:
                current.append(row)
    current.sort(key=lambda r: (PRIORITY_RANK.get(r.priority, 9), r.created_at))
    return GenerateInsightsOutput(insights=[to_out(r) for r in current], generated=new, rules_run=run,
                                  skipped=skipped)


@tool(name="list_insights", toolset="analytics", description="""What to know about the business
now: the open insights (new or viewed), most important first, each with its figures, priority
(critical, high, medium, low) and a recommendation. Filter by type (revenue_trend, concentration,
pipeline, churn_risk, cash_flow, data_quality, security), priority or status; all=true includes
actioned and dismissed ones. Run generate_insights to refresh them.""")
def list_insights(ctx: ToolContext, args: ListInsightsInput) -> InsightList:
    conditions: list[Any] = []
    if args.status:
        conditions.append(Insight.status == args.status)
    elif not args.all:
        conditions.append(Insight.status.in_(OPEN))
    if args.type:
        conditions.append(Insight.type == args.type)
    if args.priority:
        conditions.append(Insight.priority == args.priority)
    rows = list(ctx.session.scalars(select(Insight).where(*conditions)
                                    .order_by(Insight.created_at.desc(), Insight.id)))
    rows.sort(key=lambda r: PRIORITY_RANK.get(r.priority, 9))  # stable: newest first within a priority
    start = (args.page - 1) * args.limit
    total = len(rows)
    return InsightList(insights=[to_out(r) for r in rows[start:start + args.limit]],
                       pagination=Pagination(page=args.page, limit=args.limit, total=total,
                                             total_pages=-(-total // args.limit)))


def load(ctx: ToolContext, insight_id: str) -> Insight:
    row = ctx.session.get(Insight, insight_id)
    if row is None or row.tenant_id != ctx.tenant_id:
        raise NotFound("insight", insight_id)
    return row


@tool(name="update_insight", toolset="analytics", kind="write", idempotent=True, description="""Mark
an insight as viewed, actioned (done) or dismissed (not relevant), or as new again. A dismissed
insight is not generated again while its finding stays the same.""")
def update_insight(ctx: ToolContext, args: UpdateInsightInput) -> InsightOutput:
    row = load(ctx, args.insight_id)
    row.status, row.updated_at = args.status, ctx.now
    ctx.session.flush()
    return InsightOutput(insight=to_out(row))


# --- the insights hub overview (document 000) ------------------------------------------------------


def _trend(current: float, previous: float) -> Trend:
    change = round((current - previous) / previous * 100, 1) if previous else None
    direction = "flat" if not change else "up" if change > 0 else "down"
    return Trend(current=round(current, 2), previous=round(previous, 2), change=change, trend=direction)


def _window(ctx: ToolContext, start: Any, end: Any) -> tuple[float, float, float, float]:
    """(revenue, orders, distinct customers, won share of closed deals in percent)."""
    paid = (Order.status.in_(REVENUE_STATUSES), Order.ordered_at >= start, Order.ordered_at < end)
    revenue, orders, buyers = ctx.session.execute(select(
        func.coalesce(func.sum(Order.total), 0), func.count(), func.count(distinct(Order.customer_id)))
        .where(*paid)).one()
    closed = Counter(ctx.session.scalars(select(Deal.stage).where(
        Deal.stage.in_(("closed_won", "closed_lost")), Deal.closed_at >= start, Deal.closed_at < end)))
    total = closed["closed_won"] + closed["closed_lost"]
    rate = closed["closed_won"] / total * 100 if total else 0.0
    return float(revenue), float(orders), float(buyers), rate


def _metrics(ctx: ToolContext, days: int) -> OverviewMetrics:
    span = timedelta(days=days)
    now = _window(ctx, ctx.now - span, ctx.now)
    before = _window(ctx, ctx.now - 2 * span, ctx.now - span)
    return OverviewMetrics(revenue=_trend(now[0], before[0]), orders=_trend(now[1], before[1]),
                           customers=_trend(now[2], before[2]), conversion_rate=_trend(now[3], before[3]))


def _churn_overview(ctx: ToolContext) -> ChurnOverview:
    try:
        risk = _churn_list(ctx)
    except AppError as err:
        return ChurnOverview(available=False, reason=err.message)
    return ChurnOverview(available=True, auc=risk.model.auc, brier=risk.model.brier, scored=risk.scored,
                         high=risk.high, medium=risk.medium, low=risk.low)


@tool(name="insights_overview", toolset="analytics", exposed=False, description="""The insights
hub: revenue, orders, buying customers and deal conversion over the last `days` against the days
before, alerts from open high and critical insights, the latest insights, counts by type, priority
and status, and the churn model's summary when it can be trained.""")
def insights_overview(ctx: ToolContext, args: InsightsOverviewInput) -> InsightsOverview:
    rows = list(ctx.session.scalars(select(Insight).order_by(Insight.created_at.desc(), Insight.id)))
    open_rows = [r for r in rows if r.status in OPEN]
    alerts = [Alert(id=r.id, type="critical" if r.priority == "critical" else "warning", message=r.title,
                    priority=r.priority)  # type: ignore[arg-type]
              for r in sorted(open_rows, key=lambda r: PRIORITY_RANK.get(r.priority, 9))
              if r.priority in ("critical", "high")]
    return InsightsOverview(
        metrics=_metrics(ctx, args.days), alerts=alerts, recent_activity=[to_out(r) for r in rows[:10]],
        open_insights=len(open_rows), by_type=dict(Counter(r.type for r in open_rows)),
        by_priority=dict(Counter(r.priority for r in open_rows)),
        by_status=dict(Counter(r.status for r in rows)), churn=_churn_overview(ctx), days=args.days)
