"""What a forecast is, shared by the engine (tools.forecasting.engine) and everything that serves
it (tools, REST, the assistant). Every figure here is computed: the backtest's errors, the
interval's calibration, the trend."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from core.errors import AppError

Granularity = Literal["day", "week", "month", "quarter"]
Trend = Literal["up", "down", "flat"]


class InsufficientHistory(AppError):
    """Too little history to forecast (or to backtest) honestly: the message says how much
    there is and how much is needed, instead of a made-up number."""

    status_code = 422
    code = "INSUFFICIENT_DATA"


@dataclass(frozen=True)
class ForecastPoint:
    date: date
    """The start of the period (the day, the Monday, the first of the month or quarter)."""
    value: float
    lower: float
    upper: float


@dataclass(frozen=True)
class MethodScore:
    """One method's rolling-origin backtest on the series itself."""

    method: str
    mase: float | None
    smape: float | None
    """In percent, 0-200."""
    coverage: float | None
    """Share of held-out values inside the method's calibrated interval, 0-1."""
    origins: int


@dataclass(frozen=True)
class Backtest:
    origins: int
    horizon: int
    level: float
    chosen: MethodScore
    seasonal_naive: MethodScore
    ets: MethodScore | None
    candidates: list[MethodScore] = field(default_factory=list)


@dataclass(frozen=True)
class Forecast:
    method: str
    """The method used: a candidate's name, or "combination(a+b)"."""
    granularity: Granularity
    season_length: int
    level: float
    history: int
    """How many periods of history the fit used."""
    points: list[ForecastPoint]
    backtest: Backtest
    trend: Trend
    """From the forecast's total against the last equally long stretch of history, "flat" when
    the change is inside the interval's width."""
    total: float
    """Sum of the point forecasts over the horizon."""
    total_lower: float
    total_upper: float
    notes: list[str] = field(default_factory=list)
    """Plain statements about the fit: gaps filled, partial periods dropped, a method that failed."""
