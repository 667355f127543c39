"""The durable job that computes a prediction.

`create_prediction` records the prediction (status processing) and enqueues this job in the same
transaction, so either both exist or neither; the job row survives a restart and a worker runs it
later. The job is idempotent: a prediction no longer processing is left alone, so a second
delivery (or a retry after the result was written) changes nothing. Too little history is an
answer, not an error to retry: the prediction fails at once with the engine's reason.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from core.errors import AppError
from core.ids import utcnow
from store.db import unit_of_work
from store.models.predictions import ModelRun, Prediction
from tools.context import Principal, ToolContext
from tools.jobs.runner import job
from tools.predictions import records
from tools.predictions.compute import ALL_ORDERS_NOTE, SOURCES_NOTE, compute, source_use
from tools.predictions.templates import get_template

log = logging.getLogger("bizpilot.predictions")
JOB_NAME = "predictions.compute"


def _pending(tenant_id: str, prediction_id: str) -> dict[str, Any] | None:
    with unit_of_work(tenant_id) as session:
        row = session.get(Prediction, prediction_id)
        if row is None or row.tenant_id != tenant_id or row.status != "processing":
            return None
        return {
            "template_id": row.template_id,
            "parameters": dict(row.parameters or {}),
            "sources": list(row.data_source_ids or []),
            "user": row.created_by or "",
        }


def _fail(tenant_id: str, prediction_id: str, message: str) -> None:
    with unit_of_work(tenant_id) as session:
        row = session.get(Prediction, prediction_id)
        if row is not None and row.status == "processing":
            row.status, row.error = "failed", message
            records.finished(row, utcnow())


@job(JOB_NAME, retries=3, base_delay=5.0, lease=900.0)
def compute_prediction(payload: dict[str, Any]) -> None:
    """Fit, backtest and store one prediction; record its model run."""
    tenant_id, prediction_id = str(payload["tenant_id"]), str(payload["prediction_id"])
    pending = _pending(tenant_id, prediction_id)
    if pending is None:
        return
    started = time.perf_counter()
    try:
        with unit_of_work(tenant_id) as session:
            ctx = ToolContext(session, Principal(pending["user"], tenant_id, "admin"), source="cli")
            done = compute(
                session, get_template(pending["template_id"]), pending["parameters"], ctx.now.date(),
                tuple(pending["sources"]),
            )
            sources = source_use(ctx, pending["sources"])
    except AppError as err:  # too little history, a bad parameter: the answer, not a retry
        _fail(tenant_id, prediction_id, err.message)
        return
    records.RECENT_SECONDS.append(time.perf_counter() - started)
    with unit_of_work(tenant_id) as session:
        row = session.get(Prediction, prediction_id)
        if row is None or row.status != "processing":
            return
        names = ", ".join(str(s["name"]) for s in sources)
        scope = SOURCES_NOTE.format(names=names) if pending["sources"] else ALL_ORDERS_NOTE
        notes = [*done.result["notes"], scope]
        row.result = {**done.result, "data_sources": sources, "notes": notes}
        row.status, row.error = "completed", None
        records.finished(row, utcnow())
        session.add(
            ModelRun(
                tenant_id=tenant_id,
                kind="forecast",
                template_id=row.template_id,
                data_hash=done.data_hash,
                metrics=done.metrics,
                parameters={**dict(row.parameters or {}), "prediction_id": row.id},
            )
        )
    log.info("prediction %s completed in %.2fs", prediction_id, time.perf_counter() - started)
