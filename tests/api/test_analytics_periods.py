"""Which period a revenue figure is compared with, over REST: "last month" is compared with the
whole month before it however it is asked for, and a trailing dashboard window with as many days
just before it. Every figure is checked against direct SQL over the orders the test wrote."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from fastapi.testclient import TestClient

if TYPE_CHECKING:
    from tests.api.conftest import SqlFn
    from tests.conftest import Account

REVENUE_SQL = """SELECT COALESCE(SUM(total), 0) FROM orders WHERE tenant_id = :t
AND status IN ('paid', 'fulfilled') AND ordered_at >= :s AND ordered_at < :e"""
InsertOrders = Callable[[str, list[Any]], None]


def stamp(d: date) -> str:
    return datetime.combine(d, time.min).strftime("%Y-%m-%d %H:%M:%S.%f")


def sql_revenue(sql: SqlFn, tenant: str, first: date, last: date) -> float:
    """Paid revenue from the start of `first` to the end of `last`, straight from the table."""
    return float(sql(REVENUE_SQL, t=tenant, s=stamp(first), e=stamp(last + timedelta(days=1))))


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def revenue(client: TestClient, account: Account, query: str) -> dict[str, Any]:
    r = client.get(f"/api/analytics/revenue?{query}", headers=account.headers)
    assert r.status_code == 200, r.text
    return dict(r.json()["data"])


def test_last_month_and_the_calendar_month_compare_with_the_whole_month_before(
    client: TestClient, account: Account, sql: SqlFn, insert_orders: InsertOrders
) -> None:
    today = datetime.now(UTC).date()
    last = today.replace(day=1) - relativedelta(months=1)  # first day of last month
    before = last - relativedelta(months=1)  # first day of the month before it
    before_end = last - timedelta(days=1)
    last_end = today.replace(day=1) - timedelta(days=1)
    insert_orders(account.tenant_id, [
        ("10.00", "paid", at(before, 0, 0)),
        ("20.00", "paid", at(before + timedelta(days=14))),
        ("40.00", "fulfilled", at(before_end, 23, 59)),  # its last evening counts too
        ("999.00", "refunded", at(before_end)),
        ("80.00", "paid", at(last, 0, 0)),
        ("160.00", "paid", at(last + timedelta(days=2))),
        ("320.00", "paid", at(before - timedelta(days=1), 23, 59)),  # a month earlier: never counted
    ])

    named = revenue(client, account, "period=last_month")
    by_month = revenue(client, account, f"month={last:%Y-%m}")

    for data in (named, by_month):
        assert (data["startDate"], data["endDate"]) == (last.isoformat(), last_end.isoformat())
        assert (data["previousStartDate"], data["previousEndDate"]) == (
            before.isoformat(), before_end.isoformat())
        assert data["previousLabel"] == before.strftime("%B %Y")
        assert data["previousRevenue"] == sql_revenue(sql, account.tenant_id, before, before_end) == 70.0
        assert data["previousOrders"] == 3
        assert data["revenue"] == sql_revenue(sql, account.tenant_id, last, last_end) == 240.0
    assert named["changePercent"] == by_month["changePercent"] == round((240 - 70) / 70 * 100, 2)


def test_a_trailing_dashboard_window_compares_with_as_many_days_before(
    client: TestClient, account: Account, sql: SqlFn, insert_orders: InsertOrders
) -> None:
    today = datetime.now(UTC).date()
    start = today + timedelta(days=1) - relativedelta(months=3)
    days = (today + timedelta(days=1) - start).days
    insert_orders(account.tenant_id, [
        ("15.00", "paid", at(start - timedelta(days=1), 23, 59)),
        ("25.00", "paid", at(start - timedelta(days=days))),
        ("35.00", "paid", at(start - timedelta(days=days + 1), 23, 59)),  # just outside
        ("45.00", "paid", at(start)),
    ])

    r = client.get("/api/analytics/dashboard?period=3m", headers=account.headers)

    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["startDate"] == start.isoformat()
    first, last = date.fromisoformat(data["previousStartDate"]), date.fromisoformat(data["previousEndDate"])
    assert (first, last) == (start - timedelta(days=days), start - timedelta(days=1))
    assert data["previousLabel"] == f"prior {days} days"
    assert data["revenue"]["previous"] == sql_revenue(sql, account.tenant_id, first, last) == 40.0
    assert data["revenue"]["current"] == 45.0
