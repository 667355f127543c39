"""Who places the demo's orders: customers buy at their own rate from the day they were created,
and stop when they churn or go inactive (their status change), after a decline, so the churn
model has something real to learn and "who is likely to churn" has real answers.

- Each customer's rate is a lognormal weight drawn from a generator seeded by the customer's id
  (the same customer gets the same rate in every top-up, with no state stored).
- A churned or inactive customer's rate falls linearly over DECLINE_DAYS before the status
  change and is zero after it.
- About AT_RISK_SHARE of active customers have been fading over the AT_RISK_DAYS before the
  demo's anchor day (when the demo was first seeded) and keep buying rarely after it: active on
  paper, slipping away in the data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import Customer

DECLINE_DAYS = 75
AT_RISK_SHARE = 0.12
AT_RISK_DAYS = 120
AT_RISK_FLOOR = 0.08
STOPPED = ("churned", "inactive")


@dataclass(frozen=True)
class Buyer:
    id: str
    rate: float
    start: date
    stop: date | None
    """The day of the churn or inactive status change, after which the customer buys nothing."""
    fading: bool

    def weight(self, day: date, anchor: date) -> float:
        if day < self.start or (self.stop is not None and day >= self.stop):
            return 0.0
        if self.stop is not None:
            left = (self.stop - day).days
            return self.rate * min(1.0, max(0.05, left / DECLINE_DAYS))
        if self.fading:
            into = (day - (anchor - timedelta(days=AT_RISK_DAYS))).days
            if into > 0:
                return self.rate * max(AT_RISK_FLOOR, 1 - into / AT_RISK_DAYS)
        return self.rate


def _day(at: datetime | None) -> date | None:
    if at is None:
        return None
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).date()


def buyers(session: Session, tenant_id: str) -> list[Buyer]:
    """Every customer who buys (leads do not), in a stable order."""
    rows = session.execute(
        select(Customer.id, Customer.status, Customer.created_at, Customer.status_changed_at)
        .where(Customer.tenant_id == tenant_id, Customer.status != "lead")
        .order_by(Customer.created_at, Customer.id))
    out = []
    for cid, status, created, changed in rows:
        own = random.Random(str(cid))
        rate = own.lognormvariate(0.0, 0.8)
        fading = status not in STOPPED and own.random() < AT_RISK_SHARE
        out.append(Buyer(str(cid), rate, _day(created) or date.min,
                         _day(changed) if status in STOPPED else None, fading))
    return out


class Picker:
    """Chooses the customer of each order of a day, weighted by who is buying that day."""

    def __init__(self, people: list[Buyer], anchor: date, seed: int) -> None:
        self.people, self.anchor = people, anchor
        self.rng = random.Random(seed)
        self._day: date | None = None
        self._ids: list[str] = []
        self._weights: list[float] = []

    def pick(self, day: date) -> str | None:
        if day != self._day:
            pairs = [(b.id, w) for b in self.people if (w := b.weight(day, self.anchor)) > 0]
            self._ids = [i for i, _ in pairs]
            self._weights = [w for _, w in pairs]
            self._day = day
        if not self._ids:
            return None
        return self.rng.choices(self._ids, self._weights)[0]
