"""`make bench`: throughput and latency on this machine, printed as a table.

1. list-customers over HTTP: the real server in its own process (uvicorn, like `make run`),
   driven by concurrent keep-alive clients from this process for a fixed time.
2. list-customers in-process through tools.runtime (the floor the HTTP stack adds to).
3. Agent latency on the built-in offline model: whole turns, tool calls included.
4. The offline NLU and the tool retrieval at 150 tools (benchmarks/nlu.py).
5. Events from write to delivery: create_customer to a local webhook receiver (benchmarks/events.py).
6. Connectors: the Shopify connector paging 50,000 orders from a local fake, and the full sync of
   that shop into SQLite through the sync engine (benchmarks/connectors.py).
7. Forecasting: one forecast request cold and warm against a bare statsmodels ETS fit of the same
   series, and 200 product series forecast as in the background (benchmarks/forecasting.py).
8. Simulator and planner: fitting the relationships, a simulation and an initiative analysis on
   the demo's two years of daily metrics (benchmarks/simulation.py).
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from benchmarks import nlu

ROOT = Path(__file__).resolve().parents[1]
DURATION = float(os.environ.get("BENCH_SECONDS", "6"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
PROMPTS = ["how many customers do I have", "what was revenue last month",
           "show my open deals over 10k", "how is the pipeline looking"]
STORIES = ["My landlord is raising the rent next month and I'm a bit worried. What did we take in last "
           "month? Also lay out this year month by month. Thanks!",
           "Hannah Scott from Hooli is coming by the shop later today. She's been a great customer. "
           "Can you pull up her record? Cheers.",
           "Our accountant comes on Thursday. She always asks about the pipeline. How is it looking?",
           "We lost two big clients this autumn and I can't sleep. Which customers might leave us next?"]
"""Requests with context around them: the offline model reads each sentence (agent.nlu.story)."""


def _env(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": f"sqlite:///{data_dir / 'bench.db'}",
            "CHECKPOINT_URL": str(data_dir / "checkpoints.db"), "RATE_LIMIT_ENABLED": "false",
            "JOBS_DB": str(data_dir / "jobs.db"),
            "SECRET_KEY": "bench-secret-key-0123456789-0123456789-0123456789"}


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _row(name: str, count: int, seconds: float, latencies: list[float], errors: int = 0) -> list[str]:
    rate = f"{count / seconds:,.0f}/s" if seconds else "-"
    p50 = f"{statistics.median(latencies) * 1000:.1f}"
    return [name, rate, p50, f"{_percentile(latencies, 0.95) * 1000:.1f}", str(count), str(errors)]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    subprocess.run([sys.executable, "-m", "bizpilot_cli.main", "seed"], env=env, check=True,
                   cwd=ROOT, capture_output=True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning", "--no-access-log"],
        env=env, cwd=ROOT)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start")


async def _load(call: Callable[[httpx.AsyncClient], Awaitable[httpx.Response]], base: str,
                headers: dict[str, str]) -> tuple[int, float, list[float], int]:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + DURATION

    async def worker() -> None:
        nonlocal errors
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                r = await call(client)
                latencies.append(time.perf_counter() - t0)
                errors += r.status_code != 200

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return len(latencies), time.perf_counter() - t0, latencies, errors


def _wrk(name: str, url: str, headers: dict[str, str]) -> list[str]:
    """wrk (C, from Debian) measures the server rather than a Python load generator."""
    cmd = ["wrk", "-t2", f"-c{CONCURRENCY}", f"-d{DURATION:.0f}s", "--latency"]
    for key, value in headers.items():
        cmd += ["-H", f"{key}: {value}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    total = re.search(r"(\d+) requests in", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)

    def ms(m: re.Match[str] | None) -> str:
        if m is None:
            return "-"
        scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
        return f"{float(m.group(1)) * scale:.1f}"

    return [name, f"{float(rps.group(1)):,.0f}/s" if rps else "-", ms(p50), ms(p99) + " (p99)",
            total.group(1) if total else "-", non2xx.group(1) if non2xx else "0"]


def bench_http(env: dict[str, str]) -> list[list[str]]:
    port = _free_port()
    proc = _start_server(env, port)
    try:
        base = f"http://127.0.0.1:{port}"
        login = httpx.post(f"{base}/api/auth/login", json={
            "email": env.get("DEMO_EMAIL", "owner@northwind.example.com"),
            "password": env.get("DEMO_PASSWORD", "DemoPass123!")}).json()["data"]
        headers = {"Authorization": f"Bearer {login['accessToken']}"}
        rows = []
        for name, query in [("GET /api/crm/customers (20/page)", "limit=20"),
                            ("GET /api/crm/customers?search=smith", "search=smith")]:
            if shutil.which("wrk"):
                rows.append(_wrk(f"{name} wrk c{CONCURRENCY}", f"{base}/api/crm/customers?{query}", headers))
            params = dict(p.split("=") for p in query.split("&"))
            count, secs, lat, errs = asyncio.run(_load(
                lambda c, p=params: c.get("/api/crm/customers", params=p), base, headers))  # type: ignore[misc]
            rows.append(_row(name + f" httpx c{CONCURRENCY}", count, secs, lat, errs))
        return rows
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def bench_inprocess_and_agent() -> list[list[str]]:
    from sqlalchemy import select

    from core.settings import get_settings
    from store.db import unit_of_work
    from store.models import Membership, User
    from tools.context import Principal
    from tools.runtime import execute

    get_settings.cache_clear()
    with unit_of_work() as session:
        user = session.scalar(select(User).where(User.email == get_settings().demo_email))
        assert user is not None
        m = session.scalar(select(Membership).where(Membership.user_id == user.id))
        assert m is not None
        principal = Principal(user.id, m.tenant_id, m.role)  # type: ignore[arg-type]
    execute("list_customers", principal, {"limit": 20})  # the first call imports the tool catalog
    lat: list[float] = []
    stop = time.perf_counter() + DURATION / 2
    t0 = time.perf_counter()
    while time.perf_counter() < stop:
        t1 = time.perf_counter()
        execute("list_customers", principal, {"limit": 20})
        lat.append(time.perf_counter() - t1)
    rows = [_row("list_customers tool, in-process x1 (warm)", len(lat), time.perf_counter() - t0, lat)]
    rows.append(_bench_agent(principal, PROMPTS, "agent turn, offline model, sequential"))
    rows.append(_bench_agent(principal, STORIES, "agent turn, offline model, request in a story"))
    return rows


def _bench_agent(principal: object, prompts: list[str], name: str) -> list[str]:
    try:
        from agent import service
    except ImportError:
        return [name, "-", "-", "-", "0", "agent not installed"]

    async def turns() -> list[float]:
        out = []
        for _ in range(5):
            for prompt in prompts:
                t0 = time.perf_counter()
                await service.run_turn(principal, prompt)  # type: ignore[arg-type]
                out.append(time.perf_counter() - t0)
        return out

    t0 = time.perf_counter()
    lat = asyncio.run(turns())
    return _row(name, len(lat), time.perf_counter() - t0, lat)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = _env(Path(tmp))
        os.environ.update({k: env[k] for k in ("DATABASE_URL", "CHECKPOINT_URL", "SECRET_KEY",
                                               "RATE_LIMIT_ENABLED")})
        from benchmarks.events import bench_events

        rows = bench_http(env) + bench_events(env, _free_port(), _start_server) + bench_inprocess_and_agent()
    from benchmarks.connectors import bench_connectors
    from benchmarks.forecasting import bench_forecasting
    from benchmarks.simulation import bench_simulation

    rows += bench_connectors()
    rows += bench_forecasting()
    rows += bench_simulation()
    header = ["benchmark", "throughput", "p50 ms", "p95 ms", "requests", "errors"]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(f"\nBizPilot benchmarks ({os.cpu_count()} cores, {DURATION:.0f}s per load test)")
    for r in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))
    print(nlu.report())


if __name__ == "__main__":
    main()
