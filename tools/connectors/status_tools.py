"""Sync capabilities (start one, its status, the run history), the data sources analytics can
draw on, and schema detection for custom REST APIs."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from core.errors import Conflict, ValidationFailed
from core.settings import get_settings
from store.models import Connection, Customer, Deal, Order, SourceRecord, SyncRun
from tools import outbound
from tools.connectors import service as svc
from tools.connectors import sync as engine
from tools.connectors.schemas import (
    ConnectionRefInput,
    ConnectionSyncStatus,
    DataSourceList,
    DataSourceOut,
    DetectedFieldOut,
    DetectedSchemaOut,
    DetectSchemaInput,
    ListDataSourcesInput,
    ListSyncRunsInput,
    SyncIntegrationInput,
    SyncRunList,
    SyncStarted,
    SyncStatusInput,
    SyncStatusReport,
)
from tools.context import ToolContext
from tools.crm.schemas import Pagination
from tools.registry import tool

METRICS = {
    "order": ("revenue", "orders", "average_order_value", "customer_lifetime_value"),
    "customer": ("customers", "churn", "segments"),
    "deal": ("pipeline", "win_rate", "sales_forecast"),
    "invoice": ("revenue", "accounts_receivable"),
    "subscription": ("mrr", "subscription_churn"),
    "product": ("product_mix",),
}
"""What records of each kind can feed (revenue comes from orders, or invoices)."""
RESOURCE_ENTITIES = {"orders": "order", "charges": "order", "customers": "customer",
                     "contacts": "customer", "deals": "deal", "invoices": "invoice",
                     "subscriptions": "subscription", "products": "product", "companies": "company"}
BUILTIN_ID = "builtin_crm"


@tool(
    name="sync_integration",
    toolset="connectors",
    kind="write",
    min_role="analyst",
    description="""Start a sync of an integration now (by id, type or name, e.g. "shopify"): it
runs in the background and only fetches what changed since the last sync unless full=true.
Returns the sync run (status queued). If a sync of it is already queued or running, that run is
returned instead of starting a second one.""",
)
def sync_integration(ctx: ToolContext, args: SyncIntegrationInput) -> SyncStarted:
    conn = svc.resolve(ctx.session, args.connection)
    if conn.status == "disconnected":
        raise Conflict(f"{conn.display_name} is disconnected: connect it again to sync")
    run, already = engine.start(ctx, conn, "manual", full=args.full)
    message = (f"A sync of {conn.display_name} is already {run.status}." if already else
               f"Started a {'full' if args.full else 'new'} sync of {conn.display_name}.")
    return SyncStarted(sync_run=engine.run_out(run), connection=svc.to_out(conn),
                       already_running=already, message=message)


def _status(ctx: ToolContext, conn: Connection, stale_after: timedelta) -> ConnectionSyncStatus:
    runs = list(ctx.session.scalars(select(SyncRun).where(SyncRun.connection_id == conn.id)
                                    .order_by(SyncRun.started_at.desc()).limit(20)))
    current = next((r for r in runs if r.status in engine.ACTIVE), None)
    last = next((r for r in runs if r.status not in engine.ACTIVE), None)
    stale = conn.status != "disconnected" and (
        conn.last_sync_at is None or conn.last_sync_at < ctx.now - stale_after)
    return ConnectionSyncStatus(connection=svc.to_out(conn), stale=stale,
                                current_run=engine.run_out(current) if current else None,
                                last_run=engine.run_out(last) if last else None)


@tool(
    name="get_sync_status",
    toolset="connectors",
    description="""When did each integration last sync, and is it healthy: per connection (one by
id, type or name, or all), its status, the last successful sync time, the last run's outcome,
counts and error, the run in progress with its progress (resource, pages, records so far), the
records held, and whether it is stale (no successful sync within the stale window).""",
)
def get_sync_status(ctx: ToolContext, args: SyncStatusInput) -> SyncStatusReport:
    hours = get_settings().sync_stale_hours
    rows = ([svc.resolve(ctx.session, args.connection, include_disconnected=True)]
            if args.connection else svc.connections(ctx.session))
    return SyncStatusReport(stale_hours=hours,
                            connections=[_status(ctx, c, timedelta(hours=hours)) for c in rows])


@tool(
    name="get_integration",
    toolset="connectors",
    description="One integration (by id, type or name) with its sync status: as get_sync_status "
    "for a single connection.",
    exposed=False,
)
def get_integration(ctx: ToolContext, args: ConnectionRefInput) -> ConnectionSyncStatus:
    conn = svc.resolve(ctx.session, args.connection, include_disconnected=True)
    return _status(ctx, conn, timedelta(hours=get_settings().sync_stale_hours))


@tool(
    name="list_sync_runs",
    toolset="connectors",
    description="""The sync history, newest first: each run's connection, trigger (connect,
manual, schedule), status (queued, running, succeeded, failed), resource in progress, pages,
counts (fetched, created, updated, unchanged, merged), error and times. Filter by connection
(id, type or name) or status, e.g. status=failed for failed syncs.""",
)
def list_sync_runs(ctx: ToolContext, args: ListSyncRunsInput) -> SyncRunList:
    conditions: list[Any] = []
    if args.connection:
        conn = svc.resolve(ctx.session, args.connection, include_disconnected=True)
        conditions.append(SyncRun.connection_id == conn.id)
    if args.status:
        conditions.append(SyncRun.status == args.status)
    total = ctx.session.scalar(select(func.count()).select_from(SyncRun).where(*conditions)) or 0
    rows = ctx.session.scalars(select(SyncRun).where(*conditions)
                               .order_by(SyncRun.started_at.desc(), SyncRun.id.desc())
                               .offset((args.page - 1) * args.limit).limit(args.limit))
    return SyncRunList(sync_runs=[engine.run_out(r) for r in rows],
                       pagination=Pagination(page=args.page, limit=args.limit, total=total,
                                             total_pages=math.ceil(total / args.limit) if total else 0))


def _metrics(entities: list[str]) -> list[str]:
    return list(dict.fromkeys(m for e in entities for m in METRICS.get(e, ())))


def _connection_source(conn: Connection) -> DataSourceOut:
    counts = dict(conn.record_counts or {})
    kind = svc.base.connector_type(conn.type)
    entities = list(counts) or [RESOURCE_ENTITIES[r] for r in (kind.resources if kind else ())
                                if r in RESOURCE_ENTITIES]
    return DataSourceOut(id=conn.id, name=conn.display_name, type="connector", connector=conn.type,
                         status=conn.status, last_sync=conn.last_sync_at,
                         record_count=sum(counts.values()), records=counts, metrics=_metrics(entities))


def _builtin_source(ctx: ToolContext) -> DataSourceOut:
    """The CRM's own records: entered by hand or through the API, not fed by any connector."""
    fed = select(SourceRecord.entity_id).where(SourceRecord.entity_id.is_not(None))
    session = ctx.session
    counts = {
        "customer": session.scalar(select(func.count()).select_from(Customer)
                                   .where(Customer.id.not_in(fed))) or 0,
        "order": session.scalar(select(func.count()).select_from(Order)
                                .where(Order.source == "manual")) or 0,
        "deal": session.scalar(select(func.count()).select_from(Deal).where(Deal.id.not_in(fed))) or 0,
    }
    return DataSourceOut(id=BUILTIN_ID, name="BizPilot CRM (entered and imported data)",
                         type="builtin", connector=None, status="connected", last_sync=None,
                         record_count=sum(counts.values()), records=counts,
                         metrics=_metrics(list(counts)))


@tool(
    name="list_data_sources",
    toolset="connectors",
    description="""Every source analytics and predictions can draw data from: each integration
(status, last sync, records held by kind) and the built-in CRM data entered by hand, with the
metrics each can feed (revenue and orders from orders or invoices, MRR from subscriptions,
pipeline from deals, churn and segments from customers).""",
)
def list_data_sources(ctx: ToolContext, args: ListDataSourcesInput) -> DataSourceList:
    rows = svc.connections(ctx.session, include_disconnected=args.include_disconnected)
    sources = [_connection_source(c) for c in rows] + [_builtin_source(ctx)]
    return DataSourceList(sources=sources, total=len(sources))


@tool(
    name="detect_api_schema",
    toolset="connectors",
    min_role="analyst",
    description="""Call a REST API endpoint once and describe its records: the detected fields
with their type (string, number, boolean, datetime...) and path (e.g. data[].total), a sample,
where the records are, and the OpenAPI document's URL if the API publishes one. Use it before
create_custom_connector to choose field mappings. Headers (e.g. Authorization) are used for this
call only.""",
)
def detect_api_schema(ctx: ToolContext, args: DetectSchemaInput) -> DetectedSchemaOut:
    try:
        outbound.vet(args.url)
    except outbound.Unresolvable:
        pass
    except outbound.Refused as err:
        raise ValidationFailed(f"The URL is not allowed: {err}",
                               details=[{"field": "url", "message": str(err)}]) from None
    from tools.connectors import schema_detect  # written beside the providers; loaded on use

    found = schema_detect.detect_schema(args.url, method=args.method,
                                        headers={k: v.get_secret_value() for k, v in args.headers.items()},
                                        body=args.body)
    fields = [DetectedFieldOut(name=f.name, type=f.type, path=f.path) for f in found.detected_fields]
    return DetectedSchemaOut(detected_fields=fields, sample_data=found.sample_data,
                             records_path=found.records_path, record_count=found.record_count,
                             open_api_spec=found.open_api_spec)
