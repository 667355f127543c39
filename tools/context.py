"""Who is calling and with what: built by an adapter from verified credentials, never from
model or client arguments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from sqlalchemy.orm import Session

from core.ids import utcnow

Role = Literal["admin", "analyst", "user"]
Source = Literal["rest", "mcp", "agent", "cli"]
ROLE_RANK: dict[str, int] = {"user": 0, "analyst": 1, "admin": 2}


@dataclass(frozen=True)
class Principal:
    user_id: str
    tenant_id: str
    role: Role
    email: str = ""
    auth: Literal["jwt", "api_key"] = "jwt"
    is_superadmin: bool = False
    family_id: str | None = None
    """The login session a JWT belongs to (None for API keys): logout revokes it."""

    def can(self, needed: Role) -> bool:
        return self.is_superadmin or ROLE_RANK[self.role] >= ROLE_RANK[needed]


ANONYMOUS = Principal(user_id="", tenant_id="", role="user")
"""The caller of a public capability (register, log in), before anyone is signed in."""


@dataclass
class ToolContext:
    session: Session
    principal: Principal
    source: Source = "rest"
    now: datetime = field(default_factory=utcnow)
    conversation_id: str | None = None

    @property
    def tenant_id(self) -> str:
        return self.principal.tenant_id

    @property
    def user_id(self) -> str:
        return self.principal.user_id
