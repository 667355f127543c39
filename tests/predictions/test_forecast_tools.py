"""The forecasting tools on a shop with known history: windows, intervals, the backtest, the
comparison with the periods before, customers, and an honest refusal with no history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from helpers import Account
from predictions.conftest import principal_of
from predictions.seasonal import Seeded

from tools.forecasting.types import InsufficientHistory
from tools.predictions.schemas import ForecastOut
from tools.runtime import execute


def test_thirty_days_of_revenue(shop: tuple[Account, Seeded]) -> None:
    account, seeded = shop
    out = execute("forecast_metric", principal_of(account), {"metric": "revenue"})
    assert isinstance(out, ForecastOut)
    today = datetime.now(UTC).date()
    assert out.granularity == "day" and len(out.points) == 30
    assert out.points[0].date == today and out.end_date == today + timedelta(days=29)
    assert out.lower < out.total < out.upper and out.level == 0.95
    assert out.total == pytest.approx(sum(p.value for p in out.points), abs=0.05)
    previous = sum(seeded.daily[today - timedelta(days=d)] for d in range(1, 31))
    assert out.previous_total == pytest.approx(previous, rel=1e-3)
    assert out.change_pct == pytest.approx((out.total - previous) / previous * 100, abs=0.1)
    assert out.backtest.origins > 0 and out.backtest.mase is not None
    assert out.accuracy.score == pytest.approx(max(0.0, 100 - (out.backtest.smape or 0)), abs=0.06)
    # weekly seasonality is found: Saturdays forecast above Sundays
    saturday = next(p.value for p in out.points if p.date.weekday() == 5)
    sunday = next(p.value for p in out.points if p.date.weekday() == 6)
    assert saturday > 2 * sunday


def test_next_quarter_is_forecast_per_month(shop: tuple[Account, Seeded]) -> None:
    account, _ = shop
    today = datetime.now(UTC).date()
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) + relativedelta(months=3)
    last = first + relativedelta(months=3) - timedelta(days=1)
    out = execute(
        "forecast_metric",
        principal_of(account),
        {"metric": "orders", "start_date": str(first), "end_date": str(last), "confidence": 80},
    )
    assert isinstance(out, ForecastOut)
    assert out.granularity == "month" and [p.date for p in out.points] == [
        first,
        first + relativedelta(months=1),
        first + relativedelta(months=2),
    ]
    assert out.level == 0.8 and out.lower <= out.total <= out.upper


def test_customer_spend_and_isolation(shop: tuple[Account, Seeded], other_account: Account) -> None:
    account, seeded = shop
    out = execute("forecast_customer_spend", principal_of(account), {"customer_id": seeded.customer_ids[0]})
    assert isinstance(out, ForecastOut)
    assert out.customer_name == seeded.customer_names[0] and out.granularity == "month"
    assert out.total >= 0 and out.points
    with pytest.raises(Exception) as err:
        execute(
            "forecast_customer_spend", principal_of(other_account), {"customer_id": seeded.customer_ids[0]}
        )
    assert getattr(err.value, "status_code", None) == 404


def test_no_history_is_said_not_invented(account: Account) -> None:
    with pytest.raises(InsufficientHistory) as err:
        execute("forecast_metric", principal_of(account), {"metric": "revenue"})
    assert err.value.code == "INSUFFICIENT_DATA" and "0 periods" in err.value.message


def test_a_past_window_is_refused(shop: tuple[Account, Seeded]) -> None:
    account, _ = shop
    with pytest.raises(Exception) as err:
        execute("forecast_metric", principal_of(account), {"end_date": "2020-01-31"})
    assert getattr(err.value, "code", "") == "VALIDATION_ERROR"
