"""The combination's own members: least-squares SES/Holt/damped Holt (checked against the plain
recursion and statsmodels), the fast Theta (against statsmodels' ThetaModel), the damped ETS,
and the engine's default combination of the five."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.tsa.forecasting.theta import ThetaModel
from statsmodels.tsa.holtwinters import ExponentialSmoothing

from tools.forecasting import backtest as bt
from tools.forecasting import engine
from tools.forecasting import smoothing as sm
from tools.forecasting.models import DampedEts, prepare


def _walk(n: int, seed: int, drift: float = 0.5) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return 100 + np.cumsum(drift + rng.normal(0, 2, n))


@pytest.mark.parametrize("trend", [False, True])
def test_filtered_one_step_forecasts_match_the_recursion(trend: bool) -> None:
    y = _walk(60, 1)
    fit = sm.HoltFit(alpha=0.4, beta=0.1 if trend else 0.0, phi=0.9 if trend else 1.0,
                     level0=95.0, slope0=0.7 if trend else 0.0)
    levels, slopes = sm.holt_states(y, fit)
    expected = np.r_[fit.level0 + fit.phi * fit.slope0, (levels + fit.phi * slopes)[:-1]]
    base, basis = sm._one_step(y, fit.alpha, fit.beta, fit.phi, trend)
    states = [fit.level0, fit.slope0] if trend else [fit.level0]
    assert np.allclose(base + basis @ np.array(states), expected, atol=1e-9)


def test_least_squares_fits_are_as_good_as_statsmodels() -> None:
    y = _walk(80, 2)
    for trend in (False, True):
        fit = sm.fit_holt(y, trend, damped=False)
        ours = sm._sse(y, fit.alpha, fit.beta, fit.phi, trend)[0]
        theirs = ExponentialSmoothing(y, trend="add" if trend else None,
                                      initialization_method="estimated").fit().sse
        assert ours <= theirs * 1.001


def test_damped_holt_stays_in_its_bounds_and_flattens() -> None:
    prep = prepare(_walk(72, 3, drift=2.0), 1)
    model = sm.Smoothing(prep, trend=True, damped=True)
    assert model.name == "damped"
    assert sm.PHI_BOUNDS[0] <= model.fit.phi <= sm.PHI_BOUNDS[1]
    steps = np.diff(model.forecast_from(72, 40))
    assert np.all(steps > 0) and steps[-1] < steps[0]


def test_linear_series_is_extrapolated_by_holt() -> None:
    y = 10 + 3.0 * np.arange(40)
    model = sm.Smoothing(prepare(y, 1), trend=True)
    assert np.allclose(model.forecast_from(40, 5), 10 + 3.0 * np.arange(40, 45), rtol=1e-3)


def test_theta_matches_statsmodels() -> None:
    y = _walk(60, 4)
    ours = sm.theta_forecast(y, 12)
    theirs = ThetaModel(y, period=1, deseasonalize=False, use_test=False).fit().forecast(12)
    assert np.allclose(ours, np.asarray(theirs), rtol=1e-4)


def test_theta_finds_the_global_smoothing_parameter() -> None:
    """A late outlier gives the SES error two local minima; the grid finds the lower one."""
    y = np.r_[_walk(50, 5, drift=0.0), 400.0, _walk(10, 6, drift=0.0)]
    alpha, _ = sm.ses_known_start(y)
    grid = np.linspace(*sm.ALPHA_BOUNDS, 2001)

    def sse(a: float) -> float:
        level, total = y[0], 0.0
        for v in y:
            total += (v - level) ** 2
            level += a * (v - level)
        return float(total)

    assert sse(alpha) <= min(sse(float(a)) for a in grid) * 1.0001


def test_damped_ets_is_damped() -> None:
    prep = prepare(_walk(60, 7, drift=1.5), 1)
    model = DampedEts(prep, 1)
    assert model.spec["damped_trend"] and model.phi < 1
    assert model.forecast_from(60, 6).shape == (6,)


def test_default_combination_has_the_five_members() -> None:
    t = np.arange(72)
    y = 200 + 1.5 * t + 30 * np.sin(2 * np.pi * t / 12) \
        + np.random.default_rng(8).normal(0, 4, 72)
    s = pd.Series(y, index=pd.date_range("2018-01-01", periods=72, freq="MS"))
    f = engine.forecast(s, horizon=12, granularity="month")
    names = {c.method for c in f.backtest.candidates}
    assert set(bt.COMBINE_FROM) <= names
    assert f"combination({'+'.join(sorted(bt.COMBINE_FROM))})" in names


def test_default_combination_survives_a_member_that_could_not_be_fitted() -> None:
    """Without one member the default is the mean of the others, not the noisy lowest score."""
    y = np.arange(30.0)
    d = bt.design(y, [10, 14, 18], 4, 1)
    rng = np.random.default_rng(9)
    fitted = [n for n in bt.COMBINE_FROM if n != "ets_damped"]
    runs = {n: bt.run(n, d.actuals + rng.normal(0, 1 + i, d.actuals.shape), d)
            for i, n in enumerate(fitted)}
    chosen = bt.pick(list(runs.values()) + bt.combinations(runs, d), d)
    assert chosen.members == tuple(sorted(fitted))
