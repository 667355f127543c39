"""The sync engine: one durable job per sync run, committed page by page.

`start` records a `SyncRun` and its job in the caller's transaction (a sync already queued or
running for the connection is returned instead). The job `connectors.sync` pages through the
connector's resources in order. Each page is fetched outside any transaction, then ingested in
one unit of work together with its resume point (`Connection.cursors[resource]["page"]`), the
pending high-water mark and the run's progress, and committed. A crash or a retry therefore
resumes from the last committed page, and re-ingesting a page changes nothing (records are
matched by source id). When every resource is done, the pending marks become the incremental
`since`, record counts and null shares are computed and `integration.synced` is raised in the
same transaction; a failure raises `integration.failed`.

Failures: the provider refusing the credentials (ConnectorAuthFailed), an unusable config or
unreadable credentials fail the run at once (a retry cannot help: the connection turns "error"
and says to reconnect). Anything else (ThirdPartyFailed: 5xx, rate limits, network) is retried
by the job runner with backoff, and fails the run on the last attempt.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from core.errors import ConnectorAuthFailed, ValidationFailed
from core.ids import new_id, utcnow
from store.db import unit_of_work
from store.models import Connection, JobRecord, SyncRun
from tools.connectors import base, vault
from tools.connectors import progress as prog
from tools.connectors.ingest import PageIngest
from tools.connectors.schemas import SyncRunOut
from tools.context import Principal, ToolContext
from tools.events import emit
from tools.jobs.runner import enqueue, job

log = logging.getLogger("bizpilot.connectors")

SYNC_JOB = "connectors.sync"
ACTIVE = ("queued", "running")
DEMO_ERROR = "demo connection: it has no credentials; connect your own account to sync"
STOPPED = "the sync job stopped before it finished; start a new sync"


class Stop(Exception):
    """A failure no retry can fix: the run fails at once with this message."""


class Cancelled(Exception):
    """The run was ended meanwhile (the connection was disconnected): stop quietly."""


def run_out(run: SyncRun) -> SyncRunOut:
    return SyncRunOut.model_validate(run, from_attributes=True)


def system_ctx(session: Any, tenant_id: str) -> ToolContext:
    """The context jobs act in: the tenant's own, with no user."""
    return ToolContext(session, Principal(user_id="", tenant_id=tenant_id, role="admin"))


def _orphaned(ctx: ToolContext, run: SyncRun) -> bool:
    """An active run whose job is over (its worker died past every retry) will never finish."""
    status = ctx.session.scalar(select(JobRecord.status).where(JobRecord.id == run.job_id)) \
        if run.job_id else None
    return status in (None, "succeeded", "failed")


def start(ctx: ToolContext, conn: Connection, trigger: str, *, full: bool = False) -> tuple[SyncRun, bool]:
    """Queue a sync of `conn` in the caller's transaction; (run, already_running)."""
    active = ctx.session.scalar(select(SyncRun).where(
        SyncRun.connection_id == conn.id, SyncRun.status.in_(ACTIVE))
        .order_by(SyncRun.started_at.desc()).limit(1))
    if active is not None and not _orphaned(ctx, active):
        return active, True
    if active is not None:
        active.status, active.error, active.finished_at = "failed", STOPPED, ctx.now
    run = SyncRun(id=new_id(), tenant_id=ctx.tenant_id, connection_id=conn.id, trigger=trigger,
                  status="queued", full=full, pages=0, counts={}, null_share={}, started_at=ctx.now)
    ctx.session.add(run)
    ctx.session.flush()
    run.job_id = enqueue(SYNC_JOB, {"run_id": run.id}, tenant_id=ctx.tenant_id, session=ctx.session)
    return run, False


@dataclass(frozen=True)
class Plan:
    run_id: str
    tenant_id: str
    connection_id: str
    type: str
    sealed: str | None
    config: dict[str, Any]
    full: bool
    demo: bool
    job_id: str | None


@job(SYNC_JOB, retries=5, base_delay=30.0, max_delay=1800.0, lease=3600.0)
def sync_job(payload: dict[str, Any]) -> None:
    run_sync(str(payload["run_id"]))


def run_sync(run_id: str) -> None:
    """Run (or resume) one sync run to its end; raises only to have the job retried."""
    plan = _begin(run_id)
    if plan is None:
        return
    try:
        if plan.demo:
            raise Stop(DEMO_ERROR)
        kind = base.connector_type(plan.type)
        if kind is None:
            raise Stop(f"the connector type {plan.type!r} is not available on this server")
        try:
            credentials = vault.open_(plan.sealed) if plan.sealed else {}
        except vault.CredentialsUnreadable as err:
            raise Stop(str(err)) from None
        connector = kind.factory(credentials, plan.config)
        for resource in tuple(connector.resources):  # per instance (a custom API's endpoints)
            _sync_resource(plan, connector, resource)
        _complete(plan)
    except Cancelled:
        log.info("sync run %s was ended while it ran", plan.run_id)
    except Stop as err:
        _fail(plan, str(err))
    except ConnectorAuthFailed as err:
        _fail(plan, f"the provider refused the credentials ({err.message}); reconnect the "
                    "integration with valid credentials")
    except ValidationFailed as err:
        _fail(plan, f"the connection's settings cannot work: {err.message}")
    except Exception as err:
        message = prog.describe(err)
        if _last_attempt(plan):
            _fail(plan, message)
            return
        _note(plan, f"{message} (will retry)")
        raise


def _begin(run_id: str) -> Plan | None:
    with unit_of_work() as session:
        found = session.get(SyncRun, run_id)
        tenant_id = found.tenant_id if found is not None else None
    if tenant_id is None:
        log.info("sync run %s is gone; nothing to do", run_id)
        return None
    with unit_of_work(tenant_id) as session:
        run = session.get(SyncRun, run_id)
        conn = session.get(Connection, run.connection_id) if run is not None else None
        if run is None or conn is None or run.status not in ACTIVE:
            return None
        if run.status == "queued" and run.full:
            conn.cursors = prog.restart(conn.cursors)
        demo = bool((conn.config or {}).get("demo")) and not conn.credentials_encrypted
        run.status = "running"
        if not demo:
            conn.status = "syncing"
        return Plan(run.id, tenant_id, conn.id, conn.type, conn.credentials_encrypted,
                    dict(conn.config or {}), run.full, demo, run.job_id)


def _sync_resource(plan: Plan, connector: base.Connector, resource: str) -> None:
    with unit_of_work(plan.tenant_id) as session:
        run, conn = session.get(SyncRun, plan.run_id), session.get(Connection, plan.connection_id)
        assert run is not None and conn is not None
        if prog.resource_done(run.counts, resource):
            return
        state = dict((conn.cursors or {}).get(resource) or {})
    cursor, since = state.get("page"), None if plan.full else state.get("since")
    while True:
        page = connector.fetch(resource, cursor, since)  # outside any transaction
        _commit_page(plan, resource, page)
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def _commit_page(plan: Plan, resource: str, page: base.Page) -> None:
    with unit_of_work(plan.tenant_id) as session:
        run, conn = session.get(SyncRun, plan.run_id), session.get(Connection, plan.connection_id)
        assert run is not None and conn is not None
        if run.status != "running" or conn.status == "disconnected":
            raise Cancelled(run.id)
        counts = PageIngest(system_ctx(session, plan.tenant_id), conn, run.id).run(page.items)
        conn.cursors = prog.advance(conn.cursors, resource, page.next_cursor, page.high_water)
        run.counts = prog.add(run.counts, resource, counts, done=page.next_cursor is None)
        run.pages, run.resource, run.error = run.pages + 1, resource, None


def _complete(plan: Plan) -> None:
    with unit_of_work(plan.tenant_id) as session:
        run, conn = session.get(SyncRun, plan.run_id), session.get(Connection, plan.connection_id)
        assert run is not None and conn is not None
        now = utcnow()
        conn.cursors = prog.promote(conn.cursors)
        conn.record_counts = prog.record_counts(session, conn.id)
        run.null_share = prog.null_share(run.counts)
        run.status, run.finished_at, run.error, run.resource = "succeeded", now, None, None
        conn.status, conn.last_sync_at, conn.last_sync_status, conn.last_error = \
            "connected", now, "succeeded", None
        emit(system_ctx(session, plan.tenant_id), "integration.synced", prog.event_data(conn, run))


def _fail(plan: Plan, message: str) -> None:
    with unit_of_work(plan.tenant_id) as session:
        run, conn = session.get(SyncRun, plan.run_id), session.get(Connection, plan.connection_id)
        if run is None or conn is None:
            return
        run.status, run.error, run.finished_at = "failed", message[:1000], utcnow()
        if not plan.demo:  # a demo connection keeps showing its demo state
            conn.last_sync_status, conn.last_error = "failed", message[:1000]
            if conn.status != "disconnected":
                conn.status = "error"
        emit(system_ctx(session, plan.tenant_id), "integration.failed", prog.event_data(conn, run))
    log.warning("sync run %s of connection %s failed: %s", plan.run_id, plan.connection_id, message)


def _note(plan: Plan, message: str) -> None:
    with unit_of_work(plan.tenant_id) as session:
        run = session.get(SyncRun, plan.run_id)
        if run is not None:
            run.error = message[:1000]


def _last_attempt(plan: Plan) -> bool:
    if not plan.job_id:
        return True
    with unit_of_work() as session:
        row = session.get(JobRecord, plan.job_id)
        return row is None or row.attempts >= row.max_attempts
