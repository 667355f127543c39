"""How the `ask` route has a question read: by the assistant's own model (agent.nlu.reading), as
a call to the forecast tools, then handed to the ask tool as typed fields. The agent package is
imported on first use: it trains (or loads) the language model, which a process serving no
question should not pay for."""

from __future__ import annotations

from datetime import date

from core.errors import ValidationFailed
from tools.predictions.ask import AskReading

ASK_TOOLS = ("forecast_metric", "forecast_customer_spend")
MIN_LEVEL, MAX_LEVEL = 50, 99


def read_question(question: str, today: date) -> AskReading:
    from agent.nlu.reading import read_as

    reading = read_as(question, ASK_TOOLS, today)
    if reading.outside is not None:
        raise ValidationFailed(
            "That is not a question about the future of this business's data: ask what revenue, "
            "orders, new customers or the average order value will be, or what a customer will spend",
            details=[{"field": "question", "message": "not a forecast question"}],
        )
    args = reading.args
    level = int(args.get("confidence") or 95)
    customer = reading.references.get("customer_id") if reading.tool == "forecast_customer_spend" else None
    return AskReading(
        metric=args.get("metric") or "revenue",
        start_date=args.get("start_date"),
        end_date=args.get("end_date"),
        confidence=min(max(level, MIN_LEVEL), MAX_LEVEL),
        customer=customer,
        read_as=reading.describe()[:300],
    )
