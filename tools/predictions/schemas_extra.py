"""Inputs and outputs of the REST-only forecasting capabilities: 000's overview, accuracy,
training and ask; 001's revenue prediction; 003's campaign forecast; 004's workspace forecast;
the insights hub's forecasts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from tools.predictions.schemas import (
    AccuracyOut,
    BacktestOut,
    ForecastOut,
    ForecastPointOut,
    GranularityName,
    MetricName,
    PredictionStatus,
    SourceId,
)
from tools.schemas import OptionalId, ToolModel, small_json

Impact = Literal["positive", "negative", "neutral"]


class OverviewInput(ToolModel):
    """No arguments: the overview covers the whole workspace."""


class RecentPrediction(ToolModel):
    id: str
    template_id: str
    template_name: str
    status: PredictionStatus
    accuracy: float | None = Field(description="The prediction's accuracy score (percent)")
    created_at: datetime


class TemplateUse(ToolModel):
    template_id: str
    template_name: str
    predictions: int


class Overview(ToolModel):
    active_predictions: int = Field(description="Predictions still processing")
    predictions: dict[str, int] = Field(description="Count per status")
    total_predictions: int
    data_sources: int
    average_accuracy: float | None = Field(
        description="Mean accuracy score of the model runs measured, percent; null when none ran"
    )
    measured_runs: int
    recent_predictions: list[RecentPrediction]
    templates_in_use: list[TemplateUse]
    message: str | None


class AccuracyInput(ToolModel):
    template_id: OptionalId = Field(None, description="Only this template's runs.")
    start_date: date | None = Field(None, description="Runs on or after this day.")
    end_date: date | None = Field(None, description="Runs on or before this day.")


class RunOut(ToolModel):
    id: str
    template_id: str | None
    template_name: str | None
    created_at: datetime
    method: str | None
    score: float | None
    mape: float | None
    rmse: float | None
    smape: float | None
    mase: float | None
    coverage: float | None
    beats_seasonal_naive: bool | None
    prediction_id: str | None
    data_version: str | None


class TemplateAccuracy(ToolModel):
    template_id: str
    template_name: str
    runs: int
    average_score: float | None
    average_mape: float | None
    latest: RunOut


class AccuracyReport(ToolModel):
    template_id: str | None
    start_date: date | None
    end_date: date | None
    runs: list[RunOut]
    by_template: list[TemplateAccuracy]
    total_runs: int
    average_score: float | None
    message: str | None
    score_definition: str


class TrainInput(ToolModel):
    template_id: str = Field(..., min_length=1, max_length=60)
    data_source_ids: list[SourceId] = Field(default_factory=list, max_length=20)
    training_config: dict[str, Any] = Field(default_factory=dict)

    @field_validator("training_config")
    @classmethod
    def _small(cls, value: dict[str, Any]) -> dict[str, Any]:
        return small_json(value)


class TrainResult(ToolModel):
    model_run: RunOut
    granularity: GranularityName
    horizon: int
    history_periods: int
    backtest: BacktestOut
    accuracy: AccuracyOut
    message: str
    notes: list[str]


class AskContext(ToolModel):
    data_source_ids: list[str] = Field(default_factory=list, max_length=20)
    conversation_id: str | None = Field(None, max_length=100)


class AskInput(ToolModel):
    question: str = Field(..., min_length=1, max_length=1000)
    context: AskContext = Field(default_factory=AskContext)


class Range(ToolModel):
    lower: float
    upper: float


class AskPrediction(ToolModel):
    value: float
    confidence: float | None = Field(description="max(0, 1 - backtest sMAPE/100)")
    range: Range
    level: float
    metric: MetricName
    start_date: date
    end_date: date
    granularity: GranularityName


class Factor(ToolModel):
    name: str
    impact: Impact
    contribution: float | None = Field(
        description="Share (0-1) of the predicted change against "
        "the last equally long stretch; null for context figures"
    )
    effect: float | None = Field(
        description="In the metric's unit (seasonal pattern, trend) or percent (recent growth)"
    )
    detail: str


class AskAnswer(ToolModel):
    answer: str
    prediction: AskPrediction
    factors: list[Factor]
    backtest: BacktestOut
    method: str
    conversation_id: str
    understood: dict[str, str]


class HistoricalPoint(ToolModel):
    """One period of `historicalData`: its date (month, date, week, quarter or period) and
    its value (revenue, value or amount)."""

    period: date
    value: float

    @model_validator(mode="before")
    @classmethod
    def _spellings(cls, raw: Any) -> Any:
        if not isinstance(raw, dict):
            return raw
        when = next(
            (raw[k] for k in ("period", "date", "month", "week", "quarter", "day") if raw.get(k)), None
        )
        value = next(
            (raw[k] for k in ("value", "revenue", "amount", "total") if raw.get(k) is not None), None
        )
        if isinstance(when, str) and len(when) == 7:
            when = f"{when}-01"  # "2025-10": the month's first day
        return {"period": when, "value": value}


class DateRange(ToolModel):
    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> DateRange:
        if self.end < self.start:
            raise ValueError("end must be on or after start")
        return self


class RevenueInput(ToolModel):
    date_range: DateRange | None = None
    historical_data: list[HistoricalPoint] = Field(default_factory=list, max_length=5000)
    granularity: GranularityName | None = None
    confidence_level: float = Field(0.95, gt=0.5, lt=1.0)


class Breakdown(ToolModel):
    recurring: float
    new_sales: float
    recurring_share: float
    basis: str


class RevenuePrediction(ToolModel):
    amount: float
    confidence: float | None
    trend: Literal["increasing", "decreasing", "stable"]
    range: Range
    level: float
    breakdown: Breakdown | None


class RevenueAnswer(ToolModel):
    prediction: RevenuePrediction
    insights: list[str]
    forecast: list[ForecastPointOut]
    backtest: BacktestOut
    method: str
    granularity: GranularityName
    source: Literal["historicalData", "orders"]
    date_range: DateRange
    history_periods: int
    notes: list[str]


class HubForecastInput(ToolModel):
    type: MetricName = "revenue"
    horizon: int = Field(30, ge=1, le=730)


class HistoryPoint(ToolModel):
    date: date
    value: float


class HubForecast(ForecastOut):
    type: MetricName
    horizon_days: int
    history: list[HistoryPoint]


class CampaignForecastInput(ToolModel):
    campaign_ids: list[int] = Field(default_factory=list, max_length=100)
    days_ahead: int = Field(30, ge=1, le=365)
    campaign_id: int | None = None
    type: str | None = Field(None, max_length=40)


class CampaignForecast(ToolModel):
    forecasts: list[dict[str, Any]]
    predictions: list[dict[str, Any]]
    campaign_ids: list[int | str]
    days_ahead: int
    campaigns_with_metrics: int
    message: str


class PipelineMonth(ToolModel):
    month: str
    deals: int
    value: float
    weighted_value: float


class PipelineForecast(ToolModel):
    open_deals: int
    total_value: float
    weighted_value: float = Field(description="Sum of value x probability of the open deals")
    by_month: list[PipelineMonth]
    without_close_date: int


class WorkspaceForecastInput(ToolModel):
    months: int = Field(3, ge=1, le=24)


class WorkspaceForecast(ToolModel):
    workspace_id: str
    months: int
    revenue: ForecastOut | None
    revenue_unavailable: str | None
    pipeline: PipelineForecast
