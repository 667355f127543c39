"""Causal simulator and planner speed (`python -m benchmarks.simulation`, or `bench_simulation()`
for `make bench`'s table), on a throwaway SQLite database holding one tenant with the demo's
marketing funnel (two years, store.demo_metrics) and two years of daily orders:

- `simulator_relationships` through the tool runtime, cold (cache cleared: series read, every
  target's forward selection and fit) and warm (series re-read and hashed, nothing refitted);
- the bare fit (`fit_graph`) on the same frame, the floor a cold request could reach; the row's
  name states the lags it recovered against the generator's true ones;
- `simulate_change` (+20% marketing spend, 90 days: a warm graph, propagation, the row stored);
- `analyze_initiative` (NPV, payback, risk range from 12 months of revenue, the row stored).
"""

from __future__ import annotations

import statistics
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np

from core.env import settings_env

END = datetime.now(UTC).date()
"""Today: the tools read the series as of their context's clock, which is the real one."""


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _row(name: str, latencies: list[float], errors: int = 0) -> list[str]:
    seconds = sum(latencies)
    return [name, f"{len(latencies) / seconds:,.1f}/s" if seconds else "-",
            f"{statistics.median(latencies) * 1000:.1f}",
            f"{_percentile(latencies, 0.95) * 1000:.1f}", str(len(latencies)), str(errors)]


def _timed(fn: Callable[[], object], repeat: int, before: Callable[[], None] | None = None) -> list[float]:
    out = []
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def _seed_tenant() -> tuple[str, str]:
    from store.db import unit_of_work
    from store.demo_metrics import seed_metrics
    from store.models import Membership, Order, Tenant, User

    rng = np.random.default_rng(0)
    with unit_of_work() as session:
        tenant = Tenant(name="Simulation bench", slug=f"simulation-bench-{uuid.uuid4().hex[:8]}")
        user = User(email=f"bench-{uuid.uuid4().hex[:8]}@example.com", password_hash="-")
        session.add_all([tenant, user])
        session.flush()
        session.add(Membership(user_id=user.id, tenant_id=tenant.id, role="admin"))
        tenant_id, user_id = tenant.id, user.id
    with unit_of_work(tenant_id) as session:
        seed_metrics(session, tenant_id, END)
        day0 = END - timedelta(days=730)
        for i in range(730):
            day = day0 + timedelta(days=i)
            for _ in range(int(rng.poisson(4 + i / 365))):
                session.add(Order(total=Decimal(f"{rng.gamma(4, 20):.2f}"),
                                  ordered_at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC)))
    return tenant_id, user_id


def bench_tools(tenant_id: str, user_id: str) -> list[list[str]]:
    from store.db import unit_of_work
    from store.demo_metrics import LINKS
    from tools.context import Principal
    from tools.runtime import execute
    from tools.simulation import series, service
    from tools.simulation.fit import fit_graph

    who = Principal(user_id=user_id, tenant_id=tenant_id, role="admin")

    def run(name: str, args: dict[str, object]) -> object:
        return execute(name, who, args)

    run("list_initiatives", {})  # the tool catalog is imported once per process: not a fit's cost
    cold = _timed(lambda: run("simulator_relationships", {}), 3, before=service.clear_cache)
    warm = _timed(lambda: run("simulator_relationships", {}), 20)
    with unit_of_work(tenant_id) as session:
        frame = series.load(session, END).frame
    bare = _timed(lambda: fit_graph(frame), 5)
    graph = fit_graph(frame)
    found = {(e.source, e.target): e.lag_days for e in graph.edges}
    recovered = "/".join(str(found.get((link.source, link.target), "-")) for link in LINKS)
    truth = "/".join(str(link.lag_days) for link in LINKS)
    extra = len(graph.edges) - sum((link.source, link.target) in found for link in LINKS)
    what_if = {"metric_id": "marketing_spend", "change_percent": 20}
    simulate = _timed(lambda: run("simulate_change", what_if), 20)
    plan = _timed(lambda: run("analyze_initiative", {"name": "Launch", "investment": 25000,
                                                     "expected_revenue": 50000, "timeline": "6 months"}), 20)
    shape = f"{len(frame)} days x {frame.shape[1]} metrics"
    return [_row(f"simulator_relationships cold ({shape})", cold),
            _row(f"simulator_relationships warm (cached), {shape}", warm),
            _row(f"bare fit_graph: lags {recovered} (true {truth}), {extra} other edges", bare),
            _row("simulate_change +20% spend, 90 days (warm graph, stored)", simulate),
            _row("analyze_initiative (NPV, payback, risk from 12 months)", plan)]


def bench_simulation() -> list[list[str]]:
    """Rows for benchmarks/run.py's table, on a throwaway SQLite database."""
    from store.migrate import upgrade

    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'simulation.db'}"
        with settings_env(DATABASE_URL=url):
            upgrade(url)
            rows = bench_tools(*_seed_tenant())
    return rows


if __name__ == "__main__":
    header = ["benchmark", "throughput", "p50 ms", "p95 ms", "requests", "errors"]
    table = bench_simulation()
    widths = [max(len(str(r[i])) for r in [header, *table]) for i in range(len(header))]
    for r in [header, ["-" * w for w in widths], *table]:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))
