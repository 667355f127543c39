"""Named recipient rules: who an action reaches, each a documented query over the tenant's data.

- `overdue_customers`: customers with an unpaid invoice (status open or uncollectible, amount paid
  below amount due) older than N days (default 30) by its issue date, or its due date when no
  issue date is known. Invoices come from the Stripe connector.
- `new_leads_this_week`: customers with status lead created since Monday 00:00 UTC of this week.
- `inactive_customers`: customers who have ordered, whose last order is more than N days old
  (default 90).
- `all_customers`: every customer.
- `triggering_customer`: the customer the triggering event is about (event triggers only).

Each recipient carries the customer's fields plus what the rule found (amount overdue, days
since the last order), for the template to say.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core.errors import ValidationFailed
from store.models import Customer, Invoice, Order

MAX_RECIPIENTS = 1000
UNPAID = ("open", "uncollectible")
DEFAULT_DAYS = {"overdue_customers": 30, "inactive_customers": 90}


@dataclass
class Recipient:
    customer: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def email(self) -> str | None:
        value = self.customer.get("email")
        return str(value) if value else None


def customer_fields(c: Customer) -> dict[str, Any]:
    """What a template may say about a customer: its own fields and its custom fields."""
    first = (c.name or "").split(" ")[0]
    return {**{str(k): v for k, v in (c.custom_fields or {}).items()},
            "id": c.id, "name": c.name, "first_name": first, "email": c.email, "phone": c.phone,
            "company": c.company, "status": c.status, "tags": list(c.tags or [])}


def _money(value: Decimal | float | int | None) -> float:
    return round(float(value or 0), 2)


def overdue_customers(session: Session, today: date, days: int, **_: Any) -> list[Recipient]:
    cutoff_day = today - timedelta(days=days)
    cutoff = datetime.combine(cutoff_day, time.min, tzinfo=UTC)
    rows = session.execute(
        select(Invoice, Customer).join(Customer, Customer.id == Invoice.customer_id)
        .where(Invoice.status.in_(UNPAID), Invoice.amount_paid < Invoice.amount_due,
               or_(Invoice.issued_at < cutoff,
                   Invoice.issued_at.is_(None) & (Invoice.due_date < cutoff_day)))
        .order_by(Customer.name, Invoice.issued_at)
    ).all()
    found: dict[str, Recipient] = {}
    for invoice, customer in rows:
        issued = invoice.issued_at.date() if invoice.issued_at else invoice.due_date
        r = found.setdefault(customer.id, Recipient(customer_fields(customer), {
            "invoice_count": 0, "amount_due": 0.0, "currency": invoice.currency, "days_overdue": 0,
            "invoice_numbers": []}))
        r.extra["invoice_count"] += 1
        r.extra["amount_due"] = round(r.extra["amount_due"] + _money(invoice.amount_due)
                                      - _money(invoice.amount_paid), 2)
        r.extra["days_overdue"] = max(r.extra["days_overdue"], (today - issued).days if issued else 0)
        if invoice.number:
            r.extra["invoice_numbers"].append(invoice.number)
    return list(found.values())


def new_leads_this_week(session: Session, today: date, now: datetime, **_: Any) -> list[Recipient]:
    monday = datetime.combine(today - timedelta(days=today.weekday()), time.min, tzinfo=now.tzinfo)
    rows = session.scalars(select(Customer).where(Customer.status == "lead", Customer.created_at >= monday)
                           .order_by(Customer.created_at))
    return [Recipient(customer_fields(c)) for c in rows]


def inactive_customers(session: Session, now: datetime, days: int, **_: Any) -> list[Recipient]:
    last = (select(Order.customer_id, func.max(Order.ordered_at).label("last"))
            .where(Order.customer_id.is_not(None)).group_by(Order.customer_id).subquery())
    rows = session.execute(
        select(Customer, last.c.last).join(last, last.c.customer_id == Customer.id)
        .where(last.c.last < now - timedelta(days=days)).order_by(last.c.last)
    ).all()
    out = []
    for customer, when in rows:
        when = when if when.tzinfo else when.replace(tzinfo=now.tzinfo)
        out.append(Recipient(customer_fields(customer), {"last_order_at": when.date().isoformat(),
                                                         "days_since_order": (now - when).days}))
    return out


def all_customers(session: Session, **_: Any) -> list[Recipient]:
    return [Recipient(customer_fields(c))
            for c in session.scalars(select(Customer).order_by(Customer.name).limit(MAX_RECIPIENTS))]


def triggering_customer(session: Session, event_data: dict[str, Any] | None = None,
                        **_: Any) -> list[Recipient]:
    data = event_data or {}
    nested = data.get("customer") if isinstance(data.get("customer"), dict) else {}
    customer_id = data.get("customer_id") or (nested or {}).get("id") or data.get("id")
    customer = session.get(Customer, str(customer_id)) if customer_id else None
    return [Recipient(customer_fields(customer))] if customer is not None else []


Rule = Callable[..., list[Recipient]]
RULES: dict[str, Rule] = {
    "overdue_customers": overdue_customers,
    "new_leads_this_week": new_leads_this_week,
    "inactive_customers": inactive_customers,
    "all_customers": all_customers,
    "triggering_customer": triggering_customer,
}
RULE_NAMES: tuple[str, ...] = tuple(RULES)


def check_rule(name: str, field_name: str = "recipients") -> str:
    if name not in RULES:
        raise ValidationFailed(
            f"Unknown recipient rule {name!r}; known rules: {', '.join(RULE_NAMES)}",
            details=[{"field": field_name, "message": f"one of {', '.join(RULE_NAMES)}"}])
    return name


def resolve(session: Session, rule: str, *, now: datetime, days: int | None = None,
            event_data: dict[str, Any] | None = None) -> list[Recipient]:
    """The recipients of `rule` now (at most MAX_RECIPIENTS), in the session's tenant."""
    check_rule(rule)
    n = days if days is not None else DEFAULT_DAYS.get(rule, 30)
    found = RULES[rule](session, today=now.date(), now=now, days=n, event_data=event_data)
    return found[:MAX_RECIPIENTS]
