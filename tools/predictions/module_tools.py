"""Document 000's predictive-analytics capabilities beyond the predictions themselves: the
overview, measured accuracy, training and asking in words. REST-only (not exposed to the
assistant or MCP: forecast_metric and the prediction tools answer the same questions there)."""

from __future__ import annotations

import statistics
from datetime import datetime, time

from sqlalchemy import func, select

from core.ids import utcnow
from store.models.predictions import ModelRun, Prediction
from tools.context import ToolContext
from tools.predictions import records
from tools.predictions.compute import compute
from tools.predictions.schemas_extra import (
    AccuracyInput,
    AccuracyReport,
    Overview,
    OverviewInput,
    RecentPrediction,
    RunOut,
    TemplateAccuracy,
    TemplateUse,
    TrainInput,
    TrainResult,
)
from tools.predictions.templates import BY_ID, get_template
from tools.registry import tool

SCORE_DEFINITION = (
    "score = max(0, 100 - sMAPE) of the chosen method's rolling-origin backtest, in "
    "percent; MAPE and RMSE from a holdout of the last periods"
)


def run_out(run: ModelRun) -> RunOut:
    m = dict(run.metrics or {})
    template = BY_ID.get(run.template_id or "")
    return RunOut(
        id=run.id,
        template_id=run.template_id,
        template_name=template.name if template else None,
        created_at=run.created_at,
        method=m.get("method"),
        score=m.get("score"),
        mape=m.get("mape"),
        rmse=m.get("rmse"),
        smape=m.get("smape"),
        mase=m.get("mase"),
        coverage=m.get("coverage"),
        beats_seasonal_naive=m.get("beats_seasonal_naive"),
        prediction_id=(run.parameters or {}).get("prediction_id"),
        data_version=run.data_hash,
    )


def _mean(values: list[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return round(statistics.fmean(kept), 1) if kept else None


@tool(
    name="predictions_overview",
    toolset="forecasting",
    exposed=False,
    description="Predictive analytics overview: predictions by status, data sources, measured "
    "accuracy of the model runs, recent predictions and the templates in use.",
)
def predictions_overview(ctx: ToolContext, args: OverviewInput) -> Overview:
    from tools.connectors.schemas import ListDataSourcesInput
    from tools.connectors.status_tools import list_data_sources

    counts = dict(
        ctx.session.execute(select(Prediction.status, func.count()).group_by(Prediction.status))
        .tuples()
        .all()
    )
    recent = list(ctx.session.scalars(select(Prediction).order_by(Prediction.created_at.desc()).limit(5)))
    runs = list(
        ctx.session.scalars(
            select(ModelRun)
            .where(ModelRun.kind == "forecast")
            .order_by(ModelRun.created_at.desc())
            .limit(100)
        )
    )
    used = (
        ctx.session.execute(select(Prediction.template_id, func.count()).group_by(Prediction.template_id))
        .tuples()
        .all()
    )
    total = sum(counts.values())
    recent_out = []
    for row in recent:
        out = records.to_out(ctx.session, row)
        recent_out.append(
            RecentPrediction(
                id=out.id,
                template_id=out.template_id,
                template_name=out.template_name,
                status=out.status,
                accuracy=out.accuracy.score if out.accuracy else None,
                created_at=out.created_at,
            )
        )
    scores = [run_out(r).score for r in runs]
    return Overview(
        active_predictions=int(counts.get("processing", 0)),
        predictions={s: int(counts.get(s, 0)) for s in ("processing", "completed", "failed")},
        total_predictions=total,
        data_sources=list_data_sources(ctx, ListDataSourcesInput()).total,
        average_accuracy=_mean(scores),
        measured_runs=sum(1 for s in scores if s is not None),
        recent_predictions=recent_out,
        templates_in_use=[
            TemplateUse(template_id=t, template_name=BY_ID[t].name if t in BY_ID else t, predictions=int(n))
            for t, n in sorted(used, key=lambda x: -x[1])
        ],
        message=None
        if total or runs
        else "No predictions or model runs yet: accuracy is measured "
        "once a prediction completes or a template is trained.",
    )


@tool(
    name="prediction_accuracy",
    toolset="forecasting",
    exposed=False,
    description="Measured accuracy of the forecast model runs, by template and date range.",
)
def prediction_accuracy(ctx: ToolContext, args: AccuracyInput) -> AccuracyReport:
    conditions = [ModelRun.kind == "forecast"]
    if args.template_id:
        get_template(args.template_id)
        conditions.append(ModelRun.template_id == args.template_id)
    if args.start_date:
        conditions.append(ModelRun.created_at >= datetime.combine(args.start_date, time.min))
    if args.end_date:
        conditions.append(ModelRun.created_at <= datetime.combine(args.end_date, time.max))
    runs = [
        run_out(r)
        for r in ctx.session.scalars(
            select(ModelRun).where(*conditions).order_by(ModelRun.created_at.desc()).limit(500)
        )
    ]
    by_template: dict[str, list[RunOut]] = {}
    for run in runs:
        by_template.setdefault(run.template_id or "", []).append(run)
    groups = [
        TemplateAccuracy(
            template_id=t,
            template_name=BY_ID[t].name if t in BY_ID else t,
            runs=len(rs),
            average_score=_mean([r.score for r in rs]),
            average_mape=_mean([r.mape for r in rs]),
            latest=rs[0],
        )
        for t, rs in by_template.items()
    ]
    return AccuracyReport(
        template_id=args.template_id,
        start_date=args.start_date,
        end_date=args.end_date,
        runs=runs[:100],
        by_template=groups,
        total_runs=len(runs),
        average_score=_mean([r.score for r in runs]),
        message=None
        if runs
        else "No model runs in this range: accuracy is measured "
        "when a prediction completes or a template is trained.",
        score_definition=SCORE_DEFINITION,
    )


@tool(
    name="train_prediction_model",
    toolset="forecasting",
    kind="write",
    min_role="analyst",
    exposed=False,
    description="Re-run model selection and the backtest for a template now and "
    "record the model run with its measured accuracy.",
)
def train_prediction_model(ctx: ToolContext, args: TrainInput) -> TrainResult:
    template = get_template(args.template_id)
    sources = records.check_sources(ctx, args.data_source_ids)
    done = compute(ctx.session, template, {}, ctx.now.date(), tuple(args.data_source_ids))
    run = ModelRun(
        tenant_id=ctx.tenant_id,
        kind="forecast",
        template_id=template.id,
        data_hash=done.data_hash,
        metrics=done.metrics,
        created_at=utcnow(),
        parameters={"data_source_ids": sources, "requested": args.training_config, "trained": True},
    )
    ctx.session.add(run)
    ctx.session.flush()
    asked = args.training_config.get("algorithm")
    notes = list(done.result["notes"])
    if asked:
        notes.append(
            f"Algorithm {asked!r} was not used: the method is chosen by rolling-origin backtest "
            "among seasonal naive, ETS, Theta and ARIMA (and their combination)."
        )
    return TrainResult(
        model_run=run_out(run),
        granularity=done.result["granularity"],
        horizon=done.metrics["horizon"],
        history_periods=done.metrics["history_periods"],
        backtest=done.result["backtest"],
        accuracy=done.result["accuracy"],
        message=f"Trained {template.name}: {done.metrics['method']} chosen by backtest.",
        notes=notes,
    )
