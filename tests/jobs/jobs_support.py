"""Helpers for the job tests: stepping the queue in-process, reading job rows, settings."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from huey import Huey

from core.settings import get_settings
from store.db import unit_of_work
from store.models import JobRecord
from tools.jobs.queue import reset_huey


def run_pending(huey: Huey, *, wait: bool = False, timeout: float = 15.0,
                until: Callable[[], bool] | None = None) -> int:
    """Step the queue in this thread, as a consumer would: move due scheduled tasks to the queue,
    run what is queued. With `wait`, keep going until nothing is scheduled either (delayed jobs
    and retries come due). Returns how many tasks ran."""
    ran = 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for task in huey.read_schedule():
            huey.enqueue(task)
        task = huey.dequeue()
        if task is not None:
            huey.execute(task)
            ran += 1
            continue
        if until is not None and until():
            return ran
        if (wait or until is not None) and huey.scheduled_count():
            time.sleep(0.01)
            continue
        if until is None:
            return ran
        time.sleep(0.01)
    raise AssertionError(f"the queue did not settle within {timeout}s ({ran} tasks ran)")


def job_row(job_id: str) -> JobRecord:
    with unit_of_work() as session:
        row = session.get(JobRecord, job_id)
        assert row is not None, f"job {job_id} not recorded"
        return row


def use_settings(monkeypatch: pytest.MonkeyPatch, **env: Any) -> None:
    """Change settings for one test (restored, with the queue rebuilt, afterwards)."""
    for key, value in env.items():
        monkeypatch.setenv(key, str(value))
    get_settings.cache_clear()
    reset_huey()
