"""Document 001's revenue prediction: from the `historicalData` a client sends, or from the
tenant's orders when it sends none.

Given data is read as a regular series: its granularity is inferred from the median spacing of
the dates (1 day, 7 days, a month, a quarter), periods missing inside it count as zero (and the
answer says how many). The recurring / new-sales breakdown needs customers, so it is computed
only from the tenant's own orders: the share of the last equally long stretch's revenue that came
from customers who had ordered before it, applied to the predicted amount.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import pairwise

import pandas as pd
from sqlalchemy.orm import Session

from core.errors import ValidationFailed
from store.repositories.order_days import totals_with_first_order
from tools.forecasting.types import Granularity, InsufficientHistory
from tools.predictions.schemas_extra import Breakdown, HistoricalPoint
from tools.predictions.windows import FREQ, period_start

SPACING: tuple[tuple[int, int, Granularity], ...] = (
    (1, 1, "day"),
    (6, 8, "week"),
    (27, 32, "month"),
    (88, 93, "quarter"),
)


def infer_granularity(days: list[date]) -> Granularity:
    """From the median gap between consecutive dates; 422 when it is none of the four."""
    gaps = sorted((b - a).days for a, b in pairwise(days))
    if not gaps:
        raise InsufficientHistory(
            f"Only {len(days)} period of historicalData was given: a forecast needs a series",
            details={"given": len(days)},
        )
    median = gaps[len(gaps) // 2]
    for low, high, granularity in SPACING:
        if low <= median <= high:
            return granularity
    raise ValidationFailed(
        "historicalData is not evenly spaced by day, week, month or quarter",
        details=[{"field": "historicalData", "message": f"median gap {median} days"}],
    )


def given_series(
    points: list[HistoricalPoint], asked: Granularity | None
) -> tuple[pd.Series, Granularity, int]:
    """(series indexed by period start, granularity, periods missing filled with zero)."""
    ordered = sorted(points, key=lambda x: x.period)
    granularity = asked or infer_granularity([x.period for x in ordered])
    by_start: dict[date, float] = {}
    for point in ordered:
        key = period_start(point.period, granularity)
        by_start[key] = by_start.get(key, 0.0) + point.value
    index = pd.date_range(pd.Timestamp(min(by_start)), pd.Timestamp(max(by_start)), freq=FREQ[granularity])
    series = pd.Series([by_start.get(ts.date(), 0.0) for ts in index], index=index, dtype=float)
    return series, granularity, len(index) - len(by_start)


def breakdown(session: Session, amount: float, start: date, end: date) -> Breakdown | None:
    """Recurring vs new sales, from the share of the last stretch as long as [start, end]."""
    days = (end - start).days + 1
    first = datetime.combine(start - timedelta(days=days), time.min)
    stop = datetime.combine(start, time.min)
    rows = totals_with_first_order(session, first, stop)
    total = sum(float(t) for t, _ in rows)
    if not total:
        return None
    recurring = sum(float(t) for t, seen in rows if seen is not None and _naive(seen) < first)
    share = recurring / total
    return Breakdown(
        recurring=round(amount * share, 2),
        new_sales=round(amount * (1 - share), 2),
        recurring_share=round(share, 4),
        basis=f"share of revenue from customers who had ordered before {first.date()} "
        f"in {first.date()} – {(stop - timedelta(days=1)).date()}, applied to the amount",
    )


def _naive(value: datetime) -> datetime:
    return value.replace(tzinfo=None) if value.tzinfo else value
