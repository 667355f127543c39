"""The demo tenant's marketing funnel: daily series that drive each other with KNOWN lags, so the
causal simulator has something true to find and a test can check that it finds it.

    marketing_spend --7 days--> website_sessions --7 days--> conversions --7 days--> attributed_revenue

Each link is log-linear (a 1% change in the driver moves the target by its elasticity, `LINKS`),
with weekly seasonality and multiplicative noise. Spend is the input: a base budget with a slow
trend, lower weekends, and campaign bursts (one to two weeks at +40..+120%), which give the data
the variation a lagged regression needs to identify the effects.

Why `attributed_revenue` and not `revenue`: the demo's revenue is its orders (two years of
seeded orders that other features forecast), and those orders were not generated from
conversions. Writing a second "revenue" here would contradict them, so the funnel ends in the
revenue an ad platform attributes to web conversions, and the simulator shows order revenue as
its own node with the edges the data supports (none, honestly, for the demo's orders).

Deterministic: the whole series is generated from one seed and the first day, so topping up
later days (a demo started weeks later) reproduces the days already stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from core.ids import new_id
from store.models.action_hub import DailyMetric

SEED = 20240107
DAYS = 730
SPEND = "marketing_spend"
SESSIONS = "website_sessions"
CONVERSIONS = "conversions"
ATTRIBUTED_REVENUE = "attributed_revenue"


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    lag_days: int
    elasticity: float
    """d log(target) / d log(source): the sign and size a fit should recover."""


LINKS: tuple[Link, ...] = (
    Link(SPEND, SESSIONS, 7, 0.8),
    Link(SESSIONS, CONVERSIONS, 7, 0.9),
    Link(CONVERSIONS, ATTRIBUTED_REVENUE, 7, 1.0),
)
METRICS: tuple[str, ...] = (SPEND, SESSIONS, CONVERSIONS, ATTRIBUTED_REVENUE)
BURN_IN = sum(link.lag_days for link in LINKS)
HORIZON = 3650
"""Days generated on every call (then cut to what was asked), so a top-up reproduces old days."""
WEEKLY = np.array([1.05, 1.08, 1.06, 1.02, 0.97, 0.88, 0.84])
"""Monday..Sunday multipliers for sessions (spend uses its own, flatter pattern)."""


def generate(first_day: date, days: int, *, seed: int = SEED) -> dict[str, np.ndarray]:
    """The four series from `first_day` for `days` days (arrays of floats, one per metric).

    Each target's log is its scale, plus elasticity x the log of its driver `lag_days` earlier
    (relative to the driver's mean), plus weekly seasonality and noise: exactly the model the
    simulator fits, so a fit on enough days recovers LINKS' lags, signs and elasticities."""
    rng = np.random.default_rng(seed)
    n = max(days, HORIZON) + BURN_IN  # a fixed length: the same draws whatever `days` asks for
    t = np.arange(n)
    weekday = (np.arange(n) + (first_day - timedelta(days=BURN_IN)).weekday()) % 7
    spend = 400.0 * (1 + 0.0004 * t) * np.where(weekday >= 5, 0.8, 1.0)
    bursts = np.ones(n)
    start = int(rng.integers(5, 30))
    while start < n:
        length = int(rng.integers(7, 15))
        bursts[start:start + length] *= 1 + rng.uniform(0.4, 1.2)
        start += length + int(rng.integers(20, 60))
    spend = spend * bursts * np.exp(rng.normal(0, 0.18, n))
    series = {SPEND: spend}
    scale = {SESSIONS: 900.0, CONVERSIONS: 30.0, ATTRIBUTED_REVENUE: 2600.0}
    noise = {SESSIONS: 0.08, CONVERSIONS: 0.10, ATTRIBUTED_REVENUE: 0.09}
    for link in LINKS:
        driver = np.log(series[link.source])
        lagged = np.concatenate([np.full(link.lag_days, driver[:BURN_IN].mean()), driver[:-link.lag_days]])
        log_target = (np.log(scale[link.target]) + link.elasticity * (lagged - driver.mean())
                      + (np.log(WEEKLY[weekday]) if link.target == SESSIONS else 0.0)
                      + rng.normal(0, noise[link.target], n))
        series[link.target] = np.exp(log_target)
    series[CONVERSIONS] = np.maximum(np.round(series[CONVERSIONS]), 1.0)
    return {name: np.round(values[BURN_IN:BURN_IN + days], 2) for name, values in series.items()}


def seed_metrics(session: Session, tenant_id: str, today: date, *, days: int = DAYS,
                 seed: int = SEED, metrics: Sequence[str] = METRICS) -> int:
    """Store the funnel for the `days` days before `today` (or top up the days after the last
    stored one, regenerated from the same first day). Returns the number of rows written."""
    first = session.scalar(select(func.min(DailyMetric.day)).where(
        DailyMetric.tenant_id == tenant_id, DailyMetric.metric == metrics[0]))
    last = session.scalar(select(func.max(DailyMetric.day)).where(
        DailyMetric.tenant_id == tenant_id, DailyMetric.metric == metrics[0]))
    first = first or today - timedelta(days=days)
    span = (today - first).days
    if span <= 0 or (last is not None and last >= today - timedelta(days=1)):
        return 0
    values = generate(first, span, seed=seed)
    rows = []
    for i in range(span):
        day = first + timedelta(days=i)
        if last is not None and day <= last:
            continue
        rows += [{"id": new_id(), "tenant_id": tenant_id, "metric": m, "day": day,
                  "value": float(values[m][i]), "source": "demo"} for m in metrics]
    for i in range(0, len(rows), 5000):
        session.execute(insert(DailyMetric), rows[i:i + 5000])
    return len(rows)
