"""Tenant scoping in one place.

A session opened for a tenant (``session.info["tenant_id"]``) gets, on every ORM SELECT, a
criteria ``tenant_id == <tenant>`` on every TenantOwned entity it touches, including joins and
relationship loads, and refuses to flush a TenantOwned row that belongs to another tenant. A
repository therefore cannot leak another tenant's rows by forgetting a ``where`` clause.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from store.models.base import TenantOwned

_installed = False


class CrossTenantWrite(RuntimeError):
    """A programming error: code tried to write a row into a tenant it is not scoped to."""


def _filter_reads(state: ORMExecuteState) -> None:
    tenant_id = state.session.info.get("tenant_id")
    if tenant_id is None or not state.is_select or state.is_column_load:
        return
    state.statement = state.statement.options(
        with_loader_criteria(
            TenantOwned,
            lambda cls: cls.tenant_id == tenant_id,
            include_aliases=True,
            track_closure_variables=False,
        )
    )


def _guard_writes(session: Session, _ctx: Any, _instances: Any) -> None:
    tenant_id = session.info.get("tenant_id")
    if tenant_id is None:
        return
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if not isinstance(obj, TenantOwned):
            continue
        if getattr(obj, "tenant_id", None) is None and obj in session.new:
            obj.tenant_id = tenant_id
        if obj.tenant_id != tenant_id:
            raise CrossTenantWrite(f"{type(obj).__name__} belongs to another tenant")


def install_tenant_guard() -> None:
    global _installed
    if _installed:
        return
    event.listen(Session, "do_orm_execute", _filter_reads)
    event.listen(Session, "before_flush", _guard_writes)
    _installed = True
