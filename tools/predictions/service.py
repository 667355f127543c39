"""Forecasts over a window of dates, and a holdout that measures MAPE and RMSE.

The engine (tools.forecasting) forecasts a number of periods after the last complete one; this
module turns "revenue for next quarter" into that horizon, keeps the periods inside the window
and compares their total with the same number of periods just before. The engine modules are
imported inside functions: statsmodels is slow to import and only fits need it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from tools.forecasting.types import Forecast, ForecastPoint, Granularity, InsufficientHistory
from tools.predictions import present
from tools.predictions.schemas import ForecastOut, MetricName
from tools.predictions.windows import Window, horizon_to

JOINT_NOTE = (
    "The range is the sum of the per-period ranges (the window is part of the forecast): "
    "wider than a joint interval."
)


@dataclass(frozen=True)
class Windowed:
    forecast: Forecast
    points: list[ForecastPoint]
    window: Window
    joint: bool
    """Whether the range is the engine's joint interval of the total (the window is the whole
    forecast) rather than the sum of the per-period ranges."""
    series: pd.Series = field(repr=False, compare=False)
    """The history the forecast was made from (series_of: the metric, customer and data sources
    asked for): the periods before the window are taken from it, not read again."""


def series_of(
    session: Session, metric: MetricName, granularity: Granularity, customer_id: str | None = None,
    sources: tuple[str, ...] = (),
) -> pd.Series:
    from tools.forecasting.series import metric_series

    return metric_series(session, metric=metric, granularity=granularity, customer_id=customer_id,
                         sources=sources)


def last_period(series: pd.Series, metric: str) -> date:
    if len(series) == 0:
        raise InsufficientHistory(
            f"There is no {metric.replace('_', ' ')} history to forecast from "
            "(0 periods; record orders or connect a data source first).",
            details={"periods": 0},
        )
    return pd.Timestamp(series.index[-1]).date()


def forecast_window(
    session: Session,
    *,
    metric: MetricName,
    window: Window,
    granularity: Granularity,
    level: float,
    customer_id: str | None = None,
    sources: tuple[str, ...] = (),
) -> Windowed:
    """The engine's forecast up to `window.end`, with the points inside the window."""
    series = series_of(session, metric, granularity, customer_id, sources)
    return windowed(series, metric=metric, window=window, granularity=granularity, level=level)


def windowed(
    series: pd.Series, *, metric: MetricName, window: Window, granularity: Granularity, level: float
) -> Windowed:
    """`forecast_window` for a series the caller already read with `series_of` (the cached
    forecast or a fit, without reading the series again)."""
    from tools.forecasting import service as forecasting

    last = last_period(series, metric)
    horizon = horizon_to(last, window.end, granularity)
    fc = forecasting.forecast_series(series, granularity=granularity, horizon=horizon, level=level)
    points = present.in_window(fc, window.start, window.end)
    return Windowed(fc, points, window, joint=len(points) == len(fc.points), series=series)


def to_out(
    w: Windowed,
    metric: MetricName,
    customer_id: str | None = None,
    customer_name: str | None = None,
) -> ForecastOut:
    """The tool output: window points, their total and range, the comparison with the periods
    before (from the series the forecast was made from, `w.series`: the same customer and data
    sources), the backtest and the accuracy score."""
    from tools.forecasting import service as forecasting

    fc, points = w.forecast, w.points
    total = sum(p.value for p in points)
    lower, upper = (
        (fc.total_lower, fc.total_upper)
        if w.joint
        else (sum(p.lower for p in points), sum(p.upper for p in points))
    )
    before = forecasting.last_periods(w.series, len(points)) if points else []
    prev_total = sum(v for _, v in before) if before else None
    change = (
        (total - prev_total) / abs(prev_total) * 100
        if prev_total not in (None, 0) and prev_total is not None
        else None
    )
    notes = list(fc.notes) + ([] if w.joint else [JOINT_NOTE])
    return ForecastOut(
        metric=metric,
        customer_id=customer_id,
        customer_name=customer_name,
        granularity=fc.granularity,
        level=fc.level,
        method=fc.method,
        start_date=points[0].date if points else w.window.start,
        end_date=w.window.end,
        history_periods=fc.history,
        points=[present.point(p) for p in points],
        total=present.num(total),
        lower=present.num(lower),
        upper=present.num(upper),
        average_per_period=present.num(total / max(len(points), 1)),
        trend=fc.trend,
        previous_total=present.r(prev_total),
        previous_start=before[0][0] if before else None,
        previous_end=before[-1][0] if before else None,
        change_pct=present.r(change, 1),
        backtest=present.backtest(fc.backtest),
        accuracy=present.accuracy(fc.backtest),
        notes=notes,
    )


class Forecasted(NamedTuple):
    windowed: Windowed
    """The engine's forecast and the points inside the window."""
    out: ForecastOut
    """The same, in the tool output's shape (to_out)."""


def forecast_out(
    session: Session,
    *,
    metric: MetricName,
    window: Window,
    granularity: Granularity,
    level: float,
    customer_id: str | None = None,
    customer_name: str | None = None,
    sources: tuple[str, ...] = (),
) -> Forecasted:
    """Read the forecast over `window` (forecast_window) and put it in the tool output's shape
    (to_out): the steps every forecast capability takes before it words or wraps the result."""
    w = forecast_window(session, metric=metric, window=window, granularity=granularity, level=level,
                        customer_id=customer_id, sources=sources)
    return Forecasted(w, to_out(w, metric, customer_id, customer_name))


@dataclass(frozen=True)
class Holdout:
    periods: int
    mape: float | None
    rmse: float
    smape: float
    coverage: float


def holdout(series: pd.Series, *, horizon: int, granularity: Granularity, level: float) -> Holdout | None:
    """Forecast the last `horizon` periods from the history before them and measure the errors.
    None when the shortened history is too short to forecast (the engine says so)."""
    from tools.forecasting.engine import forecast

    h = min(horizon, max(len(series) // 4, 1))
    if len(series) <= h:
        return None
    try:
        fc = forecast(series.iloc[:-h], horizon=h, granularity=granularity, level=level)
    except InsufficientHistory:
        return None
    actual = np.asarray(series.iloc[-h:], dtype=float)
    predicted = np.array([p.value for p in fc.points[:h]], dtype=float)
    lower = np.array([p.lower for p in fc.points[:h]], dtype=float)
    upper = np.array([p.upper for p in fc.points[:h]], dtype=float)
    errors = actual - predicted
    nonzero = actual != 0
    mape = float(np.mean(np.abs(errors[nonzero]) / np.abs(actual[nonzero])) * 100) if nonzero.any() else None
    denominator = np.abs(actual) + np.abs(predicted)
    safe = np.where(denominator == 0, 1.0, denominator)
    smape = float(np.mean(np.where(denominator == 0, 0.0, 2 * np.abs(errors) / safe)) * 100)
    return Holdout(
        periods=h,
        mape=mape,
        rmse=math.sqrt(float(np.mean(errors**2))),
        smape=smape,
        coverage=float(np.mean((actual >= lower) & (actual <= upper))),
    )


def series_hash(series: pd.Series) -> str:
    """What the data was: a model run records it, so runs on the same data can be told apart."""
    import hashlib

    raw = pd.util.hash_pandas_object(series, index=True).values.tobytes()
    return hashlib.sha256(raw).hexdigest()
