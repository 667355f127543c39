"""Automation capabilities: create (a schedule or event automation, or document 001's workflow),
list, read, pause, resume, delete, and the run history.

Creating one acts on the business's customers later and unattended (e-mails, webhooks), so it
previews first like a destructive tool (`confirm=True`): the assistant drafts "every Monday at 9
e-mail overdue customers a reminder", shows the draft, and creates it only with the confirmation
token. REST's POST is itself the explicit act. `list_automations` and `list_automation_runs` are
also what the action hub's /api/hubs/action/automations and /history read.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from store.models import Automation, AutomationRun
from tools.automations import engine, service
from tools.automations import runs as history
from tools.automations.inputs import (
    AutomationDetail,
    AutomationRef,
    AutomationResult,
    CreateAutomationInput,
    CreateWorkflowInput,
    DeleteAutomationInput,
    ListAutomationsInput,
    ListRunsInput,
)
from tools.automations.schemas import ActionIn, AutomationList, Pagination, RunList, TriggerIn
from tools.context import ToolContext
from tools.registry import Toolset, tool

TOOLSET: Toolset = "simulation"  # the action hub's toolset: what-if, plans, and the automations that act


def _flat_actions(args: CreateAutomationInput) -> list[ActionIn]:
    if args.actions:
        return args.actions
    action = args.action or ("post_slack" if args.text and args.webhook_url else
                             "call_webhook" if args.webhook_url else
                             "create_task" if args.title and not (args.template or args.subject) else
                             "send_email" if (args.template or args.subject or args.recipients) else None)
    if action is None:
        raise service.refuse("action", "What should it do? send_email, create_task, post_slack or "
                                       "call_webhook")
    return [ActionIn(type=action, template=args.template, subject=args.subject, body=args.body,
                     recipients=args.recipients, days=args.days, title=args.title,
                     webhook_url=args.webhook_url, text=args.text, delay=args.delay)]


def _draft(args: CreateAutomationInput | CreateWorkflowInput) -> tuple[str, dict[str, Any],
                                                                       list[dict[str, Any]]]:
    if isinstance(args, CreateWorkflowInput):
        conditions = dict(args.conditions or {})
        if args.status:
            conditions["status"] = args.status
        trigger = args.trigger or TriggerIn(type="event", event=args.event, conditions=conditions)
        actions = args.actions or [ActionIn(type="email", template="welcome_lead", delay="0"),
                                   ActionIn(type="email", template="feature_highlight", delay="3_days")]
    else:
        trigger = args.trigger or TriggerIn(cron=args.schedule, timezone=args.timezone, event=args.event,
                                            conditions=args.conditions)
        if not (trigger.cron or trigger.event):
            raise service.refuse("schedule", "When should it run? A schedule (\"every Monday at 9\", "
                                             "a cron expression) or an event (customer.created)")
        actions = _flat_actions(args)
    kind, stored = service.check_trigger(trigger)
    return kind, stored, service.check_actions(actions, kind)


def _preview(ctx: ToolContext, args: CreateAutomationInput | CreateWorkflowInput) -> dict[str, Any]:
    kind, trigger, actions = _draft(args)
    name = args.name or service.default_name(kind, trigger, actions)
    steps = [service.action_out(a) for a in actions]
    said = "; ".join(f"{s.action.replace('_', ' ')}"
                     + (f" ({s.template})" if s.template else "")
                     + (f" to {s.recipients.replace('_', ' ')}" if s.recipients else "")
                     + (f" after {s.delay.replace('_', ' ')}" if s.delay not in ("0", "") else "")
                     for s in steps)
    return {"message": f"This will create the automation \"{name}\": "
                       f"{service.trigger_out(trigger).description}, {said}. It runs unattended until "
                       "paused.",
            "name": name, "trigger": service.trigger_out(trigger).snake(),
            "actions": [s.snake() for s in steps]}


def create(ctx: ToolContext, args: CreateAutomationInput | CreateWorkflowInput,
           origin: str) -> AutomationResult:
    kind, trigger, actions = _draft(args)
    automation = Automation(tenant_id=ctx.tenant_id, name=args.name or service.default_name(
        kind, trigger, actions), description=args.description, kind=kind, trigger=trigger,
        actions=actions, status="active", origin=origin, created_by=ctx.user_id or None,
        created_at=ctx.now, updated_at=ctx.now, run_count=0)
    ctx.session.add(automation)
    ctx.session.flush()
    if kind == "schedule":
        engine.schedule_next(ctx.session, automation, ctx.now)
    out = service.to_out(automation)
    when = "" if out.trigger.description in out.name else f": {out.trigger.description}"
    return AutomationResult(status="done", automation=out, workflow_id=automation.id,
                            message=f"Created the automation \"{out.name}\"{when}.")


@tool(name="create_automation", toolset=TOOLSET, kind="write", min_role="analyst", confirm=True,
      preview=_preview, description="""Create an automation that runs by itself: a schedule (cron
"0 9 * * 1" or "every Monday at 9", time zone optional) or an event (customer.created with
conditions such as {"status": "lead"}), and actions: send_email (template invoice_reminder,
welcome_lead, feature_highlight, win_back, or inline subject/body; recipients overdue_customers,
new_leads_this_week, inactive_customers, all_customers, triggering_customer), create_task,
post_slack (a Slack incoming webhook URL), call_webhook. Each action may wait (delay "3_days").
Flat fields (schedule, action, template, recipients) or the full trigger/actions. The first call
previews and returns a confirmation_token; call again with it to create.""")
def create_automation(ctx: ToolContext, args: CreateAutomationInput) -> AutomationResult:
    return create(ctx, args, "assistant" if ctx.source in ("agent", "mcp") else "ops_copilot")


@tool(name="create_workflow", toolset=TOOLSET, kind="write", min_role="analyst", confirm=True,
      preview=_preview, description="""Create an event-triggered workflow (a lead nurture sequence):
the event (default customer.created), conditions on its record (status lead...), and steps, each
an action with a delay ("0", "2_hours", "3_days", "1_week") after the event; delayed steps are
durable. Without steps: the welcome_lead e-mail now and feature_highlight after 3 days, to the
customer. The first call previews and returns a confirmation_token; call again to create.""")
def create_workflow(ctx: ToolContext, args: CreateWorkflowInput) -> AutomationResult:
    return create(ctx, args, "workflow")


@tool(name="list_automations", toolset=TOOLSET, description="""List the workspace's automations
and workflows, newest first: trigger (schedule in words or event with conditions), actions,
status (active or paused), next run, last run and how many runs. Filter by status or kind.""")
def list_automations(ctx: ToolContext, args: ListAutomationsInput) -> AutomationList:
    stmt = select(Automation)
    if args.status:
        stmt = stmt.where(Automation.status == args.status)
    if args.kind:
        stmt = stmt.where(Automation.kind == args.kind)
    total = ctx.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = ctx.session.scalars(stmt.order_by(Automation.created_at.desc(), Automation.id)
                               .offset((args.page - 1) * args.limit).limit(args.limit))
    items = [service.to_out(a) for a in rows]
    return AutomationList(automations=items, workflows=items, total=total,
                          pagination=Pagination(page=args.page, limit=args.limit, total=total))


@tool(name="get_automation", toolset=TOOLSET, description="""One automation by id or name: its
trigger, actions, status, next and last run.""")
def get_automation(ctx: ToolContext, args: AutomationRef) -> AutomationDetail:
    return AutomationDetail(automation=service.to_out(service.resolve(ctx.session, args.name)))


@tool(name="pause_automation", toolset=TOOLSET, kind="write", min_role="analyst", idempotent=True,
      description="""Pause an automation (by id or name): no schedule tick, event or waiting step
of it runs until it is resumed.""")
def pause_automation(ctx: ToolContext, args: AutomationRef) -> AutomationDetail:
    automation = service.resolve(ctx.session, args.name)
    automation.status, automation.next_run_at, automation.updated_at = "paused", None, ctx.now
    ctx.session.flush()
    return AutomationDetail(automation=service.to_out(automation),
                            message=f"Paused \"{automation.name}\".")


@tool(name="resume_automation", toolset=TOOLSET, kind="write", min_role="analyst", idempotent=True,
      description="""Resume a paused automation (by id or name); a schedule fires from its next tick
on (ticks missed while paused are not replayed).""")
def resume_automation(ctx: ToolContext, args: AutomationRef) -> AutomationDetail:
    automation = service.resolve(ctx.session, args.name)
    if automation.status != "active":
        automation.status, automation.updated_at = "active", ctx.now
        if automation.kind == "schedule":
            engine.schedule_next(ctx.session, automation, ctx.now)
    ctx.session.flush()
    return AutomationDetail(automation=service.to_out(automation),
                            message=f"Resumed \"{automation.name}\".")


def _preview_delete(ctx: ToolContext, args: DeleteAutomationInput) -> dict[str, Any]:
    automation = service.resolve(ctx.session, args.name)
    runs = ctx.session.scalar(select(func.count()).select_from(AutomationRun)
                              .where(AutomationRun.automation_id == automation.id)) or 0
    return {"message": f"This will delete the automation \"{automation.name}\" and its history of "
                       f"{runs} run(s); steps still waiting are dropped.",
            "automation": service.to_out(automation).snake(), "runs": runs}


@tool(name="delete_automation", toolset=TOOLSET, kind="destructive", min_role="analyst",
      preview=_preview_delete, description="""Delete an automation (by id or name) with its run
history; waiting steps are dropped. The first call previews and returns a confirmation_token;
call again with it to delete.""")
def delete_automation(ctx: ToolContext, args: DeleteAutomationInput) -> AutomationResult:
    automation = service.resolve(ctx.session, args.name)
    out = service.to_out(automation)
    ctx.session.delete(automation)
    ctx.session.flush()
    return AutomationResult(status="done", automation=out, workflow_id=out.id,
                            message=f"Deleted the automation \"{out.name}\".")


@tool(name="list_automation_runs", toolset=TOOLSET, description="""What the automations did: runs
newest first with their trigger (tick or event), status, each action's outcome (e-mails sent
through SMTP or kept in the outbox, tasks created, Slack and webhook answers), counts by status.
Filter by automation, start_date/end_date, status. Answers "what did my automations do this
week?".""")
def list_automation_runs(ctx: ToolContext, args: ListRunsInput) -> RunList:
    automation = service.resolve(ctx.session, args.automation) if args.automation else None
    runs = history.list_runs(ctx, args, automation.id if automation else None)
    return runs.model_copy(update={"automation_name": automation.name if automation else None})
