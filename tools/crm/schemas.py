"""Inputs and outputs of the CRM tools."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, EmailStr, Field, field_validator

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


SORT_ORDER_DESCRIPTION = "desc (default: newest, largest or Z first) or asc."


class ListCustomersInput(ToolModel):
    status: CustomerStatus | None = Field(
        None, description="Only customers in this lifecycle status: lead, prospect, active, inactive "
        "or churned. Omit for every status."
    )
    search: str | None = Field(
        None, max_length=200, description="Case-insensitive text to find in the name, email or "
        'company, e.g. "jane" or "acme". Omit for no text filter.'
    )
    company: str | None = Field(
        None, max_length=200,
        description='Only customers whose company name contains this text, e.g. "Tech Corp".',
    )
    tag: str | None = Field(
        None, min_length=1, max_length=64,
        description='Only customers with this tag (any case), e.g. "vip" or "wholesale".',
    )
    created_after: date | None = Field(
        None, description="Only customers added on or after this day, inclusive (YYYY-MM-DD, UTC), "
        "e.g. 2026-11-01."
    )
    created_before: date | None = Field(
        None, description="Only customers added before this day, exclusive (YYYY-MM-DD, UTC): "
        "created_after=2026-11-01 with created_before=2026-12-01 is November."
    )
    page: int = Field(1, ge=1, le=100000, description="Page number, from 1 (default 1).")
    limit: int = Field(20, ge=1, le=100, description="Customers per page, 1 to 100 (default 20).")
    sort_by: Literal["createdAt", "created_at", "updatedAt", "updated_at", "name", "email",
                     "company", "status"] = Field(
        "created_at", description="Field to sort by: created_at (default, when added), updated_at, "
        "name, email, company or status. createdAt and updatedAt are accepted too."
    )
    sort_order: Literal["asc", "desc"] = Field("desc", description=SORT_ORDER_DESCRIPTION)


class CustomerList(ToolModel):
    customers: list[CustomerOut]
    pagination: Pagination


CUSTOMER_ID_DESCRIPTION = (
    "The customer's id as returned by list_customers or create_customer. To act on a customer "
    "known only by name, find the id with list_customers(search=...) first."
)


class CustomerIdInput(ToolModel):
    customer_id: str = Field(..., min_length=1, max_length=64, description=CUSTOMER_ID_DESCRIPTION)


class CustomerOutput(ToolModel):
    customer: CustomerOut


class CreateCustomerInput(ToolModel):
    name: str = Field(
        ..., min_length=1, max_length=200,
        description='The person\'s or account\'s name, 1 to 200 characters, e.g. "Jane Smith".',
    )
    email: EmailStr | None = Field(
        None, description="Contact email, e.g. jane@example.com. Must not belong to another "
        "customer. Optional."
    )
    phone: str | None = Field(
        None, max_length=40, description="Phone number as the customer gives it, e.g. "
        "+1 555 010 0199. Optional."
    )
    company: str | None = Field(
        None, max_length=200, description='The customer\'s company, e.g. "Tech Corp". Optional.'
    )
    status: CustomerStatus = Field(
        "lead", description="Lifecycle status: lead (default), prospect, active, inactive or churned."
    )
    tags: list[Tag] = Field(
        default_factory=list, max_length=50, description='Free labels, up to 50 of 1 to 64 '
        'characters each, e.g. ["enterprise", "priority"]. Default none.'
    )
    custom_fields: CustomFields = Field(
        default_factory=dict, description='Any extra attributes as a JSON object, e.g. '
        '{"industry": "Technology", "employees": 500}; at most 50 keys and 16 KiB. Default empty.'
    )


class UpdateCustomerInput(ToolModel):
    """Only the fields given change; a field left out keeps its value."""

    customer_id: str = Field(..., min_length=1, max_length=64, description=CUSTOMER_ID_DESCRIPTION)
    name: str | None = Field(
        None, min_length=1, max_length=200, description="New name, 1 to 200 characters. Omit to keep."
    )
    email: EmailStr | None = Field(
        None, description="New contact email (must not belong to another customer); null removes "
        "it. Omit to keep."
    )
    phone: str | None = Field(
        None, max_length=40, description="New phone number; null removes it. Omit to keep."
    )
    company: str | None = Field(
        None, max_length=200, description="New company name; null removes it. Omit to keep."
    )
    status: CustomerStatus | None = Field(
        None, description="New lifecycle status: lead, prospect, active, inactive or churned "
        "(e.g. churned when they leave). Omit to keep."
    )
    tags: list[Tag] | None = Field(
        None, max_length=50, description='The full new list of tags, replacing the old one, e.g. '
        '["vip"]; [] removes all. Omit to keep.'
    )
    add_tags: list[Tag] | None = Field(
        None, max_length=50, description='Tags to add to the ones the customer has, e.g. ["vip"] for '
        '"tag her as VIP"; the others stay.'
    )
    remove_tags: list[Tag] | None = Field(
        None, max_length=50, description="Tags to take off the customer; the others stay."
    )
    custom_fields: CustomFields | None = Field(
        None, description="The full new custom-fields object, replacing the old one (not merged). "
        "Omit to keep."
    )


class DeleteCustomerInput(ConfirmableInput):
    customer_id: str = Field(
        ..., min_length=1, max_length=64, description="Id of the customer to delete (from "
        "list_customers or get_customer)."
    )


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


STAGE_NAMES = ("lead, qualified, proposal, negotiation, closed_won or closed_lost (won and lost "
               "are accepted for the closed stages)")
PROBABILITY_DEFAULTS = ("the stage's usual chance: lead 10, qualified 25, proposal 50, "
                        "negotiation 75, closed_won 100, closed_lost 0")
DEAL_ID_DESCRIPTION = (
    "The deal's id as returned by list_deals or create_deal. To act on a deal known only by "
    "name, find the id with list_deals(search=...) first."
)
ASSIGNEE_DESCRIPTION = (
    "User id of the team member who owns the deal; must be a member of this workspace "
    "(see list_workspace_members)."
)


class CreateDealInput(_StageField):
    title: str = Field(
        ..., min_length=1, max_length=200,
        description='Short name of the deal, 1 to 200 characters, e.g. "Acme website redesign".',
    )
    value: float = Field(
        ..., ge=0, le=1e12, description="Deal amount in `currency`, from 0, e.g. 15000 or 2499.99."
    )
    customer_id: OptionalId = Field(
        None, description="Id of the customer the deal is with (from list_customers). Optional."
    )
    stage: DealStage = Field("lead", description=f"Pipeline stage, default lead: {STAGE_NAMES}.")
    probability: int | None = Field(
        None, ge=0, le=100,
        description=f"Chance of winning, 0 to 100 percent. Default {PROBABILITY_DEFAULTS}.",
    )
    expected_close_date: date | None = Field(
        None, description="Day the deal is expected to close (YYYY-MM-DD), e.g. 2026-12-31. Optional."
    )
    assigned_to: OptionalId = Field(None, description=ASSIGNEE_DESCRIPTION + " Optional.")
    currency: str = Field(
        "USD", min_length=3, max_length=3,
        description="Three-letter ISO 4217 currency code, e.g. USD (default), EUR or GBP.",
    )
    description: str | None = Field(
        None, max_length=5000, description="Free-text notes about the deal, up to 5000 characters."
    )


class ListDealsInput(_StageField):
    stage: DealStage | None = Field(None, description=f"Only deals in this stage: {STAGE_NAMES}.")
    status: DealStatus | None = Field(
        None, description="open (any stage before closed_won or closed_lost), won or lost. Omit for all."
    )
    min_value: float | None = Field(
        None, ge=0, description="Only deals worth at least this amount, e.g. 10000."
    )
    max_value: float | None = Field(
        None, ge=0, description="Only deals worth at most this amount, e.g. 50000."
    )
    customer_id: OptionalId = Field(None, description="Only deals with this customer (customer id).")
    assigned_to: OptionalId = Field(None, description="Only deals owned by this user id.")
    search: str | None = Field(
        None, max_length=200, description="Case-insensitive text in the deal title or the customer's "
        'name or company, e.g. "acme".'
    )
    expected_close_after: date | None = Field(
        None, description="Only deals expected to close on or after this date (YYYY-MM-DD); deals "
        "without an expected close date are left out when a close-date filter is given."
    )
    expected_close_before: date | None = Field(
        None, description="Only deals expected to close before this date (YYYY-MM-DD, exclusive): "
        "e.g. the first day of next month for deals closing this month."
    )
    limit: int = Field(20, ge=1, le=100, description="How many deals to return, 1 to 100 (default 20).")
    offset: int = Field(
        0, ge=0, le=10_000_000, description="How many matching deals to skip, for paging (default 0)."
    )
    sort_by: Literal["created_at", "createdAt", "value", "title", "stage", "updated_at",
                     "updatedAt", "expected_close_date", "expectedCloseDate"] = Field(
        "created_at", description="Field to sort by: created_at (default), updated_at, value, title, "
        "stage or expected_close_date. The camelCase spellings are accepted too."
    )
    sort_order: Literal["asc", "desc"] = Field("desc", description=SORT_ORDER_DESCRIPTION)


class DealList(ToolModel):
    deals: list[DealOut]
    total: int
    limit: int
    offset: int
    total_value: float


class DealIdInput(ToolModel):
    deal_id: str = Field(..., min_length=1, max_length=64, description=DEAL_ID_DESCRIPTION)


class UpdateDealInput(_StageField):
    """Only the fields given change; a field left out keeps its value."""

    deal_id: str = Field(..., min_length=1, max_length=64, description=DEAL_ID_DESCRIPTION)
    title: str | None = Field(
        None, min_length=1, max_length=200, description="New title, 1 to 200 characters. Omit to keep."
    )
    value: float | None = Field(
        None, ge=0, le=1e12, description="New deal amount in the deal's currency. Omit to keep."
    )
    customer_id: OptionalId = Field(
        None, description="Id of the customer to link the deal to; null unlinks it. Omit to keep."
    )
    stage: DealStage | None = Field(
        None, description=f"New pipeline stage: {STAGE_NAMES}. Omit to keep."
    )
    probability: int | None = Field(
        None, ge=0, le=100, description="New chance of winning, 0 to 100 percent. With a new stage "
        f"and no probability, it becomes {PROBABILITY_DEFAULTS}."
    )
    expected_close_date: date | None = Field(
        None, description="New expected close day (YYYY-MM-DD); null clears it. Omit to keep."
    )
    assigned_to: OptionalId = Field(
        None, description=ASSIGNEE_DESCRIPTION + " Null leaves it unowned. Omit to keep."
    )
    description: str | None = Field(
        None, max_length=5000, description="New notes, up to 5000 characters; null clears them. "
        "Omit to keep."
    )


class MoveDealStageInput(_StageField):
    deal_id: str = Field(..., min_length=1, max_length=64, description=DEAL_ID_DESCRIPTION)
    stage: DealStage = Field(..., description=f"The stage to move the deal to: {STAGE_NAMES}.")
    probability: int | None = Field(
        None, ge=0, le=100,
        description=f"Chance of winning, 0 to 100 percent. Default {PROBABILITY_DEFAULTS}.",
    )


class DeleteDealInput(ConfirmableInput):
    deal_id: str = Field(
        ..., min_length=1, max_length=64,
        description="Id of the deal to delete (from list_deals or get_deal).",
    )


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
