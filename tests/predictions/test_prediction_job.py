"""Predictions run as durable jobs: recorded before they run, computed once, surviving a restart
(a job still queued when the queue is lost is handed over again and completes once), and failing
with the engine's reason when there is too little history."""

from __future__ import annotations

from datetime import timedelta

from helpers import Account
from huey import Huey
from jobs.jobs_support import job_row, run_pending
from predictions.conftest import principal_of
from predictions.seasonal import Seeded
from sqlalchemy import func, select

from store.db import unit_of_work
from store.models.predictions import ModelRun
from tools.jobs.runner import hand_off, recover
from tools.predictions.schemas import PredictionCreated, PredictionOutput
from tools.runtime import execute


def _runs_for(tenant_id: str, prediction_id: str) -> int:
    with unit_of_work(tenant_id) as session:
        rows = session.scalars(select(ModelRun).where(ModelRun.kind == "forecast")).all()
        return sum(1 for r in rows if (r.parameters or {}).get("prediction_id") == prediction_id)


def test_prediction_is_computed_by_its_job(shop: tuple[Account, Seeded], queue: Huey) -> None:
    account, _ = shop
    who = principal_of(account)
    made = execute("create_prediction", who, {"template_id": "template_weekly_revenue", "horizon": 8})
    assert isinstance(made, PredictionCreated) and made.status == "processing"
    assert made.estimated_completion_time > made.prediction.created_at and made.estimate_basis
    assert job_row(_job_id(who, made.id)).status == "queued"
    run_pending(queue)
    out = execute("get_prediction", who, {"prediction_id": made.id})
    assert isinstance(out, PredictionOutput)
    p = out.prediction
    assert p.status == "completed" and p.results is not None and len(p.results.predictions) == 8
    assert p.granularity == "week" and p.accuracy is not None and p.accuracy.rmse is not None
    assert p.accuracy.mape is not None and p.accuracy.holdout_periods == 8
    assert p.data_sources and p.data_sources[0].id == "builtin_crm" and p.data_sources[0].orders > 0
    assert _runs_for(account.tenant_id, made.id) == 1
    again = execute("create_prediction", who, {"template_id": "template_weekly_revenue"})
    assert isinstance(again, PredictionCreated) and "median" in again.estimate_basis


def _job_id(who: object, prediction_id: str) -> str:
    out = execute("get_prediction", who, {"prediction_id": prediction_id})  # type: ignore[arg-type]
    with unit_of_work() as session:
        from store.models.predictions import Prediction

        row = session.get(Prediction, out.prediction.id)  # type: ignore[attr-defined]
        assert row is not None and row.job_id
        return row.job_id


def test_a_restart_loses_nothing_and_runs_it_once(shop: tuple[Account, Seeded], queue: Huey) -> None:
    account, _ = shop
    who = principal_of(account)
    made = execute(
        "create_prediction", who, {"template_id": "template_sales_forecast", "time_range": "next_month"}
    )
    assert isinstance(made, PredictionCreated)
    queue.flush()  # the process died: the queue's copy is gone, the job row is not
    assert recover(stale_after=timedelta(0))  # a worker starting up hands it over again
    run_pending(queue)
    job_id = _job_id(who, made.id)
    assert job_row(job_id).status == "succeeded"
    hand_off(job_id)  # a duplicate delivery changes nothing
    run_pending(queue)
    out = execute("get_prediction", who, {"prediction_id": made.id})
    assert out.prediction.status == "completed"  # type: ignore[attr-defined]
    assert _runs_for(account.tenant_id, made.id) == 1


def test_too_little_history_fails_with_the_reason(account: Account, queue: Huey) -> None:
    who = principal_of(account)
    made = execute("create_prediction", who, {"template_id": "template_monthly_revenue"})
    run_pending(queue)
    out = execute("get_prediction", who, {"prediction_id": made.id})  # type: ignore[attr-defined]
    p = out.prediction  # type: ignore[attr-defined]
    assert p.status == "failed" and p.results is None
    assert "0 month period(s) of history" in p.error and "12 are needed" in p.error
    with unit_of_work(account.tenant_id) as session:
        assert session.scalar(select(func.count()).select_from(ModelRun)) == 0
