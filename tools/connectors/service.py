"""Connections: finding one by what people call it, checking credentials with the provider before
anything is stored, and storing them sealed.

Reconnecting rule: a connection is one tenant's link to one provider *account*. Connecting the
same type and account again (a new key for the same shop) replaces the credentials of the
existing connection instead of adding a second one (its records, cursors and lineage carry on),
and a disconnected connection of that account is revived the same way. Another account of the
same type is a second connection, named `<type>_2`, `<type>_3`... unless a name is given; a name
already used by another live connection is a conflict.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import Conflict, ConnectorAuthFailed, NotFound, ValidationFailed
from store.models import Connection
from tools.connectors import base, vault
from tools.connectors.schemas import ConnectionOut, ConnectorTypeOut, CredentialFieldOut
from tools.context import ToolContext

LIVE = ("connected", "syncing", "error")


def type_out(kind: base.ConnectorType) -> ConnectorTypeOut:
    fields = [CredentialFieldOut(name=f.name, label=f.label, sensitive=f.secret, required=f.required,
                                 help=f.help) for f in kind.credential_fields]
    return ConnectorTypeOut(type=kind.type, display_name=kind.display_name,
                            description=kind.description, category=kind.category,
                            resources=list(kind.resources), credential_fields=fields)


def to_out(conn: Connection) -> ConnectionOut:
    return ConnectionOut(
        id=conn.id, type=conn.type, name=conn.name, display_name=conn.display_name,
        status=conn.status,  # type: ignore[arg-type]
        config=dict(conn.config or {}), account=dict(conn.account or {}),
        has_credentials=bool(conn.credentials_encrypted), credentials_hint=conn.credentials_hint,
        record_counts=dict(conn.record_counts or {}), last_sync_at=conn.last_sync_at,
        last_sync_status=conn.last_sync_status, last_error=conn.last_error,
        created_at=conn.created_at, disconnected_at=conn.disconnected_at)


def kind_of(type_name: str) -> base.ConnectorType:
    """The connector type, or not found (it is a path segment over REST) naming the ones there are."""
    kind = base.connector_type(type_name)
    if kind is None:
        known = sorted(base.connector_types())
        err = NotFound("connector type", type_name)
        err.message += f". Available: {', '.join(known) or 'none'}"
        err.details = {**err.details, "available": known}
        raise err
    return kind


def connections(session: Session, *, include_disconnected: bool = False) -> list[Connection]:
    stmt = select(Connection).order_by(Connection.created_at.desc(), Connection.id)
    if not include_disconnected:
        stmt = stmt.where(Connection.status != "disconnected")
    return list(session.scalars(stmt))


def load(session: Session, connection_id: str) -> Connection:
    conn = session.get(Connection, connection_id) if connection_id else None
    if conn is None or conn.tenant_id != session.info.get("tenant_id", conn.tenant_id):
        raise NotFound("connection", connection_id)
    return conn


def resolve(session: Session, ref: str, *, include_disconnected: bool = False) -> Connection:
    """A connection by id, name, type or display name (case-insensitive). Live connections come
    first; two live matches for a type or name is ambiguous and answered with the candidates."""
    text = ref.strip()
    rows = connections(session, include_disconnected=True)
    for conn in rows:
        if conn.id == text:
            return conn
    key = text.lower()
    for field in ("name", "type", "display_name"):
        found = [c for c in rows if str(getattr(c, field)).lower() == key]
        live = [c for c in found if c.status != "disconnected"]
        pool = live or (found if include_disconnected else [])
        if len(pool) == 1:
            return pool[0]
        if len(pool) > 1:
            names = ", ".join(f"{c.name} ({c.id})" for c in pool)
            raise ValidationFailed(f"Several connections match {text!r}: {names}. Say which by name "
                                   "or id.", details=[{"field": "connection", "message": "ambiguous"}])
    raise NotFound("connection", text)


def split_credentials(kind: base.ConnectorType, given: Mapping[str, str]) -> dict[str, str]:
    """The credential values the type asks for, refusing a missing required one."""
    wanted = {f.name for f in kind.credential_fields}
    missing = [f.name for f in kind.credential_fields
               if f.required and not str(given.get(f.name) or "").strip()]
    if missing:
        raise ValidationFailed(f"{kind.display_name} needs {', '.join(missing)}",
                               details=[{"field": f"credentials.{m}", "message": "required"}
                                        for m in missing])
    return {k: str(v).strip() for k, v in given.items() if k in wanted and str(v).strip()}


def check(kind: base.ConnectorType, credentials: Mapping[str, str],
          config: Mapping[str, Any]) -> base.AccountInfo:
    """Ask the provider whether the credentials work. Blocking HTTP: tools run in worker
    threads (tools.runtime.aexecute), so the event loop never waits on it, and it runs before
    the call writes anything."""
    connector = kind.factory(credentials, config)
    try:
        return connector.check()
    except ConnectorAuthFailed as err:
        raise ConnectorAuthFailed(
            f"{kind.display_name} refused the credentials: {err.message}",
            details=[{"field": "credentials", "message": "refused by the provider"}]) from None


def public_config(kind: base.ConnectorType, credentials: Mapping[str, str],
                  config: Mapping[str, Any]) -> dict[str, Any]:
    """Config plus the non-secret credential fields (a shop domain is worth showing)."""
    shown = {f.name: credentials[f.name] for f in kind.credential_fields
             if not f.secret and f.name in credentials}
    return {**dict(config), **shown}


def secret_names(kind: base.ConnectorType) -> set[str]:
    return {f.name for f in kind.credential_fields if f.secret}


def _same_account(session: Session, type_name: str, account_id: str) -> Connection | None:
    for conn in session.scalars(select(Connection).where(Connection.type == type_name)
                                .order_by(Connection.created_at.desc())):
        if str((conn.account or {}).get("id")) == account_id:
            return conn
    return None


def _free_name(session: Session, wanted: str | None, type_name: str, own_id: str | None) -> str:
    taken = {c.name for c in connections(session) if c.id != own_id}
    if wanted:
        if wanted in taken:
            raise Conflict(f"A live connection is already named {wanted!r}",
                           details=[{"field": "name", "message": "already used"}])
        return wanted
    name, n = type_name, 1
    while name in taken:
        n += 1
        name = f"{type_name}_{n}"
    return name


def store(ctx: ToolContext, kind: base.ConnectorType, credentials: Mapping[str, str],
          config: dict[str, Any], account: base.AccountInfo, *, name: str | None,
          display_name: str | None) -> Connection:
    """Create the connection, or replace the credentials of this account's existing one."""
    conn = _same_account(ctx.session, kind.type, account.account_id)
    chosen = _free_name(ctx.session, name or (conn.name if conn else None), kind.type,
                        conn.id if conn else None)
    if conn is None:
        conn = Connection(tenant_id=ctx.tenant_id, type=kind.type, cursors={}, record_counts={},
                          created_by=ctx.user_id or None, created_at=ctx.now, name=chosen,
                          display_name=display_name or account.name or kind.display_name)
        ctx.session.add(conn)
    conn.name = chosen
    conn.display_name = display_name or conn.display_name
    conn.config = config
    conn.account = {"id": account.account_id, "name": account.name, **account.details}
    conn.credentials_encrypted = vault.seal(credentials)
    conn.credentials_hint = vault.hint(credentials, secret_names(kind))
    conn.status, conn.last_error, conn.disconnected_at = "connected", None, None
    conn.updated_at = ctx.now
    ctx.session.flush()
    return conn
