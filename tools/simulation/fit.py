"""Which metric drives which, with what lag and how strongly: lagged regressions with Granger
F-tests on a tenant's daily series (statsmodels OLS), no database here.

For every target metric y the model is, in logs (so coefficients are elasticities):

    log y_t = a + trend + weekday (+ yearly cycle) + sum_k phi_k log y_{t-k} (k = 1..OWN_LAGS)
              + sum_j beta_j log x_j,{t - lag_j} + e_t

Drivers are chosen by forward selection. At each step every candidate (another metric at a lag of
1..MAX_LAG days) is scored by how much it lowers the residual sum of squares given what the model
already holds (computed for all candidates at once, Frisch-Waugh); with the parameter count equal
for every candidate, the lowest RSS is the lowest AIC, so the lag is the AIC's choice. The best
candidate is then refitted with statsmodels and kept only if its Granger test (the t/F test of
its coefficient: does x's past predict y beyond y's own past and the drivers already kept?)
passes p < ALPHA after a Bonferroni adjustment over every candidate searched at that step and
every target. Conditioning on the drivers already kept is what stops an indirect path (spend ->
sessions -> conversions) from also being drawn as a direct edge, and the adjustment is what keeps
an unrelated series from getting an edge by the luck of searching 21 lags.

An edge's weight is the long-run elasticity beta / (1 - sum phi): the % change in y for a
sustained 1% change in x once the effect has built up. Its uncertainty is simulated from the
fitted coefficients' joint normal distribution (DRAWS draws), which the simulator propagates.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from threadpoolctl import threadpool_limits  # scikit-learn's dependency

MAX_LAG = 21
OWN_LAGS = 7
ALPHA = 0.05
DRAWS = 2000
MIN_DAYS = 90
YEAR = 365
"""Overlapping days needed before any relationship is fitted: below this the tests have no power
worth reporting."""
_ONE_BLAS_THREAD = threading.Lock()
"""Fits run with one BLAS thread: the matrices are small (~700 x 30), and a multi-threaded
OpenBLAS spinning on a busy 2-core machine made a 0.13 s fit take 0.7-6 s. The limit is process
wide, so fits take it one at a time and each restores exactly what it found."""
METHOD = "lagged OLS regression in logs, Granger F-test (forward selection, lag by AIC)"


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    lag_days: int
    elasticity: float
    """Long-run elasticity: d log target / d log source."""
    std_error: float
    p_value: float
    """Bonferroni-adjusted over the candidates searched and the targets."""
    standardized: float
    """The elasticity in standard deviations of the logs: comparable across metrics."""
    draws: np.ndarray = field(repr=False, compare=False)
    """DRAWS simulated values of `elasticity` from the coefficients' distribution."""


@dataclass(frozen=True)
class Graph:
    metrics: tuple[str, ...]
    edges: tuple[Edge, ...]
    r_squared: dict[str, float]
    """Each target's model fit (R^2 of its regression)."""
    days: int
    start: str
    end: str
    fit_seconds: float

    def outgoing(self, metric: str) -> list[Edge]:
        return [e for e in self.edges if e.source == metric]


def _logs(frame: pd.DataFrame) -> pd.DataFrame:
    """Logs of each series; a series with zeros is offset by 1% of its mean first (so a day
    without spend is not minus infinity), which keeps coefficients close to elasticities."""
    out = {}
    for name in frame.columns:
        values = frame[name].astype(float).clip(lower=0)
        offset = 0.0 if values.min() > 0 else max(0.01 * float(values.mean()), 1e-6)
        out[name] = np.log(values + offset)
    return pd.DataFrame(out, index=frame.index)


def _calendar(index: pd.DatetimeIndex) -> np.ndarray:
    """Constant, trend, weekday dummies and, with a year or more of data, the yearly cycle (one
    sine/cosine pair) for rows MAX_LAG..end: what the calendar explains is not credited to a
    driver that merely shares the calendar."""
    rows = len(index) - MAX_LAG
    trend = np.arange(rows, dtype=float) / max(rows, 1)
    weekday = index[MAX_LAG:].weekday.to_numpy()
    columns = [np.ones(rows), trend, *((weekday == d).astype(float) for d in range(1, 7))]
    if len(index) >= YEAR:
        angle = 2 * np.pi * index[MAX_LAG:].dayofyear.to_numpy() / 365.25
        columns += [np.sin(angle), np.cos(angle)]
    return np.column_stack(columns)


def _own_lags(own: np.ndarray) -> np.ndarray:
    return np.column_stack([own[MAX_LAG - k: len(own) - k] for k in range(1, OWN_LAGS + 1)])


def _lagged(values: np.ndarray, lag: int) -> np.ndarray:
    return values[MAX_LAG - lag: len(values) - lag]


def _residualize(design: np.ndarray, columns: np.ndarray) -> np.ndarray:
    coef, *_ = np.linalg.lstsq(design, columns, rcond=None)
    return columns - design @ coef


def _select(y: np.ndarray, base: np.ndarray, candidates: dict[tuple[str, int], np.ndarray],
            tests: int) -> list[tuple[str, int, float]]:
    """Forward selection of (source, lag) drivers; returns them with their adjusted p-values."""
    chosen: list[tuple[str, int, float]] = []
    design = base
    while True:
        pool = [(key, col) for key, col in candidates.items() if key[0] not in {c[0] for c in chosen}]
        if not pool:
            return chosen
        matrix = np.column_stack([y] + [col for _, col in pool])
        resid = _residualize(design, matrix)
        ry, rc = resid[:, 0], resid[:, 1:]
        power = np.einsum("ij,ij->j", rc, rc)
        score = np.where(power > 1e-12, (ry @ rc) ** 2 / np.maximum(power, 1e-12), -1.0)
        best = int(np.argmax(score))
        if score[best] <= 0:
            return chosen
        (source, lag), column = pool[best]
        trial = np.column_stack([design, column])
        fit = sm.OLS(y, trial).fit()
        p_adjusted = min(1.0, float(fit.pvalues[-1]) * len(pool) * tests)
        if not np.isfinite(p_adjusted) or p_adjusted >= ALPHA:
            return chosen
        chosen.append((source, lag, p_adjusted))
        design = trial


def _long_run(fit: sm.regression.linear_model.RegressionResultsWrapper, own: slice, index: int,
              rng: np.random.Generator) -> tuple[float, float, np.ndarray]:
    """beta / (1 - sum phi), its standard deviation and its draws. When the own lags sum near one
    (a persistent series) the long-run multiplier is capped at 5 x beta rather than exploding."""
    params = np.asarray(fit.params)
    draws = rng.multivariate_normal(params, np.asarray(fit.cov_params()), size=DRAWS, method="svd")

    def multiplier(phi: np.ndarray) -> np.ndarray:
        return 1.0 / np.clip(1.0 - phi, 0.2, None)

    point = float(params[index] * multiplier(np.array(params[own].sum())))
    simulated = draws[:, index] * multiplier(draws[:, own].sum(axis=1))
    return point, float(simulated.std()), simulated


def fit_graph(frame: pd.DataFrame, *, seed: int = 0) -> Graph:
    """Fit every metric's drivers from a daily frame (DatetimeIndex, one column per metric,
    no gaps). Needs MIN_DAYS rows and two metrics with variation; the caller checks and says so."""
    with _ONE_BLAS_THREAD, threadpool_limits(limits=1, user_api="blas"):
        return _fit(frame, seed, time.perf_counter())


def _fit(frame: pd.DataFrame, seed: int, started: float) -> Graph:
    frame = frame.loc[:, frame.std() > 0]
    logs = _logs(frame)
    index = pd.DatetimeIndex(logs.index)
    values = {name: logs[name].to_numpy() for name in logs.columns}
    names = tuple(logs.columns)
    rng = np.random.default_rng(seed)
    edges: list[Edge] = []
    r_squared: dict[str, float] = {}
    calendar = _calendar(index)
    own = slice(calendar.shape[1], calendar.shape[1] + OWN_LAGS)
    for target in names:
        y = values[target][MAX_LAG:]
        base = np.column_stack([calendar, _own_lags(values[target])])
        candidates = {(s, lag): _lagged(values[s], lag) for s in names if s != target
                      for lag in range(1, MAX_LAG + 1)}
        chosen = _select(y, base, candidates, tests=len(names))
        design = np.column_stack([base] + [candidates[(s, lag)] for s, lag, _ in chosen])
        fit = sm.OLS(y, design).fit()
        r_squared[target] = float(max(fit.rsquared, 0.0))
        for i, (source, lag, p_value) in enumerate(chosen):
            elasticity, std_error, draws = _long_run(fit, own, base.shape[1] + i, rng)
            spread = float(np.std(values[source]) / max(np.std(values[target]), 1e-12))
            edges.append(Edge(source=source, target=target, lag_days=lag, elasticity=elasticity,
                              std_error=std_error, p_value=p_value,
                              standardized=elasticity * spread, draws=draws))
    return Graph(metrics=names, edges=tuple(edges), r_squared=r_squared, days=len(frame),
                 start=str(index[0].date()), end=str(index[-1].date()),
                 fit_seconds=time.perf_counter() - started)
