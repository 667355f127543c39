"""Computing one template's forecast with its accuracy: what a prediction job stores and what
training records as a model run. Blocking and CPU-bound: called from a worker or a tool thread."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from tools.context import ToolContext
from tools.predictions import present
from tools.predictions import service as svc
from tools.predictions.templates import Template
from tools.predictions.windows import Window, granularity_for, named

HOLDOUT_BASIS = (
    "score = max(0, 100 - sMAPE) of the chosen method's rolling-origin backtest; MAPE and "
    "RMSE from a holdout: the last {n} periods forecast from the history before them"
)
NO_HOLDOUT = (
    "score = max(0, 100 - sMAPE) of the chosen method's rolling-origin backtest; the history "
    "is too short for a separate holdout, so MAPE and RMSE are not measured"
)
ALL_ORDERS_NOTE = "Forecast from every order of the workspace (no data source named)."
SOURCES_NOTE = "Forecast from the orders these data sources brought in: {names}."



@dataclass(frozen=True)
class Computed:
    result: dict[str, Any]
    metrics: dict[str, Any]
    data_hash: str


def _settings(template: Template, params: dict[str, Any], today: date) -> tuple[Any, int, Window | None]:
    window = named(params["timeRange"], today) if params.get("timeRange") else None
    granularity = params.get("granularity") or (
        granularity_for(window, today) if window else template.granularity
    )
    return granularity, int(params.get("horizon") or template.default_horizon), window


def compute(session: Session, template: Template, params: dict[str, Any], today: date,
            sources: tuple[str, ...] = ()) -> Computed:
    """The forecast, a holdout for MAPE/RMSE, and the figures a model run keeps; from the orders
    of the data sources `sources` (every order when empty)."""
    from tools.forecasting import service as forecasting

    started = time.perf_counter()
    granularity, horizon, window = _settings(template, params, today)
    level = float(params.get("confidence", 95)) / 100
    series = svc.series_of(session, template.metric, granularity, sources=sources)
    if window is not None:
        w = svc.windowed(series, metric=template.metric, window=window, granularity=granularity,
                         level=level)
        fc, points, joint = w.forecast, w.points, w.joint
    else:
        fc = forecasting.forecast_series(series, granularity=granularity, horizon=horizon, level=level)
        points, joint = fc.points, True
    hold = svc.holdout(series, horizon=len(points) or horizon, granularity=granularity, level=level)
    accuracy = present.accuracy(
        fc.backtest,
        hold.mape if hold else None,
        hold.rmse if hold else None,
        hold.periods if hold else None,
        HOLDOUT_BASIS.format(n=hold.periods) if hold else NO_HOLDOUT,
    )
    lower = fc.total_lower if joint else sum(p.lower for p in points)
    upper = fc.total_upper if joint else sum(p.upper for p in points)
    results = present.results(
        [present.point(p) for p in points], sum(p.value for p in points), lower, upper, fc.trend, granularity
    )
    seconds = round(time.perf_counter() - started, 3)
    result = {
        "metric": template.metric,
        "granularity": granularity,
        "method": fc.method,
        "results": results.snake(),
        "accuracy": accuracy.snake(),
        "backtest": present.backtest(fc.backtest).snake(),
        "notes": list(fc.notes) + ([] if joint else [svc.JOINT_NOTE]),
        "history": fc.history,
    }
    metrics = {
        **accuracy.snake(),
        "method": fc.method,
        "granularity": granularity,
        "horizon": len(points),
        "history_periods": fc.history,
        "seconds": seconds,
        "beats_seasonal_naive": present.beats(fc.backtest),
        "seasonal_naive_mase": present.r(fc.backtest.seasonal_naive.mase, 3),
    }
    return Computed(result, metrics, svc.series_hash(series))


def source_use(ctx: ToolContext, ids: list[str]) -> list[dict[str, Any]]:
    """Each named data source with the orders it holds (all of them when none is named)."""
    from tools.connectors.schemas import ListDataSourcesInput
    from tools.connectors.status_tools import list_data_sources

    sources = list_data_sources(ctx, ListDataSourcesInput(include_disconnected=True)).sources
    chosen = [s for s in sources if not ids or s.id in ids]
    return [{"id": s.id, "name": s.name, "orders": int(s.records.get("order", 0))} for s in chosen]
