"""Request and response bodies of the automation routes, as the documents write them.

Document 000 posts `{name, trigger: {type: "schedule", cron}, actions: [{type: "send_email",
template, recipients}]}`; document 001 posts `{name, description, trigger: {type: "event", config:
{event, conditions}}, actions: [{type: "email", config: {template, delay}}]}`. Both are the same
tool input (the trigger and action models merge a `config` object into their flat fields).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from tools.automations.inputs import CreateAutomationInput, CreateWorkflowInput
from tools.automations.schemas import ActionIn, AutomationList, AutomationOut, RunList, TriggerIn
from tools.schemas import ToolModel


class CreateAutomationBody(ToolModel):
    """POST /api/modules/ops-copilot/automations."""

    name: str = Field(..., min_length=1, max_length=200)
    description: str | None = Field(None, max_length=2000)
    trigger: TriggerIn
    actions: list[ActionIn] = Field(..., min_length=1, max_length=20)

    def tool_input(self) -> CreateAutomationInput:
        return CreateAutomationInput(name=self.name, description=self.description, trigger=self.trigger,
                                     actions=self.actions)


class CreateWorkflowBody(CreateAutomationBody):
    """POST /api/ai/automation/workflows."""

    def workflow_input(self) -> CreateWorkflowInput:
        return CreateWorkflowInput(name=self.name, description=self.description, trigger=self.trigger,
                                   actions=self.actions)


class StatusBody(ToolModel):
    """PATCH an automation: pause or resume it."""

    status: Literal["active", "paused"]


class WorkflowCreated(ToolModel):
    """`{workflowId, status: "created"}`, with the workflow itself."""

    workflow_id: str
    id: str
    status: Literal["created"] = "created"
    workflow: AutomationOut


class Deleted(ToolModel):
    id: str
    deleted: bool = True
    message: str


class AutomationPage(AutomationList):
    """A page of automations (the items are also in `workflows`)."""


class RunPage(RunList):
    """A page of runs, newest first."""
