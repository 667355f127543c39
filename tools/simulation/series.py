"""The simulator's metric catalogue for one tenant, as one daily frame.

Two sources, read through the tenant-scoped session:
- the `daily_metrics` table (marketing spend, website sessions, conversions, attributed revenue,
  anything a connector imports): one column per metric id;
- the orders, for `revenue` and `orders` (tools.forecasting.series.metric_series, the series the
  forecasts use), so the simulator and the forecasts agree on what revenue is. Rows of
  `daily_metrics` named `revenue` or `orders` are therefore not read: the orders are the truth.

A metric with fewer than MIN_DAYS days of history is left out (and listed as such); the others
are cut to the days they all cover, with a missing day inside a daily metric carried forward.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models.action_hub import DailyMetric
from tools.forecasting.series import metric_series
from tools.forecasting.types import InsufficientHistory
from tools.simulation.fit import MIN_DAYS

ORDER_METRICS = ("revenue", "orders")
LABELS = {
    "marketing_spend": "Marketing Spend",
    "website_sessions": "Website Sessions",
    "website_traffic": "Website Traffic",
    "conversions": "Conversions",
    "attributed_revenue": "Attributed Revenue",
    "revenue": "Revenue",
    "orders": "Orders",
}
OUTCOMES = {"revenue", "orders", "attributed_revenue", "conversions", "profit"}
"""Metrics that are results by nature: a node without edges is typed output, not input."""


def label_of(metric: str) -> str:
    return LABELS.get(metric, metric.replace("_", " ").strip().title())


@dataclass(frozen=True)
class Catalogue:
    frame: pd.DataFrame
    """Daily, no gaps, one column per usable metric."""
    skipped: dict[str, int]
    """Metrics left out for too short a history, with the days they have."""


def _daily_metrics(session: Session, end: date) -> dict[str, pd.Series]:
    rows = session.execute(select(DailyMetric.metric, DailyMetric.day, DailyMetric.value)
                           .where(DailyMetric.day < end, DailyMetric.metric.not_in(ORDER_METRICS))
                           .order_by(DailyMetric.metric, DailyMetric.day)).all()
    if not rows:
        return {}
    metrics, days, values = zip(*rows, strict=True)
    frame = pd.DataFrame({"metric": metrics, "day": pd.to_datetime(days), "value": values})
    out = {}
    for metric, part in frame.groupby("metric"):
        series = part.set_index("day")["value"].astype(float)
        series = series[~series.index.duplicated()]
        out[str(metric)] = series.asfreq("D").ffill()
    return out


def load(session: Session, end: date) -> Catalogue:
    """Every metric of the tenant up to the day before `end`, on the days they share."""
    series = _daily_metrics(session, end)
    for metric in ORDER_METRICS:
        values = metric_series(session, metric=metric, granularity="day", end=end)  # type: ignore[arg-type]
        if len(values):
            series[metric] = values
    skipped = {m: len(s) for m, s in series.items() if len(s) < MIN_DAYS}
    usable = {m: s for m, s in series.items() if m not in skipped}
    if usable:
        first = max(s.index.min() for s in usable.values())
        last = min(s.index.max() for s in usable.values())
        frame = pd.DataFrame({m: s.loc[first:last] for m, s in usable.items()}).sort_index()
        frame = frame.asfreq("D").ffill().dropna()
    else:
        frame = pd.DataFrame()
    return Catalogue(frame=frame, skipped=skipped)


def require(catalogue: Catalogue) -> pd.DataFrame:
    """The frame, or an error that says what is missing instead of a made-up graph."""
    frame = catalogue.frame
    if frame.shape[1] < 2 or len(frame) < MIN_DAYS:
        have = ", ".join(f"{m} ({n} days)" for m, n in sorted(catalogue.skipped.items()))
        usable = ", ".join(f"{m}" for m in frame.columns)
        raise InsufficientHistory(
            f"Too little data to estimate relationships: the simulator needs at least two daily "
            f"metrics with {MIN_DAYS} or more days in common; found {len(frame)} shared days"
            + (f" for {usable}" if usable else "") + (f"; too short: {have}" if have else "") + ".",
            details={"minDays": MIN_DAYS, "sharedDays": len(frame), "metrics": list(frame.columns),
                     "tooShort": catalogue.skipped})
    return frame
