"""Inputs and outputs of the job tools."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from tools.crm.schemas import Pagination
from tools.schemas import ToolModel

JobStatus = Literal["queued", "running", "retrying", "succeeded", "failed"]


class ListJobsInput(ToolModel):
    status: JobStatus | None = Field(
        None, description="Only jobs in this state: queued (waiting to run), running, retrying "
        "(failed, another attempt is scheduled), succeeded or failed (gave up). Omit for all."
    )
    name: str | None = Field(
        None, max_length=100, description="Only jobs of this kind, e.g. event.webhooks or "
        "webhooks.deliver; a trailing * matches a family, e.g. webhooks.*. Omit for every kind."
    )
    page: int = Field(1, ge=1, le=10_000, description="Page number, from 1.")
    limit: int = Field(20, ge=1, le=100, description="Jobs per page (1-100, default 20).")


class JobIdInput(ToolModel):
    job_id: str = Field(max_length=64, description="The job's id (from list_jobs).")


class JobOut(ToolModel):
    id: str = Field(description="Job id.")
    name: str = Field(description="What kind of work it is, e.g. webhooks.deliver.")
    status: JobStatus = Field(description="queued, running, retrying, succeeded or failed.")
    attempts: int = Field(description="Attempts made so far.")
    max_attempts: int = Field(description="Attempts allowed before the job is marked failed.")
    last_error: str | None = Field(description="The error of the latest failed attempt, if any.")
    run_at: datetime = Field(description="When it is (or was) due to run; for a retry, the next attempt.")
    started_at: datetime | None = Field(description="When the latest attempt started.")
    finished_at: datetime | None = Field(description="When it succeeded or finally failed.")
    created_at: datetime = Field(description="When it was recorded.")
    updated_at: datetime = Field(description="When its state last changed.")


class JobCounts(ToolModel):
    queued: int = Field(description="Jobs waiting to run.")
    running: int = Field(description="Jobs running now.")
    retrying: int = Field(description="Jobs that failed and wait for another attempt.")
    succeeded: int = Field(description="Jobs that finished.")
    failed: int = Field(description="Jobs that gave up after their last attempt.")


class JobList(ToolModel):
    jobs: list[JobOut] = Field(description="This page of jobs, newest first.")
    pagination: Pagination = Field(description="page, limit, total (matching jobs) and total_pages.")
    counts: JobCounts = Field(description="All of the workspace's jobs by state, whatever the filters.")


class JobOutput(ToolModel):
    job: JobOut = Field(description="The job.")
