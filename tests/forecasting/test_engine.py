"""The engine on synthetic series of known structure, its edge cases and the service's cache."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from helpers import register

from store.db import unit_of_work
from store.models import Order
from tools.forecasting import engine, service
from tools.forecasting.types import InsufficientHistory


def _monthly(values: np.ndarray) -> pd.Series:
    return pd.Series(values, index=pd.date_range("2018-01-01", periods=len(values), freq="MS"))


def _trend_season(n: int, seed: int, noise: float = 4.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return 200 + 1.5 * t + 30 * np.sin(2 * np.pi * t / 12) + rng.normal(0, noise, n)


def test_trend_and_season_beats_seasonal_naive() -> None:
    f = engine.forecast(_monthly(_trend_season(72, 1)), horizon=12, granularity="month")
    assert f.season_length == 12 and len(f.points) == 12
    assert f.backtest.chosen.mase is not None and f.backtest.seasonal_naive.mase is not None
    assert f.backtest.chosen.mase < f.backtest.seasonal_naive.mase
    assert f.trend == "up"
    assert f.points[0].date == date(2024, 1, 1)
    assert all(p.lower <= p.value <= p.upper for p in f.points)
    assert f.total_lower < f.total < f.total_upper


def test_pure_seasonal_series_is_forecast_close_to_truth() -> None:
    pattern = np.array([10, 12, 15, 20, 30, 45, 50, 44, 30, 20, 14, 11], dtype=float)
    f = engine.forecast(_monthly(np.tile(pattern, 5)), horizon=12, granularity="month")
    values = np.array([p.value for p in f.points])
    assert np.allclose(values, pattern, rtol=0.02, atol=0.5)
    assert f.trend == "flat"


def test_interval_coverage_on_many_draws() -> None:
    inside = total = 0
    for seed in range(30):
        full = _trend_season(60 + 6, seed, noise=8.0)
        f = engine.forecast(_monthly(full[:60]), horizon=6, granularity="month")
        for p, actual in zip(f.points, full[60:], strict=True):
            inside += p.lower <= actual <= p.upper
            total += 1
    assert 0.85 <= inside / total <= 0.99


def test_short_history_names_the_counts() -> None:
    with pytest.raises(InsufficientHistory) as err:
        engine.forecast(_monthly(np.arange(10.0)), horizon=6, granularity="month")
    assert "10" in err.value.message and "12" in err.value.message


def test_all_zero_series_forecasts_zero_with_a_note() -> None:
    f = engine.forecast(_monthly(np.zeros(24)), horizon=3, granularity="month")
    assert f.method == "zero" and f.total == 0 and all(p.upper == 0 for p in f.points)
    assert f.notes


def test_short_series_drops_seasonality_and_says_so() -> None:
    f = engine.forecast(_monthly(_trend_season(16, 3)), horizon=4, granularity="month")
    assert f.season_length == 1 and any("seasonality" in n for n in f.notes)


def test_non_negative_series_never_gets_negative_bounds() -> None:
    rng = np.random.default_rng(5)
    y = np.maximum(0, rng.normal(3, 3, 90))
    idx = pd.date_range("2024-01-01", periods=90, freq="D")
    f = engine.forecast(pd.Series(y, index=idx), horizon=14, granularity="day")
    assert all(p.lower >= 0 and p.value >= 0 for p in f.points) and f.total_lower >= 0


def test_deterministic() -> None:
    s = _monthly(_trend_season(48, 7))
    assert engine.forecast(s, horizon=6, granularity="month") == \
        engine.forecast(s, horizon=6, granularity="month")


def test_daily_two_years_backtests_on_its_weekly_season() -> None:
    """Its speed is a `make bench` figure (benchmarks/forecasting.py), not asserted here."""
    t = np.arange(730)
    y = 500 + 0.3 * t + 80 * (t % 7 >= 5) + np.random.default_rng(2).normal(0, 20, 730)
    s = pd.Series(y, index=pd.date_range("2023-01-01", periods=730, freq="D"))
    f = engine.forecast(s, horizon=30, granularity="day")
    assert f.season_length == 7 and f.backtest.origins == 5


def test_service_caches_unchanged_series_and_refits_changed(client: TestClient) -> None:
    tid = register(client).tenant_id
    start = date(2023, 1, 2)
    with unit_of_work(tid) as session:
        for i in range(24 * 30):
            day = start + timedelta(days=i)
            session.add(Order(total=Decimal(100 + i % 7), ordered_at=datetime(
                day.year, day.month, day.day, 12, tzinfo=UTC)))
    end = date(2025, 1, 1)
    service.CACHE.clear()
    with unit_of_work(tid) as session:
        first = service.forecast_metric(session, metric="revenue", granularity="month",
                                        horizon=3, end=end)
        again = service.forecast_metric(session, metric="revenue", granularity="month",
                                        horizon=3, end=end)
    assert again is first and service.CACHE.hits == 1
    with unit_of_work(tid) as session:
        session.add(Order(total=Decimal(5000), ordered_at=datetime(2024, 6, 3, tzinfo=UTC)))
    with unit_of_work(tid) as session:
        changed = service.forecast_metric(session, metric="revenue", granularity="month",
                                          horizon=3, end=end)
    assert changed is not first and service.CACHE.misses == 2
