"""Job status as capabilities: what background work (webhook deliveries, event handlers, syncs)
is waiting, running, retrying, done or failed, and why. A workspace sees its own jobs only."""

from __future__ import annotations

import math

from core.errors import NotFound
from store.models import JobRecord
from store.repositories import jobs as repo
from tools.context import ToolContext
from tools.crm.schemas import Pagination
from tools.jobs.schemas import JobCounts, JobIdInput, JobList, JobOut, JobOutput, ListJobsInput
from tools.registry import tool


def to_out(row: JobRecord) -> JobOut:
    return JobOut.model_validate(row, from_attributes=True)


@tool(
    name="list_jobs",
    toolset="admin",
    min_role="analyst",
    description="""List the workspace's background jobs (webhook deliveries, event handlers, syncs
and other work that runs after a request), newest first, with their state: queued, running,
retrying (an attempt failed and another is scheduled) or succeeded / failed, attempts made and the
last error. Filter by status or job name. `counts` gives every state's total, so use it to answer
"are my background jobs running?" and "any failed jobs?".""",
)
def list_jobs(ctx: ToolContext, args: ListJobsInput) -> JobList:
    rows, total = repo.search(ctx.session, ctx.tenant_id, status=args.status, name=args.name,
                              offset=(args.page - 1) * args.limit, limit=args.limit)
    counts = repo.counts(ctx.session, ctx.tenant_id)
    return JobList(
        jobs=[to_out(r) for r in rows],
        pagination=Pagination(page=args.page, limit=args.limit, total=total,
                              total_pages=math.ceil(total / args.limit) if total else 0),
        counts=JobCounts(**{s: counts.get(s, 0) for s in JobCounts.model_fields}),
    )


@tool(
    name="get_job",
    toolset="admin",
    min_role="analyst",
    description="One background job by id: its state, attempts, when it runs or ran, and the last "
    "error if an attempt failed.",
)
def get_job(ctx: ToolContext, args: JobIdInput) -> JobOutput:
    row = repo.get(ctx.session, ctx.tenant_id, args.job_id)
    if row is None:
        raise NotFound("job", args.job_id)
    return JobOutput(job=to_out(row))
