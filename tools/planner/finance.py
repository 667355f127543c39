"""The planner's arithmetic, kept free of the database so each figure can be checked by hand.

The model an analysis states in its `assumptions`:
- the investment is paid up front (month 0);
- the expected revenue is the initiative's cash return, received evenly over the timeline: one
  payment per month of revenue / months, and a last partial one for a fractional month
  ("12 weeks" is 2.76 months: two full payments and 0.76 of one at month 2.76);
- the yearly discount rate r is applied monthly as (1 + r) ** (1/12) - 1;
- ROI = (revenue - investment) / investment; payback is when the undiscounted payments reach the
  investment (None when they never do within the timeline);
- risk: the business's monthly revenue varies with a coefficient of variation cv (its own order
  history); the initiative's revenue is assumed as uncertain, as one multiplier on every payment,
  normal with mean 1 and sd cv (floored at 0). NPV and ROI are linear in it, so P10 and P90 are
  exact: NPV_p = -investment + PV x max(0, 1 + z_p cv).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from scipy import stats

from core.errors import ValidationFailed

DAYS_PER_MONTH = 365.25 / 12
MAX_MONTHS = 120.0
UNITS = {
    "day": 1 / DAYS_PER_MONTH, "d": 1 / DAYS_PER_MONTH,
    "week": 7 / DAYS_PER_MONTH, "wk": 7 / DAYS_PER_MONTH, "w": 7 / DAYS_PER_MONTH,
    "month": 1.0, "mo": 1.0, "mth": 1.0, "m": 1.0,
    "quarter": 3.0, "qtr": 3.0, "q": 3.0,
    "year": 12.0, "yr": 12.0, "y": 12.0,
}
WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
         "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18,
         "half a": 0.5}
TIMELINE = re.compile(r"^\s*(?P<n>\d+(?:\.\d+)?|half a|an?|one|two|three|four|five|six|seven|eight"
                      r"|nine|ten|eleven|twelve|eighteen)\s*-?\s*(?P<unit>[a-z]+?)s?\s*$")
Z10 = float(stats.norm.ppf(0.10))
Z90 = float(stats.norm.ppf(0.90))


def parse_timeline(text: str) -> float:
    """"6 months" -> 6.0, "1 year" -> 12.0, "12 weeks" -> 2.76, "90 days" -> 2.96, "a quarter"
    -> 3.0; anything else (or over ten years) is a validation error naming the field."""
    match = TIMELINE.match(text.lower())
    unit = UNITS.get(match.group("unit")) if match else None
    if match is None or unit is None:
        raise ValidationFailed(
            f"Cannot read the timeline {text[:40]!r}: write a number and a unit, such as "
            "\"6 months\", \"1 year\", \"12 weeks\" or \"90 days\"",
            details=[{"field": "timeline", "message": "a number and a unit (days, weeks, months, "
                                                      "quarters, years), e.g. 6 months"}])
    raw = match.group("n")
    months = (float(raw) if raw[0].isdigit() else float(WORDS[raw])) * unit
    if not 0 < months <= MAX_MONTHS:
        raise ValidationFailed(
            f"The timeline must be more than 0 and at most {MAX_MONTHS:g} months",
            details=[{"field": "timeline", "message": f"between a day and {MAX_MONTHS:g} months"}])
    return months


def monthly_rate(yearly_percent: float) -> float:
    return float((1 + yearly_percent / 100) ** (1 / 12) - 1)


def payments(revenue: float, months: float) -> list[tuple[float, float]]:
    """(month, amount) of each payment: evenly per month, the last one partial."""
    per_month = revenue / months
    full = math.floor(months + 1e-9)
    out = [(float(k), per_month) for k in range(1, full + 1)]
    rest = months - full
    if rest > 1e-9:
        out.append((months, per_month * rest))
    return out


def present_value(revenue: float, months: float, yearly_percent: float) -> float:
    rate = monthly_rate(yearly_percent)
    return sum(amount / (1 + rate) ** month for month, amount in payments(revenue, months))


def payback_months(investment: float, revenue: float, months: float) -> float | None:
    """Months until the undiscounted payments cover the investment, within the timeline."""
    if revenue < investment or revenue <= 0:
        return None
    return investment / (revenue / months)


@dataclass(frozen=True)
class Analysis:
    months: float
    roi: float
    """Percent."""
    payback_months: float | None
    npv: float
    present_value: float
    discount_rate: float


@dataclass(frozen=True)
class Risk:
    volatility: float
    """Coefficient of variation of monthly revenue."""
    npv_p10: float
    npv_p90: float
    roi_p10: float
    roi_p90: float
    probability_loss: float
    """P(NPV < 0) under the stated model."""


def analyse(investment: float, revenue: float, months: float, discount_rate: float) -> Analysis:
    pv = present_value(revenue, months, discount_rate)
    return Analysis(months=months, roi=(revenue - investment) / investment * 100,
                    payback_months=payback_months(investment, revenue, months), npv=pv - investment,
                    present_value=pv, discount_rate=discount_rate)


def risk(analysis: Analysis, investment: float, revenue: float, cv: float) -> Risk:
    low, high = max(0.0, 1 + Z10 * cv), max(0.0, 1 + Z90 * cv)
    pv = analysis.present_value
    if cv <= 0:
        loss = 1.0 if pv < investment else 0.0
    elif pv <= 0:
        loss = 1.0
    else:
        loss = float(stats.norm.cdf((investment / pv - 1) / cv))
    return Risk(volatility=cv, npv_p10=pv * low - investment, npv_p90=pv * high - investment,
                roi_p10=(revenue * low - investment) / investment * 100,
                roi_p90=(revenue * high - investment) / investment * 100, probability_loss=loss)
