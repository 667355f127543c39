"""Reading the audit trail: filters in, entries out."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from tools.crm.schemas import Pagination
from tools.schemas import ToolModel


class ListAuditLogInput(ToolModel):
    actor_id: str | None = Field(None, max_length=64, description="Only calls made by this team "
                                 "member (their user id).")
    user_email: str | None = Field(None, max_length=320, description="Only calls made by the user "
                                   "with this email (a team member of this workspace).")
    tool: str | None = Field(None, max_length=100, description="Only this tool or action, e.g. "
                             "delete_deal, login, mfa_verify.")
    outcome: Literal["ok", "error", "confirmation_required", "mfa_required"] | None = Field(
        None, description="Only calls that ended this way.")
    source: Literal["rest", "mcp", "agent", "system"] | None = Field(
        None, description="Only calls made through this surface.")
    search: str | None = Field(None, max_length=200, description="Only entries whose arguments "
                               "or summary mention this text (e.g. a deal's name).")
    start_date: date | None = Field(None, description="From this day (inclusive, UTC).")
    end_date: date | None = Field(None, description="Up to this day (inclusive, UTC).")
    page: int = Field(1, ge=1, le=100_000, description="Page number, from 1.")
    limit: int = Field(50, ge=1, le=200, description="Entries per page (at most 200).")


class AuditEntry(ToolModel):
    id: str = Field(description="Entry id.")
    created_at: datetime = Field(description="When it happened.")
    user_id: str | None = Field(description="Who (user id); null for the system.")
    user_email: str | None = Field(description="Who (email), when the user still exists.")
    source: str = Field(description="Through which surface: rest, mcp, agent.")
    tool: str = Field(description="The tool or action.")
    arguments: dict[str, Any] = Field(description="Its arguments, with secrets redacted.")
    outcome: str = Field(description="ok, error, confirmation_required, mfa_required.")
    error_code: str | None = Field(description="The error's code when it failed.")
    summary: str | None = Field(description="What it did, in words, when known.")


class AuditLogPage(ToolModel):
    entries: list[AuditEntry] = Field(description="Newest first.")
    pagination: Pagination = Field(description="Page, limit, total, total pages.")
