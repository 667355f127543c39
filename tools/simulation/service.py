"""The simulator's workings behind the tools: the tenant's graph (fitted once per content of its
data, then served from an in-process cache), its nodes typed from the edges, and simulations
stored and read back.

The cache is keyed by a digest of the frame itself (dates, metric ids, values): new data gives a
new key, so a stale graph is never served and no event has to reach the cache. Fits are
deterministic for a given frame (the draws are seeded from the same digest).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from core.errors import NotFound
from store.models.action_hub import Simulation
from tools.simulation import fit as fitting
from tools.simulation import series
from tools.simulation.fit import Graph
from tools.simulation.propagate import lag_label
from tools.simulation.schemas import EdgeOut, NodeOut, NodeType, RelationshipsOut, SimulationOut

MAX_ENTRIES = 32
_CACHE: OrderedDict[str, Graph] = OrderedDict()
_LOCK = threading.Lock()


def _digest(frame: pd.DataFrame) -> str:
    digest = hashlib.sha256()
    digest.update(np.asarray(pd.DatetimeIndex(frame.index).asi8, dtype=np.int64).tobytes())
    digest.update(repr(list(frame.columns)).encode())
    digest.update(np.ascontiguousarray(frame.to_numpy(dtype=float)).tobytes())
    digest.update(repr((fitting.MAX_LAG, fitting.OWN_LAGS, fitting.ALPHA, fitting.DRAWS)).encode())
    return digest.hexdigest()


def graph_of(frame: pd.DataFrame) -> tuple[Graph, bool]:
    """The fitted graph of a frame and whether it came from the cache."""
    key = _digest(frame)
    with _LOCK:
        found = _CACHE.get(key)
        if found is not None:
            _CACHE.move_to_end(key)
            return found, True
    graph = fitting.fit_graph(frame, seed=int(key[:8], 16))
    with _LOCK:
        _CACHE[key] = graph
        while len(_CACHE) > MAX_ENTRIES:
            _CACHE.popitem(last=False)
    return graph, False


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()


def tenant_graph(session: Session, today: date) -> tuple[Graph, series.Catalogue, bool]:
    """The tenant's graph on its complete days before `today`, or InsufficientHistory."""
    catalogue = series.load(session, today)
    frame = series.require(catalogue)
    graph, cached = graph_of(frame)
    return graph, catalogue, cached


def node_type(graph: Graph, metric: str) -> NodeType:
    has_in = any(e.target == metric for e in graph.edges)
    has_out = any(e.source == metric for e in graph.edges)
    if has_in and has_out:
        return "intermediate"
    if has_in:
        return "output"
    if has_out:
        return "input"
    return "output" if metric in series.OUTCOMES else "input"


def relationships_out(graph: Graph, catalogue: series.Catalogue, cached: bool) -> RelationshipsOut:
    nodes = [NodeOut(id=m, label=series.label_of(m), type=node_type(graph, m)) for m in graph.metrics]
    edges = [EdgeOut(source=e.source, target=e.target, weight=round(e.elasticity, 3),
                     lag=lag_label(e.lag_days), lag_days=e.lag_days, method=fitting.METHOD,
                     p_value=float(f"{e.p_value:.3g}"), std_error=round(e.std_error, 4),
                     standardized_effect=round(e.standardized, 3))
             for e in sorted(graph.edges, key=lambda e: (e.lag_days, e.source, e.target))]
    return RelationshipsOut(nodes=nodes, edges=edges, method=fitting.METHOD, alpha=fitting.ALPHA,
                            days=graph.days, start_date=graph.start, end_date=graph.end,
                            skipped_metrics=dict(catalogue.skipped),
                            fit_seconds=0.0 if cached else round(graph.fit_seconds, 3))


def load_simulation(session: Session, tenant_id: str, simulation_id: str) -> Simulation:
    row = session.get(Simulation, simulation_id)
    if row is None or row.tenant_id != tenant_id:
        raise NotFound("simulation", simulation_id)
    return row


def simulation_out(row: Simulation) -> SimulationOut:
    return SimulationOut.model_validate({**row.result, "simulation_id": row.id,
                                         "created_at": row.created_at})
