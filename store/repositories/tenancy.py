"""Tenants, users and memberships. Not tenant-scoped: identity spans tenants."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Select, and_, bindparam, exists, func, select, true
from sqlalchemy.orm import Session

from store.models import Membership, RefreshToken, Tenant, User


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "workspace"


def unique_slug(session: Session, name: str) -> str:
    base = slugify(name)
    slug, n = base, 1
    while session.scalar(select(Tenant.id).where(Tenant.slug == slug)) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_tenant(session: Session, name: str, owner: User, plan: str = "free") -> Tenant:
    tenant = Tenant(name=name, slug=unique_slug(session, name), plan=plan, owner_id=owner.id)
    session.add(tenant)
    session.flush()
    session.add(Membership(user_id=owner.id, tenant_id=tenant.id, role="admin"))
    session.flush()
    return tenant


def get_tenant(session: Session, tenant_id: str) -> Tenant | None:
    return session.get(Tenant, tenant_id)


def membership(session: Session, user_id: str, tenant_id: str) -> Membership | None:
    return session.scalar(
        select(Membership).where(Membership.user_id == user_id, Membership.tenant_id == tenant_id)
    )


def memberships_of(session: Session, user_id: str) -> list[Membership]:
    stmt = select(Membership).where(Membership.user_id == user_id).order_by(Membership.created_at)
    return list(session.scalars(stmt))


def members_of(session: Session, tenant_id: str) -> list[tuple[Membership, User]]:
    stmt = (
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.tenant_id == tenant_id)
        .order_by(Membership.created_at)
    )
    return [(m, u) for m, u in session.execute(stmt).tuples()]


def get_user(session: Session, user_id: str) -> User | None:
    return session.get(User, user_id)


def user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def tenant_of_row(
    session: Session, model: type, row_id: str, tenant_ids: list[str]
) -> str | None:
    """Which of these tenants owns the row, if any: lets `/api/v1/deals/:id` find a deal in any
    workspace the caller belongs to, and nowhere else."""
    column = model.tenant_id  # type: ignore[attr-defined]
    stmt = select(column).where(model.id == row_id, column.in_(tenant_ids))  # type: ignore[attr-defined]
    return session.scalar(stmt)


def _user_role_live(live: Any) -> Select[User, str, Any]:
    return (
        select(User, Membership.role, live)
        .outerjoin(Membership, and_(Membership.user_id == User.id,
                                    Membership.tenant_id == bindparam("tenant_id")))
        .where(User.id == bindparam("user_id"))
    )


_USER_IN_TENANT = {
    True: _user_role_live(exists().where(RefreshToken.family_id == bindparam("family_id"),
                                         RefreshToken.revoked_at.is_(None))),
    False: _user_role_live(true()),
}
"""Built once: every authenticated request runs one of these two. Building the statement per call
(and SQLAlchemy computing its cache key again) cost more CPU than the query itself; a statement
reused with bound values keeps its memoized cache key and compiled form."""


def user_in_tenant(
    session: Session, user_id: str, tenant_id: str, family_id: str | None
) -> tuple[User, str | None, bool] | None:
    """One round trip per authenticated request: the user, their role in the tenant (None if not
    a member), and whether their login family is still live (always True without a family)."""
    params = {"user_id": user_id, "tenant_id": tenant_id}
    if family_id:
        params["family_id"] = family_id
    row = session.execute(_USER_IN_TENANT[bool(family_id)], params).first()
    if row is None:
        return None
    return row[0], row[1], bool(row[2])
