"""Document 000's `ask`: a forecast question answered with the prediction, its range, the
contributing factors and the backtest.

The question is read by the assistant (the adapter passes its reading: the metric, the period, the
confidence and, for "what will Summit Outfitters spend", the customer), not by a word list here:
one model of the owner's language serves the chat, MCP and this endpoint. The reading is returned
in `understood`, so a misreading is visible.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from pydantic import Field

from core.errors import NotFound, ValidationFailed
from tools import phrasing as p
from tools.context import ToolContext
from tools.lookup import FindRecordsInput, find_records
from tools.predictions import present, records
from tools.predictions import service as svc
from tools.predictions.factors import factors
from tools.predictions.schemas import MetricName
from tools.predictions.schemas_extra import AskAnswer, AskInput, AskPrediction, Range
from tools.predictions.tools import window_of
from tools.predictions.windows import granularity_for
from tools.registry import tool
from tools.schemas import ToolModel

LABELS = {
    "revenue": "revenue",
    "orders": "orders",
    "customers": "new customers",
    "average_order_value": "average order value",
}
AMBIGUOUS_WITHIN = 5.0
"""Two customers whose match scores are this close are both plausible: the caller is asked."""


class AskReading(ToolModel):
    """What the question asks for, as the assistant read it."""

    metric: MetricName = Field("revenue", description="What to forecast")
    start_date: date | None = Field(None, description="First day of the period asked about")
    end_date: date | None = Field(None, description="Last day of the period asked about")
    confidence: int = Field(95, ge=50, le=99, description="Interval level in percent")
    customer: str | None = Field(
        None, max_length=200, description="A customer named in the question: forecast their spend"
    )
    read_as: str = Field("", max_length=300, description="The tool call the question was read as")


class AskForecastInput(AskInput):
    reading: AskReading = Field(default_factory=AskReading, description="The assistant's reading")


def _customer(ctx: ToolContext, name: str) -> tuple[str, str]:
    found = find_records(ctx, FindRecordsInput(text=name, kind="customer", limit=3)).candidates
    if not found:
        raise NotFound("customer", name)
    close = [c for c in found if c.score >= found[0].score - AMBIGUOUS_WITHIN]
    if len(close) > 1 and found[0].score < 100:
        raise ValidationFailed(
            f"Several customers match “{name}”: {', '.join(c.label for c in close)}; name one",
            details=[{"field": "question", "message": "the customer named is ambiguous"}],
        )
    return found[0].id, found[0].label


@tool(
    name="ask_forecast",
    toolset="forecasting",
    exposed=False,
    description="Answer a forecast question in words with the prediction, its range and the "
    "contributing factors computed from the series.",
)
def ask_forecast(ctx: ToolContext, args: AskForecastInput) -> AskAnswer:
    today = ctx.now.date()
    reading = args.reading
    sources = tuple(args.context.data_source_ids)
    if sources:
        records.check_sources(ctx, list(sources))
    customer_id, customer_name = _customer(ctx, reading.customer) if reading.customer else (None, None)
    metric: MetricName = "revenue" if customer_id else reading.metric
    window = window_of(reading.start_date, reading.end_date, today, today + timedelta(days=29))
    granularity = granularity_for(window, today, "month" if customer_id else None)
    w, out = svc.forecast_out(ctx.session, metric=metric, window=window, granularity=granularity,
                              level=reading.confidence / 100, customer_id=customer_id,
                              customer_name=customer_name, sources=sources)
    found = factors(w.series, w.forecast, w.points)
    per_period = metric == "average_order_value"
    lower, upper = (
        (min(x.lower for x in out.points), max(x.upper for x in out.points)) if per_period
        else (out.lower, out.upper)
    )
    value = out.average_per_period if per_period else out.total
    subject = f"{p.possessive(customer_name)} spend" if customer_name else LABELS[metric]
    answer = (f"I forecast {subject} of about {present.figure(metric, value)} for "
              f"{p.date_range(out.start_date, out.end_date)}, "
              f"with a {out.level * 100:.0f}% range of {lower:,.2f} to {upper:,.2f}.")
    bt = out.backtest
    if bt.smape is not None and bt.mase is not None:
        answer += (f" The {out.method} method was chosen by a backtest over {bt.origins} origins "
                   f"(sMAPE {bt.smape}%, MASE {bt.mase}).")
    said = [f"{f.name.lower()}: {f.impact}" for f in found if f.contribution is not None]
    if said:
        answer += " " + "; ".join(said) + "."
    understood = {"metric": metric, "period": f"{out.start_date} to {out.end_date}",
                  "confidence": f"{reading.confidence}%", "readAs": reading.read_as}
    if customer_name:
        understood["customer"] = customer_name
    return AskAnswer(
        answer=answer,
        prediction=AskPrediction(value=value, confidence=present.confidence(w.forecast.backtest),
                                 range=Range(lower=lower, upper=upper), level=out.level, metric=metric,
                                 start_date=out.start_date, end_date=out.end_date,
                                 granularity=out.granularity),
        factors=found,
        backtest=bt,
        method=out.method,
        conversation_id=args.context.conversation_id or f"conv_{uuid.uuid4().hex[:12]}",
        understood=understood,
    )
