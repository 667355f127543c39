"""The job registry: `@job` and `@periodic` register a function under a name, with its retry,
backoff and lease settings (see tools.jobs.runner for how jobs are recorded and run)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from croniter import croniter
from sqlalchemy import Table

from store.models import JobRecord

JobFn = Callable[[dict[str, Any]], None]
F = TypeVar("F", bound=JobFn)

JOBS: Table = JobRecord.__table__  # type: ignore[assignment]  # Core statements: less overhead
CLAIMABLE = ("queued", "retrying")
DEFAULT_LEASE = 300.0


@dataclass(frozen=True)
class JobSpec:
    name: str
    fn: JobFn
    retries: int
    base_delay: float
    max_delay: float
    lease: float
    cron: str | None = None

    @property
    def max_attempts(self) -> int:
        return self.retries + 1


_JOBS: dict[str, JobSpec] = {}


def _register(spec: JobSpec) -> None:
    existing = _JOBS.get(spec.name)
    if existing is not None and _where(existing.fn) != _where(spec.fn):
        raise ValueError(f"job {spec.name} is already registered by {_where(existing.fn)}")
    _JOBS[spec.name] = spec


def _where(fn: Callable[..., Any]) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


def job(name: str, *, retries: int = 5, base_delay: float = 2.0, max_delay: float = 3600.0,
        lease: float = DEFAULT_LEASE) -> Callable[[F], F]:
    """Register `fn(payload: dict) -> None` as the job `name`. It runs inside a worker with no
    transaction of its own: open a unit of work for what it changes. `retries` retries follow a
    failure, each after a random delay of up to `base_delay * 2**(attempt-1)` seconds (capped at
    `max_delay`); a job still running after `lease` seconds is presumed lost and run again."""
    if retries < 0 or base_delay < 0 or max_delay < 0 or lease <= 0:
        raise ValueError("retries, base_delay and max_delay must be >= 0 and lease > 0")

    def register(fn: F) -> F:
        _register(JobSpec(name, fn, retries, base_delay, max_delay, lease))
        return fn

    return register


def periodic(name: str, cron_expr: str, *, retries: int = 0, base_delay: float = 2.0,
             max_delay: float = 60.0, lease: float = DEFAULT_LEASE) -> Callable[[F], F]:
    """Register `fn(payload) -> None` to run on the cron schedule `cron_expr` (five fields, or six
    with seconds last: `"* * * * * */10"` is every ten seconds). The payload holds the `tick`
    (ISO time). Ticks missed while no worker ran are skipped, not replayed."""
    if not croniter.is_valid(cron_expr):
        raise ValueError(f"invalid cron expression {cron_expr!r}")

    def register(fn: F) -> F:
        _register(JobSpec(name, fn, retries, base_delay, max_delay, lease, cron=cron_expr))
        return fn

    return register


def unregister(name: str) -> None:
    """Forget a job (tests, plugins being unloaded)."""
    _JOBS.pop(name, None)


def registered() -> dict[str, JobSpec]:
    return dict(_JOBS)


def spec_for(name: str) -> JobSpec:
    spec = _JOBS.get(name)
    if spec is None:
        _load_catalog()
        spec = _JOBS.get(name)
    if spec is None:
        raise ValueError(f"no job named {name!r} is registered")
    return spec


def _load_catalog() -> None:
    """Importing the tool catalog registers every job and event subscriber."""
    import tools.catalog  # noqa: F401

