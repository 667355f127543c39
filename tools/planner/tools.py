"""The initiative planner's tools (toolset "simulation"): analyse an initiative (ROI, payback, NPV
at a stated discount rate, and a risk range from the business's own revenue volatility), saved so
the planner lists it later.

Volatility: the coefficient of variation of the tenant's monthly revenue (its orders, as the
forecasts count them) over its last VOLATILITY_MONTHS complete months. With fewer than
MIN_MONTHS the analysis still answers ROI, payback and NPV, and says why it has no risk range.
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import func, select

from store.models.action_hub import Initiative
from store.repositories import orders as order_repo
from tools.context import ToolContext
from tools.crm.schemas import Pagination
from tools.forecasting.series import metric_series
from tools.planner import finance
from tools.planner.schemas import (
    AnalyzeInitiativeInput,
    InitiativeList,
    InitiativeOut,
    ListInitiativesInput,
    RiskOut,
    Verdict,
)
from tools.registry import tool

VOLATILITY_MONTHS = 12
MIN_MONTHS = 6


def revenue_volatility(ctx: ToolContext) -> tuple[float | None, int, str | None]:
    """(coefficient of variation, months used, reason when there is none)."""
    monthly = metric_series(ctx.session, metric="revenue", granularity="month", end=ctx.now.date())
    recent = monthly.iloc[-VOLATILITY_MONTHS:].to_numpy(dtype=float)
    if len(recent) < MIN_MONTHS:
        return None, len(recent), (f"{len(recent)} complete months of revenue; the risk range needs "
                                   f"at least {MIN_MONTHS}")
    mean = float(recent.mean())
    if mean <= 0:
        return None, len(recent), "no revenue in the recent months to measure volatility on"
    return float(recent.std(ddof=1) / mean), len(recent), None


def _verdict(npv: float, npv_p10: float | None) -> Verdict:
    if npv <= 0:
        return "reconsider"
    return "proceed" if npv_p10 is not None and npv_p10 > 0 else "proceed_with_caution"


def _money(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@tool(name="analyze_initiative", toolset="simulation", kind="write", idempotent=False,
      description="""Is an initiative worth it? "Is the new product launch worth it: 25k for 50k revenue
over 6 months?" From its investment, expected revenue and timeline ("6 months", "1 year", "12 weeks",
"90 days"): ROI, payback period in months, NPV at a yearly discount rate (default 10%, stated in the
answer), and a risk range (P10-P90 of NPV and ROI, probability of a loss) from the volatility of the
business's own monthly revenue; a verdict (proceed, proceed with caution, reconsider). The analysis
is saved as an initiative.""")
def analyze_initiative(ctx: ToolContext, args: AnalyzeInitiativeInput) -> InitiativeOut:
    months = finance.parse_timeline(args.timeline)
    analysis = finance.analyse(args.investment, args.expected_revenue, months, args.discount_rate)
    cv, basis, reason = revenue_volatility(ctx)
    if cv is None:
        risk = RiskOut(available=False, reason=reason, basis_months=basis)
    else:
        r = finance.risk(analysis, args.investment, args.expected_revenue, cv)
        risk = RiskOut(available=True, volatility=round(cv, 4), basis_months=basis,
                       npv_p10=_money(r.npv_p10), npv_p90=_money(r.npv_p90), roi_p10=round(r.roi_p10, 2),
                       roi_p90=round(r.roi_p90, 2), probability_loss=round(r.probability_loss, 4))
    result: dict[str, Any] = {
        "name": args.name,
        "investment": round(args.investment, 2),
        "expected_outcome": {"revenue": round(args.expected_revenue, 2)},
        "timeline": args.timeline,
        "timeline_months": round(months, 2),
        "discount_rate": args.discount_rate,
        "roi": round(analysis.roi, 2),
        "payback_period_months": (None if analysis.payback_months is None
                                  else round(analysis.payback_months, 2)),
        "npv": round(analysis.npv, 2),
        "present_value": round(analysis.present_value, 2),
        "risk": risk.snake(),
        "verdict": _verdict(analysis.npv, risk.npv_p10),
        "assumptions": [
            "investment paid up front",
            "expected revenue received evenly each month over the timeline, as the initiative's cash return",
            f"discounted monthly at a {args.discount_rate:g}% yearly rate",
            "risk: one normal multiplier on the revenue with the business's monthly revenue "
            "coefficient of variation as its standard deviation; P10 and P90 are its 10th and 90th "
            "percentiles",
        ],
        "currency": order_repo.currency(ctx.session),
    }
    row = Initiative(tenant_id=ctx.tenant_id, name=args.name, investment=args.investment,
                     expected_revenue=args.expected_revenue, timeline=args.timeline,
                     discount_rate=args.discount_rate, result=result, created_by=ctx.user_id or None,
                     created_at=ctx.now)
    ctx.session.add(row)
    ctx.session.flush()
    return to_out(row)


def to_out(row: Initiative) -> InitiativeOut:
    return InitiativeOut.model_validate({**row.result, "initiative_id": row.id, "created_at": row.created_at})


@tool(name="list_initiatives", toolset="simulation", description="""The initiatives analysed so far,
newest first, each with its investment, expected revenue, ROI, payback, NPV, risk range and verdict.
Filter by verdict (proceed, proceed_with_caution, reconsider).""")
def list_initiatives(ctx: ToolContext, args: ListInitiativesInput) -> InitiativeList:
    ordered = select(Initiative).order_by(Initiative.created_at.desc(), Initiative.id.desc())
    start = (args.page - 1) * args.limit
    if args.verdict:  # the verdict lives in the stored result: filtered here, portable across databases
        rows = [r for r in ctx.session.scalars(ordered) if (r.result or {}).get("verdict") == args.verdict]
        total, page = len(rows), rows[start:start + args.limit]
    else:
        total = ctx.session.scalar(select(func.count()).select_from(Initiative)) or 0
        page = list(ctx.session.scalars(ordered.offset(start).limit(args.limit)))
    return InitiativeList(initiatives=[to_out(r) for r in page],
                          pagination=Pagination(page=args.page, limit=args.limit, total=total,
                                                total_pages=math.ceil(total / args.limit) if total else 0))

