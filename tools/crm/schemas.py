"""Inputs and outputs of the CRM tools."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, EmailStr, Field, field_validator

from tools.periods import PeriodName
from tools.schemas import ConfirmableInput, DestructiveResult, OptionalId, ToolModel

CustomerStatus = Literal["lead", "prospect", "active", "inactive", "churned"]
DealStage = Literal["lead", "qualified", "proposal", "negotiation", "closed_won", "closed_lost"]
DealStatus = Literal["open", "won", "lost"]
STAGE_ALIASES = {"won": "closed_won", "lost": "closed_lost", "closed-won": "closed_won",
                 "closed-lost": "closed_lost", "new": "lead", "prospecting": "lead",
                 "qualification": "qualified", "negotiating": "negotiation"}
DEFAULT_PROBABILITY = {"lead": 10, "qualified": 25, "proposal": 50, "negotiation": 75,
                       "closed_won": 100, "closed_lost": 0}


def normalize_stage(value: Any) -> Any:
    if isinstance(value, str):
        key = value.strip().lower().replace(" ", "_")
        return STAGE_ALIASES.get(key, key)
    return value


MAX_CUSTOM_FIELDS_BYTES = 16_384


def _bounded_custom_fields(value: dict[str, Any]) -> dict[str, Any]:
    """Free-form, but a CRM record is not a file store: at most 50 keys and 16 KiB as JSON."""
    if len(value) > 50:
        raise ValueError("at most 50 custom fields")
    if len(json.dumps(value, default=str)) > MAX_CUSTOM_FIELDS_BYTES:
        raise ValueError(f"custom fields may take at most {MAX_CUSTOM_FIELDS_BYTES} bytes as JSON")
    return value


Tag = Annotated[str, Field(min_length=1, max_length=64)]
CustomFields = Annotated[dict[str, Any], AfterValidator(_bounded_custom_fields)]


class Pagination(ToolModel):
    page: int
    limit: int
    total: int
    total_pages: int


# --- customers -------------------------------------------------------------------------------


class CustomerOut(ToolModel):
    id: str
    name: str
    email: str | None
    phone: str | None
    company: str | None
    status: CustomerStatus
    tags: list[str]
    custom_fields: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class ListCustomersInput(ToolModel):
    status: CustomerStatus | None = Field(None, description="Only customers in this status.")
    search: str | None = Field(None, max_length=200, description="Text in name, email or company.")
    company: str | None = Field(None, max_length=200, description="Company name contains this.")
    created_after: date | None = Field(None, description="Added on or after this day (YYYY-MM-DD).")
    created_before: date | None = Field(None, description="Added before this day, exclusive (YYYY-MM-DD).")
    page: int = Field(1, ge=1, le=100000)
    limit: int = Field(20, ge=1, le=100)
    sort_by: Literal["createdAt", "created_at", "updatedAt", "updated_at", "name", "email",
                     "company", "status"] = "created_at"
    sort_order: Literal["asc", "desc"] = "desc"


class CustomerList(ToolModel):
    customers: list[CustomerOut]
    pagination: Pagination


class CustomerIdInput(ToolModel):
    customer_id: str = Field(..., min_length=1, max_length=64, description="The customer's id.")


class CustomerOutput(ToolModel):
    customer: CustomerOut


class CreateCustomerInput(ToolModel):
    name: str = Field(..., min_length=1, max_length=200)
    email: EmailStr | None = None
    phone: str | None = Field(None, max_length=40)
    company: str | None = Field(None, max_length=200)
    status: CustomerStatus = "lead"
    tags: list[Tag] = Field(default_factory=list, max_length=50)
    custom_fields: CustomFields = Field(default_factory=dict)


class UpdateCustomerInput(ToolModel):
    customer_id: str = Field(..., min_length=1, max_length=64)
    name: str | None = Field(None, min_length=1, max_length=200)
    email: EmailStr | None = None
    phone: str | None = Field(None, max_length=40)
    company: str | None = Field(None, max_length=200)
    status: CustomerStatus | None = None
    tags: list[Tag] | None = Field(None, max_length=50)
    custom_fields: CustomFields | None = None


class DeleteCustomerInput(ConfirmableInput):
    customer_id: str = Field(..., min_length=1, max_length=64)


class DeleteResult(DestructiveResult):
    deleted_id: str | None = None


# --- deals -----------------------------------------------------------------------------------


class DealOut(ToolModel):
    id: str
    workspace_id: str
    title: str
    description: str | None
    value: float
    currency: str
    stage: DealStage
    status: DealStatus
    probability: int
    customer_id: str | None
    customer_name: str | None
    expected_close_date: date | None
    assigned_to: str | None
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime


class DealOutput(ToolModel):
    deal: DealOut


class _StageField(ToolModel):
    @field_validator("stage", mode="before", check_fields=False)
    @classmethod
    def _stage(cls, value: Any) -> Any:
        return normalize_stage(value)


class CreateDealInput(_StageField):
    title: str = Field(..., min_length=1, max_length=200)
    value: float = Field(..., ge=0, le=1e12, description="Deal amount in the tenant's currency.")
    customer_id: OptionalId = None
    stage: DealStage = "lead"
    probability: int | None = Field(None, ge=0, le=100, description="Win chance, percent.")
    expected_close_date: date | None = None
    assigned_to: OptionalId = None
    currency: str = Field("USD", min_length=3, max_length=3)
    description: str | None = Field(None, max_length=5000)


class ListDealsInput(_StageField):
    stage: DealStage | None = Field(None, description="Only deals in this stage.")
    status: DealStatus | None = Field(None, description="open (not closed), won or lost.")
    min_value: float | None = Field(None, ge=0, description="Only deals worth at least this.")
    max_value: float | None = Field(None, ge=0, description="Only deals worth at most this.")
    customer_id: OptionalId = None
    assigned_to: OptionalId = None
    search: str | None = Field(None, max_length=200, description="Text in title or company.")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=10_000_000)
    sort_by: Literal["created_at", "createdAt", "value", "title", "stage", "updated_at",
                     "updatedAt", "expected_close_date", "expectedCloseDate"] = "created_at"
    sort_order: Literal["asc", "desc"] = "desc"


class DealList(ToolModel):
    deals: list[DealOut]
    total: int
    limit: int
    offset: int
    total_value: float


class DealIdInput(ToolModel):
    deal_id: str = Field(..., min_length=1, max_length=64, description="The deal's id.")


class UpdateDealInput(_StageField):
    deal_id: str = Field(..., min_length=1, max_length=64)
    title: str | None = Field(None, min_length=1, max_length=200)
    value: float | None = Field(None, ge=0, le=1e12)
    customer_id: OptionalId = None
    stage: DealStage | None = None
    probability: int | None = Field(None, ge=0, le=100)
    expected_close_date: date | None = None
    assigned_to: OptionalId = None
    description: str | None = Field(None, max_length=5000)


class MoveDealStageInput(_StageField):
    deal_id: str = Field(..., min_length=1, max_length=64)
    stage: DealStage
    probability: int | None = Field(None, ge=0, le=100)


class DeleteDealInput(ConfirmableInput):
    deal_id: str = Field(..., min_length=1, max_length=64)


class StageSummary(ToolModel):
    stage: DealStage
    count: int
    value: float
    weighted_value: float


class PipelineSummary(ToolModel):
    stages: list[StageSummary]
    open_count: int
    open_value: float
    weighted_value: float
    won_count: int
    won_value: float
    lost_count: int
    win_rate: float | None = Field(description="won / (won + lost), or null with no closed deals")
    average_open_deal_value: float | None = Field(description="open_value / open_count; null with none")
    average_won_deal_value: float | None = Field(description="won_value / won_count; null with none")
    currency: str


class NoInput(ToolModel):
    pass


# --- revenue ---------------------------------------------------------------------------------


class RevenueInput(ToolModel):
    period: PeriodName | None = Field(
        None, description="A named period; default last_30_days. Ignored when dates are given."
    )
    start_date: date | None = Field(None, description="First day, inclusive (YYYY-MM-DD).")
    end_date: date | None = Field(None, description="Last day, inclusive (YYYY-MM-DD).")
    month: str | None = Field(
        None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="A calendar month, YYYY-MM."
    )


class RevenueOutput(ToolModel):
    label: str
    start_date: date
    end_date: date
    revenue: float
    orders: int
    average_order_value: float | None
    currency: str
    previous_label: str
    previous_revenue: float
    previous_orders: int
    change_percent: float | None = Field(description="vs the previous period; null if it was 0")
    sources: dict[str, int]


class DashboardInput(ToolModel):
    period: str = Field("30d", pattern=r"^\d{1,4}[dwmy]$", description="e.g. 7d, 30d, 12m, 1y.")


class DashboardRevenue(ToolModel):
    current: float
    previous: float
    change: str
    change_percent: float | None


class DashboardCustomers(ToolModel):
    total: int
    new: int
    churned: int


class DashboardDeals(ToolModel):
    open: int
    won: int
    value: float


class DashboardOutput(ToolModel):
    period: str
    start_date: date
    end_date: date
    currency: str
    revenue: DashboardRevenue
    customers: DashboardCustomers
    deals: DashboardDeals
