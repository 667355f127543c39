"""Inputs and outputs of the trust tools (document 003's /api/v1/trust, snake_case)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from tools.schemas import ToolModel

HealthStatus = Literal["healthy", "degraded", "unhealthy", "no_data", "no_sources"]
SignalName = Literal["freshness", "error_rate", "record_drop", "null_spike"]
IncidentStatus = Literal["open", "resolved"]


class HealthInput(ToolModel):
    pass


class PlatformHealth(ToolModel):
    health: int | None = Field(description="0-100, the weighted mean of the signal scores")
    status: HealthStatus
    name: str = Field(description="The connection's display name")
    type: str = Field(description="The connector type")
    open_incidents: int


class HealthOutput(ToolModel):
    overall_health: int | None = Field(description="Mean of the platforms' health (0-100); None "
                                       "with no connected source")
    status: HealthStatus = Field(description="healthy >= 70, degraded 40-69, unhealthy < 40; "
                                 "no_sources when nothing is connected")
    signals: dict[str, PlatformHealth] = Field(description="Per platform (connection name)")
    open_incidents: int
    last_updated: datetime | None = Field(description="When a source last finished syncing")


class SignalsInput(ToolModel):
    platform: str = Field(..., min_length=1, max_length=100, description="The source: a connection "
                          "name or connector type, e.g. shopify, stripe, hubspot.")


class SignalOut(ToolModel):
    name: SignalName
    value: float | None = Field(description="The measured value (None: not enough history)")
    threshold: float = Field(description="The value past which the signal is breached")
    score: float | None = Field(description="0-100; 100 is no concern")
    breached: bool
    explanation: str
    details: dict[str, Any]


class SignalsOutput(ToolModel):
    platform: str
    connection_id: str
    name: str
    type: str
    connection_status: str
    health: int | None
    status: HealthStatus
    signals: list[SignalOut]
    weights: dict[str, float] = Field(description="How the signal scores combine into health")
    evaluated_at: datetime


class IncidentsInput(ToolModel):
    status: IncidentStatus | None = Field(None, description="open or resolved incidents only. "
                                          "Omit for both.")
    platform: str | None = Field(None, max_length=100, description="Only this source (connection "
                                 "name or type). Omit for all.")
    limit: int = Field(20, ge=1, le=100, description="Incidents per page, 1 to 100 (default 20).")
    offset: int = Field(0, ge=0, le=1_000_000, description="How many to skip (default 0).")


class IncidentOut(ToolModel):
    id: str
    platform: str
    connection_id: str | None
    signal: str
    severity: str
    status: IncidentStatus
    title: str
    details: dict[str, Any]
    opened_at: datetime
    last_seen_at: datetime
    resolved_at: datetime | None


class IncidentsOutput(ToolModel):
    incidents: list[IncidentOut]
    total: int
    open: int = Field(description="Open incidents matching the platform filter")
    limit: int
    offset: int
