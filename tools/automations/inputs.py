"""Inputs of the automation tools and their results.

`CreateAutomationInput` takes the full shape (`trigger`, `actions`) that the REST routes pass, and
a flat one the assistant fills from a sentence: "every Monday at 9 email overdue customers a
reminder" is schedule="0 9 * * 1", action=send_email, recipients=overdue_customers,
template=invoice_reminder (the schedule phrase is read by `tools.automations.timing`).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, field_validator

from tools.automations.schemas import ActionIn, ActionName, AutomationOut, Conditions, TriggerIn
from tools.automations.timing import TimingError, to_cron
from tools.schemas import ConfirmableInput, DestructiveResult, ToolModel

EventName = Literal["customer.created", "customer.updated", "customer.deleted", "deal.created",
                    "deal.updated", "deal.stage_changed", "deal.won", "deal.lost", "deal.deleted",
                    "insight.generated", "insight.critical", "integration.synced",
                    "integration.failed", "security.issue.created", "payment.completed",
                    "payment.failed"]
"""Events an automation can react to (automation.completed is not one: no loops)."""
CustomerStatus = Literal["lead", "active", "inactive", "churned"]
AUTOMATION_REF = ("The automation's name as the user says it (\"weekly invoice reminder\"), or its id.")


class CreateAutomationInput(ConfirmableInput):
    name: str | None = Field(None, max_length=200, description="A name; made from the trigger and "
                             "action when omitted.")
    description: str | None = Field(None, max_length=2000, description="What it is for. Optional.")
    schedule: str | None = Field(None, max_length=100, description='When it runs: a cron expression '
                                 '("0 9 * * 1") or a phrase ("every Monday at 9", "weekdays at 8am").')
    timezone: str | None = Field(None, max_length=60, description="IANA time zone (default UTC).")
    event: EventName | None = Field(None, description="Or: the event it reacts to.")
    conditions: Conditions | None = Field(None, description='Event conditions, e.g. {"status": "lead"}.')
    action: ActionName | None = Field(None, description="What it does (the flat form's one action).")
    template: str | None = Field(None, max_length=60, description="E-mail template: invoice_reminder, "
                                 "welcome_lead, feature_highlight, win_back.")
    recipients: str | None = Field(None, max_length=60, description="Who gets it: overdue_customers, "
                                   "new_leads_this_week, inactive_customers, all_customers, "
                                   "triggering_customer.")
    days: int | None = Field(None, ge=1, le=3650, description="N days for overdue_customers (default "
                             "30) or inactive_customers (default 90).")
    subject: str | None = Field(None, max_length=300, description="An inline e-mail subject (Jinja2 "
                                "with the customer's fields) instead of a named template. Optional.")
    body: str | None = Field(None, max_length=20_000, description="An inline e-mail body (Jinja2, "
                             "autoescaped) to go with `subject`. Optional.")
    title: str | None = Field(None, max_length=300, description="Task title for create_task.")
    webhook_url: str | None = Field(None, max_length=2000, description="For post_slack or call_webhook.")
    text: str | None = Field(None, max_length=4000, description="Slack message.")
    delay: str | None = Field(None, max_length=30, description='e.g. "3_days" after the trigger.')
    trigger: TriggerIn | None = Field(None, description="Full form: the trigger (wins over schedule/event).")
    actions: list[ActionIn] | None = Field(None, max_length=20, description="Full form: the actions "
                                           "(wins over the flat action fields).")

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        try:
            return to_cron(value)
        except TimingError as err:
            raise ValueError(str(err)) from None


class CreateWorkflowInput(ConfirmableInput):
    name: str | None = Field(None, max_length=200, description='e.g. "Lead Nurture Campaign".')
    description: str | None = Field(None, max_length=2000, description="What it is for. Optional.")
    event: EventName = Field("customer.created", description="The event that starts it.")
    status: CustomerStatus | None = Field(None, description="Only customers with this status "
                                          "(a condition on the event's record).")
    conditions: Conditions | None = Field(None, description="Other conditions on the event's record.")
    trigger: TriggerIn | None = Field(None, description="Full form: {type: event, "
                                      "config: {event, conditions}}.")
    actions: list[ActionIn] | None = Field(None, max_length=20, description="The steps, each with a "
                                           "delay; default: welcome_lead now, feature_highlight after "
                                           "3 days, to the triggering customer.")


class ListAutomationsInput(ToolModel):
    status: Literal["active", "paused"] | None = Field(None, description="Only active or only paused ones.")
    kind: Literal["schedule", "event"] | None = Field(None, description="schedule or event triggers.")
    page: int = Field(1, ge=1, le=10_000, description="Page number, from 1.")
    limit: int = Field(20, ge=1, le=100, description="How many to list per page.")


class AutomationRef(ToolModel):
    name: str = Field(..., min_length=1, max_length=200, description=AUTOMATION_REF)


class DeleteAutomationInput(ConfirmableInput):
    name: str = Field(..., min_length=1, max_length=200, description=AUTOMATION_REF)


class ListRunsInput(ToolModel):
    automation: str | None = Field(None, max_length=200, description="Only this automation's runs.")
    start_date: date | None = Field(None, description="Runs started on or after this day.")
    end_date: date | None = Field(None, description="Runs started on or before this day.")
    status: Literal["running", "succeeded", "partial", "failed"] | None = Field(
        None, description="Only runs with this outcome: running, succeeded, partial or failed.")
    page: int = Field(1, ge=1, le=10_000, description="Page number, from 1.")
    limit: int = Field(20, ge=1, le=100, description="How many runs to list per page.")


class AutomationResult(DestructiveResult):
    """A create (after confirmation) or a delete: the automation as it was made or removed."""

    automation: AutomationOut | None = None
    workflow_id: str | None = None


class AutomationDetail(ToolModel):
    automation: AutomationOut
    message: str = ""
