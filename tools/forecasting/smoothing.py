"""Exponential smoothing on the seasonally adjusted series: SES, Holt and damped Holt (the M3/M4
"Comb S-H-D" benchmark's members; the engine combines the damped one) and the Theta method,
fitted by least squares.

These are linear recursions, so their one-step forecasts are a linear filter of the series
(scipy's lfilter, in C) plus a term linear in the initial states: for given smoothing parameters
the best initial states are a least-squares solve, and only the smoothing parameters are searched
(a grid then Brent for one, Nelder-Mead for two or three). A Theta fit takes a few
milliseconds (statsmodels' ThetaModel about ten times more), a damped Holt fit a few tens.
Forecasts from any origin `t` come from the states filtered with the parameters fitted on the
whole history (as for ETS); Theta, whose fit is a one-dimensional search, is refitted at every
origin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import optimize, signal

from tools.forecasting.models import Prepared

ALPHA_BOUNDS = (1e-4, 0.9999)
ALPHA_GRID = 21
PHI_BOUNDS = (0.8, 0.98)
"""Damping parameter range (as R's forecast::ets)."""


@dataclass(frozen=True)
class HoltFit:
    alpha: float
    beta: float
    phi: float
    level0: float
    slope0: float


def _one_step(y: np.ndarray, alpha: float, beta: float, phi: float,
              trend: bool) -> tuple[np.ndarray, np.ndarray]:
    """One-step forecasts as `base + basis @ initial_states`: `base` from the observations with
    zero initial states, `basis` (n x states) the response to each initial state."""
    n = len(y)
    if not trend:
        decay = 1 - alpha
        out = signal.lfilter([alpha], [1, -decay], y)
        base = np.r_[0.0, out[:-1]]
        return base, (decay ** np.arange(n))[:, None]
    # states s = (level, slope); s' = D s + g y with D = F - g w', forecast w' s, w = (1, phi)
    d11, d12, d21, d22 = 1 - alpha, phi * (1 - alpha), -beta, phi * (1 - beta)
    trace, det = d11 + d22, d11 * d22 - d12 * d21
    b0 = alpha + phi * beta
    b1 = -d22 * alpha + d12 * beta + phi * (d21 * alpha - d11 * beta)
    a = [1.0, -trace, det]
    out = signal.lfilter([b0, b1], a, y)
    base = np.r_[0.0, out[:-1]]
    impulse = np.zeros(n)
    impulse[0] = 1.0
    # w' D^i e_k: first two terms given, then the recursion of the denominator
    level_resp = signal.lfilter([1.0, d11 + phi * d21 - trace], a, impulse)
    slope_resp = signal.lfilter([phi, d12 + phi * d22 - trace * phi], a, impulse)
    return base, np.column_stack([level_resp, slope_resp])


def _sse(y: np.ndarray, alpha: float, beta: float, phi: float,
         trend: bool) -> tuple[float, np.ndarray]:
    base, basis = _one_step(y, alpha, beta, phi, trend)
    target = y - base
    gram, rhs = basis.T @ basis, basis.T @ target
    if basis.shape[1] == 1:
        states = rhs / gram[0]
    else:  # the 2x2 normal equations, solved directly (lstsq costs more than the whole filter)
        det = gram[0, 0] * gram[1, 1] - gram[0, 1] ** 2
        if det <= 1e-12 * gram[0, 0] * gram[1, 1]:
            states = np.linalg.lstsq(basis, target, rcond=None)[0]
        else:
            states = np.array([gram[1, 1] * rhs[0] - gram[0, 1] * rhs[1],
                               gram[0, 0] * rhs[1] - gram[0, 1] * rhs[0]]) / det
    resid = target - basis @ states
    return float(resid @ resid), states


def fit_holt(y: np.ndarray, trend: bool, damped: bool) -> HoltFit:
    """Least-squares smoothing parameters (beta as a share of alpha, so beta <= alpha) with the
    initial states solved for each candidate set of parameters."""
    def unpack(v: np.ndarray) -> tuple[float, float, float]:
        alpha = float(np.clip(v[0], *ALPHA_BOUNDS))
        if not trend:
            return alpha, 0.0, 1.0
        share = float(np.clip(v[1], *ALPHA_BOUNDS))
        phi = float(np.clip(v[2], *PHI_BOUNDS)) if damped else 1.0
        return alpha, alpha * share, phi

    unit = float(np.sum(np.diff(y) ** 2)) or 1.0  # SSE relative to the naive's, for the tolerance

    def objective(v: np.ndarray) -> float:
        sse = _sse(y, *unpack(v), trend)[0] / unit
        return sse if np.isfinite(sse) else np.inf

    if not trend:
        best = np.array([search_alpha(lambda a: objective(np.array([a])))])
    else:
        start = [0.5, 0.2] + ([0.95] if damped else [])
        bounds = [ALPHA_BOUNDS, ALPHA_BOUNDS] + ([PHI_BOUNDS] if damped else [])
        best = optimize.minimize(objective, np.array(start), method="Nelder-Mead", bounds=bounds,
                                 options={"xatol": 1e-3, "fatol": 1e-6, "maxiter": 300}).x
    alpha, beta, phi = unpack(best)
    states = _sse(y, alpha, beta, phi, trend)[1]
    return HoltFit(alpha, beta, phi, float(states[0]), float(states[1]) if trend else 0.0)


def search_alpha(sse: Callable[[float], float]) -> float:
    """The smoothing parameter minimising `sse`: a coarse grid first (the SSE of a short or
    outlying series can have several local minima), then Brent's method around the best point."""
    grid = np.linspace(*ALPHA_BOUNDS, ALPHA_GRID)
    values = [sse(float(a)) for a in grid]
    i = int(np.argmin(values))
    low, high = grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)]
    res = optimize.minimize_scalar(sse, bounds=(low, high), method="bounded",
                                   options={"xatol": 1e-5})
    return float(res.x) if float(res.fun) <= values[i] else float(grid[i])


def holt_states(y: np.ndarray, p: HoltFit) -> tuple[np.ndarray, np.ndarray]:
    """Level and slope after each observation."""
    level, slope = p.level0, p.slope0
    levels, slopes = np.empty(len(y)), np.empty(len(y))
    for i, value in enumerate(y.tolist()):
        damped = p.phi * slope
        err = value - level - damped
        level, slope = level + damped + p.alpha * err, damped + p.beta * err
        levels[i], slopes[i] = level, slope
    return levels, slopes


class Smoothing:
    """SES (`trend=False`), Holt (`trend=True`) or damped Holt on the adjusted series."""

    def __init__(self, prep: Prepared, trend: bool, damped: bool = False) -> None:
        self.prep, self.trend = prep, trend
        self.name = "damped" if damped else "holt" if trend else "ses"
        self.fit = fit_holt(prep.adjusted, trend, damped)
        self.levels, self.slopes = holt_states(prep.adjusted, self.fit)

    def forecast_from(self, t: int, h: int) -> np.ndarray:
        steps = np.cumsum(self.fit.phi ** np.arange(1, h + 1))
        path = self.levels[t - 1] + steps * self.slopes[t - 1]
        return self.prep.reseason(path, t)


def ses_known_start(y: np.ndarray) -> tuple[float, float]:
    """SES with the first value as initial level (as statsmodels' Theta): alpha by least squares
    and the one-step forecast after the last value."""
    powers = np.arange(len(y) + 1)

    def forecasts(alpha: float) -> np.ndarray:
        out = signal.lfilter([alpha], [1, -(1 - alpha)], y)
        return np.r_[0.0, out] + (1 - alpha) ** powers * y[0]

    def sse(alpha: float) -> float:
        resid = y - forecasts(alpha)[:-1]
        return float(resid @ resid)

    alpha = search_alpha(sse)
    return alpha, float(forecasts(alpha)[-1])


def theta_forecast(y: np.ndarray, h: int, theta: float = 2.0) -> np.ndarray:
    """The Theta method (Assimakopoulos & Nikolopoulos; Hyndman & Billah's SES-with-drift form,
    as statsmodels' ThetaModel): SES plus (1 - 1/theta) of the linear trend's slope."""
    n = len(y)
    slope = float(np.polyfit(np.arange(n), y, 1)[0]) if n > 1 else 0.0
    alpha, one_step = ses_known_start(y)
    k = np.arange(h, dtype=float) + 1 / alpha - (1 - alpha) ** n / alpha
    return one_step + (1 - 1 / theta) * slope * k


class Theta:
    """Theta on the adjusted series, refitted at every origin. Same model as statsmodels'
    ThetaModel (which the engine used before), but the smoothing parameter is the least-squares
    one (statsmodels' optimiser sometimes stops at a bound far from it)."""

    name = "theta"

    def __init__(self, prep: Prepared, theta: float = 2.0) -> None:
        self.prep, self.theta = prep, theta

    def forecast_from(self, t: int, h: int) -> np.ndarray:
        return self.prep.reseason(theta_forecast(self.prep.adjusted[:t], h, self.theta), t)
