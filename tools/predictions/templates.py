"""Document 000's prediction templates: each one a metric series the engine can forecast.

A template is not a model: it names what is forecast (a metric of the tenant's orders), at which
granularity and how far ahead by default. The engine picks the method per series by backtest,
so every template gets the same honest model selection. There is no churn template on purpose:
churn risk is a classifier over customers (/api/ai/predictions/churn), not a series, so the
"churn" category lists nothing here. Revenue counts every order not refunded, failed, void or
cancelled (tools.forecasting.series); "customers" are new customers (first order in the period).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from core.errors import NotFound
from tools.forecasting.types import Granularity

Metric = Literal["revenue", "orders", "customers", "average_order_value"]
Category = Literal["sales", "inventory", "churn", "custom"]


@dataclass(frozen=True)
class Template:
    id: str
    category: Category
    name: str
    description: str
    metric: Metric
    granularity: Granularity
    default_horizon: int
    """In periods of `granularity`."""


TEMPLATES: tuple[Template, ...] = (
    Template(
        "template_sales_forecast",
        "sales",
        "Sales Forecast",
        "Daily revenue from paid orders for the next 30 days, with prediction intervals.",
        "revenue",
        "day",
        30,
    ),
    Template(
        "template_weekly_revenue",
        "sales",
        "Weekly Revenue Forecast",
        "Revenue per week (Monday to Sunday) for the next 12 weeks.",
        "revenue",
        "week",
        12,
    ),
    Template(
        "template_monthly_revenue",
        "sales",
        "Monthly Revenue Forecast",
        "Revenue per calendar month for the next 6 months.",
        "revenue",
        "month",
        6,
    ),
    Template(
        "template_quarterly_revenue",
        "sales",
        "Quarterly Revenue Forecast",
        "Revenue per calendar quarter for the next 4 quarters.",
        "revenue",
        "quarter",
        4,
    ),
    Template(
        "template_average_order_value",
        "sales",
        "Average Order Value Forecast",
        "Average paid order value per week for the next 8 weeks.",
        "average_order_value",
        "week",
        8,
    ),
    Template(
        "template_order_volume",
        "inventory",
        "Order Volume (Demand) Forecast",
        "Orders per day for the next 30 days: the demand to stock and staff for (order "
        "counts, not units: line items are not tracked).",
        "orders",
        "day",
        30,
    ),
    Template(
        "template_weekly_demand",
        "inventory",
        "Weekly Demand Forecast",
        "Orders per week for the next 12 weeks.",
        "orders",
        "week",
        12,
    ),
    Template(
        "template_new_customers",
        "custom",
        "New Customers Forecast",
        "Customers placing their first order, per month, for the next 6 months.",
        "customers",
        "month",
        6,
    ),
    Template(
        "template_weekly_new_customers",
        "custom",
        "Weekly New Customers Forecast",
        "Customers placing their first order, per week, for the next 12 weeks.",
        "customers",
        "week",
        12,
    ),
)
BY_ID = {t.id: t for t in TEMPLATES}
DEFAULT_TEMPLATE = {
    "revenue": "template_sales_forecast",
    "orders": "template_order_volume",
    "customers": "template_weekly_new_customers",
    "average_order_value": "template_average_order_value",
}
"""The template a forecast of a metric is recorded under when none was chosen."""


def get_template(template_id: str) -> Template:
    """The template, or 404 NOT_FOUND naming the id."""
    found = BY_ID.get((template_id or "").strip())
    if found is None:
        raise NotFound("template", template_id)
    return found


def search_templates(category: str | None, search: str | None) -> list[Template]:
    """Templates of a category whose name or description holds the search text."""
    text = (search or "").strip().lower()
    return [
        t
        for t in TEMPLATES
        if (not category or t.category == category)
        and (not text or text in t.name.lower() or text in t.description.lower())
    ]
