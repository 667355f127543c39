"""Document 001's dashboard, revenue for a period and their isolation. Every figure is checked
against numbers worked out by hand from the rows the test wrote, and against direct SQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

if TYPE_CHECKING:
    from tests.api.conftest import Crm, SqlFn
    from tests.conftest import Account

REVENUE_SQL = """SELECT COALESCE(SUM(total), 0) FROM orders WHERE tenant_id = :t
AND status IN ('paid', 'fulfilled') AND ordered_at >= :s AND ordered_at < :e"""


def stamp(d: date) -> str:
    return datetime.combine(d, time.min).strftime("%Y-%m-%d %H:%M:%S.%f")


def trailing(days: int) -> tuple[date, date, date]:
    """(previous start, current start, end exclusive) of a trailing window that includes today."""
    end = datetime.now(UTC).date() + timedelta(days=1)
    return end - timedelta(days=2 * days), end - timedelta(days=days), end


def sql_revenue(sql: SqlFn, tenant: str, start: date, end: date) -> float:
    return float(sql(REVENUE_SQL, t=tenant, s=stamp(start), e=stamp(end)))


@pytest.fixture
def shop(account: Account, crm: Crm, client: TestClient,
         insert_orders: Callable[[str, list[Any]], None]) -> Account:
    """A tenant with known orders, customers and deals."""
    now = datetime.now(UTC)
    insert_orders(account.tenant_id, [
        ("100.50", "paid", now - timedelta(days=1)),
        ("200.25", "fulfilled", now - timedelta(days=10)),
        ("999.00", "refunded", now - timedelta(days=5)),
        ("50.00", "paid", now - timedelta(days=45)),
        ("7777.00", "paid", now - timedelta(days=100)),
    ])
    for i in range(3):
        crm.customer(account, name=f"Buyer {i}")
    churner = crm.customer(account, name="Leaving")
    r = client.patch(f"/api/crm/customers/{churner['id']}", json={"status": "churned"},
                     headers=account.headers)
    assert r.status_code == 200
    crm.deal(account, value=1000, stage="lead")
    crm.deal(account, value=2000, stage="proposal")
    crm.deal(account, value=300, stage="closed_lost")
    won = crm.deal(account, value=4000, stage="negotiation")
    r = client.patch(f"/api/crm/deals/{won['id']}/stage", json={"stage": "closed_won"},
                     headers=account.headers)
    assert r.status_code == 200
    return account


def test_dashboard_figures_match_the_rows(client: TestClient, shop: Account, sql: SqlFn) -> None:
    r = client.get("/api/analytics/dashboard?period=30d", headers=shop.headers)
    assert r.status_code == 200
    data = r.json()["data"]
    assert data["revenue"] == {"current": 300.75, "previous": 50.0, "change": "+501.5%",
                               "changePercent": 501.5}
    assert data["customers"] == {"total": 4, "new": 4, "churned": 1}
    assert data["deals"] == {"open": 2, "won": 1, "value": 3000.0}
    prev_start, start, end = trailing(30)
    assert data["revenue"]["current"] == sql_revenue(sql, shop.tenant_id, start, end)
    assert data["revenue"]["previous"] == sql_revenue(sql, shop.tenant_id, prev_start, start)
    assert (data["period"], data["startDate"], data["endDate"]) == (
        "30d", start.isoformat(), (end - timedelta(days=1)).isoformat())


def test_dashboard_defaults_to_30_days_and_honours_other_periods(client: TestClient, shop: Account) -> None:
    default = client.get("/api/analytics/dashboard", headers=shop.headers).json()["data"]
    assert default["period"] == "30d" and default["revenue"]["current"] == 300.75
    week = client.get("/api/analytics/dashboard?period=7d", headers=shop.headers).json()["data"]
    assert week["revenue"]["current"] == 100.5 and week["revenue"]["previous"] == 200.25
    year = client.get("/api/analytics/dashboard?period=1y", headers=shop.headers).json()["data"]
    assert year["revenue"]["current"] == 100.5 + 200.25 + 50 + 7777


@pytest.mark.parametrize("period", ["abc", "30", "0d", "9999y", "30x"])
def test_dashboard_rejects_bad_periods(client: TestClient, account: Account, period: str) -> None:
    r = client.get(f"/api/analytics/dashboard?period={period}", headers=account.headers)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "VALIDATION_ERROR"
    assert "period" in r.json()["error"]["fields"]


def test_demo_dashboard_equals_direct_sql(client: TestClient, demo_account: Account, sql: SqlFn) -> None:
    tenant = demo_account.tenant_id
    for days in (30, 90):
        data = client.get(f"/api/analytics/dashboard?period={days}d",
                          headers=demo_account.headers).json()["data"]
        prev_start, start, end = trailing(days)
        s, e = stamp(start), stamp(end)
        assert data["revenue"]["current"] == pytest.approx(sql_revenue(sql, tenant, start, end), abs=0.01)
        assert data["revenue"]["previous"] == pytest.approx(
            sql_revenue(sql, tenant, prev_start, start), abs=0.01)
        assert data["revenue"]["current"] > 0
        customers = {
            "total": sql("SELECT COUNT(*) FROM customers WHERE tenant_id = :t", t=tenant),
            "new": sql("SELECT COUNT(*) FROM customers WHERE tenant_id = :t AND created_at >= :s "
                       "AND created_at < :e", t=tenant, s=s, e=e),
            "churned": sql("SELECT COUNT(*) FROM customers WHERE tenant_id = :t AND status = 'churned' "
                           "AND updated_at >= :s AND updated_at < :e", t=tenant, s=s, e=e),
        }
        assert data["customers"] == customers
        open_sql = ("FROM deals WHERE tenant_id = :t AND stage IN "
                    "('lead', 'qualified', 'proposal', 'negotiation')")
        assert data["deals"]["open"] == sql("SELECT COUNT(*) " + open_sql, t=tenant)
        assert data["deals"]["value"] == pytest.approx(
            float(sql("SELECT COALESCE(SUM(value), 0) " + open_sql, t=tenant)), abs=0.01)
        assert data["deals"]["won"] == sql(
            "SELECT COUNT(*) FROM deals WHERE tenant_id = :t AND stage = 'closed_won' "
            "AND closed_at >= :s AND closed_at < :e", t=tenant, s=s, e=e)


def test_revenue_for_a_month_a_range_and_a_named_period(
    client: TestClient, shop: Account, sql: SqlFn
) -> None:
    now = datetime.now(UTC).date()
    month = (now - timedelta(days=45)).strftime("%Y-%m")

    def revenue(query: str) -> dict[str, Any]:
        r = client.get(f"/api/analytics/revenue?{query}", headers=shop.headers)
        assert r.status_code == 200, r.text
        return dict(r.json()["data"])

    by_month = revenue(f"month={month}")
    assert (by_month["revenue"], by_month["orders"]) == (50.0, 1)
    first = date.fromisoformat(month + "-01")
    assert by_month["startDate"] == first.isoformat()
    ranged = revenue(f"startDate={now - timedelta(days=10)}&endDate={now - timedelta(days=1)}")
    assert (ranged["revenue"], ranged["orders"], ranged["currency"]) == (300.75, 2, "USD")
    assert ranged["averageOrderValue"] == pytest.approx(300.75 / 2, abs=0.01)
    assert ranged["sources"] == {"manual": 2}
    last_month = revenue("period=last_month")
    start, end = date.fromisoformat(last_month["startDate"]), date.fromisoformat(last_month["endDate"])
    assert start.day == 1 and end.month == start.month and (end + timedelta(days=1)).day == 1
    assert last_month["revenue"] == sql_revenue(sql, shop.tenant_id, start, end + timedelta(days=1))


def test_revenue_rejects_bad_input(client: TestClient, account: Account) -> None:
    cases = {"month=2024-13": "month", "startDate=2024-05-10&endDate=2024-05-01": "endDate",
             "period=fortnight": "period", "startDate=0001-01-01&endDate=0001-01-02": "startDate"}
    for query, field in cases.items():
        r = client.get(f"/api/analytics/revenue?{query}", headers=account.headers)
        assert r.status_code == 422, query
        assert field in r.json()["error"]["fields"], query


def test_figures_are_private_to_the_tenant(client: TestClient, shop: Account, other_account: Account) -> None:
    other = other_account.headers
    data = client.get("/api/analytics/dashboard", headers=other).json()["data"]
    assert data["revenue"]["current"] == 0 and data["customers"]["total"] == 0
    assert data["deals"] == {"open": 0, "won": 0, "value": 0}
    assert client.get("/api/analytics/revenue?period=last_365_days",
                      headers=other).json()["data"]["revenue"] == 0
    r = client.get("/api/analytics/dashboard", headers={**other, "X-Tenant-Id": shop.tenant_id})
    assert r.status_code == 404 and r.json()["error"]["code"] == "TENANT_NOT_FOUND"
