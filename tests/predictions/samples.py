"""Every forecasting tool once or more on one workspace, for the tool-language checks:
`run(name, args, **options)` runs a tool as the workspace's admin and records the call. A
workspace without order history gets two years of seasonal orders first (the forecasts need
them); the job is not run, so one prediction is seen processing, and one completed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from predictions.seasonal import seasonal_orders
from sqlalchemy import func, select

from store.db import unit_of_work
from store.models import Order
from tools.forecasting.types import InsufficientHistory
from tools.jobs.runner import run_job


def _busiest_customer(tenant_id: str) -> str:
    with unit_of_work(tenant_id) as session:
        row = session.execute(
            select(Order.customer_id, func.count())
            .where(Order.customer_id.is_not(None))
            .group_by(Order.customer_id)
            .order_by(func.count().desc())
            .limit(1)
        ).first()
        assert row is not None
        return str(row[0])


def prediction_calls(run: Callable[..., Any], tenant_id: str) -> None:
    today = datetime.now(UTC).date()
    with unit_of_work(tenant_id) as session:
        orders = session.scalar(select(func.count()).select_from(Order)) or 0
    if orders < 500:  # a new workspace (a couple of synced orders at most): too little to forecast
        try:
            run("forecast_metric", {"granularity": "quarter"})
        except InsufficientHistory:
            pass
        seasonal_orders(tenant_id, days=800, name_prefix="Sample")
    run("forecast_metric", {})
    run("forecast_metric", {"metric": "orders", "granularity": "week", "confidence": 80})
    run(
        "forecast_metric",
        {
            "metric": "average_order_value",
            "start_date": str(today + timedelta(days=40)),
            "end_date": str(today + timedelta(days=160)),
        },
    )
    run("forecast_metric", {"metric": "customers", "end_date": str(today + timedelta(days=6))})
    run("forecast_customer_spend", {"customer_id": _busiest_customer(tenant_id)})
    run("prediction_templates", {})
    run("prediction_templates", {"category": "inventory"})
    run("prediction_templates", {"category": "churn"})
    run("list_predictions", {"status": "failed"})
    made = run("create_prediction", {"template_id": "template_weekly_revenue", "horizon": 4})
    run("get_prediction", {"prediction_id": made.id})
    with unit_of_work(tenant_id) as session:
        from store.models.predictions import Prediction

        row = session.get(Prediction, made.id)
        job_id = row.job_id if row else None
    if job_id:
        run_job(job_id)
    run("get_prediction", {"prediction_id": made.id})
    run(
        "create_prediction",
        {
            "template_id": "template_sales_forecast",
            "time_range": "next_week",
            "data_source_ids": ["builtin_crm"],
        },
    )
    run("list_predictions", {})
