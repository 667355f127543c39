"""The causal simulator's tools (toolset "simulation"): the relationships between the workspace's
metrics, what-if simulations over them (stored, readable by id), and the list of past ones.

Fits run synchronously inside the tool call: the runtime runs every tool in a worker thread
(tools.runtime.aexecute), so the fit never blocks the event loop; a second call on the same data
is served from the content-keyed cache (tools.simulation.service).
"""

from __future__ import annotations

import math
import uuid

from sqlalchemy import func, select

from core.errors import ValidationFailed
from store.models.action_hub import Simulation
from tools.context import ToolContext
from tools.crm.schemas import Pagination
from tools.registry import tool
from tools.simulation import fit as fitting
from tools.simulation import series
from tools.simulation import service as svc
from tools.simulation.propagate import lag_label, propagate, signed_percent
from tools.simulation.schemas import (
    EffectOut,
    InputChangeOut,
    IntervalOut,
    ListSimulationsInput,
    RelationshipsInput,
    RelationshipsOut,
    SimulateInput,
    SimulationIdInput,
    SimulationList,
    SimulationOut,
)

PROPAGATION = ("elasticities multiplied along each path of fitted edges, lags added, paths within "
               "the horizon summed in logs; interval from 2000 draws of the coefficients")


@tool(name="simulator_relationships", toolset="simulation", description="""Which of the business's
metrics drive which (the action hub's causal map): each metric as a node typed input, intermediate
or output, and an edge only where the workspace's own daily data supports it (a lagged regression
with a Granger test, p < 0.05 after adjusting for the lags searched), with its weight (elasticity:
% change of the target per 1% of the source), its lag in days and the method. Use it for "what
drives revenue?" or "how does marketing spend affect sales?".""")
def simulator_relationships(ctx: ToolContext, args: RelationshipsInput) -> RelationshipsOut:
    graph, catalogue, cached = svc.tenant_graph(ctx.session, ctx.now.date())
    return svc.relationships_out(graph, catalogue, cached)


@tool(name="simulate_change", toolset="simulation", kind="write", idempotent=False,
      description="""What happens if a metric changes: "what if I raise marketing spend 20%?". Carries a
sustained % change of one metric (metric_id from simulator_relationships, e.g. marketing_spend)
through the relationships fitted on the workspace's data, over a horizon in days (default 90): each
affected metric's expected change with a 95% interval, the lag before it shows, and a confidence
from the interval and the fit. The simulation is saved (get_simulation reads it back).""")
def simulate_change(ctx: ToolContext, args: SimulateInput) -> SimulationOut:
    graph, _catalogue, _cached = svc.tenant_graph(ctx.session, ctx.now.date())
    if args.metric_id not in graph.metrics:
        known = ", ".join(graph.metrics)
        raise ValidationFailed(
            f"Unknown metric {args.metric_id!r}: the simulator knows {known}",
            details=[{"field": "metric_id", "message": f"unknown metric; one of: {known}"}])
    change = args.signed_change()
    effects = propagate(graph, args.metric_id, change, args.time_horizon)
    note = None
    if not effects:
        drives = graph.outgoing(args.metric_id)
        note = (f"No metric responds to {series.label_of(args.metric_id)} within "
                f"{args.time_horizon} days: " + (
                    f"its nearest effect takes {min(e.lag_days for e in drives)} days."
                    if drives else "the data supports no edge out of it."))
    result = {
        "input_change": InputChangeOut(metric=series.label_of(args.metric_id), metric_id=args.metric_id,
                                       change=signed_percent(change), change_percent=change).snake(),
        "effects": [EffectOut(
            metric=series.label_of(e.metric), metric_id=e.metric, change=signed_percent(e.change_percent),
            change_percent=e.change_percent, interval=IntervalOut(lower=e.lower, upper=e.upper),
            confidence=e.confidence, lag=lag_label(e.lag_days), lag_days=e.lag_days,
            elasticity=e.elasticity, path=list(e.path)).snake() for e in effects],
        "time_horizon": args.time_horizon,
        "method": f"{fitting.METHOD}; {PROPAGATION}",
        "note": note,
    }
    row = Simulation(id=f"sim_{uuid.uuid4().hex}", tenant_id=ctx.tenant_id, metric_id=args.metric_id,
                     change_percent=change, time_horizon=args.time_horizon, result=result,
                     created_by=ctx.user_id or None, created_at=ctx.now)
    ctx.session.add(row)
    ctx.session.flush()
    return svc.simulation_out(row)


@tool(name="get_simulation", toolset="simulation", description="""One saved what-if simulation by
its id (simulationId): the change that was simulated, each effect with its interval, lag and
confidence, as answered when it ran.""")
def get_simulation(ctx: ToolContext, args: SimulationIdInput) -> SimulationOut:
    return svc.simulation_out(svc.load_simulation(ctx.session, ctx.tenant_id, args.simulation_id))


@tool(name="list_simulations", toolset="simulation", description="""The workspace's saved what-if
simulations, newest first: which metric changed by how much, over what horizon, and its effects.
Filter by metric_id.""")
def list_simulations(ctx: ToolContext, args: ListSimulationsInput) -> SimulationList:
    conditions = [Simulation.metric_id == args.metric_id] if args.metric_id else []
    total = ctx.session.scalar(select(func.count()).select_from(Simulation).where(*conditions)) or 0
    rows = ctx.session.scalars(select(Simulation).where(*conditions)
                               .order_by(Simulation.created_at.desc(), Simulation.id.desc())
                               .offset((args.page - 1) * args.limit).limit(args.limit))
    return SimulationList(simulations=[svc.simulation_out(r) for r in rows],
                          pagination=Pagination(page=args.page, limit=args.limit, total=total,
                                                total_pages=math.ceil(total / args.limit) if total else 0))
