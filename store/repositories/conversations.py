"""Conversation aliases: a hashed key (a transcript, or a conversation's ownership marker) mapped to
an agent conversation of one user in one tenant.

The table is not tenant-owned (a key is global and unique), so every lookup names the tenant and
the user explicitly: a key stored for one caller never resolves for another.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.ids import new_id, utcnow
from store.models.audit import ConversationAlias


def find(session: Session, key_hash: str, tenant_id: str, user_id: str) -> str | None:
    """The conversation this caller stored under the key, if any."""
    stmt = select(ConversationAlias.conversation_id).where(
        ConversationAlias.key_hash == key_hash,
        ConversationAlias.tenant_id == tenant_id,
        ConversationAlias.user_id == user_id,
    )
    return session.scalar(stmt)


def holder(session: Session, key_hash: str) -> tuple[str, str] | None:
    """(tenant_id, user_id) that stored the key, whoever it is: for ownership checks."""
    stmt = select(ConversationAlias.tenant_id, ConversationAlias.user_id).where(
        ConversationAlias.key_hash == key_hash
    )
    row = session.execute(stmt).first()
    return (row[0], row[1]) if row else None


def save(session: Session, key_hash: str, tenant_id: str, user_id: str, conversation_id: str) -> None:
    """Insert or repoint the key. A key held by another caller is left alone (never taken over).

    One upsert statement, so two replicas saving the same transcript at once cannot collide on
    the unique key."""
    values: dict[str, Any] = {"id": new_id(), "key_hash": key_hash, "tenant_id": tenant_id,
                              "user_id": user_id, "conversation_id": conversation_id,
                              "created_at": utcnow()}
    dialect = session.get_bind().dialect.name
    if dialect not in ("sqlite", "postgresql"):
        _save_portable(session, values)
        return
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        from sqlalchemy.dialects.postgresql import insert  # type: ignore[assignment]
    stmt = insert(ConversationAlias).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[ConversationAlias.key_hash],
        set_={"conversation_id": conversation_id, "created_at": values["created_at"]},
        where=(ConversationAlias.tenant_id == tenant_id) & (ConversationAlias.user_id == user_id),
    )
    session.execute(stmt)


def _save_portable(session: Session, values: dict[str, Any]) -> None:
    row = session.scalar(select(ConversationAlias).where(ConversationAlias.key_hash == values["key_hash"]))
    if row is None:
        session.add(ConversationAlias(**values))
    elif (row.tenant_id, row.user_id) == (values["tenant_id"], values["user_id"]):
        row.conversation_id = values["conversation_id"]
    session.flush()
