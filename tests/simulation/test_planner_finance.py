"""The planner's arithmetic against hand-computed values: ROI, payback, NPV at a monthly-compounded
yearly rate (closed-form annuity), fractional months, the P10-P90 range, and timeline parsing."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from core.errors import ValidationFailed
from tools.planner import finance


@pytest.mark.parametrize(("text", "months"), [
    ("6 months", 6.0), ("1 year", 12.0), ("2 years", 24.0), ("12 weeks", 12 * 7 / (365.25 / 12)),
    ("90 days", 90 / (365.25 / 12)), ("a quarter", 3.0), ("18 mo", 18.0), ("six months", 6.0),
    ("1.5 years", 18.0), ("6-month", 6.0)])
def test_timelines(text: str, months: float) -> None:
    assert finance.parse_timeline(text) == pytest.approx(months)


@pytest.mark.parametrize("text", ["soon", "6", "months", "0 days", "11 years", "6 parsecs", "-3 months"])
def test_bad_timelines_name_the_field(text: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        finance.parse_timeline(text)
    assert err.value.details[0]["field"] == "timeline"


def test_six_month_launch_by_hand() -> None:
    m = 1.10 ** (1 / 12) - 1  # 10% a year, monthly
    pv = (50000 / 6) * (1 - (1 + m) ** -6) / m  # an ordinary annuity of six monthly payments
    a = finance.analyse(25000, 50000, 6.0, 10)
    assert a.roi == pytest.approx(100.0)
    assert a.payback_months == pytest.approx(3.0)
    assert a.npv == pytest.approx(pv - 25000, abs=1e-6)
    assert round(a.npv, 2) == 23633.68


def test_fractional_months_zero_rate_and_no_payback() -> None:
    months = 2.5
    m = 1.08 ** (1 / 12) - 1
    pv = 4000 / (1 + m) + 4000 / (1 + m) ** 2 + 2000 / (1 + m) ** 2.5
    assert finance.analyse(5000, 10000, months, 8).npv == pytest.approx(pv - 5000)
    flat = finance.analyse(30000, 20000, 12.0, 0)
    assert flat.npv == pytest.approx(-10000) and flat.roi == pytest.approx(-100 / 3)
    assert flat.payback_months is None


def test_risk_range_is_the_normal_quantiles() -> None:
    a = finance.analyse(25000, 50000, 6.0, 10)
    r = finance.risk(a, 25000, 50000, 0.2)
    z = stats.norm.ppf(0.9)
    assert r.npv_p10 == pytest.approx(a.present_value * (1 - 0.2 * z) - 25000)
    assert r.npv_p90 == pytest.approx(a.present_value * (1 + 0.2 * z) - 25000)
    assert r.roi_p10 == pytest.approx((50000 * (1 - 0.2 * z) - 25000) / 25000 * 100)
    assert r.probability_loss == pytest.approx(stats.norm.cdf((25000 / a.present_value - 1) / 0.2))
    assert r.npv_p10 < a.npv < r.npv_p90
    calm = finance.risk(a, 25000, 50000, 0.05)
    assert calm.npv_p90 - calm.npv_p10 < r.npv_p90 - r.npv_p10
    assert math.isclose(finance.risk(a, 25000, 50000, 0.0).probability_loss, 0.0)
