"""Inputs and outputs of the simulator tools, shaped as document 000's action hub answers them
(`nodes`, `edges` with a `weight`; `simulationId`, `inputChange`, `effects` with `change`,
`confidence` and `lag` strings), plus the figures behind each string: the lag in days, the
method, the p-value, the change as a number and its interval."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from tools.crm.schemas import Pagination
from tools.schemas import ToolModel

MetricId = str
METRIC_ID_DESCRIPTION = ("The metric's id as simulator_relationships lists it: marketing_spend, "
                         "website_sessions, conversions, attributed_revenue, revenue, orders, ...")
NodeType = Literal["input", "intermediate", "output"]
Direction = Literal["increase", "decrease"]


class RelationshipsInput(ToolModel):
    """No arguments: the graph is fitted from all of the workspace's daily series."""


class NodeOut(ToolModel):
    id: str = Field(description="The metric's id (use it as metricId to simulate)")
    label: str = Field(description="The metric's name for people")
    type: NodeType = Field(description="input: nothing drives it; output: it drives nothing; "
                                       "intermediate: both")


class EdgeOut(ToolModel):
    source: str = Field(description="The driving metric's id")
    target: str = Field(description="The driven metric's id")
    weight: float = Field(description="Long-run elasticity: % change of the target for a sustained "
                                      "1% change of the source")
    lag: str = Field(description="How long the effect takes to show, in words (\"1 week\")")
    lag_days: int = Field(description="The same lag in days, chosen by AIC among 1-21 days")
    method: str = Field(description="How the edge was estimated and tested")
    p_value: float = Field(description="Granger test p-value, Bonferroni-adjusted over the lags "
                                       "and metrics searched; edges are drawn only below 0.05")
    std_error: float = Field(description="Standard error of the weight")
    standardized_effect: float = Field(description="The weight in standard deviations of the "
                                                   "logs, comparable across metrics")


class RelationshipsOut(ToolModel):
    nodes: list[NodeOut]
    edges: list[EdgeOut]
    method: str = Field(description="The estimation method of every edge")
    alpha: float = Field(description="The significance level an edge must pass")
    days: int = Field(description="Days of shared daily history the fit used")
    start_date: str = Field(description="First day of that history")
    end_date: str = Field(description="Last day of that history")
    skipped_metrics: dict[str, int] = Field(description="Metrics left out for too short a history, "
                                                        "with the days they have")
    fit_seconds: float = Field(description="Time the fit took (0 when served from the cache)")


class SimulateInput(ToolModel):
    metric_id: MetricId = Field(..., min_length=1, max_length=60, pattern=r"^[A-Za-z0-9_]+$",
                                description=METRIC_ID_DESCRIPTION)
    change_percent: float = Field(..., gt=-100, le=100,
                                  description="The sustained change of the metric, in percent "
                                              "(20 for +20%, -10 for a 10% cut): above -100 (a metric "
                                              "cannot fall below zero), at most 100 (doubling); a "
                                              "log-linear model is not to be trusted further out")
    time_horizon: int = Field(90, ge=1, le=365, description="Days ahead to look: only effects whose "
                                                            "lag fits in the horizon are shown")
    direction: Direction | None = Field(None, description="decrease turns a positive change_percent "
                                                          "into a cut; leave empty otherwise")

    def signed_change(self) -> float:
        change = self.change_percent
        return -abs(change) if self.direction == "decrease" else change


class InputChangeOut(ToolModel):
    metric: str = Field(description="The changed metric's name")
    metric_id: str = Field(description="The changed metric's id")
    change: str = Field(description="The change as the documents write it (\"+20%\")")
    change_percent: float = Field(description="The change in percent")


class IntervalOut(ToolModel):
    level: float = Field(0.95, description="The probability the interval is meant to cover")
    lower: float = Field(description="2.5th percentile of the simulated change, percent")
    upper: float = Field(description="97.5th percentile of the simulated change, percent")


class EffectOut(ToolModel):
    metric: str = Field(description="The affected metric's name")
    metric_id: str = Field(description="The affected metric's id")
    change: str = Field(description="The expected change as the documents write it (\"+24%\")")
    change_percent: float = Field(description="The expected change in percent")
    interval: IntervalOut = Field(description="95% interval of the change, from the coefficients' "
                                              "uncertainty")
    confidence: float = Field(description="0-1, from the interval's width and the fit of the "
                                          "regressions on the path")
    lag: str = Field(description="When the effect shows, in words")
    lag_days: int = Field(description="When the effect shows, in days (lags add up along the path)")
    elasticity: float = Field(description="Total elasticity over every path within the horizon")
    path: list[str] = Field(description="The strongest path, changed metric first")


class SimulationOut(ToolModel):
    simulation_id: str = Field(description="Read it back with get_simulation")
    input_change: InputChangeOut
    effects: list[EffectOut]
    time_horizon: int = Field(description="Days ahead the simulation looked")
    method: str = Field(description="How the effects were propagated")
    created_at: datetime = Field(description="When the simulation ran")
    note: str | None = Field(None, description="Why there are no effects, when there are none")


class SimulationIdInput(ToolModel):
    simulation_id: str = Field(..., min_length=1, max_length=64,
                               description="The simulation's id (simulationId)")


class ListSimulationsInput(ToolModel):
    metric_id: MetricId | None = Field(None, max_length=60, description="Only simulations of this metric")
    page: int = Field(1, ge=1, le=10_000, description="Page number, from 1")
    limit: int = Field(20, ge=1, le=100, description="Simulations per page")


class SimulationList(ToolModel):
    simulations: list[SimulationOut]
    pagination: Pagination
