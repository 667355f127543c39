"""Two years of daily orders with a known trend and weekly seasonality, written straight to the
store for one tenant, so forecasts have something true to find.

Daily revenue = base + slope * day + amplitude * WEEKLY[weekday] + noise, split over a few
orders from a pool of customers; the series' figures are returned so tests can compare."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from store.db import unit_of_work
from store.models import Customer, Order

WEEKLY = (0.9, 1.0, 1.0, 1.05, 1.2, 1.5, 0.35)
"""Monday to Sunday multipliers: busy weekends, quiet Sundays."""


@dataclass(frozen=True)
class Seeded:
    first: date
    last: date
    daily: dict[date, float]
    customer_ids: list[str]
    customer_names: list[str]


def seasonal_orders(
    tenant_id: str,
    *,
    days: int = 730,
    base: float = 900.0,
    slope: float = 0.8,
    noise: float = 0.05,
    customers: int = 30,
    seed: int = 7,
    name_prefix: str = "Shopper",
) -> Seeded:
    """Insert the orders (ending yesterday) and their customers; return what was written."""
    rng = random.Random(seed)
    last = datetime.now(UTC).date() - timedelta(days=1)
    first = last - timedelta(days=days - 1)
    daily: dict[date, float] = {}
    with unit_of_work(tenant_id) as session:
        pool = [
            Customer(
                tenant_id=tenant_id,
                name=f"{name_prefix} {i} {tenant_id[:4]}",
                status="active",
                company=f"{name_prefix} Co {i}",
            )
            for i in range(customers)
        ]
        session.add_all(pool)
        session.flush()
        for n in range(days):
            day = first + timedelta(days=n)
            value = (base + slope * n) * WEEKLY[day.weekday()] * (1 + rng.gauss(0, noise))
            parts = rng.randint(2, 4)
            for k in range(parts):
                buyer = pool[(n * 3 + k) % customers] if n > customers else pool[n % customers]
                session.add(
                    Order(
                        tenant_id=tenant_id,
                        customer_id=buyer.id,
                        status="paid",
                        currency="USD",
                        source="manual",
                        total=Decimal(f"{value / parts:.2f}"),
                        ordered_at=datetime.combine(day, time(10 + k), UTC),
                    )
                )
            daily[day] = value
        ids, names = [c.id for c in pool], [c.name for c in pool]
    return Seeded(first, last, daily, ids, names)
