"""Churn features and labels from the tenant's own customers, orders and deals.

Everything is computed "as of" a cutoff date so that training examples can be built at past
cutoffs, where what happened next (the label) is already observed, and customers can be scored
as of today with exactly the same code. Nothing after a cutoff leaks into its features: orders
and deals are filtered by date, and a status that changed after the cutoff is not known at it.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import Customer, Deal, Order
from store.repositories.orders import REVENUE_STATUSES

HORIZON_DAYS = 90
"""A customer churned at a cutoff if no paid order followed within this many days."""
FEATURES: tuple[str, ...] = (
    "days_since_last_order", "orders_90d", "orders_365d", "spend_365d", "avg_order_value",
    "tenure_days", "open_deals", "won_deals", "lost_deals", "days_since_status_change",
    "status_inactive",
)
LABELS = {
    "days_since_last_order": "days since the last order",
    "orders_90d": "orders in the last 90 days",
    "orders_365d": "orders in the last 365 days",
    "spend_365d": "spend in the last 365 days",
    "avg_order_value": "average order value",
    "tenure_days": "days as a customer",
    "open_deals": "open deals",
    "won_deals": "won deals",
    "lost_deals": "lost deals",
    "days_since_status_change": "days since the status last changed",
    "status_inactive": "status is inactive",
}
DAY = 86400.0


@dataclass(frozen=True)
class CustomerRow:
    id: str
    name: str
    company: str | None
    status: str
    created_at: datetime
    status_changed_at: datetime | None


@dataclass
class History:
    """The rows churn is learnt from, indexed by customer; times as POSIX seconds."""

    customers: list[CustomerRow]
    orders: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    """customer id -> (sorted order times, totals) of paid orders."""
    deals: dict[str, list[tuple[str, float, float | None]]] = field(default_factory=dict)
    """customer id -> [(stage now, created, closed or None)]."""

    def by_id(self, customer_id: str) -> CustomerRow | None:
        return next((c for c in self.customers if c.id == customer_id), None)


def load_history(session: Session) -> History:
    """Read the (tenant-scoped) session's customers, paid orders and deals."""
    customers = [CustomerRow(*row) for row in session.execute(
        select(Customer.id, Customer.name, Customer.company, Customer.status, Customer.created_at,
               Customer.status_changed_at).order_by(Customer.id))]
    times: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for cid, at, total in session.execute(
            select(Order.customer_id, Order.ordered_at, Order.total)
            .where(Order.customer_id.is_not(None), Order.status.in_(REVENUE_STATUSES))):
        times[str(cid)].append((at.timestamp(), float(total)))
    orders = {}
    for cid, pairs in times.items():
        pairs.sort()
        orders[cid] = (np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs]))
    deals: dict[str, list[tuple[str, float, float | None]]] = defaultdict(list)
    for cid, stage, created, closed in session.execute(
            select(Deal.customer_id, Deal.stage, Deal.created_at, Deal.closed_at)
            .where(Deal.customer_id.is_not(None))):
        deals[str(cid)].append((stage, created.timestamp(), closed.timestamp() if closed else None))
    return History(customers, orders, dict(deals))


def data_hash(history: History, today: datetime) -> str:
    """A digest of everything training reads (and of the day, which sets the cutoffs): the
    cached model is reused while it is unchanged and retrained as soon as it changes."""
    digest = hashlib.sha256(today.date().isoformat().encode())
    for c in history.customers:
        digest.update(f"{c.id}|{c.status}|{c.created_at}|{c.status_changed_at}".encode())
        if c.id in history.orders:
            at, totals = history.orders[c.id]
            digest.update(at.tobytes())
            digest.update(totals.tobytes())
        for deal in history.deals.get(c.id, []):
            digest.update(repr(deal).encode())
    return digest.hexdigest()


def churned_before(c: CustomerRow, cutoff: datetime) -> bool:
    """Already marked churned at the cutoff: no longer a customer to predict for."""
    return c.status == "churned" and c.status_changed_at is not None and c.status_changed_at <= cutoff


def features_at(history: History, c: CustomerRow, cutoff: datetime) -> np.ndarray | None:
    """The customer's feature vector as of `cutoff`, or None if they had no paid order before
    it (churn is about customers who have bought; a lead has nothing to lose)."""
    at, totals = history.orders.get(c.id, (np.empty(0), np.empty(0)))
    t = cutoff.timestamp()
    before = at < t
    if not before.any():
        return None
    past, spent = at[before], totals[before]
    year = past >= t - 365 * DAY
    first = min(past[0], c.created_at.timestamp())
    open_deals, won, lost = _deal_counts(history.deals.get(c.id, []), t)
    since_change, inactive = _status_at(c, t, first)
    return np.array([
        (t - past[-1]) / DAY,
        float((past >= t - 90 * DAY).sum()),
        float(year.sum()),
        float(spent[year].sum()),
        float(spent.mean()),
        (t - first) / DAY,
        float(open_deals), float(won), float(lost),
        since_change, inactive,
    ])


def _deal_counts(deals: list[tuple[str, float, float | None]], t: float) -> tuple[int, int, int]:
    """(open, won, lost) as of time t: a deal closed after t was still open then."""
    open_deals = won = lost = 0
    for stage, created, closed in deals:
        if created > t:
            continue
        if closed is None or closed > t or stage not in ("closed_won", "closed_lost"):
            open_deals += 1
        elif stage == "closed_won":
            won += 1
        else:
            lost += 1
    return open_deals, won, lost


def _status_at(c: CustomerRow, t: float, first: float) -> tuple[float, float]:
    """(days since the status changed, 1 if inactive) as known at time t. Only the latest change
    is stored: a status that changed after t was unknown then (NaN, see impute_unknown); one that
    never changed has been the same since the customer started."""
    if c.status_changed_at is None:
        return (t - first) / DAY, 1.0 if c.status == "inactive" else 0.0
    changed = c.status_changed_at.timestamp()
    if changed > t:
        return float("nan"), 0.0
    return (t - changed) / DAY, 1.0 if c.status == "inactive" else 0.0


def churned_after(history: History, c: CustomerRow, cutoff: datetime,
                  horizon: int = HORIZON_DAYS) -> int:
    """1 if no paid order came within `horizon` days after the cutoff, or the customer was
    marked churned in that window."""
    t, end = cutoff.timestamp(), (cutoff + timedelta(days=horizon)).timestamp()
    at, _ = history.orders.get(c.id, (np.empty(0), np.empty(0)))
    ordered = bool(((at >= t) & (at < end)).any())
    marked = (c.status == "churned" and c.status_changed_at is not None
              and t < c.status_changed_at.timestamp() <= end)
    return int(marked or not ordered)


@dataclass(frozen=True)
class TrainingSet:
    x: np.ndarray
    y: np.ndarray
    groups: np.ndarray
    """The customer id of each example: validation splits by customer."""
    cutoffs: list[datetime]


def training_set(history: History, cutoffs: list[datetime]) -> TrainingSet:
    """One example per customer and past cutoff (customers who had bought and had not churned
    by then), labelled with what happened in the following HORIZON_DAYS."""
    rows, labels, groups = [], [], []
    for cutoff in cutoffs:
        for c in history.customers:
            if churned_before(c, cutoff):
                continue
            x = features_at(history, c, cutoff)
            if x is None:
                continue
            rows.append(x)
            labels.append(churned_after(history, c, cutoff))
            groups.append(c.id)
    x = np.array(rows).reshape(-1, len(FEATURES))
    return TrainingSet(impute_unknown(x), np.array(labels, dtype=int), np.array(groups), cutoffs)


def medians(x: np.ndarray) -> np.ndarray:
    known = [col[~np.isnan(col)] for col in x.T]
    return np.array([float(np.median(k)) if len(k) else 0.0 for k in known])


def impute_unknown(x: np.ndarray, fill: np.ndarray | None = None) -> np.ndarray:
    """Unknown values (a status that changed after the cutoff) become the median of the known
    ones. Why not a marker: only a status *change* after the cutoff makes the value unknown, and
    marking churn is such a change, so a marker would hand the label to the model."""
    x = x.copy()
    values = fill if fill is not None else medians(x)
    rows, cols = np.where(np.isnan(x))
    x[rows, cols] = values[cols]
    return x
