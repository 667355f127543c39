"""Prediction intervals calibrated on the backtest's out-of-sample errors.

The errors of every origin are divided by that origin's MASE scale (so origins are comparable),
their spread per horizon step is smoothed by a power law in the step (errors grow with the
horizon; five origins per step are too few to trust step by step), and the interval's multiplier
is the split-conformal quantile of the normalised absolute errors pooled over origins and steps.
The total's interval comes from the summed errors of each origin (a Student-t prediction bound:
with a handful of origins a quantile would be meaningless), not from summed per-point bounds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

MIN_ORIGINS = 3
"""Fewer backtest origins than this: intervals fall back to the model's own."""


@dataclass(frozen=True)
class Calibration:
    spread: np.ndarray
    """Scale-free error spread per step (smoothed)."""
    multiplier: float

    def half_widths(self, scale: float) -> np.ndarray:
        return self.multiplier * self.spread * scale


def _scaled(errors: np.ndarray, scales: np.ndarray) -> np.ndarray:
    return errors / scales[:, None]


def _spread(u: np.ndarray) -> np.ndarray:
    """RMS of the scaled errors per step, smoothed as a*k^b (0 <= b <= 1)."""
    rms = np.sqrt(np.mean(u**2, axis=0))
    steps = np.arange(1, len(rms) + 1)
    ok = rms > 0
    if ok.sum() < 3:
        return np.maximum(rms, max(float(rms.max()), 1e-9))
    b, a = np.polyfit(np.log(steps[ok]), np.log(rms[ok]), 1)
    b = float(np.clip(b, 0.0, 1.0))
    a = float(np.mean(np.log(rms[ok]) - b * np.log(steps[ok])))
    return np.exp(a + b * np.log(steps))


def _conformal_quantile(values: np.ndarray, level: float) -> float:
    ordered = np.sort(values.ravel())
    rank = math.ceil((len(ordered) + 1) * level)
    return float(ordered[min(rank, len(ordered)) - 1])


def calibrate(errors: np.ndarray, scales: np.ndarray, level: float,
              effective: float | None = None) -> Calibration:
    """The pooled errors of one origin move together (a level the model missed shifts all its
    steps), and overlapping windows repeat each other, so the effective sample is the number of
    independent windows (`effective`, default: the origins), not origins x steps: the quantile is
    widened by sqrt(1 + 1/effective), the usual correction for a spread estimated from that many
    draws."""
    u = _scaled(errors, scales)
    spread = _spread(u)
    widen = math.sqrt(1 + 1 / (effective or errors.shape[0]))
    return Calibration(spread, widen * _conformal_quantile(np.abs(u) / spread, level))


def coverage(errors: np.ndarray, scales: np.ndarray, level: float,
             effective: float | None = None) -> float | None:
    """Leave-one-origin-out: calibrate on the other origins, count the held-out origin's actuals
    inside its interval. An honest estimate, unlike the in-sample share (≈ level by design)."""
    origins = errors.shape[0]
    if origins < MIN_ORIGINS or not np.all(np.isfinite(scales)):
        return None
    inside = 0
    for o in range(origins):
        rest = np.arange(origins) != o
        share = (origins - 1) / origins
        cal = calibrate(errors[rest], scales[rest], level, effective and effective * share)
        inside += int(np.sum(np.abs(errors[o]) <= cal.half_widths(float(scales[o]))))
    return inside / errors.size


def total_half_width(errors: np.ndarray, scales: np.ndarray, level: float, scale: float) -> float:
    """Student-t bound on the sum over the horizon: S_new / RMS(S_o) ~ t(n) under normality."""
    sums = _scaled(errors, scales).sum(axis=1)
    rms = math.sqrt(float(np.mean(sums**2)))
    return float(stats.t.ppf(0.5 + level / 2, df=len(sums)) * rms * scale)
