"""Connector fetch throughput: the Shopify connector paging through 50,000 orders of a local fake
(`python -m benchmarks.connectors`, or `bench_connectors()` for `make bench`'s table).

Measured with the fake in its own process, so the figures are the connector's alone:
- records per second and pages per second over every page of orders (outbound vetting, HTTP on
  loopback, JSON parsing and normalisation to our fields included; the sync engine's database
  writes are not: that is the full-sync bench's job);
- peak traced memory (tracemalloc) of a second, traced pass: the connector must hold one page at a
  time, so this stays flat however many orders the shop has;
- and the full sync (`bench_shopify_sync`): the same shop synced by the sync engine into a fresh
  SQLite database, page by page, records per second and the process's peak resident memory.
"""

from __future__ import annotations

import multiprocessing
import os
import socket
import sys
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from core.env import settings_env

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "shpat_bench_0123456789abcdef"
ENV = {"OUTBOUND_ALLOW_PRIVATE": "true", "CONNECTOR_PAGE_SIZE": "250"}


def _tests_on_path() -> None:
    """The provider fakes live with the tests (tests/fakes/providers)."""
    tests = str(ROOT / "tests")
    if tests not in sys.path:
        sys.path.insert(0, tests)


def _serve(port: int, orders: int) -> None:
    _tests_on_path()
    from fakes.local_server import LocalServer
    from fakes.providers.shopify import ShopifyFake

    fake = ShopifyFake(key=TOKEN, orders=orders, customers=2_000, products=200)
    LocalServer(fake.app, port).start()
    while True:
        time.sleep(3600)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def shopify_fake_process(orders: int) -> Iterator[str]:
    """The Shopify fake in a child process: yields its base URL."""
    port = _free_port()
    proc = multiprocessing.get_context("spawn").Process(target=_serve, args=(port, orders), daemon=True)
    proc.start()
    try:
        deadline = time.time() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.time() > deadline or not proc.is_alive():
                    raise RuntimeError("the Shopify fake did not start") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.join(timeout=10)


def _page_through(resource: str = "orders") -> tuple[int, int]:
    from tools.connectors.base import build

    connector = build("shopify", {"shopDomain": "bench.myshopify.com", "apiKey": TOKEN}, {})
    cursor: str | None = None
    records = pages = 0
    while True:
        page = connector.fetch(resource, cursor, None)
        records += len(page.items)
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            return records, pages


def bench_shopify_fetch(orders: int = 50_000) -> dict[str, Any]:
    """Page through `orders` orders with the Shopify connector: throughput and peak memory."""
    with shopify_fake_process(orders) as base, settings_env(**{**ENV, "SHOPIFY_API_BASE": base}):
        started = time.perf_counter()
        records, pages = _page_through()
        seconds = time.perf_counter() - started
        tracemalloc.start()
        try:
            _page_through()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    return {"orders": orders, "records": records, "pages": pages, "seconds": round(seconds, 3),
            "records_per_second": round(records / seconds, 1) if seconds else None,
            "pages_per_second": round(pages / seconds, 2) if seconds else None,
            "peak_traced_mib": round(peak / 2**20, 2)}


def _rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class _PeakRss:
    """The process's resident memory sampled every 50 ms while a block runs: its peak."""

    def __init__(self) -> None:
        import threading

        self.peak = self.start = _rss_mib()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, _rss_mib())

    def __enter__(self) -> _PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_mib())


def _sync_once(tmp: str) -> tuple[str, str]:
    """A migrated database with one tenant and a Shopify connection: (tenant, queued run)."""
    from store.db import unit_of_work
    from store.migrate import upgrade
    from store.models import Connection, User
    from store.repositories import tenancy
    from tools.connectors import sync, vault

    upgrade(os.environ["DATABASE_URL"])
    with unit_of_work() as session:
        owner = User(email="bench@example.com", password_hash="-", first_name="B", last_name="")
        session.add(owner)
        session.flush()
        tenant_id = tenancy.create_tenant(session, "Bench", owner).id
    with unit_of_work(tenant_id) as session:
        conn = Connection(tenant_id=tenant_id, type="shopify", name="shopify", display_name="Shopify",
                          config={"shopDomain": "bench.myshopify.com"},
                          credentials_encrypted=vault.seal({"shopDomain": "bench.myshopify.com",
                                                            "apiKey": TOKEN}))
        session.add(conn)
        session.flush()
        run, _ = sync.start(sync.system_ctx(session, tenant_id), conn, "manual", full=True)
        return tenant_id, run.id


def bench_shopify_sync(orders: int = 50_000) -> dict[str, Any]:
    """A full sync of the fake shop (its customers, products and `orders` orders) through the
    sync engine into a fresh SQLite database: records per second and peak resident memory."""
    import tempfile

    from tools.connectors.sync import run_sync

    with tempfile.TemporaryDirectory() as tmp, shopify_fake_process(orders) as base, settings_env(**{
            **ENV, "SHOPIFY_API_BASE": base, "DATABASE_URL": f"sqlite:///{tmp}/sync.db",
            "JOBS_DB": f"{tmp}/jobs.db", "SECRET_KEY": "bench-secret-key-0123456789-0123456789"}):
        _tenant, run_id = _sync_once(tmp)
        started = time.perf_counter()
        with _PeakRss() as rss:
            run_sync(run_id)
        seconds = time.perf_counter() - started
        from store.db import unit_of_work
        from store.models import SyncRun

        with unit_of_work() as session:
            run = session.get(SyncRun, run_id)
            assert run is not None
            status, fetched, pages = run.status, int(run.counts.get("fetched", 0)), run.pages
    return {"status": status, "records": fetched, "pages": pages, "seconds": round(seconds, 2),
            "records_per_second": round(fetched / seconds, 1) if seconds else None,
            "rss_start_mib": round(rss.start, 1), "rss_peak_mib": round(rss.peak, 1)}


def bench_connectors() -> list[list[str]]:
    """Rows for `benchmarks/run.py`'s table: name, throughput, p50 ms, p95 ms, requests, errors."""
    result = bench_shopify_fetch(int(os.environ.get("BENCH_SHOPIFY_ORDERS", "50000")))
    ms_per_page = 1000 / result["pages_per_second"] if result["pages_per_second"] else float("nan")
    errors = "0" if result["records"] == result["orders"] else f"{result['records']} of {result['orders']}"
    rows = [[f"Shopify fetch {result['orders']:,} orders (peak {result['peak_traced_mib']} MiB)",
             f"{result['records_per_second']:,.0f} rec/s", f"{ms_per_page:.1f} /page", "-",
             str(result["pages"]), errors]]
    synced = bench_shopify_sync(result["orders"])
    grew = synced["rss_peak_mib"] - synced["rss_start_mib"]
    rows.append([f"Shopify full sync {synced['records']:,} records to SQLite (RSS +{grew:.0f} MiB, "
                 f"peak {synced['rss_peak_mib']:.0f} MiB)", f"{synced['records_per_second']:,.0f} rec/s",
                 "-", "-", str(synced["pages"]),
                 "0" if synced["status"] == "succeeded" else synced["status"]])
    return rows


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    print(bench_shopify_fetch(count))
    print(bench_shopify_sync(count))
