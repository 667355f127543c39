"""Prediction rows: loading them within the tenant, presenting them, the data sources they name,
and how long one is expected to take (measured, never a made-up constant when a measure exists)."""

from __future__ import annotations

import statistics
from collections import deque
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import NotFound, ValidationFailed
from store.models import JobRecord
from store.models.predictions import ModelRun, Prediction
from tools.context import ToolContext
from tools.predictions.schemas import PredictionOut
from tools.predictions.templates import BY_ID

RECENT_SECONDS: deque[float] = deque(maxlen=50)
"""Durations of the prediction jobs this process ran: the estimate's fallback before the
workspace has timed predictions of its own."""
FIRST_GUESS_SECONDS = 20.0
QUEUE_ALLOWANCE = 2.0
"""Seconds added for the hand-over to a worker."""


def load(session: Session, prediction_id: str) -> Prediction:
    row = session.get(Prediction, prediction_id) if prediction_id else None
    if row is None or row.tenant_id != session.info.get("tenant_id", row.tenant_id):
        raise NotFound("prediction", prediction_id)
    return row


def job_failure(session: Session, row: Prediction) -> str | None:
    """The job's last error when it gave up while the prediction still says processing."""
    if row.status != "processing" or not row.job_id:
        return None
    job = session.get(JobRecord, row.job_id)
    if job is not None and job.status == "failed":
        return f"The prediction job failed: {job.last_error or 'no error recorded'}"
    return None


def to_out(session: Session, row: Prediction) -> PredictionOut:
    template = BY_ID.get(row.template_id)
    result: dict[str, Any] = dict(row.result or {})
    failure = job_failure(session, row)
    return PredictionOut.model_validate(
        {
            "id": row.id,
            "template_id": row.template_id,
            "template_name": template.name if template else row.template_id,
            "name": row.name,
            "status": "failed" if failure else row.status,
            "parameters": dict(row.parameters or {}),
            "data_source_ids": list(row.data_source_ids or []),
            "created_at": row.created_at,
            "estimated_completion_time": row.estimated_completion_at,
            "completed_at": row.completed_at,
            "error": failure or row.error,
            "metric": result.get("metric") or (template.metric if template else "revenue"),
            **{k: result.get(k) for k in ("granularity", "method", "results", "accuracy", "backtest")},
            "data_sources": result.get("data_sources") or [],
            "notes": result.get("notes") or [],
        }
    )


def check_sources(ctx: ToolContext, ids: list[str]) -> list[str]:
    """The ids, each one a data source of this workspace (list_data_sources), or 422."""
    from tools.connectors.schemas import ListDataSourcesInput
    from tools.connectors.status_tools import list_data_sources

    known = {s.id for s in list_data_sources(ctx, ListDataSourcesInput(include_disconnected=True)).sources}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise ValidationFailed(
            f"Unknown data source{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}",
            details=[
                {
                    "field": "dataSourceIds",
                    "message": f"{i} is not a data source of this workspace (see list_data_sources)",
                }
                for i in unknown
            ],
        )
    return list(dict.fromkeys(ids))


def estimate(session: Session, template_id: str) -> tuple[float, str]:
    """Seconds a prediction should take, and how that was measured: the median of this
    workspace's last completed predictions (of the template if any), else of this process's
    recent prediction jobs, else a first guess said to be one."""
    rows = session.execute(
        select(Prediction.template_id, Prediction.created_at, Prediction.completed_at)
        .where(Prediction.status == "completed", Prediction.completed_at.is_not(None))
        .order_by(Prediction.created_at.desc())
        .limit(40)
    ).all()
    durations = [(t, (done - made).total_seconds()) for t, made, done in rows if done and made]
    same = [s for t, s in durations if t == template_id][:20]
    if same or durations:
        chosen = same or [s for _, s in durations][:20]
        what = "this template's" if same else "this workspace's"
        return max(
            statistics.median(chosen), 1.0
        ), f"median of {what} last {len(chosen)} completed predictions (request to completion)"
    if RECENT_SECONDS:
        return (
            statistics.median(RECENT_SECONDS) + QUEUE_ALLOWANCE,
            f"median of the last {len(RECENT_SECONDS)} prediction jobs run by this server, plus "
            f"{QUEUE_ALLOWANCE:g} s to reach a worker",
        )
    fits = [
        float(m["seconds"])
        for m in session.scalars(
            select(ModelRun.metrics)
            .where(ModelRun.kind == "forecast")
            .order_by(ModelRun.created_at.desc())
            .limit(20)
        )
        if isinstance(m, dict) and isinstance(m.get("seconds"), int | float)
    ]
    if fits:
        return (
            statistics.median(fits) + QUEUE_ALLOWANCE,
            f"median fit time of this workspace's last {len(fits)} model runs, plus "
            f"{QUEUE_ALLOWANCE:g} s to reach a worker",
        )
    return FIRST_GUESS_SECONDS, "no prediction has been timed here yet: a first guess"


def finished(row: Prediction, now: datetime) -> None:
    row.completed_at = now
    row.updated_at = now
