"""Route-only shapes for the CRM surface: PATCH bodies whose id comes from the path, and the deal
list query with `page` as well as `offset`.

The models derive from the tools' input models, so validation rules live in one place; only the
id field is hidden (excluded from the body schema and from the dump the route forwards).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from tools.crm.schemas import ListDealsInput, MoveDealStageInput, UpdateCustomerInput, UpdateDealInput


class CustomerPatch(UpdateCustomerInput):
    """PATCH /api/crm/customers/{id}: any subset of the customer's fields."""

    customer_id: SkipJsonSchema[str | None] = Field(None, exclude=True)  # type: ignore[assignment]


class DealPatch(UpdateDealInput):
    """PATCH /api/crm/deals/{id} and /api/v1/deals/{id}: any subset of the deal's fields."""

    deal_id: SkipJsonSchema[str | None] = Field(None, exclude=True)  # type: ignore[assignment]


class StageBody(MoveDealStageInput):
    """PATCH /api/crm/deals/{id}/stage: {stage, probability?}."""

    deal_id: SkipJsonSchema[str | None] = Field(None, exclude=True)  # type: ignore[assignment]


class DealListQuery(ListDealsInput):
    """GET /api/crm/deals: page/limit on top of the tool's limit/offset."""

    page: int | None = Field(None, ge=1, le=100000, description="1-based page; overrides offset.")

    def tool_args(self) -> dict[str, Any]:
        args = self.model_dump(exclude={"page"})
        if self.page is not None:
            args["offset"] = (self.page - 1) * self.limit
        return args


def changes(body: Any) -> dict[str, Any]:
    """The fields a PATCH body actually set (absent fields stay as they are)."""
    return dict(body.model_dump(exclude_unset=True))
