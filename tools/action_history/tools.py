"""The action hub's history (document 000 `GET /api/hubs/action/history`): every simulation,
initiative analysis, automation run and approval of the workspace, newest first, filterable by
day range and type.

Each kind has its own table (simulations, initiatives, automation_runs) or is read from the audit
log (approvals: calls of tools that need a confirmation, "requested" when previewed, "approved"
when carried out). A page is merged from the newest `page * limit` rows of each kind, each read
through its (tenant, time) index, so no kind is scanned whole.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from core.errors import ValidationFailed
from store.models import AuditLog, AutomationRun
from store.models.action_hub import Initiative, Simulation
from store.repositories import action_history as history_rows
from tools.action_history.schemas import ActionHistory, ActionHistoryInput, HistoryEntry
from tools.context import ToolContext
from tools.crm.schemas import Pagination
from tools.registry import all_tools, tool

APPROVAL_OUTCOMES = {"preview": "requested", "ok": "approved"}


def _bounds(args: ActionHistoryInput) -> tuple[datetime | None, datetime | None]:
    if args.start_date and args.end_date and args.end_date < args.start_date:
        raise ValidationFailed("The end date is before the start date",
                               details=[{"field": "end_date", "message": "must be on or after start_date"}])
    start = datetime.combine(args.start_date, time.min, UTC) if args.start_date else None
    end = (datetime.combine(args.end_date, time.min, UTC) + timedelta(days=1)
           if args.end_date and args.end_date < date.max else None)
    return start, end


def _confirmed_tools() -> list[str]:
    return sorted(name for name, spec in all_tools().items() if spec.needs_confirmation)


def _simulation(row: Simulation) -> HistoryEntry:
    effects = (row.result or {}).get("effects") or []
    metric = (row.result or {}).get("input_change", {}).get("metric") or row.metric_id
    return HistoryEntry(id=row.id, type="simulation", status="completed", at=row.created_at,
                        actor=row.created_by,
                        title=f"Simulated {row.change_percent:+g}% {metric} over {row.time_horizon} days",
                        details={"metric_id": row.metric_id, "change_percent": row.change_percent,
                                 "time_horizon": row.time_horizon, "effects": len(effects)})


def _analysis(row: Initiative) -> HistoryEntry:
    result = row.result or {}
    return HistoryEntry(id=row.id, type="analysis", status="completed", at=row.created_at,
                        actor=row.created_by, title=f"Analysed initiative {row.name}",
                        details={k: result.get(k) for k in ("investment", "roi", "npv",
                                                            "payback_period_months", "verdict")})


def _run(row: AutomationRun) -> HistoryEntry:
    return HistoryEntry(id=row.id, type="automation_run", status=row.status, at=row.started_at,
                        title=f"Automation {row.automation_name or row.automation_id} ran",
                        details={"automation_id": row.automation_id,
                                 "trigger": (row.trigger or {}).get("type"),
                                 "actions": len(row.outcomes or []), "finished_at": row.finished_at})


def _approval(row: AuditLog) -> HistoryEntry:
    status = APPROVAL_OUTCOMES.get(row.outcome, row.outcome)
    return HistoryEntry(id=row.id, type="approval", status=status, at=row.created_at,
                        actor=row.user_id, title=f"{row.tool.replace('_', ' ').capitalize()} {status}",
                        details={"tool": row.tool, "source": row.source, "summary": row.summary})


CONVERTERS: dict[str, Callable[[Any], HistoryEntry]] = {
    "simulation": _simulation,
    "analysis": _analysis,
    "automation_run": _run,
    "approval": _approval,
}


@tool(name="action_history", toolset="simulation", description="""What the action hub has done,
newest first: simulations run, initiatives analysed, automation runs (with their status) and
approvals (actions that needed a confirmation, requested or approved), each with when, who and
its figures; counts by kind. Filter by a day range and by kind. Use it for "what did I simulate
last week", "show the action history" or "which automations ran this month".""")
def action_history(ctx: ToolContext, args: ActionHistoryInput) -> ActionHistory:
    start, end = _bounds(args)
    kinds: list[str] = [args.type] if args.type else list(CONVERTERS)
    counts: dict[str, int] = {}
    entries: list[HistoryEntry] = []
    needed = args.page * args.limit
    approvals = (_confirmed_tools(), list(APPROVAL_OUTCOMES))
    for kind in kinds:
        counts[kind], rows = history_rows.newest(ctx.session, kind, start, end, needed, approvals)
        entries += [CONVERTERS[kind](row) for row in rows]
    entries.sort(key=lambda e: e.at if e.at.tzinfo else e.at.replace(tzinfo=UTC), reverse=True)
    page = entries[(args.page - 1) * args.limit: needed]
    total = sum(counts.values())
    return ActionHistory(entries=page, counts=counts, total=total,
                         pagination=Pagination(page=args.page, limit=args.limit, total=total,
                                               total_pages=math.ceil(total / args.limit)),
                         start_date=args.start_date, end_date=args.end_date)
