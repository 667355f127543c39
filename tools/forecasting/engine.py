"""`forecast(series, horizon=, granularity=)`: candidates (seasonal naive, Naive2, ETS, damped
ETS, Theta, ARIMA, damped Holt, and on monthly and quarterly series long enough for its input
window the pooled "global" model, see pooled) fitted on the series and backtested on up to five
rolling origins; the mean of ETS, damped ETS, Theta, ARIMA, damped Holt (and the global model
where it applies) is the default and another candidate or combination replaces it only when its
backtest MASE is much lower (see backtest.pick); intervals calibrated on the chosen method's
backtest errors (see intervals).
Synchronous, CPU-bound and deterministic (same input, same output).

Rules that answer edge cases plainly:
- fewer than max(2*horizon, 8) periods: InsufficientHistory, naming both counts;
- an all-zero series: a forecast of zeros (method "zero") with a note, not an error: zero is what
  the data says, and no model can say anything else;
- a series with no negative value (revenue, orders) never gets a negative forecast or bound.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy import stats

from tools.forecasting import backtest as bt
from tools.forecasting import intervals as iv
from tools.forecasting import pooled
from tools.forecasting.models import (
    Arima,
    Candidate,
    DampedEts,
    Ets,
    Naive2,
    Prepared,
    SeasonalNaive,
    prepare,
)
from tools.forecasting.smoothing import Smoothing, Theta
from tools.forecasting.types import (
    Backtest,
    Forecast,
    ForecastPoint,
    Granularity,
    InsufficientHistory,
    MethodScore,
    Trend,
)

SEASON: dict[str, int] = {"day": 7, "week": 52, "month": 12, "quarter": 4}
STEP: dict[str, pd.DateOffset] = {"day": pd.DateOffset(days=1), "week": pd.DateOffset(weeks=1),
                                  "month": pd.DateOffset(months=1),
                                  "quarter": pd.DateOffset(months=3)}


def required_history(horizon: int) -> int:
    return max(2 * horizon, 8)


def forecast(series: pd.Series, *, horizon: int, granularity: Granularity,
             level: float = 0.95) -> Forecast:
    """Forecast `horizon` periods after the series' last period (see the module docstring)."""
    if horizon < 1 or not 0 < level < 1:
        raise ValueError("horizon must be >= 1 and level in (0, 1)")
    y = series.astype(float).to_numpy()
    notes: list[str] = []
    if np.isnan(y).any():
        y = np.nan_to_num(y, nan=0.0)
        notes.append("missing periods were counted as 0")
    needed = required_history(horizon)
    if len(y) < needed:
        raise InsufficientHistory(
            f"{len(y)} {granularity} period(s) of history; at least {needed} are needed to "
            f"forecast {horizon} ahead and check the method on past data",
            details={"periods": len(y), "needed": needed})
    dates = _future_dates(series.index, granularity, horizon)
    if not np.any(y):
        return _zero_forecast(granularity, level, len(y), dates, notes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _fit(y, granularity, horizon, level, dates, notes)


def season_length(granularity: str, n: int, horizon: int, notes: list[str]) -> int:
    """The calendar's season, or none when there are fewer than two full seasons (or too few to
    backtest one): then it is dropped and the note says so."""
    m = SEASON[granularity]
    if n >= 2 * m and n - horizon >= m + 1:
        return m
    adjective = {"day": "daily"}.get(granularity, f"{granularity}ly")
    notes.append(f"{n} periods are too few for the {m}-period seasonality of {adjective} "
                 f"data (two full seasons and a backtest are needed): fitted without it")
    return 1


def _fit(y: np.ndarray, granularity: str, horizon: int, level: float,
         dates: list[pd.Timestamp], notes: list[str]) -> Forecast:
    n = len(y)
    m = season_length(granularity, n, horizon, notes)
    prep = prepare(y, m)
    candidates = _candidates(prep, m, notes, granularity)
    origins = bt.choose_origins(n, horizon, max(m + 1, 4))
    design = bt.design(y, origins, horizon, m)
    runs, finals = _run_all(candidates, design, n, horizon, notes)
    singles = list(runs.values())
    combos = bt.combinations(runs, design)
    chosen = bt.pick(singles + combos, design)
    members = chosen.members or (chosen.name,)
    point = np.mean([finals[name] for name in members], axis=0)
    scale = bt.mase_scale(y, m)
    scale = scale if math.isfinite(scale) else max(float(np.mean(np.abs(y))), 1.0)
    half, total_half = _widths(chosen, design, level, scale, candidates, n, horizon, notes)
    nonneg = bool(np.all(y >= 0))
    floor = 0.0 if nonneg else -math.inf
    point = np.maximum(point, floor)
    total = float(point.sum())
    total_lower = max(total - total_half, floor)
    total_upper = total + total_half
    points = [ForecastPoint(d.date(), float(v), float(max(v - w, floor)), float(v + w))
              for d, v, w in zip(dates, point, half, strict=True)]
    scores = {r.name: _score(r, design, level) for r in singles + combos}
    backtest = Backtest(origins=len(origins), horizon=horizon, level=level,
                        chosen=scores[chosen.name], seasonal_naive=scores["seasonal_naive"],
                        ets=scores.get("ets"), candidates=list(scores.values()))
    return Forecast(method=chosen.name, granularity=granularity,  # type: ignore[arg-type]
                    season_length=m, level=level, history=n, points=points, backtest=backtest,
                    trend=_trend(y, horizon, total, total_half), total=total, total_lower=total_lower,
                    total_upper=total_upper, notes=notes)


def _candidates(prep: Prepared, m: int, notes: list[str], granularity: str = "") -> list[Candidate]:
    out: list[Candidate] = [SeasonalNaive(prep, m)]
    builders: list[tuple[str, Callable[[], Candidate]]] = [
        ("naive2", lambda: Naive2(prep)), ("ets", lambda: Ets(prep, m)),
        ("ets_damped", lambda: DampedEts(prep, m)), ("theta", lambda: Theta(prep)),
        ("arima", lambda: Arima(prep)), ("damped", lambda: Smoothing(prep, trend=True, damped=True))]
    if pooled.applies(granularity, prep):  # monthly/quarterly, long enough, positive
        builders.append(("global", lambda: pooled.Pooled(prep, granularity)))
    for name, build in builders:
        try:
            out.append(build())
        except Exception as err:  # a failed candidate is dropped, not fatal
            notes.append(f"{name} could not be fitted ({type(err).__name__}): left out")
    return out


def _run_all(candidates: list[Candidate], design: bt.Design, n: int, horizon: int,
             notes: list[str]) -> tuple[dict[str, bt.Run], dict[str, np.ndarray]]:
    runs: dict[str, bt.Run] = {}
    finals: dict[str, np.ndarray] = {}
    for cand in candidates:
        try:
            past = np.array([cand.forecast_from(o, horizon) for o in design.origins])
            final = cand.forecast_from(n, horizon)
        except Exception as err:
            notes.append(f"{cand.name} failed on the backtest ({type(err).__name__}): left out")
            continue
        if not (np.all(np.isfinite(past)) and np.all(np.isfinite(final))):
            notes.append(f"{cand.name} produced non-finite forecasts: left out")
            continue
        runs[cand.name] = bt.run(cand.name, past.reshape(len(design.origins), horizon), design)
        finals[cand.name] = final
    return runs, finals


def _widths(chosen: bt.Run, design: bt.Design, level: float, scale: float,
            candidates: list[Candidate], n: int, horizon: int,
            notes: list[str]) -> tuple[np.ndarray, float]:
    scales = np.where(np.isfinite(design.scales), design.scales, scale)
    if len(design.origins) >= iv.MIN_ORIGINS:
        cal = iv.calibrate(chosen.errors, scales, level, design.effective_origins)
        total = iv.total_half_width(chosen.errors, scales, level, scale)
        return cal.half_widths(scale), total
    half, source = _own_half_widths(candidates, n, horizon, level)
    notes.append(f"only {len(design.origins)} backtest origin(s): intervals are {source}, not "
                 "calibrated on past errors")
    return half, float(math.sqrt(float(np.sum(half**2))))


def _own_half_widths(candidates: list[Candidate], n: int, horizon: int,
                     level: float) -> tuple[np.ndarray, str]:
    """ETS's own prediction intervals; a random-walk interval if ETS could not be fitted."""
    for cand in candidates:
        if isinstance(cand, Ets):
            try:
                frame = cand.result.get_prediction(start=n, end=n + horizon - 1, random_state=0)
                bounds = frame.summary_frame(alpha=1 - level)
            except Exception:
                break
            half = np.asarray((bounds["pi_upper"] - bounds["pi_lower"]) / 2, dtype=float)
            if np.all(np.isfinite(half)):
                return half, "the ETS model's own"
    y = candidates[0].y if isinstance(candidates[0], SeasonalNaive) else np.zeros(2)
    sigma = float(np.std(np.diff(y))) if len(y) > 2 else 0.0
    z = float(stats.norm.ppf(0.5 + level / 2))
    return z * sigma * np.sqrt(np.arange(1, horizon + 1)), "a random walk's (ETS failed)"


def _score(r: bt.Run, design: bt.Design, level: float) -> MethodScore:
    scales = design.scales
    cover = iv.coverage(r.errors, scales, level, design.effective_origins) \
        if np.all(np.isfinite(scales)) else None
    return MethodScore(method=r.name, mase=bt.mase(r, design), smape=bt.smape(r, design),
                       coverage=cover, origins=len(design.origins))


def _trend(y: np.ndarray, horizon: int, total: float, total_half: float) -> Trend:
    """The horizon's total against the last equally long stretch of history: "flat" when the
    difference is inside the total's interval half-width."""
    change = total - float(y[-horizon:].sum())
    if abs(change) <= total_half:
        return "flat"
    return "up" if change > 0 else "down"


def _future_dates(index: pd.Index, granularity: str, horizon: int) -> list[pd.Timestamp]:
    last = pd.Timestamp(index[-1]) if isinstance(index, pd.DatetimeIndex) and len(index) \
        else pd.Timestamp("2000-01-01") + STEP[granularity] * max(len(index) - 1, 0)
    return [last + STEP[granularity] * k for k in range(1, horizon + 1)]


def _zero_forecast(granularity: str, level: float, n: int, dates: list[pd.Timestamp],
                   notes: list[str]) -> Forecast:
    notes.append("every period of the history is 0: the forecast is 0, no model was fitted")
    empty = MethodScore(method="zero", mase=None, smape=None, coverage=None, origins=0)
    return Forecast(method="zero", granularity=granularity,  # type: ignore[arg-type]
                    season_length=1, level=level, history=n,
                    points=[ForecastPoint(d.date(), 0.0, 0.0, 0.0) for d in dates],
                    backtest=Backtest(0, len(dates), level, empty, empty, None, [empty]),
                    trend="flat", total=0.0, total_lower=0.0, total_upper=0.0, notes=notes)
