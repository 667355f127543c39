"""How owners ask for forecasts and predictions, and how the answers are said: the forecast, its
interval and its backtest in plain words, every figure taken from the tool's output.

Routing between the close ones: `forecast_metric` answers at once ("what will revenue be next
quarter", "how sure are you"); `create_prediction` records a template's prediction to compute in
the background; `get_prediction` / `list_predictions` read those records back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tools import phrasing as p
from tools.language import ToolLanguage, declare, read_examples
from tools.predictions.present import figure
from tools.predictions.schemas import (
    BacktestOut,
    ForecastOut,
    PredictionCreated,
    PredictionList,
    PredictionOut,
    PredictionOutput,
    TemplateList,
)

EXAMPLES = read_examples(Path(__file__).with_name("examples.txt"))

LABELS = {
    "revenue": "Revenue",
    "orders": "Orders",
    "customers": "New customers",
    "average_order_value": "Average order value",
}
UNITS = {
    "day": ("day", "days"),
    "week": ("week", "weeks"),
    "month": ("month", "months"),
    "quarter": ("quarter", "quarters"),
}
METRIC_SYNONYMS = {
    "revenue": ("revenue", "sales", "income", "turnover", "takings", "spend", "to bank", "we bank",
                "take in", "bring in", "money in"),
    "orders": ("orders", "order volume", "demand", "order count", "number of orders"),
    "customers": ("customers", "new customers", "new buyers", "first-time buyers", "new clients"),
    "average_order_value": ("average order value", "aov", "basket size", "order value", "average basket",
                            "avg basket", "average spend per order", "typical order"),
}
GRANULARITY_SYNONYMS = {
    "day": ("daily", "per day", "by day", "each day", "day by day"),
    "week": ("weekly", "per week", "by week", "each week", "week by week"),
    "month": ("monthly", "per month", "by month", "each month", "month by month"),
    "quarter": ("quarterly", "per quarter", "by quarter", "each quarter", "quarter by quarter"),
}
STATUS_SYNONYMS = {
    "processing": ("processing", "running", "pending", "in progress", "not ready", "being worked on",
                   "still working", "not finished", "not done"),
    "completed": ("completed", "done", "finished", "ready"),
    "failed": ("failed", "errored", "broken", "unsuccessful", "fail", "failing"),
}
_TEMPLATE_NAMES = {
    "template_sales_forecast": ("sales forecast", "sales", "daily revenue"),
    "template_weekly_revenue": ("weekly revenue", "weekly sales"),
    "template_monthly_revenue": ("monthly revenue", "monthly sales"),
    "template_quarterly_revenue": ("quarterly revenue", "quarterly sales"),
    "template_average_order_value": ("average order value", "aov"),
    "template_order_volume": ("order volume", "daily orders", "demand"),
    "template_weekly_demand": ("weekly demand", "weekly orders"),
    "template_new_customers": ("new customers", "new customer"),
    "template_weekly_new_customers": ("weekly new customers", "weekly new customer"),
}
TEMPLATE_SYNONYMS = {
    template: tuple(f"{name} {noun}" for name in names
                    for noun in ("prediction", "template", "forecast template", "one"))
    for template, names in _TEMPLATE_NAMES.items()
}
"""create_prediction's template, by the name of the forecast it makes followed by "prediction" or
"template" ("a weekly revenue prediction"): the name alone ("weekly revenue") asks for figures,
not for a prediction to be started."""
CATEGORY_SYNONYMS = {
    "sales": ("sales", "revenue"),
    "inventory": ("inventory", "demand", "stock"),
    "churn": ("churn", "retention", "attrition", "churn related"),
    "custom": ("custom", "other"),
}


PERIODS_AHEAD = re.compile(r"\b(?P<n>\d{1,3})\s+(?:periods?|steps?)\s+(?:ahead|out|forward)\b", re.I)
UNITS_AHEAD = re.compile(r"\b(?P<n>\d{1,3})\s+(?P<unit>day|week|month|quarter)s?\s+(?:ahead|out|forward)\b",
                         re.I)
"""How far in the prediction's own steps: "12 weeks ahead, in weekly steps" is a horizon of 12."""
NEXT_RANGE = re.compile(r"\b(?:for|over|across|covering)\s+(?:the\s+)?next[\s_]+(?:(?P<n>\d{1,3})[\s_]+)?"
                        r"(?P<unit>days?|weeks?|months?|quarters?|years?)\b", re.I)


PER_UNIT = re.compile(r"\b(?:(day|week|month|quarter) by \1|(?:per|each|by) (day|week|month|quarter)"
                      r"|(dai|week|month|quarter)ly)\b")
"""A granularity said as "week by week", "per week" or "weekly"."""


def _units_per(text: str) -> list[str]:
    return [("day" if u == "dai" else u) for found in PER_UNIT.findall(text.lower()) for u in found if u]


def _how_far(text: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """How far a new prediction looks: "6 periods ahead" is its horizon; "for next quarter" or
    "over the next 90 days" its time range (next_quarter, next_90_days), which the tool turns
    into dates."""
    ahead = PERIODS_AHEAD.search(text)
    if ahead is not None:
        return {"horizon": int(ahead.group("n"))}
    steps = UNITS_AHEAD.search(text)
    if steps is not None and steps.group("unit").lower() in (args.get("granularity"), *_units_per(text)):
        return {"horizon": int(steps.group("n"))}
    said = NEXT_RANGE.search(text)
    if said is None or args.get("horizon"):
        return {}
    unit = said.group("unit").lower().rstrip("s")
    n = said.group("n")
    span = f"next_{unit}" if n is None else f"next_{int(n)}_{unit}s" if unit in ("day", "month") else None
    if span is None:
        return {}
    # "for next quarter" says how far, not per what: the template's own granularity stays, or the
    # one said otherwise ("for the next quarter, broken down week by week")
    per = _units_per(text)
    if args.get("granularity") != unit or unit in per:
        return {"time_range": span}
    return {"time_range": span, "granularity": next((g for g in per if g != unit), None)}


def periods(granularity: str, n: int) -> str:
    one, many = UNITS.get(granularity, (granularity, granularity + "s"))
    return f"{p.count(n)} {one if n == 1 else many}"


def backtest_words(bt: BacktestOut, level: float) -> str:
    """The backtest in plain words: what was compared, on how many origins, and who won."""
    if bt.origins == 0 or bt.mase is None:
        return f"The {bt.method} method was used; the history was too short to backtest it."
    text = (
        f"The {bt.method} method was chosen by a backtest over {p.plural(bt.origins, 'origin')}: "
        f"MASE {bt.mase}"
    )
    if bt.smape is not None:
        text += f", sMAPE {p.percent(bt.smape)}"
    if bt.seasonal_naive_mase is not None:
        verdict = "better than" if bt.beats_seasonal_naive else "no better than"
        text += f", {verdict} seasonal naive (MASE {bt.seasonal_naive_mase})"
    text += "."
    if bt.coverage is not None:
        text += (
            f" Its {level * 100:.0f}% intervals held {p.ratio_percent(bt.coverage)} of the "
            "actual values in that backtest."
        )
    return text


def forecast_words(out: ForecastOut, args: Mapping[str, Any]) -> str:
    what = f"{out.customer_name}'s spend" if out.customer_name else LABELS[out.metric]
    dates = p.date_range(out.start_date, out.end_date)
    if out.metric == "average_order_value":
        head = (
            f"{what} for {dates} is forecast at {figure(out.metric, out.average_per_period)} per "
            f"{UNITS[out.granularity][0]}"
        )
    else:
        head = (
            f"{what} for {dates} is forecast at {figure(out.metric, out.total)} "
            f"({out.level * 100:.0f}% range {figure(out.metric, out.lower)} to "
            f"{figure(out.metric, out.upper)})"
        )
    text = head + "."
    if out.change_pct is not None and out.previous_total is not None:
        text += (
            f" That is {p.change_phrase(out.change_pct)} on the previous "
            f"{periods(out.granularity, len(out.points))} ({figure(out.metric, out.previous_total)})."
        )
    text += " " + backtest_words(out.backtest, out.level)
    if out.accuracy.score is not None:
        text += f" Accuracy score: {out.accuracy.score} out of 100."
    return text


def prediction_line(x: PredictionOut) -> str:
    text = f"{x.template_name} ({x.id}): {x.status}"
    if x.results is not None:
        text += (
            f", {figure(x.metric, x.results.summary.total_predicted)} predicted, {x.results.summary.trend}"
        )
    if x.accuracy is not None and x.accuracy.score is not None:
        text += f", accuracy score {x.accuracy.score}"
    if x.status == "failed" and x.error:
        text += f" — {x.error}"
    return text


def _prediction(out: PredictionOutput, args: Mapping[str, Any]) -> str:
    x = out.prediction
    if x.status == "processing":
        due = (
            f" It should be ready by {p.day(x.estimated_completion_time)}."
            if x.estimated_completion_time
            else ""
        )
        return f"The {x.template_name} prediction is still processing.{due}"
    if x.status == "failed" or x.results is None:
        return f"The {x.template_name} prediction failed: {x.error or 'no reason recorded'}."
    s = x.results.summary
    text = (
        f"The {x.template_name} prediction is ready: {figure(x.metric, s.total_predicted)} in total over "
        f"{periods(x.granularity or 'day', len(x.results.predictions))}, range "
        f"{figure(x.metric, s.lower)} to {figure(x.metric, s.upper)}, trend {s.trend}."
    )
    if x.backtest is not None:
        text += " " + backtest_words(x.backtest, x.backtest.level)
    if x.accuracy is not None and x.accuracy.mape is not None:
        text += f" On a holdout its MAPE was {p.percent(x.accuracy.mape)}."
    return text


def _predictions(out: PredictionList, args: Mapping[str, Any]) -> str:
    total = out.pagination.total
    if not total:
        return (
            "There are no predictions"
            + (" matching that" if args.get("status") or args.get("template_id") else " yet")
            + "."
        )
    head = f"There {p.is_are(total)} {p.plural(total, 'prediction')}."
    return f"{head} {p.listing([prediction_line(x) for x in out.predictions], total, 'newest')}"


def _created(out: PredictionCreated, args: Mapping[str, Any]) -> str:
    return (
        f"{out.message} Its id is {out.id}; I'll have the result by {p.day(out.estimated_completion_time)} "
        f"(estimate: {out.estimate_basis})."
    )


def _templates(out: TemplateList, args: Mapping[str, Any]) -> str:
    total = out.pagination.total
    if not total:
        return "No prediction template matches that."
    lines = [f"{t.name} ({t.id}): {t.description}" for t in out.templates]
    return f"There {p.is_are(total)} {p.plural(total, 'prediction template')}.\n" + p.bullets(
        lines[: p.LIST_LIMIT]
    )


declare(
    "forecast_metric",
    ToolLanguage(
        examples=EXAMPLES["forecast_metric"],
        phrase=p.typed(ForecastOut, forecast_words),
        synonyms={"metric": METRIC_SYNONYMS, "granularity": GRANULARITY_SYNONYMS},
        looks_ahead=True,
    ),
)

declare(
    "forecast_customer_spend",
    ToolLanguage(
        examples=EXAMPLES["forecast_customer_spend"],
        phrase=p.typed(ForecastOut, forecast_words),
        synonyms={"granularity": GRANULARITY_SYNONYMS},
        references={"customer_id": "customer"},
        questions={"customer_id": "Which customer's spend should I forecast?"},
        looks_ahead=True,
    ),
)

declare(
    "prediction_templates",
    ToolLanguage(
        examples=EXAMPLES["prediction_templates"],
        phrase=p.typed(TemplateList, _templates),
        synonyms={"category": CATEGORY_SYNONYMS},
    ),
)

declare(
    "create_prediction",
    ToolLanguage(
        examples=EXAMPLES["create_prediction"],
        phrase=p.typed(PredictionCreated, _created),
        synonyms={"granularity": GRANULARITY_SYNONYMS, "template_id": TEMPLATE_SYNONYMS},
        read=_how_far,
    ),
)

declare(
    "list_predictions",
    ToolLanguage(
        examples=EXAMPLES["list_predictions"],
        phrase=p.typed(PredictionList, _predictions),
        synonyms={"status": STATUS_SYNONYMS, "metric": METRIC_SYNONYMS},
    ),
)

declare(
    "get_prediction",
    ToolLanguage(
        examples=EXAMPLES["get_prediction"],
        phrase=p.typed(PredictionOutput, _prediction),
        questions={"prediction_id": "Which prediction (its id from the list of predictions)?"},
    ),
)
