"""Background jobs of the caller's workspace: /api/jobs (envelope, camelCase, paginated) and
/api/v1/jobs (raw, snake_case). Both run the job tools; another workspace's job is a 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.deps import CurrentPrincipal
from api.family import EnvelopeRoute, Page, RawRoute
from api.openapi_models import Envelope, ListEnvelope, PageBlock, doc, snake
from api.ratelimit import api_limit
from tools.jobs import tools as jobs
from tools.jobs.schemas import JobList, JobOut, JobOutput, ListJobsInput
from tools.runtime import invoke

limited = [Depends(api_limit)]
router = APIRouter(tags=["jobs"], dependencies=limited, route_class=EnvelopeRoute)
router_v1 = APIRouter(prefix="/api/v1", tags=["jobs"], dependencies=limited, route_class=RawRoute)


class JobPage(JobList):
    """A page of jobs with its pagination block."""

    pagination: PageBlock  # type: ignore[assignment]


@router.get("/api/jobs", responses=doc(200, ListEnvelope[JobPage]))
async def list_jobs(principal: CurrentPrincipal, query: Annotated[ListJobsInput, Query()]) -> Page:
    """The workspace's background jobs, newest first: state, attempts, last error; `counts` has
    every state's total. Filter by `status` or `name` (a trailing * matches a family)."""
    out = await invoke(jobs.list_jobs, principal, query)
    return Page(out.camel(), query.page, query.limit, out.pagination.total)


@router.get("/api/jobs/{job_id}", responses=doc(200, Envelope[JobOutput]))
async def get_job(principal: CurrentPrincipal, job_id: str) -> JobOutput:
    """One background job."""
    return await invoke(jobs.get_job, principal, {"job_id": job_id})


@router_v1.get("/jobs", responses=doc(200, snake(JobList)))
async def list_jobs_v1(principal: CurrentPrincipal, query: Annotated[ListJobsInput, Query()]) -> JobList:
    """{jobs, pagination, counts}: the workspace's background jobs, newest first."""
    return await invoke(jobs.list_jobs, principal, query)


@router_v1.get("/jobs/{job_id}", responses=doc(200, snake(JobOut)))
async def get_job_v1(principal: CurrentPrincipal, job_id: str) -> JobOut:
    """One background job object."""
    return (await invoke(jobs.get_job, principal, {"job_id": job_id})).job
