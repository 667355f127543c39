"""Deal and pipeline capabilities."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from core.errors import NotFound, ValidationFailed
from store.models import Deal
from store.repositories import customers as customer_repo
from store.repositories import deals as repo
from store.repositories import orders as order_repo
from tools.context import ToolContext
from tools.crm.schemas import (
    DEFAULT_PROBABILITY,
    CreateDealInput,
    DealIdInput,
    DealList,
    DealOut,
    DealOutput,
    DeleteDealInput,
    DeleteResult,
    ListDealsInput,
    MoveDealStageInput,
    NoInput,
    PipelineSummary,
    StageSummary,
    UpdateDealInput,
)
from tools.events import emit
from tools.registry import tool

STATUS_STAGES = {"open": repo.OPEN_STAGES, "won": ("closed_won",), "lost": ("closed_lost",)}


def status_of(stage: str) -> str:
    return {"closed_won": "won", "closed_lost": "lost"}.get(stage, "open")


def to_out(deal: Deal, customer_name: str | None = None) -> DealOut:
    return DealOut(
        id=deal.id,
        workspace_id=deal.tenant_id,
        title=deal.title,
        description=deal.description,
        value=float(deal.value),
        currency=deal.currency,
        stage=deal.stage,  # type: ignore[arg-type]
        status=status_of(deal.stage),  # type: ignore[arg-type]
        probability=deal.probability,
        customer_id=deal.customer_id,
        customer_name=customer_name,
        expected_close_date=deal.expected_close_date,
        assigned_to=deal.assigned_to,
        closed_at=deal.closed_at,
        created_at=deal.created_at,
        updated_at=deal.updated_at,
    )


def _out(ctx: ToolContext, deal: Deal) -> DealOutput:
    names = repo.customer_names(ctx.session, [deal.customer_id])
    return DealOutput(deal=to_out(deal, names.get(deal.customer_id or "")))


def load(ctx: ToolContext, deal_id: str) -> Deal:
    deal = repo.get(ctx.session, deal_id)
    if deal is None:
        raise NotFound("deal", deal_id)
    return deal


def _check_customer(ctx: ToolContext, customer_id: str | None) -> None:
    if customer_id and customer_repo.get(ctx.session, customer_id) is None:
        raise NotFound("customer", customer_id)


def _check_assignee(ctx: ToolContext, user_id: str | None) -> None:
    """A deal's owner must be someone on this workspace's team, not an arbitrary string or a
    user of another business."""
    if user_id and not repo.is_member(ctx.session, ctx.tenant_id, user_id):
        raise ValidationFailed(
            "assigned_to is not a member of this workspace",
            details=[{"field": "assigned_to", "message": "not a member of this workspace"}],
        )


def _set_stage(ctx: ToolContext, deal: Deal, stage: str, probability: int | None) -> None:
    if stage != deal.stage or probability is None:
        deal.probability = DEFAULT_PROBABILITY[stage] if probability is None else probability
    else:
        deal.probability = probability
    closed = stage in ("closed_won", "closed_lost")
    if closed and deal.closed_at is None:
        deal.closed_at = ctx.now
    if not closed:
        deal.closed_at = None
    deal.stage = stage


CLOSING_EVENTS = {"closed_won": "deal.won", "closed_lost": "deal.lost"}


def _deal_events(ctx: ToolContext, out: DealOutput, kind: str, previous_stage: str | None) -> None:
    """deal.created / deal.updated, then deal.stage_changed and deal.won / deal.lost when the
    stage moved (the data carries `previous_stage`)."""
    data = {**out.deal.snake(), "deal_id": out.deal.id}
    emit(ctx, kind, data)
    stage = out.deal.stage
    if kind == "deal.updated" and previous_stage is not None and previous_stage != stage:
        emit(ctx, "deal.stage_changed", {**data, "previous_stage": previous_stage})
    if stage in CLOSING_EVENTS and previous_stage != stage:
        emit(ctx, CLOSING_EVENTS[stage], {**data, "previous_stage": previous_stage})


@tool(
    name="create_deal",
    toolset="crm",
    kind="write",
    description="""Create a deal in the sales pipeline with a title and value, optionally linked to
a customer (customer_id), a stage (default lead), a win probability and an expected close date.""",
)
def create_deal(ctx: ToolContext, args: CreateDealInput) -> DealOutput:
    _check_customer(ctx, args.customer_id)
    _check_assignee(ctx, args.assigned_to)
    deal = Deal(
        tenant_id=ctx.tenant_id,
        title=args.title,
        description=args.description,
        value=Decimal(str(args.value)),
        currency=args.currency.upper(),
        customer_id=args.customer_id,
        expected_close_date=args.expected_close_date,
        assigned_to=args.assigned_to,
        stage="lead",
        probability=0,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    _set_stage(ctx, deal, args.stage, args.probability)
    ctx.session.add(deal)
    ctx.session.flush()
    out = _out(ctx, deal)
    _deal_events(ctx, out, "deal.created", None)
    return out


@tool(
    name="list_deals",
    toolset="crm",
    description="""List deals with filters: stage, status (open = not yet won or lost, won, lost),
minimum/maximum value, customer, owner, text in the title or customer company, and expected close
date (expected_close_after inclusive, expected_close_before exclusive). Use it to find a deal by name
("the Acme deal"), to answer "show my open deals over 10k" and "which deals should close this month"
(status open, close dates within the month). Includes total count and total value of the matches.""",
)
def list_deals(ctx: ToolContext, args: ListDealsInput) -> DealList:
    stages: tuple[str, ...] | None = STATUS_STAGES[args.status] if args.status else None
    if args.stage:
        stages = tuple(s for s in (stages or (args.stage,)) if s == args.stage)
    filters = repo.DealFilters(
        stages=stages, min_value=args.min_value, max_value=args.max_value,
        customer_id=args.customer_id, assigned_to=args.assigned_to, text=args.search,
        close_after=args.expected_close_after, close_before=args.expected_close_before,
    )
    rows, total = repo.search(
        ctx.session, filters, sort_by=args.sort_by, descending=args.sort_order == "desc",
        offset=args.offset, limit=args.limit,
    )
    names = repo.customer_names(ctx.session, (d.customer_id for d in rows))
    deals = [to_out(d, names.get(d.customer_id or "")) for d in rows]
    all_value = float(repo.value_sum(ctx.session, filters))
    return DealList(deals=deals, total=total, limit=args.limit, offset=args.offset,
                    total_value=round(all_value, 2))


@tool(name="get_deal", toolset="crm", description="Get one deal by id.")
def get_deal(ctx: ToolContext, args: DealIdInput) -> DealOutput:
    return _out(ctx, load(ctx, args.deal_id))


@tool(
    name="update_deal",
    toolset="crm",
    kind="write",
    idempotent=True,
    description="Change fields of a deal (title, value, stage, probability, close date, owner).",
)
def update_deal(ctx: ToolContext, args: UpdateDealInput) -> DealOutput:
    deal = load(ctx, args.deal_id)
    previous_stage = deal.stage
    changes = args.model_dump(exclude_unset=True, exclude={"deal_id", "stage", "probability"})
    if "customer_id" in changes:
        _check_customer(ctx, changes["customer_id"])
    if "assigned_to" in changes:
        _check_assignee(ctx, changes["assigned_to"])
    for key, value in changes.items():
        if key in ("title", "value") and value is None:
            continue
        setattr(deal, key, Decimal(str(value)) if key == "value" else value)
    if args.stage is not None:
        _set_stage(ctx, deal, args.stage, args.probability)
    elif args.probability is not None:
        deal.probability = args.probability
    deal.updated_at = ctx.now
    ctx.session.flush()
    out = _out(ctx, deal)
    _deal_events(ctx, out, "deal.updated", previous_stage)
    return out


@tool(
    name="move_deal_stage",
    toolset="crm",
    kind="write",
    idempotent=True,
    description="""Move a deal to another pipeline stage: lead, qualified, proposal, negotiation,
closed_won (won) or closed_lost (lost). Probability follows the stage unless given.""",
)
def move_deal_stage(ctx: ToolContext, args: MoveDealStageInput) -> DealOutput:
    deal = load(ctx, args.deal_id)
    previous_stage = deal.stage
    _set_stage(ctx, deal, args.stage, args.probability)
    deal.updated_at = ctx.now
    ctx.session.flush()
    out = _out(ctx, deal)
    _deal_events(ctx, out, "deal.updated", previous_stage)
    return out


def _preview_delete(ctx: ToolContext, args: DeleteDealInput) -> dict[str, Any]:
    deal = load(ctx, args.deal_id)
    out = _out(ctx, deal).deal
    return {
        "message": f"This will permanently delete the deal {deal.title} "
        f"({out.currency} {out.value:,.2f}, {deal.stage}).",
        "deal": out.snake(),
    }


@tool(
    name="delete_deal",
    toolset="crm",
    kind="destructive",
    min_role="analyst",
    preview=_preview_delete,
    description="""Permanently delete a deal. The first call only previews and returns a
confirmation_token; call again with that token to delete.""",
)
def delete_deal(ctx: ToolContext, args: DeleteDealInput) -> DeleteResult:
    deal = load(ctx, args.deal_id)
    gone = _out(ctx, deal).deal
    emit(ctx, "deal.deleted", {**gone.snake(), "deal_id": gone.id})
    ctx.session.delete(deal)
    ctx.session.flush()
    return DeleteResult(status="done", message=f"Deleted deal {deal.title}.", deleted_id=deal.id)


@tool(
    name="pipeline_summary",
    toolset="crm",
    description="""Summarize the sales pipeline: deal count, value and probability-weighted value
per stage, open pipeline totals, won and lost counts, the win rate, and the average open and won
deal size ("what's the average deal size?").""",
)
def pipeline_summary(ctx: ToolContext, args: NoInput) -> PipelineSummary:
    totals = repo.totals_by_stage(ctx.session)
    zero = (0, Decimal(0), Decimal(0))
    stages = [
        StageSummary(stage=s, count=totals.get(s, zero)[0], value=float(totals.get(s, zero)[1]),
                     weighted_value=round(float(totals.get(s, zero)[2]), 2))
        for s in (*repo.OPEN_STAGES, "closed_won", "closed_lost")
    ]
    open_ = [s for s in stages if s.stage in repo.OPEN_STAGES]
    won, lost = stages[-2], stages[-1]
    closed = won.count + lost.count
    open_count, open_value = sum(s.count for s in open_), round(sum(s.value for s in open_), 2)
    return PipelineSummary(
        stages=stages,
        open_count=open_count,
        open_value=open_value,
        weighted_value=round(sum(s.weighted_value for s in open_), 2),
        won_count=won.count,
        won_value=won.value,
        lost_count=lost.count,
        win_rate=round(won.count / closed, 4) if closed else None,
        average_open_deal_value=round(open_value / open_count, 2) if open_count else None,
        average_won_deal_value=round(won.value / won.count, 2) if won.count else None,
        currency=order_repo.currency(ctx.session),
    )
