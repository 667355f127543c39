"""Request bodies and pages of the action hub routes, as document 000 sends and shows them.

The planner's body carries `expectedOutcome{revenue}`; the tool takes a flat `expected_revenue`
(so the assistant reads "25k for 50k revenue" in order), and `tool_input()` maps one onto the other.
"""

from __future__ import annotations

from pydantic import Field

from api.openapi_models import PageBlock
from tools.action_history.schemas import ActionHistory
from tools.planner.schemas import AnalyzeInitiativeInput, InitiativeList
from tools.schemas import ToolModel
from tools.simulation.schemas import SimulationList


class ExpectedOutcome(ToolModel):
    revenue: float = Field(..., ge=0, le=1e12, description="Revenue the initiative is expected to bring")


class AnalyzeBody(ToolModel):
    """POST /api/hubs/action/planner/analyze."""

    name: str = Field("Initiative", min_length=1, max_length=200, description="The initiative's name")
    expected_outcome: ExpectedOutcome = Field(..., description="What it is expected to bring")
    investment: float = Field(..., gt=0, le=1e12, description="What it costs, paid up front")
    timeline: str = Field("12 months", min_length=1, max_length=40,
                          description="\"6 months\", \"1 year\", \"12 weeks\", \"90 days\"")
    discount_rate: float = Field(10.0, ge=0, le=100, description="Yearly discount rate for the NPV, percent")

    def tool_input(self) -> AnalyzeInitiativeInput:
        return AnalyzeInitiativeInput(name=self.name, investment=self.investment,
                                      expected_revenue=self.expected_outcome.revenue,
                                      timeline=self.timeline, discount_rate=self.discount_rate)


class SimulationPage(SimulationList):
    """A page of simulations with its pagination block."""

    pagination: PageBlock  # type: ignore[assignment]


class InitiativePage(InitiativeList):
    """A page of initiatives with its pagination block."""

    pagination: PageBlock  # type: ignore[assignment]


class HistoryPage(ActionHistory):
    """A page of the action history with its pagination block."""

    pagination: PageBlock  # type: ignore[assignment]
