"""Customers from sources: one person is one customer, however many systems know them.

Matching: a source record already seen (same connection, resource and source id) updates the
customer it fed. A new one is merged into the existing customer with the same normalised email
(lower-cased, trimmed): `merged_by="email"`, `merge_confidence` by the rule EMAIL_RULE. Otherwise
it creates a customer (status from the source, else "lead") and raises `customer.created`.

Field precedence: a source writes a customer field only if the field is empty or still holds
the value this same source supplied last time. So a manual edit, or a value another source set
first, is never overwritten; a value this source supplied and later changed follows the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, get_args

from rapidfuzz import fuzz
from sqlalchemy import func, select

from core.ids import new_id
from store.models import Customer, SourceRecord
from tools.context import ToolContext
from tools.crm.customers import to_out as customer_out
from tools.crm.schemas import CustomerStatus
from tools.events import emit

STATUSES = frozenset(get_args(CustomerStatus))
LIMITS = {"name": 200, "email": 320, "phone": 40, "company": 200, "status": 20}
EMAIL_RULE = "email_exact_name_similarity"
"""merge_confidence = EMAIL_MATCH_CONFIDENCE (0.9) for an exact normalised-email match, plus
NAME_SIMILARITY_WEIGHT (0.1) x the rapidfuzz token_sort_ratio of the two names (0..1);
EMAIL_MATCH_CONFIDENCE alone when either name is missing."""
EMAIL_MATCH_CONFIDENCE = 0.9
"""What an exact normalised-email match is worth on its own. An address is nearly always one
person's, so the match alone is enough to merge and scores high; but not 1.0 (the confidence of a
record that created its customer), because shared and re-used addresses exist (info@, a family's
or a team's inbox). Only names that agree as well take a merge to 1.0."""
NAME_SIMILARITY_WEIGHT = 0.1
"""What the names' similarity adds at most: the rest of the way from EMAIL_MATCH_CONFIDENCE to 1.0
(written as 0.1 rather than computed as 1 - 0.9, which is not exactly 0.1 in floating point)."""


def norm_email(value: Any) -> str | None:
    text = str(value or "").strip().lower()
    return text or None


def email_confidence(name_a: str | None, name_b: str | None) -> float:
    if not name_a or not name_b:
        return EMAIL_MATCH_CONFIDENCE
    ratio = fuzz.token_sort_ratio(name_a, name_b)  # 0..100
    return round(EMAIL_MATCH_CONFIDENCE + NAME_SIMILARITY_WEIGHT * ratio / 100, 3)


def customer_fields(fields: dict[str, Any]) -> dict[str, str]:
    """The customer fields a source gave, cleaned and cut to the column sizes."""
    out: dict[str, str] = {}
    for key, limit in LIMITS.items():
        value = fields.get(key)
        text = str(value).strip() if value is not None else ""
        if key == "status":
            text = text.lower()
            if text not in STATUSES:
                continue
        if text:
            out[key] = text[:limit]
    return out


def apply_fields(customer: Customer, previous: dict[str, Any], new: dict[str, str]) -> bool:
    """Write what the source may write (see the module docstring); True if anything changed."""
    changed = False
    for key, value in new.items():
        current = getattr(customer, key)
        if (current in (None, "") or current == previous.get(key)) and current != value:
            setattr(customer, key, value)
            changed = True
    return changed


@dataclass
class CustomerBatch:
    """One page's customers: existing ones loaded in two queries, new ones indexed as created."""

    ctx: ToolContext
    by_id: dict[str, Customer] = field(default_factory=dict)
    by_email: dict[str, Customer] = field(default_factory=dict)

    def load(self, entity_ids: set[str], emails: set[str]) -> None:
        session = self.ctx.session
        if entity_ids:
            for c in session.scalars(select(Customer).where(Customer.id.in_(entity_ids))):
                self.by_id[c.id] = c
        if emails:
            for c in session.scalars(select(Customer).where(func.lower(Customer.email).in_(emails))
                                     .order_by(Customer.created_at)):
                self.by_email.setdefault(norm_email(c.email) or "", c)

    def create(self, fields: dict[str, str]) -> Customer:
        ctx = self.ctx
        name = fields.get("name") or fields.get("email") or fields.get("phone") or "(no name)"
        c = Customer(id=new_id(), tenant_id=ctx.tenant_id, name=name, email=fields.get("email"),
                     phone=fields.get("phone"), company=fields.get("company"),
                     status=fields.get("status", "lead"), tags=[], custom_fields={},
                     created_at=ctx.now, updated_at=ctx.now, status_changed_at=ctx.now)
        ctx.session.add(c)
        self.by_id[c.id] = c
        if c.email:
            self.by_email[norm_email(c.email) or ""] = c
        out = customer_out(c)
        emit(ctx, "customer.created", {**out.snake(), "customer": out.snake()})
        return c


def ingest_customer(batch: CustomerBatch, rec: SourceRecord | None, fields: dict[str, Any]) -> tuple[
        str, str, str | None, float | None]:
    """Match or create the customer of one changed or new source record. Returns (outcome,
    customer id, merged_by, merge_confidence); outcome is created, updated, merged or unchanged."""
    new = customer_fields(fields)
    current = batch.by_id.get(rec.entity_id or "") if rec is not None else None
    if current is not None and rec is not None:
        changed = apply_fields(current, customer_fields(dict(rec.values or {})), new)
        if changed:
            current.updated_at = batch.ctx.now
        return ("updated" if changed else "unchanged"), current.id, rec.merged_by, rec.merge_confidence
    match = batch.by_email.get(norm_email(new.get("email")) or "\0")
    if match is not None:
        confidence = email_confidence(match.name, new.get("name"))
        if apply_fields(match, {}, new):
            match.updated_at = batch.ctx.now
        return "merged", match.id, "email", confidence
    created = batch.create(new)
    return "created", created.id, None, None
