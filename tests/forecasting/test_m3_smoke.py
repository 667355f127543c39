"""The M3 evaluation runs end to end on a few fixed series and its figures are sane (never a
tuned score: the full run is `python -m evals.forecasting`)."""

from __future__ import annotations

import math

from evals import forecasting as ev


def test_m3_evaluation_runs_on_a_few_series() -> None:
    items = ev.load(limit=5)
    assert len(items) == 10 and {i[1] for i in items} == {"monthly", "quarterly"}
    assert all(i[2] in ev.CATEGORIES for i in items)
    results = [ev.evaluate_one(i) for i in items]
    assert all(r.error is None for r in results), [r.error for r in results]
    summary = ev.summarise(results)
    for frequency in ("monthly", "quarterly"):
        s = summary[frequency]
        assert s["series"] == 5
        for k in ("product", "seasonal_naive", "naive2", "ets"):
            assert 0 < s["mase"][k] < 20 and 0 < s["smape"][k] < 200
            assert math.isfinite(s["mase"][k])
        assert 0.3 <= s["coverage95"] <= 1.0
        assert 0 <= s["product_beats_snaive"] <= 1
    assert "MASE" in ev.format_summary(summary, "test")
