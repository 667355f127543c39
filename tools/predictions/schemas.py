"""Inputs and outputs of the forecasting tools. Every figure in an output is computed from the
tenant's data (or the series given); `None` means "not measurable here", never a guess."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import Field

from tools.crm.schemas import Pagination
from tools.schemas import OptionalId, ToolModel

MetricName = Literal["revenue", "orders", "customers", "average_order_value"]
GranularityName = Literal["day", "week", "month", "quarter"]
TrendName = Literal["up", "down", "flat"]
PredictionStatus = Literal["processing", "completed", "failed"]
CategoryName = Literal["sales", "inventory", "churn", "custom"]

METRIC_DESCRIPTION = (
    "What to forecast: revenue (paid orders' totals), orders (how many), "
    "customers (new customers: first order in the period) or average_order_value."
)
START_DESCRIPTION = (
    "First day of the expected period to forecast, e.g. the first day of next quarter. Default: today."
)
END_DESCRIPTION = "Last day of the period to forecast (inclusive). Default: 29 days after the start."
GRANULARITY_DESCRIPTION = (
    "Forecast per day, week, month or quarter. Default: per day for "
    "periods ending within 92 days, else per month."
)
CONFIDENCE_DESCRIPTION = "Confidence of the prediction intervals in percent, 50 to 99 (default 95)."


SourceId = Annotated[str, Field(min_length=1, max_length=64)]
"""An id of a data source, a campaign or a record: short, never a document."""



class ForecastPointOut(ToolModel):
    date: date
    value: float
    lower: float
    upper: float


class MethodScoreOut(ToolModel):
    method: str
    mase: float | None = Field(
        description="Mean absolute scaled error: below 1 beats the naive in-sample benchmark"
    )
    smape: float | None = Field(description="Symmetric mean absolute percentage error, percent")
    coverage: float | None = Field(description="Share (0-1) of held-out values inside its interval")
    origins: int


class BacktestOut(ToolModel):
    """The engine's rolling-origin backtest of the chosen method and its benchmarks."""

    origins: int
    horizon: int
    level: float
    method: str
    mase: float | None
    smape: float | None
    coverage: float | None
    seasonal_naive_mase: float | None
    seasonal_naive_smape: float | None
    ets_mase: float | None
    ets_smape: float | None
    beats_seasonal_naive: bool | None = Field(
        description="Whether the chosen method's backtest MASE is lower than seasonal naive's"
    )
    candidates: list[MethodScoreOut]


class AccuracyOut(ToolModel):
    score: float | None = Field(
        description="max(0, 100 - backtest sMAPE): 100 is a perfect "
        "backtest, 0 an error as large as the values"
    )
    mape: float | None = Field(
        description="Mean absolute percentage error (percent) of a holdout: "
        "the last `holdout_periods` forecast from the history before them; "
        "periods with an actual of zero are left out"
    )
    rmse: float | None = Field(
        description="Root mean squared error of the same holdout, in the metric's unit"
    )
    smape: float | None
    mase: float | None
    coverage: float | None
    holdout_periods: int | None = None
    basis: str


class ForecastOut(ToolModel):
    metric: MetricName
    customer_id: str | None = None
    customer_name: str | None = None
    granularity: GranularityName
    level: float
    method: str
    start_date: date
    end_date: date
    history_periods: int
    points: list[ForecastPointOut]
    total: float
    lower: float
    upper: float
    average_per_period: float
    trend: TrendName
    previous_total: float | None = Field(
        description="Actual total of the same number of periods just before the forecast"
    )
    previous_start: date | None
    previous_end: date | None
    change_pct: float | None = Field(description="total against previous_total, percent")
    backtest: BacktestOut
    accuracy: AccuracyOut
    notes: list[str]


class ForecastMetricInput(ToolModel):
    metric: MetricName = Field("revenue", description=METRIC_DESCRIPTION)
    start_date: date | None = Field(None, description=START_DESCRIPTION)
    end_date: date | None = Field(None, description=END_DESCRIPTION)
    granularity: GranularityName | None = Field(None, description=GRANULARITY_DESCRIPTION)
    confidence: int = Field(95, ge=50, le=99, description=CONFIDENCE_DESCRIPTION)


class CustomerForecastInput(ToolModel):
    customer_id: str = Field(
        ..., min_length=1, max_length=64, description="The customer's id (find_records turns a name into it)."
    )
    start_date: date | None = Field(None, description=START_DESCRIPTION)
    end_date: date | None = Field(
        None,
        description="Last day of the period to forecast "
        "(inclusive). Default: the end of the third month from now.",
    )
    granularity: GranularityName | None = Field(
        None,
        description="Per week, month (default) or "
        "quarter: one customer's orders are too sparse "
        "to forecast per day.",
    )
    confidence: int = Field(95, ge=50, le=99, description=CONFIDENCE_DESCRIPTION)


class TemplateOut(ToolModel):
    id: str
    category: CategoryName
    name: str
    description: str
    metric: MetricName
    granularity: GranularityName
    default_horizon: int
    predictions: int = Field(description="Predictions of this workspace made with it")


class TemplatesInput(ToolModel):
    category: CategoryName | None = Field(
        None, description="Only sales, inventory, churn or custom templates. Omit for all."
    )
    search: str | None = Field(None, max_length=100, description="Text to find in the name or description.")
    page: int = Field(1, ge=1, le=1000, description="Page number, from 1.")
    limit: int = Field(20, ge=1, le=100, description="Templates per page, 1 to 100 (default 20).")


class TemplateList(ToolModel):
    templates: list[TemplateOut]
    pagination: Pagination


class SummaryOut(ToolModel):
    total_predicted: float
    average_daily: float = Field(description="total_predicted per day of the window")
    average_per_period: float
    trend: Literal["increasing", "decreasing", "stable"]
    lower: float
    upper: float


class ResultsOut(ToolModel):
    predictions: list[ForecastPointOut]
    summary: SummaryOut


class DataSourceUse(ToolModel):
    id: str
    name: str
    orders: int = Field(description="Orders this source holds")


class PredictionOut(ToolModel):
    id: str
    template_id: str
    template_name: str
    name: str | None
    status: PredictionStatus
    parameters: dict[str, Any]
    data_source_ids: list[SourceId]
    created_at: datetime
    estimated_completion_time: datetime | None
    completed_at: datetime | None
    error: str | None
    metric: MetricName
    granularity: GranularityName | None = None
    method: str | None = None
    results: ResultsOut | None = None
    accuracy: AccuracyOut | None = None
    backtest: BacktestOut | None = None
    data_sources: list[DataSourceUse] = []
    notes: list[str] = []


class PredictionOutput(ToolModel):
    prediction: PredictionOut


class PredictionIdInput(ToolModel):
    prediction_id: str = Field(
        ...,
        min_length=1,
        max_length=64,
        description="The prediction's id, from list_predictions or create_prediction.",
    )


class ListPredictionsInput(ToolModel):
    status: PredictionStatus | None = Field(
        None, description="Only processing, completed or failed predictions."
    )
    template_id: OptionalId = Field(None, description="Only predictions of this template.")
    metric: MetricName | None = Field(
        None,
        description="Only predictions of this metric: revenue, orders, customers or average_order_value.",
    )
    page: int = Field(1, ge=1, le=100000, description="Page number, from 1.")
    limit: int = Field(20, ge=1, le=100, description="Predictions per page, 1 to 100 (default 20).")


class PredictionList(ToolModel):
    predictions: list[PredictionOut]
    pagination: Pagination


class CreatePredictionInput(ToolModel):
    template_id: str = Field(
        "template_sales_forecast",
        min_length=1,
        max_length=60,
        description="The template (prediction_templates lists them), e.g. template_sales_forecast.",
    )
    horizon: int | None = Field(
        None, ge=1, le=731, description="Periods ahead to forecast. Default: the template's."
    )
    granularity: GranularityName | None = Field(
        None, description="Per day, week, month or quarter. Default: the template's."
    )
    confidence: int = Field(95, ge=50, le=99, description=CONFIDENCE_DESCRIPTION)
    data_source_ids: list[SourceId] = Field(
        default_factory=list,
        max_length=20,
        description="Data source ids (list_data_sources), e.g. builtin_crm. Default: all.",
    )
    name: str | None = Field(None, max_length=200, description="A name for the prediction.")
    time_range: str | None = Field(
        None,
        max_length=40,
        description="Instead of horizon: next_30_days, next_month, next_quarter, next_6_months...",
    )


class PredictionCreated(ToolModel):
    id: str
    status: PredictionStatus
    estimated_completion_time: datetime
    estimate_seconds: float
    estimate_basis: str
    prediction: PredictionOut
    message: str
