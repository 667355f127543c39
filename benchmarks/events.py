"""Events from write to delivery: `create_customer` over HTTP on the real server (its in-process
job worker running, as `make run` does) to a webhook receiver on 127.0.0.1.

Measures, for EVENT_COUNT customers created by EVENT_CONCURRENCY clients:
- events per second from the first write to the last delivery (each event counted once, as a
  receiver deduplicating by event id counts it);
- delivery latency per event: from the write's response to the event's arrival, p50 and p99,
  under that load (queueing included) and for SINGLE_EVENTS events written one at a time (the
  pipeline's own latency: commit, dispatch job, delivery job, POST).
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import threading
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

EVENT_COUNT = int(os.environ.get("BENCH_EVENTS", "300"))
EVENT_CONCURRENCY = int(os.environ.get("BENCH_EVENT_CONCURRENCY", "8"))
DELIVERY_TIMEOUT = float(os.environ.get("BENCH_DELIVERY_TIMEOUT", "120"))
SINGLE_EVENTS = int(os.environ.get("BENCH_SINGLE_EVENTS", "20"))

StartServer = Callable[[dict[str, str], int], "subprocess.Popen[bytes]"]


class _Arrivals:
    def __init__(self) -> None:
        self.at: dict[str, float] = {}
        self.lock = threading.Lock()

    def serve(self) -> ThreadingHTTPServer:
        arrivals = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                now = time.perf_counter()
                try:
                    customer_id = str(json.loads(body)["data"]["id"])
                except (ValueError, KeyError, TypeError):
                    customer_id = ""
                with arrivals.lock:
                    arrivals.at.setdefault(customer_id, now)  # dedupe: the first arrival counts
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def _writes(base: str, headers: dict[str, str]) -> tuple[dict[str, float], int]:
    """Create EVENT_COUNT customers; returns {customer id: when its write answered}, errors."""
    written: dict[str, float] = {}
    errors = 0
    todo = iter(range(EVENT_COUNT))

    async def client() -> None:
        nonlocal errors
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as http:
            for i in todo:
                r = await http.post("/api/crm/customers", json={"name": f"Bench Customer {i}"})
                if r.status_code == 201:
                    written[r.json()["data"]["customer"]["id"]] = time.perf_counter()
                else:
                    errors += 1

    await asyncio.gather(*(client() for _ in range(EVENT_CONCURRENCY)))
    return written, errors


def _one_at_a_time(base: str, headers: dict[str, str], arrivals: _Arrivals) -> list[float]:
    latencies = []
    with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
        for i in range(SINGLE_EVENTS):
            r = http.post("/api/crm/customers", json={"name": f"Single Customer {i}"})
            written = time.perf_counter()
            customer_id = r.json()["data"]["customer"]["id"]
            deadline = time.time() + 30
            while customer_id not in arrivals.at and time.time() < deadline:
                time.sleep(0.002)
            if customer_id in arrivals.at:
                latencies.append(arrivals.at[customer_id] - written)
    return latencies


def bench_events(env: dict[str, str], port: int, start_server: StartServer) -> list[list[str]]:
    env = {**env, "OUTBOUND_ALLOW_PRIVATE": "true", "RUN_WORKER": "true"}
    arrivals = _Arrivals()
    receiver = arrivals.serve()
    proc = start_server(env, port)
    try:
        base = f"http://127.0.0.1:{port}"
        r = httpx.post(f"{base}/api/auth/register", json={
            "email": f"bench-{uuid.uuid4().hex[:8]}@example.com", "password": "BenchPass123!",
            "name": "Bench Owner", "tenantName": "Bench Events"})
        r.raise_for_status()
        headers = {"Authorization": f"Bearer {r.json()['data']['token']}"}
        hook = httpx.post(f"{base}/api/webhooks", headers=headers, json={
            "url": f"http://127.0.0.1:{receiver.server_address[1]}/in", "events": ["customer.created"]})
        hook.raise_for_status()

        started = time.perf_counter()
        written, errors = asyncio.run(_writes(base, headers))
        writes_done = time.perf_counter()
        deadline = time.time() + DELIVERY_TIMEOUT
        while time.time() < deadline and not set(written) <= set(arrivals.at):
            time.sleep(0.05)
        delivered = {cid: arrivals.at[cid] for cid in written if cid in arrivals.at}
        latencies = [delivered[cid] - written[cid] for cid in delivered]
        span = (max(delivered.values()) - started) if delivered else float("nan")
        missing = len(written) - len(delivered)
        write_lat = writes_done - started

        def ms(value: float) -> str:
            return f"{value * 1000:.1f}"

        single = _one_at_a_time(base, headers, arrivals)

        return [
            [f"create_customer over HTTP c{EVENT_CONCURRENCY}", f"{len(written) / write_lat:,.0f}/s", "-",
             "-", str(len(written)), str(errors)],
            ["event: write -> webhook delivered", f"{len(delivered) / span:,.0f}/s" if delivered else "-",
             ms(statistics.median(latencies)) if latencies else "-",
             (ms(_percentile(latencies, 0.99)) + " (p99)") if latencies else "-",
             str(len(delivered)), f"{missing} undelivered" if missing else "0"],
            ["event: write -> delivered, one at a time", "-",
             ms(statistics.median(single)) if single else "-",
             (ms(_percentile(single, 0.99)) + " (p99)") if single else "-", str(len(single)),
             str(SINGLE_EVENTS - len(single))],
        ]
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        receiver.shutdown()
        receiver.server_close()
