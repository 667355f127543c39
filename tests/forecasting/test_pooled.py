"""The pooled (global) member: its shipped weights load, its forecasts are deterministic, it
applies only where its frequency and input window fit, and the engine falls back cleanly."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evals import forecasting as ev
from evals import forecasting_global_fit as fit
from tools.forecasting import engine, pooled
from tools.forecasting.models import prepare


def _series(n: int, seed: int = 3, freq: str = "MS", season: int = 12) -> pd.Series:
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = 200 + 1.5 * t + 30 * np.sin(2 * np.pi * t / season) + rng.normal(0, 4, n)
    return pd.Series(values, index=pd.date_range("2015-01-01", periods=n, freq=freq))


def _candidates(f: object) -> set[str]:
    return {c.method for c in f.backtest.candidates}  # type: ignore[attr-defined]


def test_shipped_weights_load_for_both_frequencies() -> None:
    weights = pooled.read_weights(pooled.WEIGHTS_PATH)
    assert set(weights) == {"monthly", "quarterly"}
    for w, (season, horizon) in zip((weights["monthly"], weights["quarterly"]),
                                    ((12, 18), (4, 8)), strict=True):
        assert (w.season, w.horizon) == (season, horizon)
        assert w.coef.shape == (w.inputs + 1, w.horizon) and np.all(np.isfinite(w.coef))
    meta = json.loads(pooled.WEIGHTS_PATH.read_text())
    assert "training parts" in meta["source"] and "less" not in meta["source"]


def test_malformed_weights_are_rejected(tmp_path: Path) -> None:
    data = json.loads(pooled.WEIGHTS_PATH.read_text())
    data["models"]["monthly"]["coef"] = data["models"]["monthly"]["coef"][:-1]
    path = tmp_path / "w.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="shape"):
        pooled.read_weights(path)


def test_member_is_deterministic_and_finite_beyond_its_horizon() -> None:
    prep = prepare(_series(60).to_numpy(), 12)
    member = pooled.Pooled(prep, "month")
    a, b = member.forecast_from(60, 30), member.forecast_from(60, 30)
    assert a.shape == (30,) and np.array_equal(a, b) and np.all(np.isfinite(a))
    early = member.forecast_from(13, 18)  # shorter than the input window: padded
    assert early.shape == (18,) and np.all(np.isfinite(early))


def test_engine_uses_the_member_on_long_monthly_and_quarterly_series() -> None:
    f = engine.forecast(_series(60), horizon=12, granularity="month")
    assert "global" in _candidates(f)
    again = engine.forecast(_series(60), horizon=12, granularity="month")
    assert [p.value for p in f.points] == [p.value for p in again.points]
    q = engine.forecast(_series(40, freq="QS-JAN", season=4), horizon=8, granularity="quarter")
    assert "global" in _candidates(q)


@pytest.mark.parametrize(("n", "freq", "granularity", "season"), [
    (20, "MS", "month", 12),  # shorter than the monthly input window (and two seasons)
    (10, "QS-JAN", "quarter", 4),  # seasonal, but shorter than the quarterly input window
    (120, "W-MON", "week", 52),  # a frequency it was not fitted for
    (90, "D", "day", 7),
])
def test_engine_falls_back_without_the_member(n: int, freq: str, granularity: str,
                                              season: int) -> None:
    f = engine.forecast(_series(n, freq=freq, season=season), horizon=4,
                        granularity=granularity)  # type: ignore[arg-type]
    assert "global" not in _candidates(f) and len(f.points) == 4
    assert not any("global" in note for note in f.notes)


def test_series_with_zeros_does_not_get_the_member() -> None:
    values = _series(60).to_numpy().copy()
    values[5] = 0.0
    assert not pooled.applies("month", prepare(values, 12))
    f = engine.forecast(pd.Series(values, index=_series(60).index), horizon=6, granularity="month")
    assert "global" not in _candidates(f)


def test_eval_train_split_uses_the_tuning_fit() -> None:
    try:
        ev.use_split_weights("train")
        tuning = pooled.weights_for("month")
        assert tuning is not None
        assert "less" in json.loads(ev.TUNING_WEIGHTS.read_text())["source"]
    finally:
        ev.use_split_weights("test")
    shipped = pooled.weights_for("month")
    assert shipped is not None and not np.array_equal(tuning.coef, shipped.coef)


def test_fit_windows_roundtrip_a_constant_series() -> None:
    """A flat positive series' windows are all zeros in log-ratio terms (and a constant)."""
    x, y = fit.windows([np.full(40, 5.0)], season=4, inputs=8, horizon=4)
    assert x.shape == (40 - 12 + 1, 9) and np.allclose(x[:, :-1], 0) and np.allclose(y, 0)
    coef = fit.ridge(x, y, 1.0)
    assert np.allclose(coef, 0)
