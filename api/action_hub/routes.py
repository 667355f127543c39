"""Document 000's action hub (`/api/hubs/action/...`, envelope), thin routes over the simulator and
planner tools:

- GET /simulator/relationships: the metrics as typed nodes and the edges the tenant's daily data
  supports (weight, lag, method, p-value); too little data is 422 INSUFFICIENT_DATA with the reason.
- POST /simulator/simulate {metricId, changePercent, timeHorizon}: the effects, stored; an unknown
  metric is 422 VALIDATION_ERROR listing the known ones, nothing stored.
- GET /simulator/simulations (paginated) and /simulator/simulations/{id} (404 for another tenant's).
- POST /planner/analyze {name, expectedOutcome{revenue}, investment, timeline, discountRate}: ROI,
  payback, NPV and risk range, saved; GET /planner/initiatives lists them (paginated).
- GET /automations: the workspace's automations (the ops copilot's, and 001's workflows).
- GET /history?startDate=&endDate=&type=: simulations, analyses, automation runs and approvals,
  newest first (type: simulation, analysis, automation_run, approval).
Both creates accept an Idempotency-Key.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api.action_hub.schemas import AnalyzeBody, HistoryPage, InitiativePage, SimulationPage
from api.automations.schemas import AutomationPage
from api.deps import CurrentPrincipal
from api.family import EnvelopeRoute, Page, respond
from api.idempotency import IdempotencyKey, once
from api.openapi_models import Envelope, ListEnvelope, doc
from api.ratelimit import api_limit
from tools.action_history import tools as action_history
from tools.action_history.schemas import ActionHistoryInput
from tools.automations import tools as automations
from tools.automations.inputs import ListAutomationsInput
from tools.planner import tools as planner
from tools.planner.schemas import InitiativeOut, ListInitiativesInput
from tools.runtime import invoke
from tools.simulation import tools as simulator
from tools.simulation.schemas import ListSimulationsInput, RelationshipsOut, SimulateInput, SimulationOut

BASE = "/api/hubs/action"
router = APIRouter(tags=["action hub"], dependencies=[Depends(api_limit)], route_class=EnvelopeRoute)


@router.get(f"{BASE}/simulator/relationships", responses=doc(200, Envelope[RelationshipsOut]))
async def relationships(principal: CurrentPrincipal) -> RelationshipsOut:
    """The causal map fitted from the workspace's own daily series (lagged regressions with
    Granger tests): nodes typed input / intermediate / output, edges only where the data supports them."""
    return await invoke(simulator.simulator_relationships, principal, {})


@router.post(f"{BASE}/simulator/simulate", responses=doc(200, Envelope[SimulationOut]))
async def simulate(request: Request, principal: CurrentPrincipal, body: SimulateInput,
                   key: IdempotencyKey = None) -> Response:
    """Propagate `changePercent` of `metricId` through the fitted relationships over `timeHorizon`
    days: each effect's change, interval, lag and confidence. The simulation is saved."""

    async def run() -> Response:
        return respond(request, await invoke(simulator.simulate_change, principal, body))

    return await once(request, principal, key, body.model_dump(mode="json"), run)


@router.get(f"{BASE}/simulator/simulations", responses=doc(200, ListEnvelope[SimulationPage]))
async def list_simulations(principal: CurrentPrincipal,
                           query: Annotated[ListSimulationsInput, Query()]) -> Page:
    """Saved simulations, newest first."""
    out = await invoke(simulator.list_simulations, principal, query)
    return Page(out.camel(), query.page, query.limit, out.pagination.total)


@router.get(f"{BASE}/simulator/simulations/{{simulation_id}}", responses=doc(200, Envelope[SimulationOut]))
async def get_simulation(principal: CurrentPrincipal, simulation_id: str) -> SimulationOut:
    """One saved simulation, as it was answered."""
    return await invoke(simulator.get_simulation, principal, {"simulation_id": simulation_id})


@router.post(f"{BASE}/planner/analyze", responses=doc(200, Envelope[InitiativeOut]))
async def analyze(request: Request, principal: CurrentPrincipal, body: AnalyzeBody,
                  key: IdempotencyKey = None) -> Response:
    """ROI, payback period, NPV at the stated discount rate and a P10-P90 risk range from the
    business's monthly revenue volatility. The initiative is saved."""
    args = body.tool_input()

    async def run() -> Response:
        return respond(request, await invoke(planner.analyze_initiative, principal, args))

    return await once(request, principal, key, args.model_dump(mode="json"), run)


@router.get(f"{BASE}/planner/initiatives", responses=doc(200, ListEnvelope[InitiativePage]))
async def initiatives(principal: CurrentPrincipal, query: Annotated[ListInitiativesInput, Query()]) -> Page:
    """Analysed initiatives, newest first."""
    out = await invoke(planner.list_initiatives, principal, query)
    return Page(out.camel(), query.page, query.limit, out.pagination.total)


@router.get(f"{BASE}/automations", responses=doc(200, ListEnvelope[AutomationPage]))
async def hub_automations(principal: CurrentPrincipal,
                          query: Annotated[ListAutomationsInput, Query()]) -> Page:
    """The workspace's automations, newest first, with their triggers, actions and status."""
    out = await invoke(automations.list_automations, principal, query)
    return Page(out.camel(), query.page, query.limit, out.total)


@router.get(f"{BASE}/history", responses=doc(200, ListEnvelope[HistoryPage]))
async def history(principal: CurrentPrincipal, query: Annotated[ActionHistoryInput, Query()]) -> Page:
    """Every simulation, initiative analysis, automation run and approval, newest first;
    `startDate`/`endDate` (days, UTC) and `type` filter it."""
    out = await invoke(action_history.action_history, principal, query)
    return Page(out.camel(), query.page, query.limit, out.total)
