"""The candidate methods: seasonal naive, Naive2, ETS (AICc-selected), a damped-trend ETS and a
small ARIMA (Theta and damped Holt are in tools.forecasting.smoothing).

Each candidate is fitted once on the whole history (its specification and parameters), then
asked for forecasts from any origin `t` (using only `y[:t]`): the backtest re-filters with the
fitted parameters instead of refitting at every origin. Refitting would cost several statsmodels
fits per origin; the backtest's job is to compare methods and calibrate intervals, and the
parameters of these small models barely move between neighbouring origins.

Seasonality (Naive2, Theta, ARIMA, damped Holt) is handled as in the M3/M4 benchmarks: a
classical decomposition when the lag-m autocorrelation is significant (90%), multiplicative for
strictly positive series, else additive; the model runs on the adjusted series and is
reseasonalised.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd
from statsmodels.tsa.arima.estimators.hannan_rissanen import hannan_rissanen
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.stattools import acf, kpss

ARMA_ORDERS = ((0, 0), (1, 0), (0, 1), (1, 1), (2, 0), (0, 2), (2, 1), (1, 2))
ESTIMATED_SEASON_MAX = 4
"""The longest season for which DampedEts estimates its initial states (quarterly)."""


class Candidate(Protocol):
    name: str

    def forecast_from(self, t: int, h: int) -> np.ndarray:
        """Point forecasts for y[t:t+h] from y[:t] only."""
        ...


@dataclass(frozen=True)
class Prepared:
    """The series and its seasonal profile, computed once for every candidate."""

    y: np.ndarray
    m: int
    """Season length actually used (1 = no seasonality)."""
    positive: bool
    seasonal: bool
    """Whether the lag-m autocorrelation is significant: then Naive2/Theta/ARIMA deseasonalise."""
    multiplicative: bool
    index: np.ndarray
    """Seasonal indices by position (i % m); ones (or zeros) when not seasonal."""
    adjusted: np.ndarray

    def reseason(self, values: np.ndarray, start: int) -> np.ndarray:
        idx = self.index[(start + np.arange(len(values))) % self.m]
        return values * idx if self.multiplicative else values + idx


def seasonality_significant(y: np.ndarray, m: int) -> bool:
    """The M4 benchmarks' test: |acf(m)| above its 90% limit (Bartlett's formula)."""
    if m <= 1 or len(y) < 2 * m or np.std(y) == 0:
        return False
    r = acf(y, nlags=m, fft=True)
    limit = 1.645 * math.sqrt((1 + 2 * float(np.sum(r[1:m] ** 2))) / len(y))
    return bool(abs(r[m]) > limit)


def prepare(y: np.ndarray, m: int) -> Prepared:
    positive = bool(np.all(y > 0))
    seasonal = seasonality_significant(y, m)
    multiplicative = positive
    if not seasonal:
        neutral = np.ones(max(m, 1)) if multiplicative else np.zeros(max(m, 1))
        return Prepared(y, max(m, 1), positive, False, multiplicative, neutral, y.copy())
    index = _classical_indices(y, m, multiplicative)
    pos = np.arange(len(y)) % m
    adjusted = y / index[pos] if multiplicative else y - index[pos]
    return Prepared(y, m, positive, True, multiplicative, index, adjusted)


def _classical_indices(y: np.ndarray, m: int, multiplicative: bool) -> np.ndarray:
    """Seasonal indices of a classical decomposition (centred 2xm moving average)."""
    weights = np.r_[0.5, np.ones(m - 1), 0.5] / m if m % 2 == 0 else np.ones(m) / m
    trend = np.convolve(y, weights, mode="valid")
    offset = (len(weights) - 1) // 2
    core = y[offset:offset + len(trend)]
    ratio = core / trend if multiplicative else core - trend
    pos = (np.arange(len(trend)) + offset) % m
    index = np.array([ratio[pos == k].mean() for k in range(m)])
    return index / index.mean() if multiplicative else index - index.mean()


class SeasonalNaive:
    name = "seasonal_naive"

    def __init__(self, prep: Prepared, m: int) -> None:
        self.y, self.m = prep.y, m

    def forecast_from(self, t: int, h: int) -> np.ndarray:
        m = min(self.m, t)
        return np.resize(self.y[t - m:t], h).astype(float)


class Naive2:
    """The last seasonally adjusted value, reseasonalised (the M3/M4 benchmark)."""

    name = "naive2"

    def __init__(self, prep: Prepared) -> None:
        self.prep = prep

    def forecast_from(self, t: int, h: int) -> np.ndarray:
        return self.prep.reseason(np.full(h, self.prep.adjusted[t - 1]), t)


class Ets:
    """ETS chosen by AICc among error/trend/damped/seasonal variants (statsmodels ETSModel,
    heuristic initial states so each fit stays fast). Forecasts from any origin come from the
    fitted states (the textbook point-forecast recursion), checked against statsmodels."""

    name = "ets"

    def __init__(self, prep: Prepared, m: int) -> None:
        self._adopt(prep, m, *_select_ets(prep, m, _ets_specs(prep, m), "heuristic"))

    def _adopt(self, prep: Prepared, m: int, result: Any, spec: dict[str, Any]) -> None:
        self.prep, self.m, self.result, self.spec = prep, m, result, spec
        self.states = np.asarray(self.result.states, dtype=float)
        params = dict(zip(self.result.param_names, np.asarray(self.result.params), strict=True))
        self.phi = float(params.get("damping_trend", 1.0))

    def forecast_from(self, t: int, h: int) -> np.ndarray:
        k = np.arange(1, h + 1)
        row = self.states[t - 1]
        base = np.full(h, row[0])
        if self.spec["trend"]:
            base = base + np.cumsum(self.phi ** k) * row[1]
        if self.spec["seasonal"]:
            season = self.states[:, -1][t - 1 + k - self.m * ((k - 1) // self.m + 1)]
            base = base * season if self.spec["seasonal"] == "mul" else base + season
        return base


def _ets_specs(prep: Prepared, m: int) -> list[dict[str, Any]]:
    """Additive-error models never get multiplicative components (as R's ets restricts);
    multiplicative error only for strictly positive series. A significantly seasonal series
    only tries seasonal variants, a non-seasonal one only non-seasonal ones (half the fits)."""
    errors = ["add", "mul"] if prep.positive else ["add"]
    trends: list[tuple[str | None, bool]] = [(None, False), ("add", False), ("add", True)]
    specs = []
    for error in errors:
        seasons: list[str | None] = [None]
        if prep.seasonal and m > 1:
            seasons = ["mul" if error == "mul" else "add"]
        for trend, damped in trends:
            for season in seasons:
                specs.append({"error": error, "trend": trend, "damped_trend": damped,
                              "seasonal": season, "seasonal_periods": m if season else None})
    return specs


class DampedEts(Ets):
    """The damped-trend ETS variant with the lowest AICc (additive or, for a positive series,
    multiplicative error): always a damped trend, whatever the full selection prefers (the M3/M4
    lesson: damped trends extrapolate safely). Initial states are estimated with the parameters
    (better fits) unless the season has more than ESTIMATED_SEASON_MAX periods: each seasonal
    state is then one more parameter to optimise, which made monthly forecasts about 1.6 times
    slower for no gain on M3's training parts."""

    name = "ets_damped"

    def __init__(self, prep: Prepared, m: int) -> None:
        specs = [s for s in _ets_specs(prep, m) if s["damped_trend"]]
        init = "heuristic" if prep.seasonal and m > ESTIMATED_SEASON_MAX else "estimated"
        self._adopt(prep, m, *_select_ets(prep, m, specs, init))


def _select_ets(prep: Prepared, m: int, specs: list[dict[str, Any]],
                init: str) -> tuple[Any, dict[str, Any]]:
    best: tuple[float, Any, dict[str, Any]] | None = None
    for spec in specs:
        try:
            res = _fit_ets(prep.y, spec, init)
        except Exception:  # a variant that cannot be fitted is skipped
            continue
        aicc = float(res.aicc)
        if math.isfinite(aicc) and np.all(np.isfinite(res.states)) and (best is None or aicc < best[0]):
            best = (aicc, res, spec)
    if best is None:
        raise ValueError("no ETS variant could be fitted")
    return best[1], best[2]


def _fit_ets(y: np.ndarray, spec: dict[str, Any], init: str = "heuristic") -> Any:
    """Heuristic initial states (fast) or estimated ones (with the parameters: about four
    times slower); estimated when the series is too short for the heuristic."""
    endog = pd.Series(y)  # statsmodels' get_prediction needs an indexed endog
    try:
        return ETSModel(endog, initialization_method=init, **spec).fit(disp=False)
    except ValueError:
        return ETSModel(endog, initialization_method="estimated", **spec).fit(disp=False)


class Arima:
    """ARIMA(p,d,q) on the seasonally adjusted series: d from a KPSS test (0 or 1), (p, q) and
    the constant (mean or drift) by AIC over a small grid, estimated by Hannan-Rissanen
    (statsmodels) so the search stays in milliseconds; only stationary, invertible fits count."""

    name = "arima"

    def __init__(self, prep: Prepared) -> None:
        self.prep = prep
        self.d = _kpss_differences(prep.adjusted)
        x = np.diff(prep.adjusted) if self.d else prep.adjusted
        self.mu, self.ar, self.ma = _select_arma(x, allow_no_mean=self.d == 1)
        self.resid = _arma_residuals(x - self.mu, self.ar, self.ma)
        self.x = x - self.mu
        self.order = (len(self.ar), self.d, len(self.ma))

    def forecast_from(self, t: int, h: int) -> np.ndarray:
        n_x = t - self.d
        path = _arma_forecast(self.x[:n_x], self.resid[:n_x], self.ar, self.ma, h) + self.mu
        adj = self.prep.adjusted
        level = np.cumsum(path) + adj[t - 1] if self.d else path
        return self.prep.reseason(level, t)


def _kpss_differences(a: np.ndarray) -> int:
    if len(a) < 12 or np.std(a) == 0:
        return 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p_value = kpss(a, regression="c", nlags="auto")[1]
    return 1 if p_value < 0.05 else 0


def _select_arma(x: np.ndarray, allow_no_mean: bool) -> tuple[float, np.ndarray, np.ndarray]:
    best: tuple[float, float, np.ndarray, np.ndarray] | None = None
    n = len(x)
    for with_mean in ([True, False] if allow_no_mean else [True]):
        mu = float(x.mean()) if with_mean else 0.0
        for p, q in ARMA_ORDERS:
            if p + q + 3 > n // 3:
                continue
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    par, _ = hannan_rissanen(x - mu, ar_order=p, ma_order=q, demean=False)
            except Exception:  # an order that cannot be estimated is skipped
                continue
            if not (par.is_stationary and par.is_invertible) or not par.sigma2 > 0:
                continue
            aic = n * math.log(par.sigma2) + 2 * (p + q + int(with_mean) + 1)
            if best is None or aic < best[0]:
                best = (aic, mu, np.asarray(par.ar_params), np.asarray(par.ma_params))
    if best is None:
        return float(x.mean()), np.zeros(0), np.zeros(0)
    return best[1], best[2], best[3]


def _arma_residuals(x: np.ndarray, ar: np.ndarray, ma: np.ndarray) -> np.ndarray:
    """Conditional one-step residuals (zero before enough history)."""
    p, q = len(ar), len(ma)
    e = np.zeros(len(x))
    for t in range(p, len(x)):
        pred = sum(ar[i] * x[t - 1 - i] for i in range(p))
        pred += sum(ma[j] * e[t - 1 - j] for j in range(q) if t - 1 - j >= 0)
        e[t] = x[t] - pred
    return e


def _arma_forecast(x: np.ndarray, e: np.ndarray, ar: np.ndarray, ma: np.ndarray,
                   h: int) -> np.ndarray:
    p, q = len(ar), len(ma)
    hist = list(x[-p:]) if p else []
    errs = list(e[-q:]) if q else []
    out = np.zeros(h)
    for k in range(h):
        value = sum(ar[i] * hist[-1 - i] for i in range(p) if i < len(hist))
        value += sum(ma[j] * errs[-1 - j] for j in range(q) if j < len(errs))
        out[k] = value
        hist.append(value)
        errs.append(0.0)
    return out
