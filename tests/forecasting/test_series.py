"""metric_series from orders in a fresh database: zero-filled gaps, the partial current period
dropped, week/month/quarter buckets, excluded statuses, new customers, tenant isolation."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from helpers import register

from store.db import unit_of_work
from store.models import Customer, Order
from tools.forecasting import service
from tools.forecasting.series import metric_series

END = date(2025, 4, 10)  # a Thursday: April and the week of Monday 7 April are partial


def _order(tenant: str, day: date, total: str, customer: str | None = None,
           status: str = "paid") -> Order:
    return Order(tenant_id=tenant, customer_id=customer, total=Decimal(total), status=status,
                 ordered_at=datetime(day.year, day.month, day.day, 15, tzinfo=UTC))


@pytest.fixture(scope="module")
def tenant(client: TestClient) -> str:
    account = register(client)
    tid = account.tenant_id
    with unit_of_work(tid) as session:
        a, b = Customer(name="A"), Customer(name="B")
        session.add_all([a, b])
        session.flush()
        session.add_all([
            _order(tid, date(2025, 1, 6), "100", a.id),   # Monday
            _order(tid, date(2025, 1, 6), "50", b.id),
            _order(tid, date(2025, 1, 8), "30", a.id),
            _order(tid, date(2025, 1, 9), "999", a.id, status="refunded"),
            _order(tid, date(2025, 2, 20), "70", b.id),
            _order(tid, date(2025, 4, 9), "40", a.id),     # in the partial week/month
            _order(tid, date(2025, 4, 10), "500", a.id),   # on `end`: not read
        ])
    other = register(client).tenant_id
    with unit_of_work(other) as session:
        session.add(_order(other, date(2025, 1, 7), "12345"))
    return tid


def test_daily_zero_fills_and_stops_before_end(tenant: str) -> None:
    with unit_of_work(tenant) as session:
        s = metric_series(session, metric="revenue", granularity="day", end=END)
    assert s.index[0] == pd.Timestamp("2025-01-06") and s.index[-1] == pd.Timestamp("2025-04-09")
    assert len(s) == (END - date(2025, 1, 6)).days
    assert s[pd.Timestamp("2025-01-06")] == 150.0 and s[pd.Timestamp("2025-01-07")] == 0.0
    assert s[pd.Timestamp("2025-01-09")] == 0.0  # refunded does not count
    assert s.dtype == float and s.sum() == 150 + 30 + 70 + 40


def test_weekly_starts_on_monday_and_drops_partial_week(tenant: str) -> None:
    with unit_of_work(tenant) as session:
        s = metric_series(session, metric="revenue", granularity="week", end=END)
    assert all(ts.weekday() == 0 for ts in s.index)
    assert s.index[-1] == pd.Timestamp("2025-03-31")  # the week of 7 April is not complete
    assert s.iloc[0] == 180.0 and s.iloc[1] == 0.0


def test_monthly_and_quarterly(tenant: str) -> None:
    with unit_of_work(tenant) as session:
        months = metric_series(session, metric="revenue", granularity="month", end=END)
        orders = metric_series(session, metric="orders", granularity="month", end=END)
        quarters = metric_series(session, metric="revenue", granularity="quarter",
                                 end=date(2025, 7, 1))
    assert list(months.index) == list(pd.date_range("2025-01-01", "2025-03-01", freq="MS"))
    assert list(months) == [180.0, 70.0, 0.0]
    assert list(orders) == [3.0, 1.0, 0.0]
    assert list(quarters.index) == [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-04-01")]
    assert list(quarters) == [250.0, 540.0]


def test_new_customers_and_average_order_value(tenant: str) -> None:
    with unit_of_work(tenant) as session:
        new = metric_series(session, metric="customers", granularity="month", end=END)
        aov = metric_series(session, metric="average_order_value", granularity="month", end=END)
    assert list(new) == [2.0, 0.0, 0.0]
    assert aov.iloc[0] == pytest.approx(60.0) and aov.iloc[1] == 70.0
    assert aov.iloc[2] == 70.0  # no orders in March: the last known value carries


def test_customer_filter_and_history(tenant: str) -> None:
    with unit_of_work(tenant) as session:
        b = session.query(Customer).filter_by(name="B").one()
        s = metric_series(session, metric="revenue", granularity="month", end=END,
                          customer_id=b.id)
        hist = service.history(session, metric="revenue", granularity="month", periods=2,
                               end=END)
    assert list(s) == [50.0, 70.0, 0.0]  # zero-filled up to the last complete month
    assert hist == [(date(2025, 2, 1), 70.0), (date(2025, 3, 1), 0.0)]


def test_empty_tenant_gives_empty_series(client: TestClient) -> None:
    tid = register(client).tenant_id
    with unit_of_work(tid) as session:
        s = metric_series(session, metric="revenue", granularity="month", end=END)
    assert s.empty


def test_sources_limit_the_series_to_the_orders_they_brought_in(client: TestClient) -> None:
    """A connector's orders are those it has a source record for; `builtin_crm` is the rest."""
    from store.models.connectors import Connection, SourceRecord

    tid = register(client).tenant_id
    with unit_of_work(tid) as session:
        shop = Connection(type="shopify", name="shopify", display_name="Shop")
        session.add(shop)
        synced, manual = _order(tid, date(2025, 1, 6), "100"), _order(tid, date(2025, 1, 7), "7")
        session.add_all([synced, manual])
        session.flush()
        session.add(SourceRecord(connection_id=shop.id, connector="shopify", resource="orders",
                                 source_id="1001", entity_type="order", entity_id=synced.id,
                                 values={}, content_hash="x"))
        shop_id = shop.id
    with unit_of_work(tid) as session:
        def total(*sources: str) -> float:
            return float(metric_series(session, metric="revenue", granularity="day", end=END,
                                       sources=sources).sum())

        assert total() == 107.0
        assert total(shop_id) == 100.0
        assert total("builtin_crm") == 7.0
        assert total(shop_id, "builtin_crm") == 107.0
