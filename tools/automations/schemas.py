"""Automation records as the tools take and return them.

A trigger and an action are accepted in both documents' shapes: document 000's flat one
(`{"type": "schedule", "cron": "0 9 * * 1"}`, `{"type": "send_email", "template": ...,
"recipients": ...}`) and document 001's (`{"type": "event", "config": {"event": ..., "conditions":
...}}`, `{"type": "email", "config": {"template": ..., "delay": "3_days"}}`); a `config` object is
merged into the flat fields. Outputs carry both shapes (flat fields and `config`), so each
document's client reads what it wrote.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, EmailStr, Field, model_validator

from tools.schemas import ToolModel, small_json

ActionName = Literal["send_email", "create_task", "post_slack", "call_webhook"]
ACTION_ALIASES: dict[str, ActionName] = {
    "send_email": "send_email", "email": "send_email", "create_task": "create_task",
    "task": "create_task", "post_slack": "post_slack", "slack": "post_slack",
    "call_webhook": "call_webhook", "webhook": "call_webhook",
}
Conditions = Annotated[dict[str, Any], AfterValidator(small_json)]


def _merge_config(data: Any) -> Any:
    """001's `{type, config: {...}}` into the flat fields (flat ones win)."""
    if isinstance(data, dict) and isinstance(data.get("config"), dict):
        return {**data["config"], **{k: v for k, v in data.items() if k != "config"}}
    return data


class TriggerIn(ToolModel):
    type: Literal["schedule", "event"] | None = Field(
        None, description="schedule (a cron expression) or event (a domain event). Inferred when "
        "omitted: cron means schedule, event means event.")
    cron: str | None = Field(None, max_length=100, description='A cron expression, "0 9 * * 1" (five '
                             'fields, UTC unless timezone), or a phrase such as "every Monday at 9".')
    timezone: str | None = Field(None, max_length=60, description="IANA time zone of the schedule, "
                                 "e.g. Europe/Paris (default UTC).")
    event: str | None = Field(None, max_length=60, description="The event, e.g. customer.created.")
    conditions: Conditions | None = Field(None, description='Fields the event\'s record must have, '
                                          'e.g. {"status": "lead"}; a list means any of its values.')

    @model_validator(mode="before")
    @classmethod
    def _config(cls, data: Any) -> Any:
        return _merge_config(data)


class ActionIn(ToolModel):
    type: str = Field(..., min_length=1, max_length=30, description="send_email (or email), "
                      "create_task (task), post_slack (slack) or call_webhook (webhook).")
    template: str | None = Field(None, max_length=60, description="A built-in e-mail template: "
                                 "invoice_reminder, welcome_lead, feature_highlight, win_back.")
    subject: str | None = Field(None, max_length=300, description="Inline e-mail subject (Jinja2, "
                                "e.g. 'Hello {{ customer.name }}').")
    body: str | None = Field(None, max_length=20_000, description="Inline e-mail body (HTML, Jinja2, "
                             "autoescaped).")
    recipients: str | None = Field(None, max_length=60, description="A recipient rule: "
                                   "overdue_customers, new_leads_this_week, inactive_customers, "
                                   "all_customers, triggering_customer.")
    to: list[EmailStr] | None = Field(None, max_length=50, description="Explicit addresses instead "
                                      "of (or besides) a rule.")
    days: int | None = Field(None, ge=1, le=3650, description="N of the rule: overdue_customers "
                             "(invoice older than N days, default 30), inactive_customers (no order "
                             "in N days, default 90).")
    delay: str | None = Field(None, max_length=30, description='When after the trigger: "0", '
                              '"2_hours", "3_days", "1_week".')
    title: str | None = Field(None, max_length=300, description="Task title (Jinja2 with the customer).")
    description: str | None = Field(None, max_length=4000, description="Task description.")
    due_in_days: int | None = Field(None, ge=0, le=365, description="Task due this many days later.")
    webhook_url: str | None = Field(None, max_length=2000, description="Slack incoming webhook URL "
                                    "(post_slack) or the URL to POST to (call_webhook).")
    text: str | None = Field(None, max_length=4000, description="Slack message (Jinja2).")
    payload: Conditions | None = Field(None, description="Extra JSON sent by call_webhook.")

    @model_validator(mode="before")
    @classmethod
    def _config(cls, data: Any) -> Any:
        return _merge_config(data)


class TriggerOut(ToolModel):
    type: str
    cron: str | None = None
    timezone: str | None = None
    event: str | None = None
    conditions: dict[str, Any] | None = None
    description: str = Field("", description="The trigger in words.")
    config: dict[str, Any] = Field(default_factory=dict, description="The same as a `config` object.")


class ActionOut(ToolModel):
    type: str
    action: ActionName
    template: str | None = None
    subject: str | None = None
    body: str | None = None
    recipients: str | None = None
    to: list[str] | None = None
    days: int | None = None
    delay: str = "0"
    delay_seconds: int = 0
    title: str | None = None
    description: str | None = None
    due_in_days: int | None = None
    webhook_url: str | None = Field(None, description="Masked: the host and the last characters.")
    text: str | None = None
    payload: dict[str, Any] | None = None
    config: dict[str, Any] = Field(default_factory=dict, description="The same as a `config` object.")


class AutomationOut(ToolModel):
    id: str
    workflow_id: str
    name: str
    description: str | None = None
    kind: Literal["schedule", "event"]
    trigger: TriggerOut
    actions: list[ActionOut]
    status: Literal["active", "paused"]
    origin: str
    created_by: str | None = None
    created_at: datetime
    updated_at: datetime
    next_run_at: datetime | None = None
    last_run_at: datetime | None = None
    run_count: int = 0


class OutcomeOut(ToolModel):
    step: int
    index: int
    type: str
    status: Literal["succeeded", "failed", "skipped"]
    detail: str = ""
    transport: str | None = Field(None, description="For e-mail: smtp (sent) or outbox (kept queued).")
    counts: dict[str, int] = Field(default_factory=dict)
    at: datetime


class RunOut(ToolModel):
    id: str
    automation_id: str
    automation_name: str
    trigger: dict[str, Any]
    status: Literal["running", "succeeded", "partial", "failed"]
    steps_total: int
    steps_done: int
    outcomes: list[OutcomeOut]
    email_transport: str | None = Field(None, description="smtp or outbox when the run sent e-mail.")
    started_at: datetime
    finished_at: datetime | None = None


class Pagination(ToolModel):
    page: int
    limit: int
    total: int


class AutomationList(ToolModel):
    automations: list[AutomationOut]
    workflows: list[AutomationOut] = Field(description="The same list, under the workflows name.")
    total: int
    pagination: Pagination


class RunList(ToolModel):
    runs: list[RunOut]
    total: int
    pagination: Pagination
    counts: dict[str, int] = Field(default_factory=dict, description="Runs in the range by status.")
    start_date: str | None = None
    emails: dict[str, int] = Field(default_factory=dict, description="E-mails of these runs by transport.")
    automation_name: str | None = Field(None, description="The automation filtered on, by its name.")
