"""Trust capabilities (toolset "connectors"): is each connected source's data trustworthy right
now (health from its signals), why (each signal with value, threshold and score), and the
incidents opened and resolved when signals crossed their thresholds. Read-only.

With no live connection, health is None and status "no_sources": nothing is measured, so
nothing is claimed (manual data has no sync signals; its quality is `data_quality`'s)."""

from __future__ import annotations

from sqlalchemy import func, select

from core.errors import NotFound
from store.models import TrustIncident
from tools.context import ToolContext
from tools.registry import tool
from tools.trust import incidents as _incidents  # noqa: F401  (registers the subscriber and job)
from tools.trust.schemas import (
    HealthInput,
    HealthOutput,
    IncidentOut,
    IncidentsInput,
    IncidentsOutput,
    PlatformHealth,
    SignalOut,
    SignalsInput,
    SignalsOutput,
)
from tools.trust.signals import (
    WEIGHTS,
    find_platform,
    health_of,
    live_connections,
    signals_of,
    status_of,
)


def _open_counts(ctx: ToolContext) -> dict[str, int]:
    rows = ctx.session.execute(select(TrustIncident.connection_id, func.count())
                               .where(TrustIncident.status == "open")
                               .group_by(TrustIncident.connection_id)).tuples()
    return {cid or "": n for cid, n in rows}


@tool(
    name="trust_health",
    toolset="connectors",
    description="""Is the data trustworthy? Health 0-100 of each connected source (Shopify,
Stripe, HubSpot...) from its signals — freshness of the last sync, sync error rate, sudden drops
in records, spikes in missing fields — and overall (the mean of the sources). healthy >= 70,
degraded 40-69, unhealthy < 40; no_sources when nothing is connected.""",
)
def trust_health(ctx: ToolContext, args: HealthInput) -> HealthOutput:
    opened = _open_counts(ctx)
    platforms: dict[str, PlatformHealth] = {}
    for conn in live_connections(ctx.session):
        health = health_of(signals_of(ctx.session, conn, ctx.now))
        platforms[conn.name] = PlatformHealth(health=health, status=status_of(health),  # type: ignore[arg-type]
                                              name=conn.display_name, type=conn.type,
                                              open_incidents=opened.get(conn.id, 0))
    scored = [p.health for p in platforms.values() if p.health is not None]
    overall = round(sum(scored) / len(scored)) if scored else None
    synced = [c.last_sync_at for c in live_connections(ctx.session) if c.last_sync_at]
    return HealthOutput(
        overall_health=overall, status="no_sources" if not platforms else status_of(overall),  # type: ignore[arg-type]
        signals=platforms, open_incidents=sum(p.open_incidents for p in platforms.values()),
        last_updated=max(synced) if synced else None)


@tool(
    name="trust_signals",
    toolset="connectors",
    description="""How healthy is one source's feed (by connection name or type, e.g. shopify):
its health 0-100 and each signal with its value, threshold, score and explanation — freshness
(hours since the last successful sync), error_rate (failed share of the last 7 days' syncs),
record_drop (records fetched vs the usual median) and null_spike (rise in a key field's missing
share).""",
)
def trust_signals(ctx: ToolContext, args: SignalsInput) -> SignalsOutput:
    conn = find_platform(ctx.session, args.platform)
    if conn is None:
        raise NotFound("platform", args.platform)
    signals = signals_of(ctx.session, conn, ctx.now)
    health = health_of(signals)
    return SignalsOutput(
        platform=conn.name, connection_id=conn.id, name=conn.display_name, type=conn.type,
        connection_status=conn.status, health=health, status=status_of(health),  # type: ignore[arg-type]
        signals=[SignalOut(name=s.name, value=s.value, threshold=s.threshold,  # type: ignore[arg-type]
                           score=s.score, breached=s.breached, explanation=s.explanation,
                           details=s.details) for s in signals],
        weights=dict(WEIGHTS), evaluated_at=ctx.now)


@tool(
    name="trust_incidents",
    toolset="connectors",
    description="""Data trust incidents, newest first: a source's data went stale, its syncs
failed, it sent far fewer records than usual or a field suddenly went missing. Each has its
platform, signal, severity, open or resolved, and when. Filter by status and platform.""",
)
def trust_incidents(ctx: ToolContext, args: IncidentsInput) -> IncidentsOutput:
    conditions = []
    if args.platform:
        conn = find_platform(ctx.session, args.platform)
        key = args.platform.strip().lower()
        conditions.append(TrustIncident.connection_id == conn.id if conn is not None
                          else func.lower(TrustIncident.platform) == key)
    status = [TrustIncident.status == args.status] if args.status else []
    total = ctx.session.scalar(select(func.count()).select_from(TrustIncident)
                               .where(*conditions, *status)) or 0
    still_open = ctx.session.scalar(select(func.count()).select_from(TrustIncident)
                                    .where(*conditions, TrustIncident.status == "open")) or 0
    rows = ctx.session.scalars(select(TrustIncident).where(*conditions, *status)
                               .order_by(TrustIncident.opened_at.desc(), TrustIncident.id)
                               .offset(args.offset).limit(args.limit))
    return IncidentsOutput(incidents=[IncidentOut.model_validate(i, from_attributes=True) for i in rows],
                           total=total, open=still_open, limit=args.limit, offset=args.offset)
