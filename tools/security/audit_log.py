"""The audit trail as a capability: who did what, through which surface, with what outcome.
Admins only: it shows every team member's actions and the arguments they used."""

from __future__ import annotations

import math
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import Select, String, cast, func, or_, select

from core.errors import ValidationFailed
from store.models import AuditLog, Membership, User
from tools.context import ToolContext
from tools.crm.schemas import Pagination
from tools.registry import tool
from tools.security.audit_schemas import AuditEntry, AuditLogPage, ListAuditLogInput


def _filtered(ctx: ToolContext, args: ListAuditLogInput) -> Select[Any]:
    stmt = select(AuditLog).where(AuditLog.tenant_id == ctx.tenant_id)
    if args.actor_id:
        stmt = stmt.where(AuditLog.user_id == args.actor_id)
    if args.user_email:
        member = (select(User.id).join(Membership, Membership.user_id == User.id)
                  .where(Membership.tenant_id == ctx.tenant_id,
                         func.lower(User.email) == args.user_email.strip().lower()))
        stmt = stmt.where(AuditLog.user_id.in_(member))
    if args.tool:
        stmt = stmt.where(AuditLog.tool == args.tool)
    if args.outcome:
        stmt = stmt.where(AuditLog.outcome == args.outcome)
    if args.source:
        stmt = stmt.where(AuditLog.source == args.source)
    if args.search:
        needle = f"%{args.search.lower()}%"
        stmt = stmt.where(or_(func.lower(cast(AuditLog.arguments, String)).like(needle),
                              func.lower(AuditLog.summary).like(needle)))
    if args.start_date:
        stmt = stmt.where(AuditLog.created_at >= datetime.combine(args.start_date, time(), UTC))
    if args.end_date:
        stmt = stmt.where(AuditLog.created_at <= datetime.combine(args.end_date, time.max, UTC))
    return stmt


@tool(name="list_audit_log", toolset="security", min_role="admin", description="""Read the
workspace's audit trail, newest first: every tool call made through the assistant, MCP clients
and the REST API (who, which tool, its arguments with secrets redacted, the outcome, when), plus
sign-ins, failed sign-ins and MFA changes. Filter by team member (id or email), tool (e.g. delete_deal),
outcome, surface, a date range, or text in the arguments (e.g. "Acme" to find who deleted the
Acme deal).""")
def list_audit_log(ctx: ToolContext, args: ListAuditLogInput) -> AuditLogPage:
    if args.start_date and args.end_date and args.start_date > args.end_date:
        raise ValidationFailed("start_date is after end_date",
                               details=[{"field": "start_date", "message": "after end_date"}])
    stmt = _filtered(ctx, args)
    total = ctx.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    newest = stmt.order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
    rows: list[AuditLog] = list(ctx.session.scalars(
        newest.offset((args.page - 1) * args.limit).limit(args.limit)))
    emails = dict(ctx.session.execute(select(User.id, User.email).where(
        User.id.in_({r.user_id for r in rows if r.user_id}))).tuples().all())
    entries = [AuditEntry(id=r.id, created_at=r.created_at, user_id=r.user_id,
                          user_email=emails.get(r.user_id or ""), source=r.source, tool=r.tool,
                          arguments=r.arguments or {}, outcome=r.outcome, error_code=r.error_code,
                          summary=r.summary) for r in rows]
    return AuditLogPage(entries=entries, pagination=Pagination(
        page=args.page, limit=args.limit, total=total,
        total_pages=math.ceil(total / args.limit) if total else 0))
