"""Inputs and outputs of the webhook tools."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, SecretStr, model_validator

from tools.crm.schemas import Pagination
from tools.schemas import ConfirmableInput, DestructiveResult, OptionalId, ToolModel

WebhookFormat = Literal["standard", "extended"]
DeliveryStatus = Literal["pending", "retrying", "succeeded", "failed"]
EVENT_NAME = re.compile(r"^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$")

FORMAT_DESCRIPTION = (
    "Payload shape: standard = {id, event, timestamp, data} (default); extended = {eventId, "
    "eventType, timestamp, data, signature}."
)
EVENTS_DESCRIPTION = (
    'Event types to receive, e.g. ["customer.created", "deal.won"]; "deal.*" for every deal '
    'event, "*" for all of them.'
)
WEBHOOK_ID_DESCRIPTION = "The webhook's id, as returned by list_webhooks or create_webhook."
SECRET_DESCRIPTION = (
    "Signing secret, 16 to 200 characters. Omit to have a strong one generated; either way it "
    "is shown only in this response."
)


def _event_names(values: list[str]) -> list[str]:
    cleaned = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    for value in cleaned:
        if not EVENT_NAME.match(value):
            raise ValueError(f"{value!r} is not an event type (like customer.created, deal.* or *)")
    if not cleaned:
        raise ValueError("name at least one event type, or * for all")
    return cleaned


EventList = Annotated[list[Annotated[str, Field(max_length=100)]], AfterValidator(_event_names)]
Url = Annotated[str, Field(min_length=8, max_length=2048, description="The https:// (or http://) "
                           "endpoint that receives the events; it must be a public address.")]


class WebhookOut(ToolModel):
    id: str
    url: str
    events: list[str]
    description: str | None
    active: bool
    format: WebhookFormat
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    secret_rotated_at: datetime | None
    failure_count: int
    last_success_at: datetime | None
    last_failure_at: datetime | None
    last_error: str | None


class WebhookOutput(ToolModel):
    webhook: WebhookOut


class WebhookWithSecret(ToolModel):
    """A webhook as created or after a secret rotation: the only time the secret is shown."""

    webhook: WebhookOut
    secret: str
    message: str


class CreateWebhookInput(ToolModel):
    url: Url
    events: EventList = Field(..., max_length=50, description=EVENTS_DESCRIPTION)
    description: str | None = Field(None, max_length=500, description="What this webhook is for. Optional.")
    secret: SecretStr | None = Field(None, min_length=16, max_length=200, description=SECRET_DESCRIPTION)
    """A SecretStr: dumps (the audit log's arguments, an idempotency fingerprint) show it masked."""
    active: bool = Field(True, description="Whether events are sent (default true).")
    format: WebhookFormat = Field("standard", description=FORMAT_DESCRIPTION)


class WebhookIdInput(ToolModel):
    webhook_id: str = Field(..., min_length=1, max_length=64, description=WEBHOOK_ID_DESCRIPTION)


class UpdateWebhookInput(ToolModel):
    """Only the fields given change."""

    webhook_id: str = Field(..., min_length=1, max_length=64, description=WEBHOOK_ID_DESCRIPTION)
    url: Url | None = Field(None, description="New endpoint URL (public addresses only). Omit to keep.")
    events: EventList | None = Field(None, max_length=50, description="The full new list of event "
                                     "types, replacing the old one. Omit to keep.")
    description: str | None = Field(None, max_length=500, description="New description. Omit to keep.")
    active: bool | None = Field(None, description="false pauses deliveries, true resumes them. "
                                "Omit to keep.")
    format: WebhookFormat | None = Field(None, description=FORMAT_DESCRIPTION + " Omit to keep.")


class ListWebhooksInput(ToolModel):
    active: bool | None = Field(None, description="Only active (true) or paused (false) webhooks. "
                                "Omit for all.")
    event: str | None = Field(None, max_length=100, description="Only webhooks that receive this "
                              "event type, e.g. deal.won.")
    page: int = Field(1, ge=1, le=100000, description="Page number, from 1 (default 1).")
    limit: int = Field(20, ge=1, le=100, description="Webhooks per page, 1 to 100 (default 20).")


class WebhookList(ToolModel):
    webhooks: list[WebhookOut]
    pagination: Pagination


class DeleteWebhookInput(ConfirmableInput):
    webhook_id: str = Field(..., min_length=1, max_length=64, description=WEBHOOK_ID_DESCRIPTION)


class DeleteWebhookResult(DestructiveResult):
    deleted_id: str | None = None


class RotateSecretInput(ToolModel):
    webhook_id: str = Field(..., min_length=1, max_length=64, description=WEBHOOK_ID_DESCRIPTION)
    keep_old_hours: int = Field(
        0, ge=0, le=72, description="Hours the old secret keeps signing too (a second v1= in "
        "Webhook-Signature), so receivers can switch without missing events. Default 0: at once.")


class AttemptOut(ToolModel):
    number: int
    status: Literal["succeeded", "failed"]
    response_status: int | None
    response_excerpt: str | None
    error: str | None
    duration_ms: int | None
    manual: bool
    started_at: datetime


class DeliveryOut(ToolModel):
    id: str
    webhook_id: str
    webhook_url: str | None
    event_id: str
    event_type: str
    status: DeliveryStatus
    attempts: int
    response_status: int | None
    response_excerpt: str | None
    error: str | None
    duration_ms: int | None
    created_at: datetime
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    retry_until: datetime | None


class DeliveryDetail(DeliveryOut):
    request_body: str | None
    attempt_log: list[AttemptOut]


class DeliveryOutput(ToolModel):
    delivery: DeliveryDetail


class ListDeliveriesInput(ToolModel):
    webhook_id: OptionalId = Field(None, description="Only this webhook's deliveries. Omit for every "
                                   "webhook.")
    status: DeliveryStatus | None = Field(None, description="Only deliveries in this state: pending, "
                                          "retrying, succeeded or failed.")
    event_type: str | None = Field(None, max_length=100, description="Only this event type, e.g. "
                                   "customer.created.")
    event_id: str | None = Field(None, max_length=64, description="Only deliveries of this event.")
    page: int = Field(1, ge=1, le=100000, description="Page number, from 1 (default 1).")
    limit: int = Field(20, ge=1, le=100, description="Deliveries per page, 1 to 100 (default 20).")


class DeliveryList(ToolModel):
    deliveries: list[DeliveryOut]
    pagination: Pagination


class DeliveryIdInput(ToolModel):
    delivery_id: str = Field(..., min_length=1, max_length=64, description="The delivery's id, from "
                             "list_webhook_deliveries.")
    webhook_id: OptionalId = Field(None, description="The webhook it belongs to (checked when given).")


class RedeliverInput(ToolModel):
    delivery_id: OptionalId = Field(None, description="The delivery to send again (from "
                                    "list_webhook_deliveries).")
    event_id: OptionalId = Field(None, description="Or: send this event again to every webhook that "
                                 "received it (or to webhook_id only).")
    webhook_id: OptionalId = Field(None, description="The webhook (checked against the delivery; "
                                   "narrows an event_id redelivery).")

    @model_validator(mode="after")
    def _one_target(self) -> RedeliverInput:
        if not self.delivery_id and not self.event_id:
            raise ValueError("give delivery_id or event_id")
        return self


class RedeliverResult(ToolModel):
    deliveries: list[DeliveryOut]
    message: str


class WebhookHealthInput(ToolModel):
    webhook_id: OptionalId = Field(None, description="One webhook; omit for all of them.")
    hours: int = Field(24, ge=1, le=24 * 30, description="The window the success rate covers, in "
                       "hours (default 24).")


class WebhookHealth(ToolModel):
    webhook_id: str
    url: str
    active: bool
    state: Literal["healthy", "failing", "degraded", "paused", "waiting", "idle"]
    attempts: int
    succeeded: int
    failed: int
    success_rate: float | None
    """Percent of attempts in the window that succeeded; None with no attempts."""
    pending: int
    failed_deliveries: int
    """Deliveries in the window that gave up after every retry."""
    last_success_at: datetime | None
    last_failure_at: datetime | None
    last_error: str | None
    failing_since: datetime | None
    """The first failure after the last success, while it still fails."""


class WebhookHealthReport(ToolModel):
    hours: int
    webhooks: list[WebhookHealth]
    healthy: int
    failing: int
