"""Inputs and outputs of the action history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from tools.crm.schemas import Pagination
from tools.schemas import ToolModel

EntryType = Literal["simulation", "analysis", "automation_run", "approval"]


class ActionHistoryInput(ToolModel):
    start_date: date | None = Field(None, description="From this day (UTC), inclusive. Default: all.")
    end_date: date | None = Field(None, description="Up to this day (UTC), inclusive. Default: today.")
    type: EntryType | None = Field(None, description="Only one kind: simulation, analysis (an "
                                   "initiative analysed), automation_run, or approval (an action "
                                   "that needed confirmation: requested or approved). Default: all.")
    page: int = Field(1, ge=1, le=10_000, description="Page number, from 1")
    limit: int = Field(20, ge=1, le=100, description="Entries per page")


class HistoryEntry(ToolModel):
    id: str = Field(description="The simulation, initiative, run or audit entry id")
    type: EntryType
    title: str = Field(description="What happened, in words")
    status: str = Field(description="completed, or the run's status, or requested / approved")
    at: datetime = Field(description="When it happened")
    actor: str | None = Field(None, description="The user who did it; empty for automations")
    details: dict[str, Any] = Field(default_factory=dict, description="The figures it produced")


class ActionHistory(ToolModel):
    entries: list[HistoryEntry]
    counts: dict[str, int] = Field(description="Entries in the range by type")
    total: int
    pagination: Pagination
    start_date: date | None = None
    end_date: date | None = None
