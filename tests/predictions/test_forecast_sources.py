"""A forecast restricted to data sources compares with the periods before from the same sources
(not from every order), and a warm forecast reads its series from the database once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from helpers import register
from sqlalchemy import event
from sqlalchemy.orm import Session

from store.db import unit_of_work
from store.models import Order
from store.models.connectors import Connection, SourceRecord
from tools.predictions import service as svc
from tools.predictions.compute import compute
from tools.predictions.templates import TEMPLATES
from tools.predictions.windows import Window

DAYS = 90


@pytest.fixture(scope="module")
def fed(client: TestClient) -> tuple[str, str, dict[date, float], dict[date, float]]:
    """A tenant with DAYS days of orders up to yesterday: one a day a Shopify connection brought
    in (with its source record), one a day entered in the CRM. Returns the tenant, the
    connection id and each source's daily revenue."""
    tid = register(client).tenant_id
    today = datetime.now(UTC).date()
    shop_daily: dict[date, float] = {}
    crm_daily: dict[date, float] = {}
    with unit_of_work(tid) as session:
        shop = Connection(type="shopify", name="shopify", display_name="Shop")
        session.add(shop)
        session.flush()
        for k in range(1, DAYS + 1):
            day = today - timedelta(days=k)
            shop_daily[day] = 40.0 + 3 * (day.weekday() % 4)
            crm_daily[day] = 100.0 + 7 * day.weekday()
            at = datetime.combine(day, time(12), UTC)
            synced = Order(tenant_id=tid, status="paid", total=Decimal(f"{shop_daily[day]:.2f}"),
                           ordered_at=at)
            manual = Order(tenant_id=tid, status="paid", total=Decimal(f"{crm_daily[day]:.2f}"),
                           ordered_at=at)
            session.add_all([synced, manual])
            session.flush()
            session.add(SourceRecord(connection_id=shop.id, connector="shopify", resource="orders",
                                     source_id=f"o{k}", entity_type="order", entity_id=synced.id,
                                     values={}, content_hash=f"h{k}"))
        shop_id = shop.id
    return tid, shop_id, shop_daily, crm_daily


def _window() -> Window:
    today = datetime.now(UTC).date()
    return Window(today, today + timedelta(days=29))


def _previous(daily: dict[date, float], periods: int) -> float:
    today = datetime.now(UTC).date()
    return sum(daily[today - timedelta(days=k)] for k in range(1, periods + 1))


def test_previous_total_comes_from_the_sources_forecast(
    fed: tuple[str, str, dict[date, float], dict[date, float]],
) -> None:
    tid, shop_id, shop_daily, crm_daily = fed
    with unit_of_work(tid) as session:
        def out(*sources: str) -> Any:
            return svc.forecast_out(session, metric="revenue", window=_window(), granularity="day",
                                    level=0.95, sources=sources).out

        only_shop, only_crm, every = out(shop_id), out("builtin_crm"), out()
    assert len(only_shop.points) == 30
    assert only_shop.previous_total == pytest.approx(_previous(shop_daily, 30), abs=0.01)
    assert only_crm.previous_total == pytest.approx(_previous(crm_daily, 30), abs=0.01)
    assert every.previous_total == pytest.approx(_previous(shop_daily, 30) + _previous(crm_daily, 30),
                                                 abs=0.01)
    today = datetime.now(UTC).date()
    assert (only_shop.previous_start, only_shop.previous_end) == (today - timedelta(days=30),
                                                                  today - timedelta(days=1))
    expected = (only_shop.total - _previous(shop_daily, 30)) / _previous(shop_daily, 30) * 100
    assert only_shop.change_pct == pytest.approx(expected, abs=0.1)


@contextmanager
def _statements(session: Session) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_warm_forecast_reads_the_series_once(
    fed: tuple[str, str, dict[date, float], dict[date, float]],
) -> None:
    tid, shop_id, _, _ = fed
    template = next(t for t in TEMPLATES if t.metric == "revenue")
    with unit_of_work(tid) as session:
        def forecast() -> object:
            return svc.forecast_out(session, metric="revenue", window=_window(), granularity="day",
                                    level=0.95, sources=(shop_id,))

        def computed() -> object:
            return compute(session, template, {"timeRange": "next_30_days"},
                           datetime.now(UTC).date(), (shop_id,))

        for run in (forecast, computed):
            run()  # fits (or finds the forecast in the cache)
            with _statements(session) as seen:
                run()
            assert len(seen) == 1, seen
