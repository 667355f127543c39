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
from pathlib import Path
from typing import Any

from tools import phrasing as p
from tools.language import ToolLanguage, declare, read_examples
from tools.planner import language as _planner_language  # noqa: F401  (planner tools and language)
from tools.simulation import tools as _tools  # noqa: F401  (the tools these declarations describe)
from tools.simulation.reading import read_what_if
from tools.simulation.schemas import EffectOut, RelationshipsOut, SimulationList, SimulationOut

EXAMPLES = read_examples(Path(__file__).with_name("examples.txt"))

METRIC_SYNONYMS = {
    "marketing_spend": ("marketing spend", "ad spend", "advertising", "marketing budget", "ads budget",
                        "ad budget", "spend on ads", "marketing", "advertising budget", "ads", "ad spending",
                        "marketing spending", "spend on marketing", "promotion budget"),
    "website_sessions": ("website sessions", "web traffic", "website traffic", "site visits", "visitors",
                         "sessions", "traffic", "site traffic", "web visits", "website visits"),
    "conversions": ("conversions", "signups", "sign ups", "conversion count", "converts"),
    "attributed_revenue": ("attributed revenue", "online revenue", "ad revenue", "conversion value"),
    "revenue": ("revenue", "sales", "income", "turnover"),
    "orders": ("orders", "order count", "number of orders", "purchases"),
}
DIRECTION_SYNONYMS = {
    "increase": ("raise", "raised", "increase", "increased", "boost", "boosted", "grow", "grew", "double",
                 "up", "more", "add", "rise", "rises", "rose", "jump", "jumped", "bump", "bumped",
                 "went up", "goes up", "higher", "extra"),
    "decrease": ("cut", "cuts", "reduce", "reduced", "lower", "lowered", "decrease", "decreased", "drop",
                 "dropped", "slash", "slashed", "less", "trim", "trimmed", "down", "fall", "falls", "fell",
                 "decline", "declined", "went down", "goes down", "shrink", "shrank", "fewer"),
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


def _signed(value: float) -> str:
    """A change in percent with its sign, one decimal at most: +15.1%, -0.4%."""
    text = f"{abs(value):.1f}".removesuffix(".0")
    return f"{'-' if value < 0 else '+'}{text}%"


def effect_line(e: EffectOut) -> str:
    via = [v.replace("_", " ") for v in e.path[1:-1]]
    through = f", through {' and '.join(via)}" if via else ""
    return (f"{e.metric}: {e.change} after about {e.lag}{through} "
            f"({e.interval.level * 100:g}% range {_signed(e.interval.lower)} to {_signed(e.interval.upper)}; "
            f"confidence {p.ratio_percent(e.confidence).replace('.0%', '%')})")


def _simulated(out: SimulationOut, args: Mapping[str, Any]) -> str:
    head = (f"If {out.input_change.metric} changes by {out.input_change.change} and stays there, over the "
            f"next {p.plural(out.time_horizon, 'day')}:")
    if not out.effects:
        quiet = out.note or "no other metric responds in that time."
        return f"{head} {quiet} (Saved as simulation {out.simulation_id}.)"
    lines = p.bullets(effect_line(e) for e in out.effects[: p.LIST_LIMIT])
    return (f"{head}\n{lines}\nOther metrics show no effect the data supports within that time. "
            f"Estimated from your own daily history (lagged regressions); saved as simulation "
            f"{out.simulation_id}.")


def _relationships(out: RelationshipsOut, args: Mapping[str, Any]) -> str:
    labels = {n.id: n.label for n in out.nodes}
    span = f"{p.plural(out.days, 'day')} of data ({p.date_range(out.start_date, out.end_date)})"
    if not out.edges:
        return (f"Across {p.plural(len(out.nodes), 'metric')} and {span}, the data supports no "
                f"relationship between them at p < {out.alpha:g}.")
    depth = {n.id: 0 for n in out.nodes}
    for _ in out.nodes:  # longest chain from a starting point, so the edges read in causal order
        for e in out.edges:
            depth[e.target] = max(depth.get(e.target, 0), depth.get(e.source, 0) + 1)
    lines = [f"{labels[e.source]} → {labels[e.target]} after about {e.lag}: elasticity {e.weight:g} "
             f"(each % more {labels[e.source]} brings about {e.weight:g}% more {labels[e.target]})"
             for e in sorted(out.edges, key=lambda e: (depth.get(e.source, 0), -e.weight))]
    linked = {e.source for e in out.edges} | {e.target for e in out.edges}
    inputs = [n.label for n in out.nodes if n.type == "input" and n.id in linked]
    alone = [n.label for n in out.nodes if n.id not in linked]
    tail = f"\nStarting points (nothing in the data drives them): {', '.join(inputs)}." if inputs else ""
    if alone:
        tail += (f"\nNo link the data supports to or from: {', '.join(alone)}, so a what-if on the "
                 f"others will not move them.")
    return (f"{p.plural(len(out.edges), 'relationship')} your data supports (each passes a Granger test "
            f"at p < {out.alpha:g}, adjusted for the lags searched), from {span}:\n"
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
    examples=EXAMPLES["simulator_relationships"],
    phrase=p.typed(RelationshipsOut, _relationships),
))

declare("simulate_change", ToolLanguage(
    examples=EXAMPLES["simulate_change"],
    phrase=p.typed(SimulationOut, _simulated),
    synonyms={"metric_id": METRIC_SYNONYMS, "direction": DIRECTION_SYNONYMS,
              "time_horizon": HORIZON_SYNONYMS},
    read=lambda text, args: read_what_if(text, args, METRIC_SYNONYMS, DIRECTION_SYNONYMS, HORIZON_SYNONYMS),
    questions={"metric_id": ("Which metric should change: marketing spend, website sessions, conversions, "
                             "attributed revenue, revenue or orders?"),
               "change_percent": ("By how many percent should it change (for example “raise it 20%” or "
                                  "“cut it 10%”)?")},
))

declare("get_simulation", ToolLanguage(
    examples=EXAMPLES["get_simulation"],
    phrase=p.typed(SimulationOut, _simulated),
    questions={"simulation_id": "Which simulation (its id, like sim_...)?"},
))

declare("list_simulations", ToolLanguage(
    examples=EXAMPLES["list_simulations"],
    phrase=p.typed(SimulationList, _listed),
    synonyms={"metric_id": METRIC_SYNONYMS},
))
