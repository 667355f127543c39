"""How owners ask about background jobs, and how the answers are said.

Routing: `list_jobs` is the queue as a whole ("are my background jobs running?", "any failed
jobs?", "what is retrying?"); `get_job` is one job by its id ("why did job 3f2a... fail?").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tools import phrasing as p
from tools.jobs.schemas import JobList, JobOut, JobOutput
from tools.language import ToolLanguage, declare, read_examples

EXAMPLES = read_examples(Path(__file__).with_name("examples.txt"))

STATUS_SYNONYMS: dict[str, tuple[str, ...]] = {
    "queued": ("queued", "waiting", "pending", "in the queue", "not started", "backlog"),
    "running": ("running", "in progress", "processing", "executing", "underway"),
    "retrying": ("retrying", "being retried", "retry", "retries", "will retry", "rescheduled", "retried",
                 "getting retried", "retried over and over"),
    "succeeded": ("succeeded", "finished", "completed", "done", "successful", "worked"),
    "failed": ("failed", "failures", "failing", "errored", "broken", "gave up", "give up", "crashed", "dead",
               "fail", "given up", "died"),
}
JOB_STATE = {"queued": "is queued", "running": "is running", "retrying": "is waiting to be retried",
             "succeeded": "succeeded", "failed": "failed"}
STATUS_WORDS = {"queued": "queued", "running": "running", "retrying": "waiting to be retried",
                "succeeded": "succeeded", "failed": "failed"}


def job_line(job: JobOut) -> str:
    """"webhooks.deliver — failed after 9 of 9 attempts: TimeoutError: ..."."""
    attempts = f"{p.count(job.attempts)} of {p.plural(job.max_attempts, 'attempt')}"
    text = f"{job.name} — {STATUS_WORDS.get(job.status, job.status)}"
    if job.status == "failed":
        text += f" after {attempts}"
    elif job.status == "retrying":
        text += f" (next attempt {p.day(job.run_at)}, {attempts} made)"
    elif job.status == "queued":
        text += f", due {p.day(job.run_at)}"
    elif job.status == "succeeded":
        text += f" {p.day(job.finished_at)}" + (f" after {attempts}" if job.attempts > 1 else "")
    if job.last_error and job.status in ("failed", "retrying"):
        text += f"; last error: {job.last_error[:200]}"
    return text


def _filters(args: Mapping[str, Any], total: int = 2) -> str:
    status, name = args.get("status"), args.get("name")
    noun = f"{status} " if status else ""
    text = f"{noun}background job{'' if total == 1 else 's'}"
    if name:
        text += f" named {name}"
    return text


def _jobs(out: JobList, args: Mapping[str, Any]) -> str:
    c = out.counts
    summary = (f"In total: {p.count(c.queued)} queued, {p.count(c.running)} running, "
               f"{p.count(c.retrying)} retrying, {p.count(c.succeeded)} succeeded and "
               f"{p.count(c.failed)} failed.")
    total = out.pagination.total
    if total == 0:
        return f"There are no {_filters(args)}. {summary}"
    head = f"There {p.is_are(total)} {p.count(total)} {_filters(args, total)}."
    lines = [job_line(j) for j in out.jobs]
    if not lines:
        return f"{head} There are none on page {out.pagination.page}. {summary}"
    return f"{head} {summary}\n{p.listing(lines, total, 'most recent')}"


def _job(out: JobOutput, args: Mapping[str, Any]) -> str:
    job = out.job
    text = f"Job {job.id} ({job.name}) {JOB_STATE.get(job.status, job.status)}"
    text += f": {p.count(job.attempts)} of {p.plural(job.max_attempts, 'attempt')} made."
    if job.started_at:
        text += f" Last started {p.day(job.started_at)}."
    if job.status in ("queued", "retrying"):
        text += f" It is due {p.day(job.run_at)}."
    if job.finished_at:
        text += f" Finished {p.day(job.finished_at)}."
    if job.last_error:
        text += f" Last error: {job.last_error[:300]}"
    return text


JOB_NAME = re.compile(r"(?<![\w@.])[a-z]+(?:_[a-z]+)*\.[a-z]+(?:_[a-z]+)*(?![\w.@])")


def _read_job_name(text: str, _args: Mapping[str, Any]) -> dict[str, Any]:
    """A job's name as written ("queued connectors.sync jobs") is the `name` filter."""
    found = JOB_NAME.search(text.lower())
    return {"name": found.group(0)} if found else {}


declare("list_jobs", ToolLanguage(
    examples=EXAMPLES["list_jobs"],
    phrase=p.typed(JobList, _jobs),
    synonyms={"status": STATUS_SYNONYMS,
              "name": {"webhooks.*": ("webhook jobs", "webhook delivery jobs", "webhooks jobs")}},
    read=_read_job_name,
))

declare("get_job", ToolLanguage(
    examples=EXAMPLES["get_job"],
    phrase=p.typed(JobOutput, _job),
    questions={"job_id": "Which job (its id from the list of jobs)?"},
))
