"""Rows for insight tests, written straight through the store into one workspace."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta

from core.ids import new_id
from store.db import unit_of_work

NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)


def month_start(now: datetime, months_back: int) -> datetime:
    first = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return first - relativedelta(months=months_back)


def add(tenant_id: str, *rows: Any) -> None:
    with unit_of_work(tenant_id) as session:
        for row in rows:
            session.add(row)


def order(tenant_id: str, total: float, at: datetime, customer_id: str | None = None) -> Any:
    from store.models import Order

    return Order(tenant_id=tenant_id, total=Decimal(str(total)), status="paid", currency="USD",
                 source="manual", ordered_at=at, customer_id=customer_id)


def customer(tenant_id: str, name: str) -> Any:
    from store.models import Customer

    return Customer(id=new_id(), tenant_id=tenant_id, name=name, status="active", tags=[],
                    custom_fields={})


def deal(tenant_id: str, value: float, updated: datetime, stage: str = "proposal") -> Any:
    from store.models import Deal

    return Deal(tenant_id=tenant_id, title=f"Deal {new_id()[:6]}", value=Decimal(str(value)),
                stage=stage, probability=50, created_at=updated, updated_at=updated)


def invoice(tenant_id: str, amount: float, due: date, status: str = "open") -> Any:
    from store.models import Invoice

    return Invoice(tenant_id=tenant_id, amount_due=Decimal(str(amount)), amount_paid=Decimal("0"),
                   due_date=due, status=status, currency="USD")


def incident(tenant_id: str, severity: str, status: str = "open") -> Any:
    from store.models import TrustIncident

    return TrustIncident(tenant_id=tenant_id, platform="shopify", signal="freshness", severity=severity,
                         status=status, title=f"Shopify data is stale ({severity})", details={})


def security_issue(tenant_id: str, severity: str, resolved: bool = False) -> Any:
    from store.models import SecurityIssue

    return SecurityIssue(tenant_id=tenant_id, key=f"k_{new_id()[:8]}", rule="mfa_adoption",
                         severity=severity, category="authentication", title=f"A {severity} issue",
                         resolved_at=NOW - timedelta(days=1) if resolved else None)
