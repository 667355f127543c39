"""Route-only shapes for the webhook routes: bodies whose ids come from the path.

They derive from the tools' input models, so validation rules live in one place; only the id
fields are hidden (excluded from the body schema and from the dump the route forwards).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, create_model
from pydantic.json_schema import SkipJsonSchema

from tools.schemas import ToolModel
from tools.webhooks.schemas import (
    DeliveryList,
    ListDeliveriesInput,
    RotateSecretInput,
    UpdateWebhookInput,
    WebhookList,
    WebhookOut,
    WebhookWithSecret,
)


class WebhookPatch(UpdateWebhookInput):
    """PATCH (or PUT) /.../webhooks/{id}: any subset of url, events, description, active, format."""

    webhook_id: SkipJsonSchema[str | None] = Field(None, exclude=True)  # type: ignore[assignment]


class RotateBody(RotateSecretInput):
    """POST /.../webhooks/{id}/rotate-secret: optionally how long the old secret keeps signing."""

    webhook_id: SkipJsonSchema[str | None] = Field(None, exclude=True)  # type: ignore[assignment]


_QUERY_FIELDS = {name: (info.annotation, info) for name, info in ListDeliveriesInput.model_fields.items()
                 if name != "webhook_id"}
DeliveriesQuery: type[ToolModel] = create_model(  # type: ignore[call-overload]
    "DeliveriesQuery", __base__=ToolModel, __doc__="GET /.../webhooks/{id}/deliveries: the log of one "
    "webhook (the path names it), filtered like list_webhook_deliveries.", **_QUERY_FIELDS)


class RedeliverBody(ToolModel):
    """POST /.../webhooks/redeliver: an event again, to every webhook that had it or to one."""

    event_id: str = Field(..., min_length=1, max_length=64, description="The event to send again.")
    webhook_id: str | None = Field(None, max_length=64, description="Only to this webhook (also one "
                                   "that never had the event).")


class WebhookPage(WebhookList):
    """A page of webhooks with its pagination block."""


class DeliveryPage(DeliveryList):
    """A page of deliveries with its pagination block."""


class WebhookCreatedV1(WebhookOut):
    """/api/v1: the webhook object itself, with its secret (shown this once) and a note."""

    secret: str
    message: str


def flat(out: WebhookWithSecret) -> dict[str, Any]:
    """The /api/v1 shape of a webhook with its secret: one object, as 004's raw family answers."""
    return {**out.webhook.snake(), "secret": out.secret, "message": out.message}


def changes(body: Any) -> dict[str, Any]:
    return dict(body.model_dump(exclude_unset=True))
