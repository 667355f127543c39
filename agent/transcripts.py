"""Which agent conversation a chat request continues.

Stateless clients (anything speaking the OpenAI wire format) resend the whole transcript on every
request and never send a conversation id. Without help, each request would start a new agent
conversation, losing the checkpointed state that makes "and the month before?" or a "yes" to a
delete confirmation work. So after every turn the transcript *including our answer* is stored
under a hash; the next request's transcript prefix (everything before its last user message)
hashes to the same key and lands on the same conversation.

Two chats whose transcripts are identical so far cannot be told apart by a stateless client;
the alias follows the most recent one, which is harmless: up to that point they hold the same
messages.

Conversation ids that clients pass explicitly are checked against an ownership marker, so an id
from another tenant or user starts a fresh conversation instead of exposing someone's messages.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from store.repositories import conversations as repo
from tools.context import Principal

IGNORED_ROLES = frozenset({"system", "developer"})
HISTORY_ROLES = frozenset({"user", "assistant"})


@dataclass(frozen=True)
class Turn:
    """One message of a transcript, reduced to what identifies it: role and text."""

    role: str
    text: str


@dataclass(frozen=True)
class Resolution:
    """Where a request goes. `history` is set only for a conversation that does not exist yet,
    to seed it with what the client says happened before."""

    conversation_id: str
    history: list[dict[str, str]] | None
    is_new: bool


def new_conversation_id() -> str:
    return f"conv_{uuid.uuid4().hex}"


def normalize(turns: Sequence[Turn]) -> list[Turn]:
    """System prompts are the client's configuration, not the conversation (clients change them
    between requests); whitespace differences must not split a conversation either."""
    return [Turn(t.role.strip().lower(), " ".join(t.text.split()))
            for t in turns if t.role.strip().lower() not in IGNORED_ROLES]


def transcript_key(principal: Principal, turns: Sequence[Turn]) -> str:
    payload = [principal.tenant_id, principal.user_id, [[t.role, t.text] for t in normalize(turns)]]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


def owner_key(conversation_id: str) -> str:
    return hashlib.sha256(f"owner\0{conversation_id}".encode()).hexdigest()


def history_of(turns: Sequence[Turn]) -> list[dict[str, str]] | None:
    """Prior user/assistant messages as the agent's seed; tool and system messages carry no
    call ids the agent could pair, so they are left out."""
    history = [{"role": t.role, "content": t.text} for t in normalize(turns)
               if t.role in HISTORY_ROLES and t.text]
    return history or None


def resolve(session: Session, principal: Principal, prior: Sequence[Turn],
            explicit_id: str | None = None) -> Resolution:
    """An explicit id the caller owns (or that nobody owns yet) wins; one owned by someone else
    is replaced by a fresh conversation. Otherwise the transcript prefix finds the conversation."""
    if explicit_id:
        owner = repo.holder(session, owner_key(explicit_id))
        if owner == (principal.tenant_id, principal.user_id):
            return Resolution(explicit_id, None, False)
        if owner is None:
            return Resolution(explicit_id, history_of(prior), True)
    elif normalize(prior):
        key = transcript_key(principal, prior)
        found = repo.find(session, key, principal.tenant_id, principal.user_id)
        if found is not None:
            return Resolution(found, None, False)
    return Resolution(new_conversation_id(), history_of(prior), True)


def remember(session: Session, principal: Principal, conversation_id: str,
             transcripts: Sequence[Sequence[Turn]]) -> None:
    """Record ownership of the conversation and alias each full transcript (prior messages, the
    user's message and our answer) to it, for the client's next request."""
    tenant, user = principal.tenant_id, principal.user_id
    repo.save(session, owner_key(conversation_id), tenant, user, conversation_id)
    for turns in transcripts:
        repo.save(session, transcript_key(principal, turns), tenant, user, conversation_id)
