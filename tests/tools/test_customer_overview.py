"""customer_overview through the public runtime, against the seeded demo tenant. Every figure is
checked against direct SQL over the rows (not against the repositories the tool uses), and
another tenant can neither read the customer nor leak its orders into it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from helpers import Account
from sqlalchemy import text

from core.errors import NotFound, ValidationFailed
from tools.context import Principal
from tools.crm.schemas_overview import CustomerOverviewOutput
from tools.runtime import execute

PAID = "status IN ('paid', 'fulfilled')"
OPEN = "stage IN ('lead', 'qualified', 'proposal', 'negotiation')"


def principal_of(account: Account) -> Principal:
    return Principal(user_id=account.user_id, tenant_id=account.tenant_id, role="admin",
                     email=account.email)


def rows(statement: str, **params: Any) -> list[Any]:
    """Raw SQL outside any tenant scope: the test's own view of the data."""
    from store.db import unit_of_work

    with unit_of_work() as session:
        return list(session.execute(text(statement), params).all())


def scalar(statement: str, **params: Any) -> Any:
    return rows(statement, **params)[0][0]


def run(statement: str, **params: Any) -> None:
    from store.db import unit_of_work

    with unit_of_work() as session:
        session.execute(text(statement), params)


def stamp(d: date) -> str:
    """How a UTC midnight is stored in SQLite, for raw comparisons."""
    return datetime.combine(d, time.min).strftime("%Y-%m-%d %H:%M:%S.%f")


def overview(who: Principal, customer_id: str, **args: Any) -> CustomerOverviewOutput:
    out = execute("customer_overview", who, {"customer_id": customer_id, **args})
    assert isinstance(out, CustomerOverviewOutput)
    return out


@pytest.fixture
def demo(demo_account: Account) -> Principal:
    return principal_of(demo_account)


@pytest.fixture
def buyer(demo: Principal) -> str:
    """A demo customer with paid orders and deals, open ones among them."""
    return str(scalar(
        f"""SELECT d.customer_id FROM deals d WHERE d.tenant_id = :t AND d.{OPEN}
        AND EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = d.customer_id AND o.{PAID})
        GROUP BY d.customer_id ORDER BY COUNT(*) DESC, d.customer_id LIMIT 1""", t=demo.tenant_id))


def spend_sql(
    tenant: str, customer: str, start: date | None = None, end: date | None = None
) -> tuple[float, int]:
    where = f"tenant_id = :t AND customer_id = :c AND {PAID}"
    params: dict[str, Any] = {"t": tenant, "c": customer}
    if start and end:
        where += " AND ordered_at >= :s AND ordered_at < :e"
        params.update(s=stamp(start), e=stamp(end))
    total, count = rows(f"SELECT COALESCE(SUM(total), 0), COUNT(*) FROM orders WHERE {where}", **params)[0]
    return float(total), int(count)


def test_figures_match_direct_sql(demo: Principal, buyer: str) -> None:
    t = demo.tenant_id
    out = overview(demo, buyer)
    today = datetime.now(UTC).date()

    assert out.customer.id == buyer
    assert out.customer.name == scalar("SELECT name FROM customers WHERE id = :c", c=buyer)
    total, count = spend_sql(t, buyer)
    assert count > 0
    assert out.order_count == count
    assert out.total_spend == pytest.approx(total, abs=0.01)
    assert out.average_order_value == pytest.approx(round(total / count, 2), abs=0.01)
    first, last = rows(f"SELECT MIN(ordered_at), MAX(ordered_at) FROM orders WHERE tenant_id = :t "
                       f"AND customer_id = :c AND {PAID}", t=t, c=buyer)[0]
    assert out.first_order_date == date.fromisoformat(str(first)[:10])
    assert out.last_order_date == date.fromisoformat(str(last)[:10])
    assert out.last_order_amount == pytest.approx(float(scalar(
        f"SELECT total FROM orders WHERE tenant_id = :t AND customer_id = :c AND {PAID} "
        "ORDER BY ordered_at DESC LIMIT 1", t=t, c=buyer)), abs=0.001)
    assert out.currency == "USD"

    # default period: this year to date
    start, end = date(today.year, 1, 1), today + timedelta(days=1)
    assert (out.period.label, out.period.start_date, out.period.end_date) == ("this year", start, today)
    period_total, period_count = spend_sql(t, buyer, start, end)
    assert out.period.spend == pytest.approx(period_total, abs=0.01)
    assert out.period.orders == period_count

    recent = rows("SELECT id, total, status FROM orders WHERE tenant_id = :t AND customer_id = :c "
                  "ORDER BY ordered_at DESC, id DESC LIMIT 5", t=t, c=buyer)
    assert [(o.id, o.total, o.status) for o in out.recent_orders] == [
        (i, pytest.approx(float(v), abs=0.001), s) for i, v, s in recent]
    assert [o.ordered_at for o in out.recent_orders] == sorted(
        (o.ordered_at for o in out.recent_orders), reverse=True)

    open_count, open_value = rows(f"SELECT COUNT(*), COALESCE(SUM(value), 0) FROM deals WHERE tenant_id = :t "
                                  f"AND customer_id = :c AND {OPEN}", t=t, c=buyer)[0]
    assert open_count > 0
    assert out.open_deal_count == open_count
    assert out.open_deal_value == pytest.approx(float(open_value), abs=0.01)
    open_ids = {r[0] for r in rows(
        f"SELECT id FROM deals WHERE tenant_id = :t AND customer_id = :c AND {OPEN}", t=t, c=buyer)}
    assert {d.id for d in out.open_deals} == open_ids  # a demo customer has fewer than 10
    assert all(d.stage in ("lead", "qualified", "proposal", "negotiation") for d in out.open_deals)
    closes = [d.expected_close_date for d in out.open_deals if d.expected_close_date]
    assert closes == sorted(closes)
    won_count, won_value = rows("SELECT COUNT(*), COALESCE(SUM(value), 0) FROM deals WHERE tenant_id = :t "
                                "AND customer_id = :c AND stage = 'closed_won'", t=t, c=buyer)[0]
    assert (out.won_deal_count, out.won_deal_value) == (won_count, pytest.approx(float(won_value), abs=0.01))
    assert out.lost_deal_count == scalar(
        "SELECT COUNT(*) FROM deals WHERE tenant_id = :t AND customer_id = :c AND stage = 'closed_lost'",
        t=t, c=buyer)

    status, changed, created = rows("SELECT status, status_changed_at, created_at FROM customers "
                                    "WHERE id = :c", c=buyer)[0]
    assert out.status_history.current == status == out.customer.status
    assert out.status_history.since is not None
    assert out.status_history.since.isoformat()[:19] == str(changed).replace(" ", "T")[:19]
    assert out.status_history.added_at.isoformat()[:19] == str(created).replace(" ", "T")[:19]


@pytest.mark.parametrize("period, start_of", [
    ("last_year", lambda today: (date(today.year - 1, 1, 1), date(today.year, 1, 1))),
    ("last_30_days", lambda today: (today - timedelta(days=29), today + timedelta(days=1))),
    ("this_month", lambda today: (today.replace(day=1), today + timedelta(days=1))),
])
def test_spend_in_a_named_period(demo: Principal, buyer: str, period: str, start_of: Any) -> None:
    today = datetime.now(UTC).date()
    start, end = start_of(today)
    out = overview(demo, buyer, period=period)
    assert (out.period.start_date, out.period.end_date) == (start, end - timedelta(days=1))
    assert out.period.label == period.replace("_", " ")
    total, count = spend_sql(demo.tenant_id, buyer, start, end)
    assert out.period.spend == pytest.approx(total, abs=0.01)
    assert out.period.orders == count
    assert out.total_spend == pytest.approx(spend_sql(demo.tenant_id, buyer)[0], abs=0.01)


def test_a_customer_without_orders(demo: Principal) -> None:
    created = execute("create_customer", demo, {"name": "Wren Halloway", "company": "Tern Studio"})
    cid = created.customer.id  # type: ignore[attr-defined]
    out = overview(demo, cid, period="last_quarter")
    assert (out.order_count, out.total_spend, out.average_order_value) == (0, 0.0, None)
    assert (out.first_order_date, out.last_order_date, out.last_order_amount) == (None, None, None)
    assert (out.period.spend, out.period.orders, out.recent_orders) == (0.0, 0, [])
    assert (out.open_deals, out.open_deal_count, out.won_deal_count, out.lost_deal_count) == ([], 0, 0, 0)
    assert out.status_history.current == "lead"


def test_refunds_show_in_recent_orders_but_not_in_spend(demo: Principal, buyer: str) -> None:
    from store.db import unit_of_work
    from store.models import Order

    before = overview(demo, buyer)
    with unit_of_work(demo.tenant_id) as session:
        session.add(Order(tenant_id=demo.tenant_id, customer_id=buyer, total=Decimal("4321.09"),
                          currency="USD", status="refunded", source="manual",
                          ordered_at=datetime.now(UTC) - timedelta(minutes=1)))
    try:
        after = overview(demo, buyer)
        assert after.recent_orders[0].total == 4321.09 and after.recent_orders[0].status == "refunded"
        assert (after.order_count, after.total_spend) == (before.order_count, before.total_spend)
        assert after.last_order_amount == before.last_order_amount
    finally:
        run("DELETE FROM orders WHERE customer_id = :c AND total = 4321.09", c=buyer)


def test_unknown_customer_and_bad_period(demo: Principal) -> None:
    with pytest.raises(NotFound):
        execute("customer_overview", demo, {"customer_id": "no-such-customer"})
    with pytest.raises(ValidationFailed):
        execute("customer_overview", demo, {"customer_id": "x", "period": "next_decade"})
    with pytest.raises(ValidationFailed):
        execute("customer_overview", demo, {})


@pytest.fixture
def foreign_order(other_account: Account, buyer: str) -> Iterator[str]:
    """An order written into another tenant that (wrongly) names a demo customer: it must never
    count towards that customer, whoever asks."""
    from store.db import unit_of_work
    from store.models import Order

    with unit_of_work() as session:
        order = Order(tenant_id=other_account.tenant_id, customer_id=buyer, total=Decimal("98765.43"),
                      currency="USD", status="paid", source="manual",
                      ordered_at=datetime.now(UTC) - timedelta(hours=1))
        session.add(order)
        session.flush()
        order_id = order.id
    yield order_id
    run("DELETE FROM orders WHERE id = :o", o=order_id)


def test_tenant_isolation(demo: Principal, buyer: str, other_account: Account, foreign_order: str) -> None:
    other = principal_of(other_account)
    with pytest.raises(NotFound):
        execute("customer_overview", other, {"customer_id": buyer})
    out = overview(demo, buyer)
    assert foreign_order not in {o.id for o in out.recent_orders}
    total, count = spend_sql(demo.tenant_id, buyer)
    assert (out.order_count, out.total_spend) == (count, pytest.approx(total, abs=0.01))
    # and the other way round: the other tenant's own customer is invisible to the demo owner
    theirs = execute("create_customer", other, {"name": "Quill Marsh"}).customer.id  # type: ignore[attr-defined]
    with pytest.raises(NotFound):
        execute("customer_overview", demo, {"customer_id": theirs})
    assert overview(other, theirs).order_count == 0
