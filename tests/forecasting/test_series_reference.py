"""metric_series against a straightforward computation on random data: the orders read back
through the ORM, filtered in Python, bucketed with pandas Periods, summed exactly (Decimal).
Every granularity and metric, several `end` days (on and off period boundaries), a customer
filter and source filters; the series must match exactly (index, frequency, values).

tests/forecasting/test_series_reference_postgres.py runs the same on PostgreSQL."""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import select

from store.db import unit_of_work
from store.models import Customer, Order, Tenant
from store.models.connectors import Connection, SourceRecord
from store.repositories.order_days import EXCLUDED_STATUSES
from tools.forecasting.series import BUILTIN_SOURCE, RULE, metric_series

GRANULARITIES = ("day", "week", "month", "quarter")
METRICS = ("revenue", "orders", "customers", "average_order_value")
PERIOD = {"day": "D", "week": "W-SUN", "month": "M", "quarter": "Q-DEC"}
"""pandas Period frequencies of the same buckets (a W-SUN week runs Monday to Sunday)."""
ENDS = (date(2024, 4, 1),   # a Monday, the first of a month and of a quarter
        date(2024, 5, 16),  # a Thursday mid-month
        date(2023, 10, 2),  # a Monday, the day after a month and a quarter start
        date(2022, 3, 9),   # before most orders: a short series
        date(2022, 2, 1))   # before the first complete period: nothing or an empty series
STATUSES = ("paid", "paid", "paid", "pending", "fulfilled", *EXCLUDED_STATUSES)


def _tenant(seed: int) -> dict[str, Any]:
    """A tenant with random orders from February 2022 to June 2024: gaps of whole months,
    orders near midnight UTC (some written with a non-UTC offset), random statuses, customers
    (or none), and two connections that brought some of them in."""
    rng = random.Random(seed)
    with unit_of_work() as session:
        tenant = Tenant(name="Series reference", slug=f"series-ref-{uuid.uuid4().hex[:8]}")
        session.add(tenant)
        session.flush()
        tenant_id = tenant.id
    with unit_of_work(tenant_id) as session:
        customers = [Customer(name=f"C{i}") for i in range(12)]
        connections = [Connection(type="shopify", name=f"shop{i}", display_name=f"Shop {i}")
                       for i in range(2)]
        session.add_all([*customers, *connections])
        session.flush()
        gaps = {(2022, 7), (2023, 1), (2023, 2), (2023, 11)}
        day, orders = date(2022, 2, 14), []
        while day < date(2024, 6, 30):
            if (day.year, day.month) not in gaps:
                for _ in range(rng.choice((0, 0, 1, 1, 2, 4))):
                    at = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
                        seconds=rng.choice((0, 1, 3599, 43200, 86399, rng.randrange(86400))))
                    if rng.random() < 0.2:  # the same instant written at another offset
                        at = at.astimezone(timezone(timedelta(hours=rng.choice((-8, 5, 13)))))
                    customer = rng.choice([None, *customers])
                    orders.append(Order(
                        customer_id=customer.id if customer else None, status=rng.choice(STATUSES),
                        total=Decimal(rng.randrange(1, 2_000_000)) / 100, ordered_at=at))
            day += timedelta(days=1)
        session.add_all(orders)
        session.flush()
        for order in orders:
            if rng.random() < 0.4:
                connection = rng.choice(connections)
                session.add(SourceRecord(
                    connection_id=connection.id, connector="shopify", resource="orders",
                    source_id=uuid.uuid4().hex, entity_type="order", entity_id=order.id,
                    values={}, content_hash="x"))
        return {"tenant_id": tenant_id, "customer": customers[3].id,
                "connections": [c.id for c in connections]}


def _expected(session: Any, metric: str, granularity: str, end: date,
              customer_id: str | None = None, sources: tuple[str, ...] = ()) -> pd.Series:
    orders = session.scalars(select(Order)).all()
    fed: dict[str, set[str]] = defaultdict(set)
    for record in session.scalars(select(SourceRecord)).all():
        if record.entity_type == "order" and record.entity_id is not None:
            fed[record.entity_id].add(record.connection_id)
    cutoff = datetime(end.year, end.month, end.day, tzinfo=UTC)

    def counted(o: Order) -> bool:
        if o.status in EXCLUDED_STATUSES or o.ordered_at >= cutoff:
            return False
        if customer_id is not None and o.customer_id != customer_id:
            return False
        if sources:
            by = fed.get(o.id, set())
            return bool(by & set(sources)) or (BUILTIN_SOURCE in sources and not by)
        return True

    def period(at: datetime) -> pd.Period:
        return pd.Period(at.astimezone(UTC).date(), freq=PERIOD[granularity])

    kept = [o for o in orders if counted(o)]
    revenue: dict[pd.Period, Decimal] = defaultdict(Decimal)
    count: dict[pd.Period, int] = defaultdict(int)
    if metric == "customers":
        first: dict[str, datetime] = {}
        for o in kept:
            if o.customer_id is not None:
                first[o.customer_id] = min(first.get(o.customer_id, o.ordered_at), o.ordered_at)
        for at in first.values():
            count[period(at)] += 1
    else:
        for o in kept:
            revenue[period(o.ordered_at)] += o.total
            count[period(o.ordered_at)] += 1
    if not count:
        return pd.Series([], index=pd.DatetimeIndex([], name="period"), dtype=float, name=metric)
    periods, p = [], min(count)
    while (p + 1).start_time <= pd.Timestamp(end):  # complete: it ends on or before `end`
        periods.append(p)
        p += 1
    values: list[float] = []
    for p in periods:
        if metric == "revenue":
            values.append(float(revenue[p]))
        elif metric == "average_order_value":
            values.append(float(revenue[p]) / count[p] if count[p] else values[-1])
        else:
            values.append(float(count[p]))
    start = min(count).start_time if periods else pd.Timestamp(end)
    index = pd.date_range(start, periods=len(periods), freq=RULE[granularity], unit="us",
                          name="period")
    return pd.Series(values, index=index, dtype=float, name=metric)


def _same(got: pd.Series, want: pd.Series) -> None:
    assert got.name == want.name and got.dtype == want.dtype == float
    assert got.index.name == want.index.name == "period"
    assert got.index.freq == want.index.freq
    if len(want):
        assert got.index.dtype == want.index.dtype
    assert list(got.index) == list(want.index)
    assert got.to_list() == want.to_list()  # exact: revenue is summed in whole cents


@pytest.fixture(scope="module")
def data(database: str) -> dict[str, Any]:
    return _tenant(seed=7)


@pytest.fixture(scope="module")
def other(data: dict[str, Any]) -> dict[str, Any]:
    """Another tenant's orders on the same days: they must never show up."""
    return _tenant(seed=8)


@pytest.mark.parametrize("granularity", GRANULARITIES)
def test_every_metric_matches_the_reference(data: dict[str, Any], other: dict[str, Any],
                                            granularity: str) -> None:
    with unit_of_work(data["tenant_id"]) as session:
        for end in ENDS:
            for metric in METRICS:
                want = _expected(session, metric, granularity, end)
                got = metric_series(session, metric=metric,
                                    granularity=granularity, end=end)
                _same(got, want)
        assert len(metric_series(session, metric="revenue", granularity=granularity,
                                 end=date(2024, 6, 30))) > 0


@pytest.mark.parametrize("granularity", GRANULARITIES)
def test_customer_and_source_filters_match_the_reference(data: dict[str, Any],
                                                         granularity: str) -> None:
    shop_a, shop_b = data["connections"]
    filters: list[dict[str, Any]] = [
        {"customer_id": data["customer"]},
        {"sources": (shop_a,)}, {"sources": (BUILTIN_SOURCE,)}, {"sources": (shop_a, shop_b)},
        {"sources": (shop_b, BUILTIN_SOURCE)}, {"customer_id": data["customer"], "sources": (shop_a,)},
    ]
    with unit_of_work(data["tenant_id"]) as session:
        for kwargs in filters:
            for metric in METRICS:
                want = _expected(session, metric, granularity, ENDS[1], **kwargs)
                got = metric_series(session, metric=metric, granularity=granularity,
                                    end=ENDS[1], **kwargs)
                _same(got, want)


def test_series_index_is_not_shared(data: dict[str, Any]) -> None:
    """The index is built once per shape: renaming one series' index must not rename the
    next one's."""
    with unit_of_work(data["tenant_id"]) as session:
        first = metric_series(session, metric="orders", granularity="month", end=ENDS[0])
        first.index.name = "renamed"
        again = metric_series(session, metric="orders", granularity="month", end=ENDS[0])
    assert again.index.name == "period"
