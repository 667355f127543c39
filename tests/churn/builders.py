"""Synthetic churn data: customers who order every 5-15 days until, for some, a day they stop.
Churn then depends on recency (a customer who stopped has a long time since the last order),
which a working model must find. As in-memory histories (model tests) or database rows (tool
and API tests)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
from sqlalchemy import insert

from core.ids import new_id
from tools.churn.features import CustomerRow, History

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def plan(n: int = 120, seed: int = 3, now: datetime = NOW) -> list[dict[str, Any]]:
    """Per customer: id, name, created_at and its order times and totals."""
    rng = random.Random(seed)
    customers = []
    for i in range(n):
        created = now - timedelta(days=600 + rng.randint(0, 60))
        stop = now - timedelta(days=rng.randint(0, 420)) if rng.random() < 0.5 else now + timedelta(days=1)
        at, orders = created + timedelta(days=rng.randint(0, 10)), []
        while at < min(stop, now):
            orders.append((at, round(rng.uniform(20, 200), 2)))
            at += timedelta(days=rng.randint(5, 15), hours=rng.randint(0, 23))
        customers.append({"id": new_id(), "name": f"Synthetic Customer {i:03d}", "created_at": created,
                          "orders": orders})
    return customers


def history(customers: list[dict[str, Any]]) -> History:
    rows = [CustomerRow(c["id"], c["name"], None, "active", c["created_at"], None) for c in customers]
    orders = {c["id"]: (np.array([a.timestamp() for a, _ in c["orders"]]),
                        np.array([t for _, t in c["orders"]])) for c in customers if c["orders"]}
    return History(rows, orders, {})


def seed_tenant(session: Any, tenant_id: str, customers: list[dict[str, Any]]) -> None:
    """Write the plan's customers and paid orders into a tenant (a tenant-scoped session)."""
    from store.models import Customer, Order

    for c in customers:
        session.add(Customer(id=c["id"], tenant_id=tenant_id, name=c["name"], status="active",
                             created_at=c["created_at"], updated_at=c["created_at"], tags=[],
                             custom_fields={}))
    session.flush()
    rows = [{"id": new_id(), "tenant_id": tenant_id, "customer_id": c["id"], "total": Decimal(str(t)),
             "currency": "USD", "status": "paid", "source": "manual", "ordered_at": at}
            for c in customers for at, t in c["orders"]]
    if rows:
        session.execute(insert(Order), rows)
