"""Revenue over time, the top customers, "new customers since" and average deal sizes over REST.

Every figure is checked against direct SQL over the orders the test wrote (not against the code
under test), and another tenant's orders are never counted."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

if TYPE_CHECKING:
    from tests.api.conftest import Crm, SqlFn
    from tests.conftest import Account

REVENUE_SQL = """SELECT COALESCE(SUM(total), 0) FROM orders WHERE tenant_id = :t
AND status IN ('paid', 'fulfilled') AND ordered_at >= :s AND ordered_at < :e"""
COUNT_SQL = """SELECT COUNT(*) FROM orders WHERE tenant_id = :t
AND status IN ('paid', 'fulfilled') AND ordered_at >= :s AND ordered_at < :e"""
CUSTOMER_SQL = """SELECT COALESCE(SUM(total), 0) FROM orders WHERE tenant_id = :t AND customer_id = :c
AND status IN ('paid', 'fulfilled') AND ordered_at >= :s AND ordered_at < :e"""
# (total, status, ordered_at) in January to March 2025, plus a refund that must not count.
ROWS = [("100.00", "paid", datetime(2025, 1, 3, 23, 59, tzinfo=UTC)),
        ("250.50", "fulfilled", datetime(2025, 1, 20, 8, tzinfo=UTC)),
        ("999.00", "refunded", datetime(2025, 2, 2, 12, tzinfo=UTC)),
        ("40.00", "paid", datetime(2025, 2, 28, 0, 0, tzinfo=UTC)),
        ("600.00", "paid", datetime(2025, 3, 31, 23, 59, 59, tzinfo=UTC)),
        ("75.25", "paid", datetime(2025, 3, 10, 9, tzinfo=UTC))]


def stamp(d: date) -> str:
    return datetime.combine(d, time.min).strftime("%Y-%m-%d %H:%M:%S.%f")


def sql_sum(sql: SqlFn, tenant: str, start: date, end_inclusive: date) -> tuple[float, int]:
    bounds = {"t": tenant, "s": stamp(start), "e": stamp(end_inclusive + timedelta(days=1))}
    return float(sql(REVENUE_SQL, **bounds)), int(sql(COUNT_SQL, **bounds))


def insert(tenant_id: str, rows: list[tuple[str, str, datetime, str | None]]) -> None:
    """Orders through the store (there is no order endpoint), optionally linked to a customer."""
    from store.db import unit_of_work
    from store.models import Order

    with unit_of_work(tenant_id) as session:
        for total, status, at, customer_id in rows:
            session.add(Order(tenant_id=tenant_id, total=Decimal(total), status=status, currency="USD",
                              source="manual", ordered_at=at, customer_id=customer_id))


def get(client: TestClient, account: Account, path: str, status: int = 200) -> dict[str, Any]:
    r = client.get(path, headers=account.headers)
    assert r.status_code == status, r.text
    return dict(r.json()["data"] if status == 200 else r.json()["error"])


@pytest.fixture
def quarter(account: Account) -> Account:
    insert(account.tenant_id, [(*row, None) for row in ROWS])
    return account


def test_monthly_trend_equals_sql_per_month(client: TestClient, quarter: Account, sql: SqlFn) -> None:
    data = get(client, quarter, "/api/analytics/revenue/trend?startDate=2025-01-01&endDate=2025-03-31")
    assert data["granularity"] == "month" and data["currency"] == "USD"
    assert [b["label"] for b in data["buckets"]] == ["January 2025", "February 2025", "March 2025"]
    for bucket in data["buckets"]:
        start, end = date.fromisoformat(bucket["startDate"]), date.fromisoformat(bucket["endDate"])
        assert (bucket["revenue"], bucket["orders"]) == sql_sum(sql, quarter.tenant_id, start, end)
        assert bucket["partial"] is False
    assert [b["revenue"] for b in data["buckets"]] == [350.5, 40.0, 675.25]
    assert (data["totalRevenue"], data["totalOrders"]) == sql_sum(
        sql, quarter.tenant_id, date(2025, 1, 1), date(2025, 3, 31))
    assert data["best"]["label"] == "March 2025" and data["worst"]["label"] == "February 2025"
    assert data["averageRevenue"] == pytest.approx((350.5 + 40 + 675.25) / 3, abs=0.01)


def test_weekly_and_daily_buckets_cover_every_day_once(
    client: TestClient, quarter: Account, sql: SqlFn
) -> None:
    weeks = get(client, quarter, "/api/analytics/revenue/trend?granularity=week&month=2025-03")
    first, last = weeks["buckets"][0], weeks["buckets"][-1]
    assert first["startDate"] == "2025-03-01" and first["partial"] is True  # a Saturday
    assert last["endDate"] == "2025-03-31" and last["partial"] is True
    assert all(b["label"].startswith("week of ") for b in weeks["buckets"])
    assert sum(b["revenue"] for b in weeks["buckets"]) == pytest.approx(675.25)
    for bucket in weeks["buckets"]:
        start, end = date.fromisoformat(bucket["startDate"]), date.fromisoformat(bucket["endDate"])
        assert (bucket["revenue"], bucket["orders"]) == sql_sum(sql, quarter.tenant_id, start, end)
    days = get(client, quarter, "/api/analytics/revenue/trend?granularity=day&month=2025-01")
    assert len(days["buckets"]) == 31 and days["totalOrders"] == 2
    by_day = {b["startDate"]: b["revenue"] for b in days["buckets"]}
    assert by_day["2025-01-03"] == 100.0 and by_day["2025-01-04"] == 0  # 23:59 UTC stays on its day
    assert days["best"]["startDate"] == "2025-01-20" and days["worst"]["revenue"] == 0


def test_default_trend_is_the_last_twelve_months(client: TestClient, account: Account, sql: SqlFn) -> None:
    now = datetime.now(UTC)
    insert(account.tenant_id, [("10.00", "paid", now - timedelta(hours=1), None),
                               ("20.00", "paid", now - timedelta(days=400), None)])
    data = get(client, account, "/api/analytics/revenue/trend")
    assert data["label"] == "last 12 months" and len(data["buckets"]) == 12
    assert data["buckets"][-1]["endDate"] == data["endDate"] == now.date().isoformat()
    assert data["totalRevenue"] == sql_sum(sql, account.tenant_id, date.fromisoformat(data["startDate"]),
                                           now.date())[0] == 10.0
    empty = get(client, account, "/api/analytics/revenue/trend?period=last_quarter")
    assert empty["best"] is None and empty["worst"] is None and empty["totalRevenue"] == 0


def test_top_customers_rank_by_paid_revenue(
    client: TestClient, account: Account, crm: Crm, sql: SqlFn
) -> None:
    now = datetime.now(UTC)
    big, small, idle = (crm.customer(account, name=n, company="Acme") for n in ("Big", "Small", "Idle"))
    insert(account.tenant_id, [
        ("500.00", "paid", now - timedelta(days=3), big["id"]),
        ("300.00", "paid", now - timedelta(days=40), big["id"]),
        ("900.00", "refunded", now - timedelta(days=2), small["id"]),
        ("120.00", "paid", now - timedelta(days=1), small["id"]),
        ("80.00", "paid", now - timedelta(days=5), None),
        ("5000.00", "paid", now - timedelta(days=500), idle["id"]),
    ])
    data = get(client, account, "/api/analytics/top-customers")
    assert data["label"] == "last 365 days"
    assert [c["name"] for c in data["customers"]] == ["Big", "Small"]
    start, end = date.fromisoformat(data["startDate"]), date.fromisoformat(data["endDate"])
    bounds = {"t": account.tenant_id, "s": stamp(start), "e": stamp(end + timedelta(days=1))}
    for c in data["customers"]:
        assert c["revenue"] == float(sql(CUSTOMER_SQL, c=c["customerId"], **bounds))
    first = data["customers"][0]
    assert (first["rank"], first["orders"], first["company"]) == (1, 2, "Acme")
    assert first["lastOrderDate"] == (now - timedelta(days=3)).date().isoformat()
    assert (data["totalRevenue"], data["totalOrders"]) == sql_sum(sql, account.tenant_id, start, end)
    assert first["sharePercent"] == pytest.approx(800 / 1000 * 100)
    assert (data["customersWithOrders"], data["unattributedRevenue"]) == (2, 80.0)
    one = get(client, account, "/api/analytics/top-customers?limit=1&period=last_7_days")
    assert [(c["name"], c["revenue"]) for c in one["customers"]] == [("Big", 500.0)]


def test_other_tenants_orders_are_never_counted(
    client: TestClient, quarter: Account, other_account: Account, crm: Crm
) -> None:
    now = datetime.now(UTC)
    theirs = crm.customer(other_account, name="Their Customer")
    insert(other_account.tenant_id, [("7000.00", "paid", datetime(2025, 2, 10, tzinfo=UTC), theirs["id"]),
                                     ("3000.00", "paid", now - timedelta(days=2), theirs["id"])])
    mine = get(client, quarter, "/api/analytics/revenue/trend?startDate=2025-01-01&endDate=2025-03-31")
    assert mine["totalRevenue"] == 350.5 + 40 + 75.25 + 600
    assert get(client, quarter, "/api/analytics/top-customers")["customers"] == []
    quarter_path = "/api/analytics/revenue/trend?startDate=2025-01-01&endDate=2025-03-31"
    their_trend = get(client, other_account, quarter_path)
    assert their_trend["totalRevenue"] == 7000
    their_top = get(client, other_account, "/api/analytics/top-customers")
    assert [(c["name"], c["revenue"]) for c in their_top["customers"]] == [("Their Customer", 3000.0)]
    r = client.get("/api/analytics/top-customers",
                   headers={**other_account.headers, "X-Tenant-Id": quarter.tenant_id})
    assert r.status_code == 404 and r.json()["error"]["code"] == "TENANT_NOT_FOUND"


@pytest.mark.parametrize(("path", "field"), [
    ("/api/analytics/revenue/trend?granularity=hour", "granularity"),
    ("/api/analytics/revenue/trend?granularity=day&startDate=2020-01-01&endDate=2025-01-01", "granularity"),
    ("/api/analytics/revenue/trend?startDate=2025-05-10&endDate=2025-05-01", "endDate"),
    ("/api/analytics/revenue/trend?month=2025-13", "month"),
    ("/api/analytics/top-customers?limit=101", "limit"),
    ("/api/analytics/top-customers?period=fortnight", "period"),
])
def test_bad_input_is_a_validation_error(client: TestClient, account: Account, path: str, field: str) -> None:
    error = get(client, account, path, status=422)
    assert error["code"] == "VALIDATION_ERROR" and field in error["fields"], error


def test_new_customers_between_two_days(client: TestClient, account: Account, crm: Crm, sql: SqlFn) -> None:
    for i in range(3):
        crm.customer(account, name=f"New {i}")
    today = datetime.now(UTC).date()
    tomorrow = today + timedelta(days=1)
    expected = sql("SELECT COUNT(*) FROM customers WHERE tenant_id = :t AND created_at >= :s",
                   t=account.tenant_id, s=stamp(today))
    since = get(client, account, f"/api/crm/customers?createdAfter={today}")
    assert since["pagination"]["total"] == expected == 3
    assert get(client, account, f"/api/crm/customers?createdAfter={tomorrow}")["pagination"]["total"] == 0
    assert get(client, account, f"/api/crm/customers?createdBefore={today}")["pagination"]["total"] == 0
    window = f"createdAfter={today}&createdBefore={tomorrow}&limit=2"
    assert get(client, account, f"/api/crm/customers?{window}")["pagination"]["total"] == 3


def test_pipeline_reports_average_deal_sizes(client: TestClient, account: Account, crm: Crm) -> None:
    assert get(client, account, "/api/crm/pipeline")["averageOpenDealValue"] is None
    for stage, value in (("lead", 1000), ("proposal", 2500), ("closed_won", 4000), ("closed_won", 1000),
                         ("closed_lost", 700)):
        crm.deal(account, stage=stage, value=value)
    data = get(client, account, "/api/crm/pipeline")
    assert data["averageOpenDealValue"] == 1750 and data["averageWonDealValue"] == 2500
