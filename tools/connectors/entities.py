"""How a source item's fields become columns of our tables (orders, deals, products, invoices,
subscriptions): one small mapping per kind, so the ingest code is the same for all of them.

`columns(fields, customer_id)` returns only what the source gave (None left out), so an update
never blanks a column the source did not mention; `defaults` fill what a new row must have.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from store.models import Deal, Invoice, Order, Product, Subscription
from tools.crm.schemas import DEFAULT_PROBABILITY, normalize_stage

Columns = Callable[[dict[str, Any], str | None], dict[str, Any]]


def money(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None


def text(value: Any, limit: int) -> str | None:
    out = str(value).strip() if value is not None else ""
    return out[:limit] or None


def currency(value: Any) -> str | None:
    code = text(value, 3)
    return code.upper() if code else None


def when(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


def day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _given(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _order(f: dict[str, Any], customer_id: str | None) -> dict[str, Any]:
    return _given({"total": money(f.get("total")), "currency": currency(f.get("currency")),
                   "status": text(f.get("status"), 20), "ordered_at": when(f.get("ordered_at")),
                   "customer_id": customer_id})


def _deal(f: dict[str, Any], customer_id: str | None) -> dict[str, Any]:
    stage = normalize_stage(f.get("stage")) if f.get("stage") else None
    stage = stage if stage in DEFAULT_PROBABILITY else None
    return _given({"title": text(f.get("title"), 200), "value": money(f.get("value")),
                   "currency": currency(f.get("currency")), "stage": stage,
                   "probability": DEFAULT_PROBABILITY.get(stage or ""),
                   "expected_close_date": day(f.get("expected_close_date")),
                   "customer_id": customer_id})


def _product(f: dict[str, Any], _customer_id: str | None) -> dict[str, Any]:
    return _given({"name": text(f.get("name"), 300), "sku": text(f.get("sku"), 100),
                   "price": money(f.get("price")), "currency": currency(f.get("currency")),
                   "status": text(f.get("status"), 20)})


def _invoice(f: dict[str, Any], customer_id: str | None) -> dict[str, Any]:
    return _given({"number": text(f.get("number"), 100), "status": text(f.get("status"), 20),
                   "amount_due": money(f.get("amount_due")), "amount_paid": money(f.get("amount_paid")),
                   "currency": currency(f.get("currency")), "due_date": day(f.get("due_date")),
                   "issued_at": when(f.get("issued_at")), "customer_id": customer_id})


def _subscription(f: dict[str, Any], customer_id: str | None) -> dict[str, Any]:
    return _given({"status": text(f.get("status"), 20), "plan": text(f.get("plan"), 200),
                   "amount": money(f.get("amount")), "currency": currency(f.get("currency")),
                   "interval": text(f.get("interval"), 20),
                   "current_period_end": when(f.get("current_period_end")),
                   "started_at": when(f.get("started_at")), "customer_id": customer_id})


@dataclass(frozen=True)
class EntityKind:
    model: Any
    columns: Columns
    defaults: dict[str, Any] = field(default_factory=dict)
    sourced: bool = True
    """Whether the table has a `source` column (the connector type goes there)."""
    timestamps: bool = True


KINDS: dict[str, EntityKind] = {
    "order": EntityKind(Order, _order, {"total": Decimal("0"), "currency": "USD", "status": "paid"},
                        timestamps=False),
    "deal": EntityKind(Deal, _deal, {"title": "(untitled deal)", "value": Decimal("0"),
                                     "currency": "USD", "stage": "lead", "probability": 10},
                       sourced=False),
    "product": EntityKind(Product, _product, {"name": "(unnamed product)", "currency": "USD",
                                              "status": "active"}),
    "invoice": EntityKind(Invoice, _invoice, {"status": "open", "amount_due": Decimal("0"),
                                              "amount_paid": Decimal("0"), "currency": "USD"}),
    "subscription": EntityKind(Subscription, _subscription, {"status": "active", "currency": "USD"}),
}
