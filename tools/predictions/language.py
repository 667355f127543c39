"""How owners ask for forecasts and predictions, and how the answers are said: the forecast, its
interval and its backtest in plain words, every figure taken from the tool's output.

Routing between the close ones: `forecast_metric` answers at once ("what will revenue be next
quarter", "how sure are you"); `create_prediction` records a template's prediction to compute in
the background; `get_prediction` / `list_predictions` read those records back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tools import phrasing as p
from tools.language import ToolLanguage, declare
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
    "revenue": ("revenue", "sales", "income", "turnover", "takings", "spend"),
    "orders": ("orders", "order volume", "demand", "order count", "number of orders"),
    "customers": ("customers", "new customers", "new buyers", "first-time buyers", "new clients"),
    "average_order_value": ("average order value", "aov", "basket size", "order value"),
}
GRANULARITY_SYNONYMS = {
    "day": ("daily", "per day", "by day", "each day"),
    "week": ("weekly", "per week", "by week", "each week"),
    "month": ("monthly", "per month", "by month", "each month"),
    "quarter": ("quarterly", "per quarter", "by quarter", "each quarter"),
}
STATUS_SYNONYMS = {
    "processing": ("processing", "running", "pending", "in progress", "not ready"),
    "completed": ("completed", "done", "finished", "ready"),
    "failed": ("failed", "errored", "broken", "unsuccessful"),
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
    "churn": ("churn", "retention", "attrition"),
    "custom": ("custom", "other"),
}


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
        examples=(
            "what will revenue be next quarter",
            "forecast orders for the next 30 days",
            "how sure are you",
            "forecast next month's revenue",
            "predict our revenue for next quarter",
            "what will sales be next year",
            "how much will we make in december",
            "how many orders will we get next week",
            "how many new customers will we get next month",
            "average order value forecast for the coming month",
            "how confident is that forecast",
            "what's the range on that prediction",
            "sales forecast",
            "wil revenue go up next month?",
            "project turnover for the next 90 days",
            "expected demand over the next 2 weeks",
        "predict revenue for december",
            "forcast revenue for q1",
            "q3 revenue projection pls",
            "projection for january",
            "weekly revenue forecast for the next 8 weeks",
            "how many orders should i expect over the next 3 months, month by month",
            "i'm worried sales will dip over the summer, what does the forecast say",
            "what's the outlook for takings over the next 6 months",
            "expected basket size per week for the next two months",
            "give me an 80% confidence forecast of income for next quarter",
            "REVENUE FORECAST NEXT 12 MONTHS",
            "will next quarter be better than this one for sales?",
            "how many first-time buyers can we expect over the next 90 days",
            "how much can i trust that projection",
        ),
        phrase=p.typed(ForecastOut, forecast_words),
        synonyms={"metric": METRIC_SYNONYMS, "granularity": GRANULARITY_SYNONYMS},
        looks_ahead=True,
    ),
)

declare(
    "forecast_customer_spend",
    ToolLanguage(
        examples=(
            "forecast Summit Outfitters' spend",
            "how much will Acme spend next quarter",
            "predict what Jane Smith will buy next month",
            "expected spend from Northwind over the next 90 days",
            "customer spend forecast for Harbor Bikes",
            "will Blue Sun order more next quarter?",
            "forecast revenue from Tern Studio",
            "how much is Wren Halloway likely to spend",
            "projected purchases of Globex this year",
            "spend forecast for this customer",
            "weekly spend projection for Ivan Garcia",
            "how much is Emma Nguyen going to buy by quarter",
            "how much do you think Leila Martin will spend with us over the next 6 months?",
            "forcast spend for Bluebird Bakery",
            "Dana Whitfield projected spend q3",
            "expected revenue from Kofi Mensah next quarter",
            "predict how much Copperleaf will order for the rest of the year",
            "is Tidewater Cafe going to spend more or less in the coming months?",
            "monthly spend outlook for customer Rosa Delgado",
            "next 3 months spend forecast: Marcus Bell",
            "i need to plan stock for Oakridge Dental, how much will they likely buy next month",
            "Hugo Lambert - future spend?",
            "estimate what Priya Raman will order over the next 12 weeks, week by week",
            "customer-level forecast for Harbor Bikes per quarter",
            "how much should we expect from Sara Lindqvist by the end of the year",
            "will Tom Reyes' spending go up or down next quarter",
            "project Noor Aziz's purchases for january",
            "spend forecast for customer id 7c1e2b90",
            "with 90% confidence, how much will Ellis Grant spend next month",
        ),
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
        examples=(
            "what prediction templates are there",
            "list forecast templates",
            "which predictions can you run",
            "show sales forecasting templates",
            "inventory prediction templates",
            "what kinds of forecasts are available",
            "templates for churn predictions",
            "available forecast models",
            "show me the prediction catalog",
            "prediction templats",
            "what can you forecast for me?",
            "which metrics can i get predictions for",
            "is there a template for new customers",
            "search the templates for order volume",
            "custom prediction templates",
            "what forecast options do i have",
            "list every template and how far ahead each one predicts",
            "which templates have we used the most",
            "templates pls",
            "is there a forecast template for average order value",
            "show the revenue templates",
            "which demand forecasts can you do",
            "before i start a prediction, what templates can i pick from?",
            "prediction types available",
            "menu of forecasts",
            "what's in the forecast library",
            "hey what sort of predictions does bizpilot offer",
            "templat list for retention predictions",
            "how far ahead does the monthly revenue template go",
        ),
        phrase=p.typed(TemplateList, _templates),
        synonyms={"category": CATEGORY_SYNONYMS},
    ),
)

declare(
    "create_prediction",
    ToolLanguage(
        examples=(
            "run the sales forecast template",
            "start a new prediction",
            "create a demand forecast prediction",
            "kick off a weekly revenue prediction",
            "run a prediction on my shopify data",
            "generate a monthly revenue prediction in the background",
            "queue an order volume forecast",
            "make a prediction with the new customers template",
            "new prediction please",
            "create prediction from template_quarterly_revenue",
            "start the aov prediction",
            "run the weekly demand template",
            "then run the new customers one",
            "launch a monthly sales prediction",
            "set up a quarterly revenue prediction covering the next 4 quarters",
            "run template_weekly_new_customers for 8 weeks",
            "kick off a sales forecast prediction for the next 60 days at 90% confidence",
            "create a prediction called Xmas stock plan using the weekly demand template",
            "can u start an order volume prediction using only the shopify and stripe data",
            "queue up a monthly revenue prediction for the next 6 months and tell me when it's done",
            "run the average order value template weekly for 12 weeks",
            "background prediction: new customers, next quarter",
            "PREDICTION: weekly revenue, 80% confidence",
            "spin up a fresh prediction off the sales template",
            "start a prediction named Q3 board pack on quarterly revenue",
            "i want to save a weekly new customers prediction so i can check it later",
            "creat a daily orders prediction for next month",
            "begin a weekly sales prediction over the next half year",
            "compute a monthly revenue prediction from builtin_crm data only",
        ),
        phrase=p.typed(PredictionCreated, _created),
        synonyms={"granularity": GRANULARITY_SYNONYMS, "template_id": TEMPLATE_SYNONYMS},
    ),
)

declare(
    "list_predictions",
    ToolLanguage(
        examples=(
            "list my predictions",
            "show recent predictions",
            "which predictions are still processing",
            "any failed predictions?",
            "what predictions have we run",
            "show completed prediction jobs",
            "prediction history",
            "predictions from the sales template",
            "list the forecasts i created",
            "show all predictions",
            "which of my predictions are done",
            "predictions that errored",
            "are any of my predictions still running?",
            "my saved predictions",
            "all revenue predictions so far",
            "list predictions for new customers",
            "predictions pending",
            "past forecasts i ran on order volume",
            "what's in the prediction queue",
            "how many predictions have we made",
            "show finished predictions and their accuracy",
            "newest predictions first",
            "hey what happened with all those forecasts i kicked off",
            "predictions list pls",
            "which aov predictions do we have",
            "broken predictions?",
            "next page of predictions",
            "lst predictions",
            "any predictions not ready yet",
        ),
        phrase=p.typed(PredictionList, _predictions),
        synonyms={"status": STATUS_SYNONYMS, "metric": METRIC_SYNONYMS},
    ),
)

declare(
    "get_prediction",
    ToolLanguage(
        examples=(
            "show that prediction",
            "is my prediction ready",
            "result of the prediction",
            "how accurate was that prediction",
            "open prediction details",
            "what did the prediction job produce",
            "why did the prediction fail",
            "show the prediction's results",
            "get prediction",
            "is the forecast i started done yet",
            "open prediction 3f9a1c2e-7b41-4d6e-9a0c-5e2b8d7f1a63",
            "status of prediction 8d2e41b0",
            "has the quarterly revenue prediction i started finished?",
            "what's the mape on that prediction",
            "show me the numbers from the prediction i ran earlier",
            "per-week values of that prediction with their ranges",
            "is it done yet? the weekly demand prediction",
            "why did prediction 91ac77d2 error out",
            "details for prediction id c0ffee12",
            "the prediction from this morning - what did it come back with",
            "prediction result pls",
            "what total did my monthly revenue prediction come up with",
            "rmse and accuracy score of that prediction",
            "check on my prediction",
            "predicton 5b7e status?",
            "did my prediction finish, and which way is the trend going",
            "give me the breakdown of that completed prediction",
            "how long until my prediction is ready",
            "what went wrong with the new customers prediction",
        ),
        phrase=p.typed(PredictionOutput, _prediction),
        questions={"prediction_id": "Which prediction (its id from the list of predictions)?"},
    ),
)
