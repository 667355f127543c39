"""Thin routes over the automation tools (envelope family).

Document 000 (ops copilot): GET/POST /api/modules/ops-copilot/automations, plus GET, PATCH
{status}, POST /pause and /resume, DELETE and GET /runs on one automation.
Document 001 (workflows): POST /api/ai/automation/workflows (201 `{workflowId, status:
"created"}`), GET the list, GET one, POST /{id}/pause and /resume, DELETE, GET /{id}/runs.
Both families are one set of automations. Another tenant's automation is answered 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api.automations.schemas import (
    AutomationPage,
    CreateAutomationBody,
    CreateWorkflowBody,
    Deleted,
    RunPage,
    StatusBody,
    WorkflowCreated,
)
from api.deps import CurrentPrincipal
from api.family import EnvelopeRoute, Page, respond
from api.idempotency import IdempotencyKey, once
from api.openapi_models import Envelope, ListEnvelope, doc
from api.ratelimit import api_limit
from tools.automations import tools as automations
from tools.automations.inputs import ListAutomationsInput, ListRunsInput
from tools.automations.schemas import AutomationOut
from tools.context import Principal
from tools.runtime import invoke

OPS = "/api/modules/ops-copilot/automations"
FLOWS = "/api/ai/automation/workflows"
router = APIRouter(tags=["automations"], dependencies=[Depends(api_limit)], route_class=EnvelopeRoute)


async def _one(principal: Principal, automation_id: str) -> AutomationOut:
    out = await invoke(automations.get_automation, principal, {"name": automation_id})
    return out.automation


async def _status(principal: Principal, automation_id: str, status: str) -> AutomationOut:
    await _one(principal, automation_id)  # by id only: a name in the path is not found
    tool = automations.pause_automation if status == "paused" else automations.resume_automation
    return (await invoke(tool, principal, {"name": automation_id})).automation


async def _delete(principal: Principal, automation_id: str) -> Deleted:
    await _one(principal, automation_id)
    out = await invoke(automations.delete_automation, principal, {"name": automation_id},
                       confirmed=True)
    return Deleted(id=automation_id, message=out.message)


async def _runs(principal: Principal, automation_id: str, query: ListRunsInput) -> Page:
    await _one(principal, automation_id)
    args = query.model_copy(update={"automation": automation_id})
    out = await invoke(automations.list_automation_runs, principal, args)
    return Page(out.camel(), query.page, query.limit, out.total)


# --- document 000: ops copilot ------------------------------------------------------------------


@router.get(OPS, responses=doc(200, ListEnvelope[AutomationPage]))
async def list_automations(principal: CurrentPrincipal,
                           query: Annotated[ListAutomationsInput, Query()]) -> Page:
    """The workspace's automations, newest first (filter by status, kind)."""
    out = await invoke(automations.list_automations, principal, query)
    return Page(out.camel(), query.page, query.limit, out.total)


@router.post(OPS, status_code=201, responses=doc(201, Envelope[AutomationOut], "Created"))
async def create_automation(request: Request, principal: CurrentPrincipal, body: CreateAutomationBody,
                            key: IdempotencyKey = None) -> Response:
    """Create a schedule (cron) or event automation with its actions; it runs on the job system."""
    args = body.tool_input()

    async def create() -> Response:
        out = await invoke(automations.create_automation, principal, args, confirmed=True)
        return respond(request, out.automation, 201)

    return await once(request, principal, key, args.model_dump(mode="json"), create)


@router.get(f"{OPS}/{{automation_id}}", responses=doc(200, Envelope[AutomationOut]))
async def get_automation(principal: CurrentPrincipal, automation_id: str) -> AutomationOut:
    """One automation: trigger, actions, status, next and last run."""
    return await _one(principal, automation_id)


@router.patch(f"{OPS}/{{automation_id}}", responses=doc(200, Envelope[AutomationOut]))
async def set_status(principal: CurrentPrincipal, automation_id: str, body: StatusBody) -> AutomationOut:
    """Pause (`{"status": "paused"}`) or resume (`{"status": "active"}`) an automation."""
    return await _status(principal, automation_id, body.status)


@router.post(f"{OPS}/{{automation_id}}/pause", responses=doc(200, Envelope[AutomationOut]))
async def pause(principal: CurrentPrincipal, automation_id: str) -> AutomationOut:
    """Pause: nothing of it runs until resumed."""
    return await _status(principal, automation_id, "paused")


@router.post(f"{OPS}/{{automation_id}}/resume", responses=doc(200, Envelope[AutomationOut]))
async def resume(principal: CurrentPrincipal, automation_id: str) -> AutomationOut:
    """Resume from the next tick."""
    return await _status(principal, automation_id, "active")


@router.delete(f"{OPS}/{{automation_id}}", responses=doc(200, Envelope[Deleted]))
async def delete(principal: CurrentPrincipal, automation_id: str) -> Deleted:
    """Delete an automation and its run history."""
    return await _delete(principal, automation_id)


@router.get(f"{OPS}/{{automation_id}}/runs", responses=doc(200, ListEnvelope[RunPage]))
async def runs(principal: CurrentPrincipal, automation_id: str,
               query: Annotated[ListRunsInput, Query()]) -> Page:
    """The automation's runs, newest first, with each action's outcome."""
    return await _runs(principal, automation_id, query)


# --- document 001: workflows --------------------------------------------------------------------


@router.post(FLOWS, status_code=201, responses=doc(201, Envelope[WorkflowCreated], "Created"))
async def create_workflow(request: Request, principal: CurrentPrincipal, body: CreateWorkflowBody,
                          key: IdempotencyKey = None) -> Response:
    """Create an event-triggered workflow whose steps wait their `delay` as durable jobs."""
    args = body.workflow_input()

    async def create() -> Response:
        out = await invoke(automations.create_workflow, principal, args, confirmed=True)
        assert out.automation is not None
        made = WorkflowCreated(workflow_id=out.automation.id, id=out.automation.id, workflow=out.automation)
        return respond(request, made, 201)

    return await once(request, principal, key, args.model_dump(mode="json"), create)


@router.get(FLOWS, responses=doc(200, ListEnvelope[AutomationPage]))
async def list_workflows(principal: CurrentPrincipal,
                         query: Annotated[ListAutomationsInput, Query()]) -> Page:
    """Workflows (every automation of the workspace), newest first."""
    out = await invoke(automations.list_automations, principal, query)
    return Page(out.camel(), query.page, query.limit, out.total)


@router.get(f"{FLOWS}/{{workflow_id}}", responses=doc(200, Envelope[AutomationOut]))
async def get_workflow(principal: CurrentPrincipal, workflow_id: str) -> AutomationOut:
    """One workflow."""
    return await _one(principal, workflow_id)


@router.post(f"{FLOWS}/{{workflow_id}}/pause", responses=doc(200, Envelope[AutomationOut]))
async def pause_workflow(principal: CurrentPrincipal, workflow_id: str) -> AutomationOut:
    """Pause a workflow: waiting steps are skipped while it is paused."""
    return await _status(principal, workflow_id, "paused")


@router.post(f"{FLOWS}/{{workflow_id}}/resume", responses=doc(200, Envelope[AutomationOut]))
async def resume_workflow(principal: CurrentPrincipal, workflow_id: str) -> AutomationOut:
    """Resume a paused workflow."""
    return await _status(principal, workflow_id, "active")


@router.delete(f"{FLOWS}/{{workflow_id}}", responses=doc(200, Envelope[Deleted]))
async def delete_workflow(principal: CurrentPrincipal, workflow_id: str) -> Deleted:
    """Delete a workflow and its runs."""
    return await _delete(principal, workflow_id)


@router.get(f"{FLOWS}/{{workflow_id}}/runs", responses=doc(200, ListEnvelope[RunPage]))
async def workflow_runs(principal: CurrentPrincipal, workflow_id: str,
                        query: Annotated[ListRunsInput, Query()]) -> Page:
    """The workflow's runs, newest first, each step's outcome and the e-mail transport used."""
    return await _runs(principal, workflow_id, query)
