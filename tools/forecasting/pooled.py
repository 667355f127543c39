"""A global ("pooled") forecaster: one linear model learned across many series, the approach of
the M4 competition's best methods and of Montero-Manso & Hyndman ("Principles and algorithms for
forecasting groups of time series: locality and globality", 2021).

Why: the local models (ETS, Theta, ARIMA, damped Holt) each extrapolate one series from its own
few dozen points; their mean wins when a trend flattens and loses when it goes on, and more
averaging of local models did not move the M3 score. A model fitted on thousands of windows of
other series learns how trends and seasonal shapes of business series typically continue, and
its errors are different enough from the local models' for the combination to gain.

The model: on the seasonally adjusted series (the engine's own classical decomposition, see
models.prepare: the pooled model then only has to learn how levels and trends go on, not every
series' seasonal shape), the logs of the last `inputs` values of a window relative to the mean of
its last season (so series of any scale share one model, and growth is a ratio) predict the logs
of the next `horizon` values on the same scale; one ridge regression (closed form) per frequency,
an output per horizon step; the forecast is reseasonalised. Longer horizons are
forecast recursively (the forecast fed back as input); shorter histories than `inputs` are
padded at the front with their first season repeated (only backtest origins need that: the
member is used only on series at least `inputs` long).

Provenance of the weights (built by `python -m evals.forecasting_global_fit`, deterministic):
fitted on the M3 competition's monthly and quarterly series (categories in WEIGHTS' `categories`
field), on their training parts only (`x`; M3's held-out future parts are never read), every
window of `inputs + horizon` consecutive points. `pooled_weights.json` (shipped, used by the
product) takes windows ending at or before the end of each training part;
`evals/pooled_weights_tuning.json` (the M3 evaluation's `--split train` only) takes windows
ending at least `horizon` points before it, so the points that split scores were never seen.
Settings and how they were chosen: evals.forecasting_global_fit.SETTINGS. Caveat: M3's series
cover different calendar years, so a window of one series' training part may be later in time
than another series' test part; the weights never contain any test part itself.

On `--split train` (tuning fit), as a sixth equal member of the engine's default combination it
took the product from 0.938 to 0.927 of ETS's mean MASE (monthly) and from 0.952 to 0.947
(quarterly); alone it scores 0.971 and 1.016 of ETS's: it adds by erring differently, not by
being better.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tools.forecasting.models import Prepared

WEIGHTS_PATH = Path(__file__).with_name("pooled_weights.json")
GRANULARITIES = {"month": "monthly", "quarter": "quarterly"}
"""The engine's granularities the pooled model serves, and their key in the weights file."""


@dataclass(frozen=True)
class PooledWeights:
    frequency: str
    season: int
    inputs: int
    """Window length the model reads."""
    horizon: int
    """Steps it predicts at once."""
    ridge: float
    coef: np.ndarray
    """(inputs + 1) x horizon: the normalised inputs and a constant."""


def features(window: np.ndarray, season: int) -> tuple[np.ndarray, float]:
    """The model's inputs for one window and the scale to undo: the logs of the window relative to
    the mean of its last season (a level every series has, unlike its first value or its trend),
    and a constant."""
    level = float(np.mean(window[-season:]))
    if not (level > 0 and np.all(window > 0)):
        raise ValueError("the pooled model needs a strictly positive window")
    return np.r_[np.log(window / level), 1.0], level


def targets(future: np.ndarray, level: float) -> np.ndarray:
    """What the model predicts for one window: the logs of the next values relative to the level."""
    return np.log(future / level)


class _Store:
    """The weights file in use (the shipped one unless an evaluation chose another), read once."""

    def __init__(self) -> None:
        self.path = WEIGHTS_PATH
        self.cache: dict[str, PooledWeights] | None = None
        self.lock = threading.Lock()

    def get(self) -> dict[str, PooledWeights]:
        with self.lock:
            if self.cache is None:
                self.cache = read_weights(self.path)
            return self.cache


_STORE = _Store()


def use_weights(path: Path | None) -> None:
    """Point the engine at another weights file (None: the shipped one). Only the M3 evaluation's
    train split does this, so that its scores never come from a model fitted on what it scores."""
    with _STORE.lock:
        _STORE.path = path or WEIGHTS_PATH
        _STORE.cache = None


def read_weights(path: Path) -> dict[str, PooledWeights]:
    data = json.loads(path.read_text())
    out = {}
    for frequency, w in data["models"].items():
        coef = np.asarray(w["coef"], dtype=float)
        if coef.shape != (w["inputs"] + 1, w["horizon"]):
            raise ValueError(f"{path}: {frequency} coefficients have shape {coef.shape}")
        out[frequency] = PooledWeights(frequency, int(w["season"]), int(w["inputs"]),
                                       int(w["horizon"]), float(w["ridge"]), coef)
    return out


def weights_for(granularity: str) -> PooledWeights | None:
    frequency = GRANULARITIES.get(granularity)
    return _STORE.get().get(frequency) if frequency else None


def applies(granularity: str, prep: Prepared) -> bool:
    """Whether the engine adds the member: a served frequency whose season the series kept, at
    least `inputs` periods long, strictly positive (the model works on ratios to the level)."""
    w = weights_for(granularity)
    return w is not None and prep.m == w.season and len(prep.y) >= w.inputs and prep.positive


class Pooled:
    """The pooled model as an engine candidate (forecasts from any origin, like the others)."""

    name = "global"

    def __init__(self, prep: Prepared, granularity: str) -> None:
        w = weights_for(granularity)
        if w is None or not applies(granularity, prep):
            raise ValueError(f"the pooled model does not apply to this {granularity} series")
        self.prep, self.w = prep, w

    def forecast_from(self, t: int, h: int) -> np.ndarray:
        return self.prep.reseason(forecast(self.w, self.prep.adjusted[:t], h), t)


def forecast(w: PooledWeights, history: np.ndarray, h: int) -> np.ndarray:
    """`h` steps after a (seasonally adjusted) `history`: one pass of the model per `w.horizon`
    steps."""
    window = _pad(np.asarray(history, dtype=float), w.inputs, w.season)
    out: list[float] = []
    while len(out) < h:
        x, level = features(window, w.season)
        step = np.exp(x @ w.coef) * level
        out.extend(step.tolist())
        window = np.r_[window, step][-w.inputs:]
    return np.array(out[:h])


def _pad(y: np.ndarray, inputs: int, season: int) -> np.ndarray:
    if len(y) >= inputs:
        return y[-inputs:]
    missing = inputs - len(y)
    first = y[:season] if len(y) >= season else y[:1]
    front = np.tile(first, missing // len(first) + 1)[-missing:]
    return np.r_[front, y]
