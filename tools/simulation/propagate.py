"""A sustained % change of one metric, carried through the fitted graph (tools.simulation.fit).

Along a path the elasticities multiply and the lags add up; a metric reached by several paths
gets their sum (the model is linear in logs, so log-changes add). Only paths whose total lag is
within the horizon count: a 7-day horizon sees the first link of a weekly chain, not the last.
A change of c% in the input is a log-change of log(1 + c/100); the target moves by
(1 + c/100) ** elasticity - 1.

The interval comes from the edges' simulated elasticities (the coefficients' joint distribution,
draw by draw along each path): its 2.5th and 97.5th percentiles. The confidence multiplies
- the fit: the R^2 of each regression on the strongest path (each hop explains only part of its
  target, so confidence falls along a chain), and
- the precision: 1 / (1 + half-width / |change|), so a wide interval or a tiny effect lowers it,
and is kept within 0.01..0.99. Both come from the data: never a constant.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tools.simulation.fit import Edge, Graph


@dataclass(frozen=True)
class Effect:
    metric: str
    change_percent: float
    lower: float
    upper: float
    lag_days: int
    """The lag of the strongest contributing path (the earliest day the effect shows, on it)."""
    confidence: float
    elasticity: float
    path: tuple[str, ...]
    """The strongest path, input first."""
    paths: int


def lag_label(days: int) -> str:
    """"1 week", "3 weeks", "10 days", "1 day"."""
    if days % 7 == 0:
        weeks = days // 7
        return f"{weeks} week{'s' if weeks != 1 else ''}"
    return f"{days} day{'s' if days != 1 else ''}"


def signed_percent(value: float) -> str:
    """"+24%", "-3.5%", "0%": the documents' change strings."""
    text = f"{abs(value):.1f}".rstrip("0").rstrip(".")
    if text == "0":
        return "0%"
    return f"{'+' if value > 0 else '-'}{text}%"


def _paths(graph: Graph, start: str, horizon: int) -> list[list[Edge]]:
    found: list[list[Edge]] = []

    def walk(node: str, path: list[Edge], seen: set[str], lag: int) -> None:
        for edge in graph.outgoing(node):
            if edge.target in seen or lag + edge.lag_days > horizon:
                continue
            extended = [*path, edge]
            found.append(extended)
            walk(edge.target, extended, seen | {edge.target}, lag + edge.lag_days)

    walk(start, [], {start}, 0)
    return found


def _percent(log_change: float | np.ndarray, elasticity: float | np.ndarray) -> float | np.ndarray:
    return (np.exp(log_change * elasticity) - 1.0) * 100.0


def propagate(graph: Graph, metric: str, change_percent: float, horizon: int) -> list[Effect]:
    """Every metric the change reaches within `horizon` days, in order of lag."""
    log_change = float(np.log1p(change_percent / 100.0))
    by_target: dict[str, list[list[Edge]]] = {}
    for path in _paths(graph, metric, horizon):
        by_target.setdefault(path[-1].target, []).append(path)
    effects = []
    for target, paths in by_target.items():
        point = sum(float(np.prod([e.elasticity for e in p])) for p in paths)
        draws = np.sum([np.prod([e.draws for e in p], axis=0) for p in paths], axis=0)
        change = float(_percent(log_change, point))
        lower, upper = (float(v) for v in np.percentile(_percent(log_change, draws), [2.5, 97.5]))
        strongest = max(paths, key=lambda p: abs(float(np.prod([e.elasticity for e in p]))))
        fit = float(np.prod([graph.r_squared.get(e.target, 0.0) for e in strongest]))
        precision = 1.0 / (1.0 + (upper - lower) / 2.0 / max(abs(change), 1e-9))
        confidence = round(min(0.99, max(0.01, fit * precision)), 2)
        effects.append(Effect(
            metric=target, change_percent=round(change, 2), lower=round(min(lower, change), 2),
            upper=round(max(upper, change), 2), lag_days=sum(e.lag_days for e in strongest),
            confidence=confidence, elasticity=round(point, 4),
            path=(metric, *(e.target for e in strongest)), paths=len(paths)))
    return sorted(effects, key=lambda e: (e.lag_days, e.metric))
