"""A Forecast (tools.forecasting.types) in the shapes the tools and documents print.

Only arithmetic on the engine's figures happens here: the accuracy score is defined as
max(0, 100 - sMAPE of the chosen method's backtest), a bounded reading of the same error the
backtest measured; trend words map the engine's up/down/flat.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from tools import phrasing
from tools.forecasting.types import Backtest, Forecast, ForecastPoint, MethodScore
from tools.predictions.schemas import (
    AccuracyOut,
    BacktestOut,
    ForecastPointOut,
    MethodScoreOut,
    ResultsOut,
    SummaryOut,
)

TREND_WORDS = {"up": "increasing", "down": "decreasing", "flat": "stable"}
SCORE_BASIS = (
    "score = max(0, 100 - sMAPE) of the chosen method's rolling-origin backtest; MAPE "
    "and RMSE from a holdout of the last periods"
)


def r(value: float | None, digits: int = 2) -> float | None:
    """Rounded, with NaN and infinities as None (JSON has no NaN)."""
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits)


def num(value: float, digits: int = 2) -> float:
    rounded = r(value, digits)
    return 0.0 if rounded is None else rounded


def figure(metric: str, value: float) -> str:
    """A figure as the answers say it: money for revenue and order value, a count otherwise."""
    return phrasing.money(value) if metric in ("revenue", "average_order_value") else f"{value:,.0f}"


def point(p: ForecastPoint) -> ForecastPointOut:
    return ForecastPointOut(date=p.date, value=num(p.value), lower=num(p.lower), upper=num(p.upper))


def method_score(m: MethodScore) -> MethodScoreOut:
    return MethodScoreOut(
        method=m.method, mase=r(m.mase, 3), smape=r(m.smape), coverage=r(m.coverage, 3), origins=m.origins
    )


def beats(b: Backtest) -> bool | None:
    if b.chosen.mase is None or b.seasonal_naive.mase is None:
        return None
    return b.chosen.mase < b.seasonal_naive.mase


def backtest(b: Backtest) -> BacktestOut:
    return BacktestOut(
        origins=b.origins,
        horizon=b.horizon,
        level=b.level,
        method=b.chosen.method,
        mase=r(b.chosen.mase, 3),
        smape=r(b.chosen.smape),
        coverage=r(b.chosen.coverage, 3),
        seasonal_naive_mase=r(b.seasonal_naive.mase, 3),
        seasonal_naive_smape=r(b.seasonal_naive.smape),
        ets_mase=r(b.ets.mase, 3) if b.ets else None,
        ets_smape=r(b.ets.smape) if b.ets else None,
        beats_seasonal_naive=beats(b),
        candidates=[method_score(c) for c in b.candidates],
    )


def score(smape: float | None) -> float | None:
    """The accuracy score in percent: max(0, 100 - sMAPE)."""
    value = r(smape)
    return None if value is None else round(max(0.0, 100.0 - value), 1)


def accuracy(
    b: Backtest,
    mape: float | None = None,
    rmse: float | None = None,
    holdout_periods: int | None = None,
    basis: str | None = None,
) -> AccuracyOut:
    return AccuracyOut(
        score=score(b.chosen.smape),
        mape=r(mape),
        rmse=r(rmse),
        smape=r(b.chosen.smape),
        mase=r(b.chosen.mase, 3),
        coverage=r(b.chosen.coverage, 3),
        holdout_periods=holdout_periods,
        basis=basis
        or ("score = max(0, 100 - sMAPE) of the chosen method's rolling-origin backtest; no holdout was run"),
    )


def window_days(points: list[ForecastPointOut], granularity: str) -> int:
    """Days the points cover: from the first period start to the end of the last period."""
    if not points:
        return 0
    last = points[-1].date
    end = {"day": last + timedelta(days=1), "week": last + timedelta(days=7)}.get(granularity)
    if end is None:
        months = 1 if granularity == "month" else 3
        year, month = divmod(last.month - 1 + months, 12)
        end = date(last.year + year, month + 1, 1)
    return (end - points[0].date).days


def results(
    points: list[ForecastPointOut], total: float, lower: float, upper: float, trend: str, granularity: str
) -> ResultsOut:
    """000's `results`: the points and `summary{totalPredicted, averageDaily, trend}`."""
    days = window_days(points, granularity) or 1
    return ResultsOut(
        predictions=points,
        summary=SummaryOut(
            total_predicted=num(total),
            average_daily=num(total / days),
            average_per_period=num(total / max(len(points), 1)),
            trend=TREND_WORDS.get(trend, "stable"),  # type: ignore[arg-type]
            lower=num(lower),
            upper=num(upper),
        ),
    )


def confidence(b: Backtest) -> float | None:
    """001's `confidence` (0-1): the accuracy score as a ratio, max(0, 1 - sMAPE/100)."""
    value = score(b.chosen.smape)
    return None if value is None else round(value / 100, 3)


def in_window(fc: Forecast, start: date, end: date) -> list[ForecastPoint]:
    return [p for p in fc.points if start <= p.date <= end or (p.date < start and _covers(p, start, fc))]


def _covers(p: ForecastPoint, day: date, fc: Forecast) -> bool:
    """Whether a period that starts before `day` contains it (a month that began before today)."""
    nxt = [q.date for q in fc.points if q.date > p.date]
    return bool(nxt) and nxt[0] > day and fc.granularity != "day"


def confidence_of(smape: float | None) -> float | None:
    """max(0, 1 - sMAPE/100), from an already rounded sMAPE."""
    value = score(smape)
    return None if value is None else round(value / 100, 3)
