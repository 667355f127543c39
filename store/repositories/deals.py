"""Deal queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from store.models import Customer, Deal, Membership
from store.repositories import paging
from store.repositories.customers import LIKE_ESCAPE, contains, ordering

OPEN_STAGES = ("lead", "qualified", "proposal", "negotiation")
CLOSED_STAGES = ("closed_won", "closed_lost")
SORTABLE = {"createdAt": Deal.created_at, "created_at": Deal.created_at, "value": Deal.value,
            "title": Deal.title, "stage": Deal.stage, "updated_at": Deal.updated_at,
            "updatedAt": Deal.updated_at, "expected_close_date": Deal.expected_close_date,
            "expectedCloseDate": Deal.expected_close_date}


MAX_WORDS = 8
"""Words of a search matched one by one (a pasted sentence is cut there)."""


@dataclass(frozen=True)
class DealFilters:
    """What a deal list is narrowed by; `stages=()` (contradictory filters) matches nothing."""

    stages: tuple[str, ...] | None = None
    min_value: float | None = None
    max_value: float | None = None
    customer_id: str | None = None
    assigned_to: str | None = None
    text: str | None = None
    close_after: date | None = None  # inclusive
    close_before: date | None = None  # exclusive

    def statement(self) -> Select[Deal]:
        stmt = select(Deal)
        if self.stages is not None:
            stmt = stmt.where(Deal.stage.in_(list(self.stages)))
        if self.min_value is not None:
            stmt = stmt.where(Deal.value >= Decimal(str(self.min_value)))
        if self.max_value is not None:
            stmt = stmt.where(Deal.value <= Decimal(str(self.max_value)))
        if self.customer_id:
            stmt = stmt.where(Deal.customer_id == self.customer_id)
        if self.assigned_to:
            stmt = stmt.where(Deal.assigned_to == self.assigned_to)
        if self.close_after is not None:
            stmt = stmt.where(Deal.expected_close_date >= self.close_after)
        if self.close_before is not None:
            stmt = stmt.where(Deal.expected_close_date < self.close_before)
        if self.text:
            # every word somewhere in the title, the company or the customer's name: "Hooli annual
            # supply contract" finds "Hooli - Annual supply contract" (a phrase that is in one of
            # them is found as before: each of its words is too)
            stmt = stmt.outerjoin(Customer, Customer.id == Deal.customer_id)
            for word in self.text.split()[:MAX_WORDS]:
                like = contains(word)
                stmt = stmt.where(or_(*(column.ilike(like, escape=LIKE_ESCAPE)
                                        for column in (Deal.title, Customer.company, Customer.name))))
        return stmt


def search(
    session: Session,
    filters: DealFilters,
    *,
    sort_by: str = "created_at",
    descending: bool = True,
    offset: int = 0,
    limit: int = 20,
) -> tuple[list[Deal], int]:
    stmt = filters.statement()
    total = paging.count(session, stmt)
    order = ordering(SORTABLE.get(sort_by, Deal.created_at), descending)
    rows = session.scalars(stmt.order_by(order, Deal.id).offset(offset).limit(limit)).all()
    return list(rows), total


def value_sum(session: Session, filters: DealFilters) -> Decimal:
    """Total value of every deal matching the filters (not just one page), summed in SQL over the
    filtered statement itself (no subquery: see paging.count)."""
    total = session.scalar(paging.over(filters.statement(), func.coalesce(func.sum(Deal.value), 0)))
    return Decimal(str(total or 0))


def get(session: Session, deal_id: str) -> Deal | None:
    return session.scalar(select(Deal).where(Deal.id == deal_id))


def of_customer(session: Session, customer_id: str) -> list[Deal]:
    """Every deal linked to a customer, oldest first: what deleting the customer would touch."""
    stmt = select(Deal).where(Deal.customer_id == customer_id).order_by(Deal.created_at, Deal.id)
    return list(session.scalars(stmt).all())


def customer_names(session: Session, customer_ids: Iterable[str | None]) -> dict[str, str]:
    ids = {i for i in customer_ids if i}
    if not ids:
        return {}
    rows = session.execute(select(Customer.id, Customer.name).where(Customer.id.in_(ids)))
    return {cid: name for cid, name in rows}


def totals_by_stage(session: Session) -> dict[str, tuple[int, Decimal, Decimal]]:
    """stage -> (count, total value, probability-weighted value)."""
    stmt = select(
        Deal.stage,
        func.count(),
        func.coalesce(func.sum(Deal.value), 0),
        func.coalesce(func.sum(Deal.value * Deal.probability / 100.0), 0),
    ).group_by(Deal.stage)
    return {
        stage: (n, Decimal(str(total)), Decimal(str(weighted)))
        for stage, n, total, weighted in session.execute(stmt)
    }


def count_closed_between(session: Session, stage: str, start: datetime, end: datetime) -> int:
    stmt = select(func.count()).where(
        Deal.stage == stage, Deal.closed_at >= start, Deal.closed_at < end
    )
    return session.scalar(stmt) or 0


def is_member(session: Session, tenant_id: str, user_id: str) -> bool:
    stmt = select(Membership.id).where(
        Membership.tenant_id == tenant_id, Membership.user_id == user_id
    )
    return session.scalar(stmt) is not None


# --- one customer's deals (customer_overview) ----------------------------------------------------
# A customer has few deals: the filter on customer_id is served by ix_deals_customer_id.


def stage_totals_of_customer(session: Session, customer_id: str) -> dict[str, tuple[int, Decimal]]:
    """stage -> (count, total value) of a customer's deals."""
    stmt = (select(Deal.stage, func.count(), func.coalesce(func.sum(Deal.value), 0))
            .where(Deal.customer_id == customer_id).group_by(Deal.stage))
    return {stage: (int(n), Decimal(str(total))) for stage, n, total in session.execute(stmt)}


def open_of_customer(session: Session, customer_id: str, limit: int) -> list[Deal]:
    """A customer's open deals, the soonest expected to close first (undated ones last)."""
    stmt = (select(Deal).where(Deal.customer_id == customer_id, Deal.stage.in_(OPEN_STAGES))
            .order_by(Deal.expected_close_date.is_(None), Deal.expected_close_date, Deal.created_at,
                      Deal.id)
            .limit(limit))
    return list(session.scalars(stmt).all())
