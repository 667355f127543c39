"""A tenant's metric as a regular time series: SQL sums orders by day (through the tenant-scoped
session), numpy buckets the days into periods.

Which orders count: every order whose status is not one of EXCLUDED_STATUSES (refunded, failed,
void, cancelled): money that did not stay with the business is not revenue. The SQL is
store.repositories.order_days.

This is on the path of every forecast request, cached or not (the cache is keyed by the series'
content), so it is kept cheap: the days are bucketed with integer arithmetic on day numbers, not
a pandas resample.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, Literal

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset
from sqlalchemy.orm import Session

from store.repositories import order_days
from tools.forecasting.types import Granularity

Metric = Literal["revenue", "orders", "customers", "average_order_value"]
BUILTIN_SOURCE = "builtin_crm"
"""The data source id of the CRM's own records (tools.connectors.status_tools.BUILTIN_ID)."""
RULE: dict[str, str] = {"day": "D", "week": "W-MON", "month": "MS", "quarter": "QS-JAN"}
"""The pandas frequency of each granularity's periods (the series' index carries it)."""
_OFFSET = {granularity: to_offset(rule) for granularity, rule in RULE.items()}
_EPOCH = date(1970, 1, 1)
_EPOCH_ORDINAL = _EPOCH.toordinal()


def metric_series(session: Session, *, metric: Metric, granularity: Granularity,
                  end: date | None = None, customer_id: str | None = None,
                  sources: tuple[str, ...] = ()) -> pd.Series:
    """The metric per period, indexed by the period's start (the day, the Monday, the first of
    the month or quarter), float.

    - `end`: the day the series is computed as of, exclusive (default: today, UTC): orders on or
      after it are not read, and only periods that end on or before it are kept, so the current,
      partial period never looks like a drop;
    - from the period of the first counted order to the last complete one, a period without
      orders is 0 (revenue, orders, customers), not missing; the average order value of a period
      without orders is undefined and carries the previous period's value instead;
    - "customers" is new customers: those whose first counted order falls in the period;
    - `customer_id` restricts every metric to that customer's orders;
    - `sources` (data source ids: connection ids, `builtin_crm`) restricts it to the orders those
      sources brought in (a connector's orders are those with a source record of it; the CRM's
      own are those no connector supplied); empty means every order.
    An empty series (no counted orders) is returned as such: the engine says it is too short.
    """
    cutoff = end or datetime.now(UTC).date()
    days, columns = _daily(session, metric, cutoff, customer_id, sources)
    if days.size == 0:
        return pd.Series([], index=pd.DatetimeIndex([], name="period"), dtype=float, name=metric)
    first = int(_period(days.min(), granularity))
    # The period holding `end` is the first incomplete one: the series stops just before it.
    count = max(int(_period(np.int64((cutoff - _EPOCH).days), granularity)) - first, 0)
    ids = _period(days, granularity) - first
    kept = ids < count  # not a day of the incomplete period holding `end` (no id is < 0)
    ids = ids[kept]

    def total(column: str) -> np.ndarray:  # exact: whole cents and counts sum exactly in float
        return np.bincount(ids, weights=columns[column][kept], minlength=count)

    if metric == "average_order_value":
        revenue, orders = total("cents") / 100, total("orders")
        counted = orders > 0
        ratio = np.divide(revenue, orders, out=np.zeros(count), where=counted)
        last = np.maximum.accumulate(np.where(counted, np.arange(count), -1))  # carry forward
        values = np.where(last >= 0, ratio[np.maximum(last, 0)], 0.0)
    elif metric == "revenue":
        values = total("cents") / 100
    else:
        values = total(metric)
    return pd.Series(values, index=_periods(granularity, first, count).copy(), dtype=float,
                     name=metric)


def _period(days: Any, granularity: Granularity) -> Any:
    """The number of the period (since the epoch) each day (days since 1970-01-01) falls in:
    weeks start on Monday (1970-01-01 was a Thursday), quarters in January, April, July and
    October (months since January 1970, divided by 3)."""
    if granularity == "day":
        return days
    if granularity == "week":
        return (days + 3) // 7
    months = np.asarray(days).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return months // 3 if granularity == "quarter" else months


def _start(period: int, granularity: Granularity) -> pd.Timestamp:
    """The first day of the period numbered `period` (as `_period` numbers them)."""
    if granularity == "day":
        day = np.datetime64(period, "D")
    elif granularity == "week":
        day = np.datetime64(period * 7 - 3, "D")
    else:
        day = np.datetime64(period * 3 if granularity == "quarter" else period, "M")
    return pd.Timestamp(day)


@lru_cache(maxsize=128)
def _periods(granularity: Granularity, first: int, count: int) -> pd.DatetimeIndex:
    """The starts of `count` periods from the period numbered `first`, with the granularity's
    frequency, built once: the same series is read again and again (a cache hit re-reads it),
    and a DatetimeIndex with a frequency is slow to build. Callers take a copy (an index's
    name can be set in place)."""
    return pd.date_range(_start(first, granularity), periods=count, freq=_OFFSET[granularity],
                         unit="us", name="period")


def _daily(session: Session, metric: Metric, cutoff: date, customer_id: str | None,
           sources: tuple[str, ...] = ()) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The days with counted orders (days since 1970-01-01, int64, one entry per day) and the
    metric's daily columns (float): `cents` (revenue) and `orders`, or `customers`."""
    connections = [s for s in sources if s != BUILTIN_SOURCE]
    rows = order_days.daily_rows(session, new_customers=metric == "customers",
                                 before=datetime.combine(cutoff, datetime.min.time(), UTC),
                                 customer_id=customer_id, connections=connections,
                                 builtin=BUILTIN_SOURCE in sources)
    if not rows:
        return np.zeros(0, dtype=np.int64), {}
    columns = list(zip(*rows, strict=True))
    days = _day_numbers(columns[0])
    if metric == "customers":
        return days, {"customers": np.asarray(columns[1], dtype=float)}
    # Order totals are whole cents (Numeric(14, 2)): the day's sum is read as a whole number of
    # cents (SQLite's float sum is off by a few ulps), so periods add up exactly. A NULL sum is 0.
    cents = np.rint(np.nan_to_num(np.asarray(columns[1], dtype=float)) * 100)
    return days, {"cents": cents, "orders": np.asarray(columns[2], dtype=float)}


def _day_numbers(values: tuple[Any, ...]) -> np.ndarray:
    """Days since 1970-01-01 of SQL dates: ISO strings (SQLite) or dates (PostgreSQL)."""
    if isinstance(values[0], str):
        return np.asarray(values, dtype="datetime64[D]").astype(np.int64)
    return np.fromiter((d.toordinal() for d in values), dtype=np.int64,
                       count=len(values)) - _EPOCH_ORDINAL
