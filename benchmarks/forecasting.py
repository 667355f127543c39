"""Forecasting speed (`python -m benchmarks.forecasting`, or `bench_forecasting()` for
`make bench`'s table):

- one `service.forecast_metric` request on two years of daily orders (monthly revenue, 24
  points, and daily revenue, 730 points): cold (series + backtest + fits) and warm (the cache:
  the series is re-read from the database and hashed, nothing is refitted), against a bare
  statsmodels ETS fit of the same series (the floor a request could reach). Warm requests and
  bare fits are timed in alternation (PAIRS of each, which goes first alternating too), so both
  see the same machine state, and the ratio is of their medians: timed apart, a bare fit on a
  busy 2-core machine swung from 3.8 ms to 164 ms between runs;
- 200 product-like series (synthetic monthly revenue with trend, seasonality and noise) forecast
  one after the other by `engine.forecast`.
"""

from __future__ import annotations

import statistics
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

END = date(2025, 1, 1)
PAIRS = 50


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _row(name: str, latencies: list[float], errors: int = 0) -> list[str]:
    seconds = sum(latencies)
    return [name, f"{len(latencies) / seconds:,.1f}/s" if seconds else "-",
            f"{statistics.median(latencies) * 1000:.1f}",
            f"{_percentile(latencies, 0.95) * 1000:.1f}", str(len(latencies)), str(errors)]


def _timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def _interleaved(a: Callable[[], object], b: Callable[[], object],
                 pairs: int) -> tuple[list[float], list[float]]:
    """`pairs` timings of each of a and b, taken in alternation (a b, b a, a b, ...) so that
    both see the same machine state and neither always runs right after the other."""
    out_a: list[float] = []
    out_b: list[float] = []
    for i in range(pairs):
        first, second = ((a, out_a), (b, out_b)) if i % 2 == 0 else ((b, out_b), (a, out_a))
        for fn, out in (first, second):
            out += _timed(fn, 1)
    return out_a, out_b


def _seed_tenant() -> str:
    from store.db import unit_of_work
    from store.models import Order, Tenant

    rng = np.random.default_rng(0)
    with unit_of_work() as session:
        tenant = Tenant(name="Forecast bench", slug=f"forecast-bench-{uuid.uuid4().hex[:8]}")
        session.add(tenant)
        session.flush()
        tenant_id = tenant.id
    with unit_of_work(tenant_id) as session:
        day0 = END - timedelta(days=730)
        for i in range(730):
            day = day0 + timedelta(days=i)
            for _ in range(int(rng.poisson(3 + 2 * (day.weekday() >= 5) + i / 365))):
                session.add(Order(total=Decimal(f"{rng.gamma(4, 20):.2f}"), ordered_at=datetime(
                    day.year, day.month, day.day, 12, tzinfo=UTC)))
    return tenant_id


def _bare_ets(series: pd.Series, m: int) -> None:
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    seasonal = "add" if len(series) >= 2 * m else None
    ETSModel(series.to_numpy(), error="add", trend="add", damped_trend=True, seasonal=seasonal,
             seasonal_periods=m if seasonal else None,
             initialization_method="heuristic").fit(disp=False).forecast(12)


def bench_service(tenant_id: str) -> list[list[str]]:
    from store.db import unit_of_work
    from tools.forecasting import service
    from tools.forecasting.series import metric_series
    from tools.forecasting.types import Granularity

    rows = []
    cases: list[tuple[Granularity, int, int]] = [("month", 6, 12), ("day", 30, 7)]
    for granularity, horizon, m in cases:
        with unit_of_work(tenant_id) as session:
            series = metric_series(session, metric="revenue", granularity=granularity, end=END)

            def request(s: Session = session, g: Granularity = granularity,
                        h: int = horizon) -> object:
                return service.forecast_metric(s, metric="revenue", granularity=g, horizon=h,
                                               end=END)

            cold = []
            for _ in range(3):
                service.CACHE.clear()
                cold += _timed(request, 1)
            warm, bare = _interleaved(  # the last cold request filled the cache
                request, lambda s=series, m=m: _bare_ets(s, m), PAIRS)  # type: ignore[misc]
        adjective = "daily" if granularity == "day" else f"{granularity}ly"
        label = f"{adjective} revenue ({len(series)} pts, h={horizon})"
        ratio = statistics.median(warm) / statistics.median(bare)
        rows += [_row(f"forecast_metric cold, {label}", cold),
                 _row(f"forecast_metric warm (cached), {label}: {ratio:.2f}x bare ETS (p50s, "
                      "interleaved)", warm),
                 _row(f"bare statsmodels ETS fit, {label}", bare)]
    return rows


def bench_many(count: int = 200) -> list[str]:
    from tools.forecasting import engine

    rng = np.random.default_rng(1)
    latencies, errors = [], 0
    for i in range(count):
        n = int(rng.integers(24, 61))
        t = np.arange(n)
        y = (1000 + rng.normal(5, 5) * t) * (1 + 0.2 * np.sin(2 * np.pi * t / 12 + i)) \
            + rng.normal(0, 60, n)
        s = pd.Series(np.maximum(y, 0), index=pd.date_range("2020-01-01", periods=n, freq="MS"))
        start = time.perf_counter()
        try:
            engine.forecast(s, horizon=6, granularity="month")
        except Exception:
            errors += 1
        latencies.append(time.perf_counter() - start)
    return _row(f"engine.forecast x{count} monthly series (24-60 pts, h=6)", latencies, errors)


def bench_forecasting() -> list[list[str]]:
    """Rows for benchmarks/run.py's table, on a throwaway SQLite database, with BLAS limited as
    the server and the job worker limit it at start (core.threads)."""
    from core.env import settings_env
    from core.threads import limit_blas_threads
    from store.migrate import upgrade

    warnings.simplefilter("ignore")
    limit_blas_threads()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'forecast.db'}"
        with settings_env(DATABASE_URL=url):
            upgrade(url)
            rows = bench_service(_seed_tenant())
            rows.append(bench_many())
    return rows


if __name__ == "__main__":
    header = ["benchmark", "throughput", "p50 ms", "p95 ms", "requests", "errors"]
    table = bench_forecasting()
    widths = [max(len(str(r[i])) for r in [header, *table]) for i in range(len(header))]
    for r in [header, ["-" * w for w in widths], *table]:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))
