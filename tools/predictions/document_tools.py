"""The forecast endpoints of documents 001, 003 and 004 and the insights hub, as capabilities.
REST-only (exposed=False): the assistant reaches the same forecasts through forecast_metric."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from core.errors import ValidationFailed
from store.models import Deal
from tools.context import ToolContext
from tools.forecasting.types import Granularity, InsufficientHistory
from tools.predictions import present, revenue
from tools.predictions import service as svc
from tools.predictions.schemas import ForecastOut
from tools.predictions.schemas_extra import (
    CampaignForecast,
    CampaignForecastInput,
    DateRange,
    HistoryPoint,
    HubForecast,
    HubForecastInput,
    PipelineForecast,
    PipelineMonth,
    Range,
    RevenueAnswer,
    RevenueInput,
    RevenuePrediction,
    WorkspaceForecast,
    WorkspaceForecastInput,
)
from tools.predictions.windows import Window, days_ahead, granularity_for, horizon_to, period_end
from tools.registry import tool

NO_CAMPAIGNS = (
    "No campaign metrics exist in this workspace yet (campaign spend, conversions and "
    "ROAS arrive with the marketing integrations), so there is nothing to forecast; no "
    "figures were invented."
)


def _insights(out: ForecastOut, label: str) -> list[str]:
    lines = []
    if out.change_pct is not None and out.previous_start and out.previous_end:
        word = "grow" if out.change_pct > 0 else "fall" if out.change_pct < 0 else "stay level"
        lines.append(
            f"{label} expected to {word} {abs(out.change_pct)}% compared to "
            f"{out.previous_start} – {out.previous_end}"
        )
    bt = out.backtest
    if bt.beats_seasonal_naive is not None:
        verdict = "beats" if bt.beats_seasonal_naive else "does not beat"
        lines.append(
            f"The {bt.method} forecast {verdict} seasonal naive in its backtest "
            f"(MASE {bt.mase} vs {bt.seasonal_naive_mase} over {bt.origins} origins)"
        )
    if bt.coverage is not None:
        lines.append(
            f"Its {out.level * 100:.0f}% intervals covered {bt.coverage * 100:.1f}% of held-out values"
        )
    return lines


def _given(ctx: ToolContext, args: RevenueInput) -> tuple[ForecastOut, DateRange, int]:
    from tools.forecasting.engine import forecast

    series, granularity, missing = revenue.given_series(args.historical_data, args.granularity)
    last = series.index[-1].date()
    default_end = (
        last
        + {"day": timedelta(days=30), "week": timedelta(weeks=12)}.get(
            granularity, relativedelta(months=3 if granularity == "month" else 12)
        )
        - timedelta(days=1)
    )
    span = args.date_range or DateRange(start=last + timedelta(days=1), end=default_end)
    covered = period_end(last, granularity)
    if span.end <= covered:  # nothing after the history to predict: not the next period instead
        raise ValidationFailed(
            f"dateRange ends on {span.end}, within or before historicalData (its last period ends "
            f"{covered}): a prediction covers days after the history",
            details=[{"field": "dateRange", "message": f"must end after {covered}"}],
        )
    try:
        fc = forecast(
            series,
            horizon=horizon_to(last, span.end, granularity),
            granularity=granularity,
            level=args.confidence_level,
        )
    except InsufficientHistory as err:
        raise InsufficientHistory(
            f"{err.message} ({len(series)} {granularity} periods given)",
            details={"given": len(series), "granularity": granularity, "reason": err.details},
        ) from None
    points = [p for p in fc.points if span.start <= p.date <= span.end] or fc.points
    joint = len(points) == len(fc.points)
    prev = series.iloc[-len(points) :]
    total = sum(p.value for p in points)
    change = (total - float(prev.sum())) / abs(float(prev.sum())) * 100 if float(prev.sum()) else None
    out = ForecastOut(
        metric="revenue",
        granularity=granularity,
        level=fc.level,
        method=fc.method,
        start_date=points[0].date,
        end_date=span.end,
        history_periods=fc.history,
        points=[present.point(p) for p in points],
        total=present.num(total),
        lower=present.num(fc.total_lower if joint else sum(p.lower for p in points)),
        upper=present.num(fc.total_upper if joint else sum(p.upper for p in points)),
        average_per_period=present.num(total / len(points)),
        trend=fc.trend,
        previous_total=present.r(float(prev.sum())),
        previous_start=prev.index[0].date(),
        previous_end=prev.index[-1].date(),
        change_pct=present.r(change, 1),
        backtest=present.backtest(fc.backtest),
        accuracy=present.accuracy(fc.backtest),
        notes=list(fc.notes)
        + ([f"{missing} missing periods in historicalData counted as zero"] if missing else [])
        + ([f"dateRange starts within historicalData: the amount is predicted from {points[0].date}"]
           if span.start <= covered else []),
    )
    return out, span, 0


@tool(
    name="predict_revenue",
    toolset="forecasting",
    exposed=False,
    description="Document 001's revenue prediction: the amount over a date range with its "
    "interval, trend, breakdown, per-period forecast and backtest.",
)
def predict_revenue(ctx: ToolContext, args: RevenueInput) -> RevenueAnswer:
    today = ctx.now.date()
    if args.historical_data:
        out, span, _ = _given(ctx, args)
        parts = None
    else:
        default = Window(today, today.replace(day=1) + relativedelta(months=3) - timedelta(days=1))
        window = (
            Window(max(args.date_range.start, today), args.date_range.end) if args.date_range else default
        )
        granularity = granularity_for(window, today, args.granularity)
        out = svc.forecast_out(
            ctx.session, metric="revenue", window=window, granularity=granularity, level=args.confidence_level
        ).out
        span = DateRange(start=window.start, end=window.end)
        parts = revenue.breakdown(ctx.session, out.total, window.start, window.end)
    return RevenueAnswer(
        prediction=RevenuePrediction(
            amount=out.total,
            confidence=present.confidence_of(out.backtest.smape),
            trend=present.TREND_WORDS[out.trend],  # type: ignore[arg-type]
            range=Range(lower=out.lower, upper=out.upper),
            level=out.level,
            breakdown=parts,
        ),
        insights=_insights(out, "Revenue"),
        forecast=out.points,
        backtest=out.backtest,
        method=out.method,
        granularity=out.granularity,
        source="historicalData" if args.historical_data else "orders",
        date_range=span,
        history_periods=out.history_periods,
        notes=out.notes,
    )


@tool(
    name="hub_forecast",
    toolset="forecasting",
    exposed=False,
    description="The insights hub's forecast of revenue, orders or customers for the next N days.",
)
def hub_forecast(ctx: ToolContext, args: HubForecastInput) -> HubForecast:
    from tools.forecasting.service import last_periods

    today = ctx.now.date()
    window = days_ahead(today, args.horizon)
    granularity: Granularity = "day" if args.horizon <= 90 else "week" if args.horizon <= 364 else "month"
    forecasted = svc.forecast_out(ctx.session, metric=args.type, window=window, granularity=granularity,
                                  level=0.95)
    out = forecasted.out
    shown = min(max(len(out.points) * 2, 14), 120)
    history = last_periods(forecasted.windowed.series, shown)  # the series the forecast read
    return HubForecast(
        **out.model_dump(),
        type=args.type,
        horizon_days=args.horizon,
        history=[HistoryPoint(date=d, value=present.num(v)) for d, v in history],
    )


@tool(
    name="forecast_campaigns",
    toolset="forecasting",
    exposed=False,
    description="Document 003's campaign spend, conversions and ROAS forecast.",
)
def forecast_campaigns(ctx: ToolContext, args: CampaignForecastInput) -> CampaignForecast:
    return CampaignForecast(
        forecasts=[],
        predictions=[],
        campaign_ids=args.campaign_ids,
        days_ahead=args.days_ahead,
        campaigns_with_metrics=0,
        message=NO_CAMPAIGNS,
    )


def pipeline(ctx: ToolContext, months: int) -> PipelineForecast:
    """Open deals by expected close month, weighted by their probability."""
    deals = ctx.session.scalars(select(Deal).where(Deal.stage.not_in(("closed_won", "closed_lost"))))
    first = ctx.now.date().replace(day=1)
    stop = first + relativedelta(months=months)
    by_month: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    count, total, weighted, undated = 0, 0.0, 0.0, 0
    for deal in deals:
        value, chance = float(deal.value), (deal.probability or 0) / 100
        count, total, weighted = count + 1, total + value, weighted + value * chance
        close: date | None = deal.expected_close_date
        if close is None:
            undated += 1
        elif close < stop:
            key = max(close.replace(day=1), first).strftime("%Y-%m")
            row = by_month[key]
            row[0], row[1], row[2] = row[0] + 1, row[1] + value, row[2] + value * chance
    return PipelineForecast(
        open_deals=count,
        total_value=round(total, 2),
        weighted_value=round(weighted, 2),
        by_month=[
            PipelineMonth(month=k, deals=int(v[0]), value=round(v[1], 2), weighted_value=round(v[2], 2))
            for k, v in sorted(by_month.items())
        ],
        without_close_date=undated,
    )


@tool(
    name="workspace_forecast",
    toolset="forecasting",
    exposed=False,
    description="Document 004's workspace forecast: revenue per month and the weighted pipeline.",
)
def workspace_forecast(ctx: ToolContext, args: WorkspaceForecastInput) -> WorkspaceForecast:
    today = ctx.now.date()
    window = Window(today, today.replace(day=1) + relativedelta(months=args.months) - timedelta(days=1))
    revenue_out, reason = None, None
    try:
        revenue_out = svc.forecast_out(ctx.session, metric="revenue", window=window, granularity="month",
                                       level=0.95).out
    except InsufficientHistory as err:
        reason = err.message
    return WorkspaceForecast(
        workspace_id=ctx.tenant_id,
        months=args.months,
        revenue=revenue_out,
        revenue_unavailable=reason,
        pipeline=pipeline(ctx, args.months),
    )
