"""How owners ask the causal simulator, and how its answers are said (every figure from the
result: the effect's change and interval, the lag, the confidence; the edges' weights and lags).

Routing: `simulator_relationships` explains what drives what ("what drives my revenue?");
`simulate_change` answers a what-if ("what happens if I raise marketing spend 20%?");
`get_simulation` / `list_simulations` read saved ones back.

Importing this module imports the simulator and planner tools with their declarations, so the
catalog needs one line for both.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tools import phrasing as p
from tools.language import ToolLanguage, declare
from tools.planner import language as _planner_language  # noqa: F401  (planner tools and language)
from tools.simulation import tools as _tools  # noqa: F401  (the tools these declarations describe)
from tools.simulation.schemas import EffectOut, RelationshipsOut, SimulationList, SimulationOut

METRIC_SYNONYMS = {
    "marketing_spend": ("marketing spend", "ad spend", "advertising", "marketing budget", "ads budget",
                        "ad budget", "spend on ads", "marketing"),
    "website_sessions": ("website sessions", "web traffic", "website traffic", "site visits", "visitors",
                         "sessions", "traffic"),
    "conversions": ("conversions", "signups", "sign ups", "conversion count"),
    "attributed_revenue": ("attributed revenue", "online revenue", "ad revenue", "conversion value"),
    "revenue": ("revenue", "sales", "income", "turnover"),
    "orders": ("orders", "order count", "number of orders", "purchases"),
}
DIRECTION_SYNONYMS = {
    "increase": ("raise", "increase", "boost", "grow", "double", "up", "more", "add"),
    "decrease": ("cut", "reduce", "lower", "decrease", "drop", "slash", "less", "trim", "down"),
}

HORIZON_SYNONYMS = {
    "7": ("a week", "1 week", "one week", "7 days", "next week"),
    "14": ("2 weeks", "two weeks", "14 days", "a fortnight"),
    "30": ("30 days", "a month", "1 month", "one month", "next month"),
    "60": ("60 days", "2 months", "two months"),
    "90": ("90 days", "3 months", "three months", "a quarter", "next quarter"),
    "180": ("180 days", "6 months", "six months", "half a year"),
    "365": ("365 days", "a year", "1 year", "one year", "12 months", "next year"),
}
"""Horizons as people say them, in days (the field takes any 1-365)."""


def effect_line(e: EffectOut) -> str:
    return (f"{e.metric}: {e.change} after {e.lag} ({e.interval.level * 100:g}% interval "
            f"{p.percent(e.interval.lower)} to "
            f"{p.percent(e.interval.upper)}, confidence {p.ratio_percent(e.confidence)})")


def _simulated(out: SimulationOut, args: Mapping[str, Any]) -> str:
    head = (f"If {out.input_change.metric} changes {out.input_change.change} and stays there, over "
            f"{p.plural(out.time_horizon, 'day')}:")
    if not out.effects:
        quiet = out.note or "no other metric responds in that time."
        return f"{head} {quiet} (Saved as {out.simulation_id}.)"
    lines = p.bullets(effect_line(e) for e in out.effects[: p.LIST_LIMIT])
    return f"{head}\n{lines}\nSaved as simulation {out.simulation_id}."


def _relationships(out: RelationshipsOut, args: Mapping[str, Any]) -> str:
    labels = {n.id: n.label for n in out.nodes}
    span = f"{p.plural(out.days, 'day')} of data ({p.date_range(out.start_date, out.end_date)})"
    if not out.edges:
        return (f"Across {p.plural(len(out.nodes), 'metric')} and {span}, the data supports no "
                f"relationship between them at p < {out.alpha:g}.")
    lines = [f"{labels[e.source]} → {labels[e.target]}: elasticity {e.weight:g} after {e.lag}"
             for e in out.edges]
    inputs = [n.label for n in out.nodes if n.type == "input"]
    tail = f"\nInputs (nothing in the data drives them): {', '.join(inputs)}." if inputs else ""
    return (f"{p.plural(len(out.edges), 'relationship')} the data supports (each a Granger test at "
            f"p < {out.alpha:g}, adjusted for the lags searched), from {span}:\n"
            f"{p.bullets(lines[: p.LIST_LIMIT])}{tail}")


def _listed(out: SimulationList, args: Mapping[str, Any]) -> str:
    total = out.pagination.total
    if total == 0:
        return "There are no saved simulations yet. Ask me what happens if a metric changes."
    lines = []
    for s in out.simulations:
        first = s.effects[0] if s.effects else None
        effect = f"; {first.metric} {first.change} after {first.lag}" if first else "; no effects"
        lines.append(f"{s.input_change.metric} {s.input_change.change} over "
                     f"{p.plural(s.time_horizon, 'day')}{effect} ({p.day(s.created_at)})")
    return f"{p.plural(total, 'simulation')}, newest first. {p.listing(lines, total, 'newest')}"


declare("simulator_relationships", ToolLanguage(
    examples=(
        "what drives my revenue",
        "show the causal relationships between my metrics",
        "how does marketing spend affect sales",
        "which metrics influence each other",
        "show me the simulator's causal map",
        "what are the relationships between traffic and conversions",
        "does ad spend actually drive website traffic?",
        "how long does marketing take to show up in conversions",
        "causal graph of my business metrics",
        "what levers do I have for revenue",
        "wat drives conversions",
    ),
    phrase=p.typed(RelationshipsOut, _relationships),
))

declare("simulate_change", ToolLanguage(
    examples=(
        "what happens if I raise marketing spend 20%?",
        "what if we increase ad spend by 50%",
        "simulate a 10% cut in marketing budget",
        "if I boost website traffic 30% what happens to revenue",
        "run a what-if: marketing spend +25% over 90 days",
        "what would happen to sales if we cut advertising by 15%",
        "simulate doubling conversions",
        "if sessions go up 10% how do orders change",
        "what-if scenario for spending 40% more on ads",
        "impact of reducing marketing spend 20% over the next 60 days",
        "wat if i spend 20% more on marketing",
    ),
    phrase=p.typed(SimulationOut, _simulated),
    synonyms={"metric_id": METRIC_SYNONYMS, "direction": DIRECTION_SYNONYMS,
              "time_horizon": HORIZON_SYNONYMS},
    questions={"metric_id": "Which metric should change (for example marketing spend)?",
               "change_percent": "By how many percent should it change?"},
))

declare("get_simulation", ToolLanguage(
    examples=(
        "show simulation sim_4f2a",
        "open that simulation again",
        "what did the last what-if say",
        "get simulation by id",
        "show me the results of that scenario",
        "read back the simulation",
        "details of simulation sim_123",
        "what were the effects in that simulation",
        "pull up the saved simulation",
        "reopen the what-if I ran",
    ),
    phrase=p.typed(SimulationOut, _simulated),
    questions={"simulation_id": "Which simulation (its id, like sim_...)?"},
))

declare("list_simulations", ToolLanguage(
    examples=(
        "list my simulations",
        "which what-if scenarios have I run",
        "show past simulations",
        "my saved what-ifs",
        "simulations of marketing spend",
        "history of scenarios I simulated",
        "what simulations did we run this month",
        "all simulations",
        "previous what-if analyses",
        "show the scenarios I tried before",
    ),
    phrase=p.typed(SimulationList, _listed),
    synonyms={"metric_id": METRIC_SYNONYMS},
))
