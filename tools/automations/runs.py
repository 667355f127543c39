"""The run history: runs with their outcomes, filtered and counted (the tools and the action
hub's history read this)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select

from store.models import AutomationRun
from tools.automations.inputs import ListRunsInput
from tools.automations.schemas import OutcomeOut, Pagination, RunList, RunOut
from tools.context import ToolContext


def run_out(run: AutomationRun) -> RunOut:
    outcomes = [OutcomeOut(step=int(o.get("step", 0)), index=int(o.get("index", 0)),
                           type=str(o.get("type", "")), status=o.get("status", "failed"),
                           detail=str(o.get("detail", "")), transport=o.get("transport"),
                           counts={k: int(v) for k, v in (o.get("counts") or {}).items()},
                           at=datetime.fromisoformat(o["at"]) if o.get("at") else run.started_at)
                for o in run.outcomes or []]
    transports = sorted({o.transport for o in outcomes if o.transport})
    trigger = {k: v for k, v in (run.trigger or {}).items() if k != "data"}
    return RunOut(id=run.id, automation_id=run.automation_id, automation_name=run.automation_name,
                  trigger=trigger, status=run.status,  # type: ignore[arg-type]
                  steps_total=run.steps_total, steps_done=len({o.step for o in outcomes}),
                  outcomes=outcomes, email_transport=",".join(transports) or None,
                  started_at=run.started_at, finished_at=run.finished_at)


def _filtered(args: ListRunsInput, automation_id: str | None) -> Select[Any]:
    stmt = select(AutomationRun)
    if automation_id:
        stmt = stmt.where(AutomationRun.automation_id == automation_id)
    if args.start_date:
        stmt = stmt.where(AutomationRun.started_at >= datetime.combine(args.start_date, time.min, tzinfo=UTC))
    if args.end_date:
        end = datetime.combine(args.end_date + timedelta(days=1), time.min, tzinfo=UTC)
        stmt = stmt.where(AutomationRun.started_at < end)
    return stmt


def list_runs(ctx: ToolContext, args: ListRunsInput, automation_id: str | None) -> RunList:
    base = _filtered(args, automation_id)
    counts = _counts(ctx, base)
    stmt = base.where(AutomationRun.status == args.status) if args.status else base
    total = ctx.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = ctx.session.scalars(stmt.order_by(AutomationRun.started_at.desc(), AutomationRun.id)
                               .offset((args.page - 1) * args.limit).limit(args.limit))
    runs = [run_out(r) for r in rows]
    emails: dict[str, int] = {}
    for run in runs:
        for o in run.outcomes:
            if o.transport:
                delivered = o.counts.get("sent", 0) + o.counts.get("queued", 0)
                emails[o.transport] = emails.get(o.transport, 0) + delivered
    return RunList(runs=runs, total=total, pagination=Pagination(page=args.page, limit=args.limit,
                                                                 total=total),
                   counts=counts, start_date=args.start_date.isoformat() if args.start_date else None,
                   emails=emails)


def _counts(ctx: ToolContext, base: Select[Any]) -> dict[str, int]:
    sub = base.subquery()
    rows = ctx.session.execute(select(sub.c.status, func.count()).group_by(sub.c.status))
    return {str(status): int(n) for status, n in rows}
