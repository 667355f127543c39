"""Forecasts of a tenant's metrics: `metric_series` + `engine.forecast`, cached by the series'
content so an unchanged series is never refitted and a changed one always is."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy.orm import Session

from tools.forecasting import engine
from tools.forecasting.cache import ForecastCache, series_key
from tools.forecasting.series import Metric, metric_series
from tools.forecasting.types import Forecast, Granularity

CACHE = ForecastCache()


def forecast_metric(session: Session, *, metric: Metric, granularity: Granularity, horizon: int,
                    level: float = 0.95, customer_id: str | None = None,
                    end: date | None = None, sources: tuple[str, ...] = ()) -> Forecast:
    """The metric's forecast for the next `horizon` complete periods after `end` (default:
    today), from the orders of `sources` (all when empty). Raises InsufficientHistory when the
    history is too short (see engine.forecast)."""
    series = metric_series(session, metric=metric, granularity=granularity, end=end,
                           customer_id=customer_id, sources=sources)
    return forecast_series(series, granularity=granularity, horizon=horizon, level=level)


def forecast_series(series: pd.Series, *, granularity: Granularity, horizon: int,
                    level: float = 0.95) -> Forecast:
    """`forecast_metric` for a series the caller already read with `metric_series` (a caller
    that needs the series too need not read it twice): the cached forecast, or a fit."""
    key = series_key(series, horizon, level, granularity)
    cached = CACHE.get(key)
    if cached is not None:
        return cached
    result = engine.forecast(series, horizon=horizon, granularity=granularity, level=level)
    CACHE.put(key, result)
    return result


def history(session: Session, *, metric: Metric, granularity: Granularity, periods: int,
            customer_id: str | None = None, end: date | None = None) -> list[tuple[date, float]]:
    """The last `periods` complete periods' actual values (period start, value), oldest first."""
    series = metric_series(session, metric=metric, granularity=granularity, end=end,
                           customer_id=customer_id)
    return last_periods(series, periods)


def last_periods(series: pd.Series, periods: int) -> list[tuple[date, float]]:
    """`history` for a series the caller already read with `metric_series`: its last `periods`
    periods (period start, value), oldest first."""
    tail = series.iloc[-periods:] if periods > 0 else series.iloc[:0]
    return [(ts.date(), float(v)) for ts, v in tail.items()]
