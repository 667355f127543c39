"""The forecasting tools the assistant, MCP clients and REST share (toolset "forecasting").

Forecasts run the engine synchronously inside the tool call: the runtime runs every tool in a
worker thread (tools.runtime.aexecute), so a fit never blocks the event loop. Predictions
(document 000) are recorded and computed by a durable job instead.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select

from core.errors import NotFound, ValidationFailed
from store.models import Customer
from store.models.predictions import Prediction
from tools.context import ToolContext
from tools.crm.schemas import Pagination
from tools.jobs.runner import enqueue
from tools.predictions import records
from tools.predictions import service as svc
from tools.predictions.jobs import JOB_NAME
from tools.predictions.schemas import (
    CreatePredictionInput,
    CustomerForecastInput,
    ForecastMetricInput,
    ForecastOut,
    ListPredictionsInput,
    PredictionCreated,
    PredictionIdInput,
    PredictionList,
    PredictionOutput,
    TemplateList,
    TemplateOut,
    TemplatesInput,
)
from tools.predictions.templates import TEMPLATES, get_template, search_templates
from tools.predictions.windows import Window, granularity_for, named
from tools.registry import tool


def window_of(start: date | None, end: date | None, today: date, default_end: date) -> Window:
    first = start or today
    last = end or (default_end if start is None else max(default_end, first + timedelta(days=29)))
    if last < first:
        raise ValidationFailed(
            "The end date is before the start date",
            details=[{"field": "end_date", "message": "must be on or after start_date"}],
        )
    if last < today:
        raise ValidationFailed(
            "A forecast covers the future: the period has already ended",
            details=[{"field": "end_date", "message": "must be today or later"}],
        )
    return Window(max(first, today), last)


@tool(
    name="forecast_metric",
    toolset="forecasting",
    description="""Forecast revenue, orders, customers or average order value for a coming period
(default: the next 30 days): the total with its prediction interval at the confidence asked
(default 95%), per-period values, the trend against the same number of periods just before, and
the backtest that says how far to trust it (the chosen method's MASE and sMAPE against seasonal
naive and ETS, and how often its intervals covered the actual values). Use it for "what will
revenue be next quarter" and for "how sure are you" about a forecast.""",
)
def forecast_metric(ctx: ToolContext, args: ForecastMetricInput) -> ForecastOut:
    today = ctx.now.date()
    window = window_of(args.start_date, args.end_date, today, today + timedelta(days=29))
    granularity = granularity_for(window, today, args.granularity)
    return svc.forecast_out(
        ctx.session, metric=args.metric, window=window, granularity=granularity, level=args.confidence / 100
    ).out


@tool(
    name="forecast_customer_spend",
    toolset="forecasting",
    description="""Forecast one customer's spend (their paid orders' totals) for a coming period,
per month by default (default: the next three months), with the prediction interval, the trend
against the months before and the backtest. Needs the customer's id (find_records finds it from
a name); a customer with too little order history gets the reason instead of a number.""",
)
def forecast_customer_spend(ctx: ToolContext, args: CustomerForecastInput) -> ForecastOut:
    customer = ctx.session.get(Customer, args.customer_id)
    if customer is None or customer.tenant_id != ctx.tenant_id:
        raise NotFound("customer", args.customer_id)
    today = ctx.now.date()
    default_end = today.replace(day=1) + relativedelta(months=3) - timedelta(days=1)
    window = window_of(args.start_date, args.end_date, today, default_end)
    granularity = args.granularity if args.granularity and args.granularity != "day" else "month"
    return svc.forecast_out(
        ctx.session,
        metric="revenue",
        window=window,
        granularity=granularity,
        level=args.confidence / 100,
        customer_id=customer.id,
        customer_name=customer.name,
    ).out


@tool(
    name="prediction_templates",
    toolset="forecasting",
    description="""The prediction templates (document 000's predictive analytics): what each
forecasts (revenue, orders, customers, average order value), per day, week, month or quarter,
how far ahead by default, and how many predictions this workspace made with it. Filter by
category (sales, inventory, churn, custom) or a search text.""",
)
def prediction_templates(ctx: ToolContext, args: TemplatesInput) -> TemplateList:
    found = search_templates(args.category, args.search)
    used = dict(
        ctx.session.execute(select(Prediction.template_id, func.count()).group_by(Prediction.template_id))
        .tuples()
        .all()
    )
    start = (args.page - 1) * args.limit
    rows = [
        TemplateOut(
            id=t.id,
            category=t.category,
            name=t.name,
            description=t.description,
            metric=t.metric,
            granularity=t.granularity,
            default_horizon=t.default_horizon,
            predictions=int(used.get(t.id, 0)),
        )
        for t in found[start : start + args.limit]
    ]
    return TemplateList(
        templates=rows,
        pagination=Pagination(
            page=args.page,
            limit=args.limit,
            total=len(found),
            total_pages=math.ceil(len(found) / args.limit) if found else 0,
        ),
    )


@tool(
    name="create_prediction",
    toolset="forecasting",
    kind="write",
    description="""Start a prediction from a template (e.g. template_sales_forecast): it is
recorded at once as processing with an estimated completion time and computed in the background
(forecast, intervals, backtest and holdout accuracy); get_prediction shows the result. Optional:
horizon in periods or a time_range such as next_quarter, granularity, confidence, and the data
sources (list_data_sources ids) it draws on.""",
)
def create_prediction(ctx: ToolContext, args: CreatePredictionInput) -> PredictionCreated:
    template = get_template(args.template_id)
    if args.time_range:
        named(args.time_range, ctx.now.date())  # 422 now, not a failed job later
    sources = records.check_sources(ctx, args.data_source_ids)
    seconds, basis = records.estimate(ctx.session, template.id)
    params = {
        "horizon": args.horizon or (None if args.time_range else template.default_horizon),
        "granularity": args.granularity,
        "confidence": args.confidence,
        "timeRange": args.time_range,
    }
    row = Prediction(
        tenant_id=ctx.tenant_id,
        template_id=template.id,
        name=args.name or template.name,
        status="processing",
        parameters={k: v for k, v in params.items() if v is not None},
        data_source_ids=sources,
        created_by=ctx.user_id or None,
        created_at=ctx.now,
        updated_at=ctx.now,
        estimated_completion_at=ctx.now + timedelta(seconds=seconds),
    )
    ctx.session.add(row)
    ctx.session.flush()
    row.job_id = enqueue(
        JOB_NAME,
        {"tenant_id": ctx.tenant_id, "prediction_id": row.id},
        tenant_id=ctx.tenant_id,
        session=ctx.session,
    )
    ctx.session.flush()
    out = records.to_out(ctx.session, row)
    return PredictionCreated(
        id=row.id,
        status="processing",
        estimated_completion_time=row.estimated_completion_at or ctx.now,
        estimate_seconds=round(seconds, 1),
        estimate_basis=basis,
        prediction=out,
        message=f"Started the {template.name} prediction; it should be ready in "
        f"about {math.ceil(seconds)} seconds.",
    )


@tool(
    name="list_predictions",
    toolset="forecasting",
    description="""The workspace's predictions, newest first: template, status (processing,
completed, failed), and for completed ones the predicted total, trend and accuracy score.
Filter by status or template.""",
)
def list_predictions(ctx: ToolContext, args: ListPredictionsInput) -> PredictionList:
    conditions = []
    if args.status:
        conditions.append(Prediction.status == args.status)
    if args.template_id:
        conditions.append(Prediction.template_id == args.template_id)
    if args.metric:
        conditions.append(Prediction.template_id.in_([t.id for t in TEMPLATES if t.metric == args.metric]))
    total = ctx.session.scalar(select(func.count()).select_from(Prediction).where(*conditions)) or 0
    rows = ctx.session.scalars(
        select(Prediction)
        .where(*conditions)
        .order_by(Prediction.created_at.desc(), Prediction.id.desc())
        .offset((args.page - 1) * args.limit)
        .limit(args.limit)
    )
    return PredictionList(
        predictions=[records.to_out(ctx.session, r) for r in rows],
        pagination=Pagination(
            page=args.page,
            limit=args.limit,
            total=total,
            total_pages=math.ceil(total / args.limit) if total else 0,
        ),
    )


@tool(
    name="get_prediction",
    toolset="forecasting",
    description="""One prediction by id: its status, and when completed the per-period values with
their intervals, the summary (total, average per day, trend), the accuracy (score, MAPE, RMSE)
and the backtest; when failed, the reason (e.g. too little history).""",
)
def get_prediction(ctx: ToolContext, args: PredictionIdInput) -> PredictionOutput:
    return PredictionOutput(
        prediction=records.to_out(ctx.session, records.load(ctx.session, args.prediction_id))
    )
