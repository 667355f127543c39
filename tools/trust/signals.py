"""The trust signals of one connection, from its sync history, and its health.

Each signal has a value, a threshold it breaches, a score 0-100 and an explanation:

- freshness: hours since the last successful sync. Breached above `settings.sync_stale_hours`
  (S), or when a connection older than S never synced successfully. Score = 100 x the quality
  rule's freshness (100 up to S, falling linearly to 0 at 3·S; 0 when never synced).
- error_rate: failed runs / finished runs in the last 7 days. Breached above 25%. Score =
  100 x (1 - rate). No finished run in the window: no value, no score.
- record_drop: records fetched by the last successful run / the median fetched by the
  previous (up to 10) successful runs of the same kind (full or incremental). Breached below
  0.5 (a sudden drop by more than half). Score = 100 x min(1, ratio). Needs 3 earlier runs and a
  median of at least 10 records, else no value.
- null_spike: for each key field, its null share in the last successful run minus its median
  share in the previous ones; the value is the worst field's rise. Breached above 0.2 (twenty
  points more records missing it). Score = 100 x (1 - min(1, rise / 0.4)): 50 at the threshold.

Health = the weighted mean of the scores that have a value (freshness 0.35, error_rate 0.25,
record_drop 0.2, null_spike 0.2, re-normalised over those present), rounded. Status bands:
healthy >= 70, degraded 40-69, unhealthy < 40.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.settings import get_settings
from store.models import Connection, SyncRun
from tools.lineage.quality import freshness

WEIGHTS = {"freshness": 0.35, "error_rate": 0.25, "record_drop": 0.2, "null_spike": 0.2}
ERROR_RATE_MAX = 0.25
ERROR_WINDOW = timedelta(days=7)
DROP_MIN_RATIO = 0.5
DROP_MIN_BASELINE = 10
DROP_MIN_HISTORY = 3
HISTORY = 10
NULL_RISE_MAX = 0.2
HEALTHY, DEGRADED = 70, 40


@dataclass
class Signal:
    name: str
    value: float | None
    threshold: float
    score: float | None
    breached: bool
    explanation: str
    details: dict[str, Any]


def status_of(health: float | None) -> str:
    """healthy >= 70, degraded 40-69, unhealthy < 40."""
    if health is None:
        return "no_data"
    return "healthy" if health >= HEALTHY else "degraded" if health >= DEGRADED else "unhealthy"


def health_of(signals: list[Signal]) -> float | None:
    scored = [(WEIGHTS[s.name], s.score) for s in signals if s.score is not None]
    weight = sum(w for w, _ in scored)
    return round(sum(w * v for w, v in scored) / weight) if weight else None


def _runs(session: Session, connection_id: str, now: datetime) -> list[SyncRun]:
    """The connection's finished runs, newest first (the window the signals need)."""
    stmt = (select(SyncRun).where(SyncRun.connection_id == connection_id,
                                  SyncRun.status.in_(("succeeded", "failed")),
                                  SyncRun.started_at <= now)
            .order_by(SyncRun.started_at.desc(), SyncRun.id).limit(200))
    return list(session.scalars(stmt))


def freshness_signal(conn: Connection, runs: list[SyncRun], now: datetime) -> Signal:
    stale = get_settings().sync_stale_hours
    last = next((r.finished_at or r.started_at for r in runs if r.status == "succeeded"), None)
    hours = None if last is None else round(max(0.0, (now - last).total_seconds()) / 3600, 1)
    age = (now - conn.created_at).total_seconds() / 3600
    breached = (hours > stale) if hours is not None else age > stale
    text = (f"last successful sync {hours} hours ago (stale after {stale:g})" if hours is not None
            else "never synced successfully")
    return Signal("freshness", hours, stale, round(100 * freshness(hours, stale), 1), breached,
                  text, {"last_success_at": last.isoformat() if last else None})


def error_rate_signal(runs: list[SyncRun], now: datetime) -> Signal:
    window = [r for r in runs if r.started_at >= now - ERROR_WINDOW]
    failed = sum(r.status == "failed" for r in window)
    if not window:
        return Signal("error_rate", None, ERROR_RATE_MAX, None, False,
                      "no finished sync in the last 7 days", {"runs": 0, "failed": 0})
    rate = round(failed / len(window), 4)
    last_error = next((r.error for r in window if r.status == "failed" and r.error), None)
    return Signal("error_rate", rate, ERROR_RATE_MAX, round(100 * (1 - rate), 1),
                  rate > ERROR_RATE_MAX, f"{failed} of {len(window)} syncs failed in the last 7 days",
                  {"runs": len(window), "failed": failed, "last_error": last_error})


def _comparable(runs: list[SyncRun]) -> tuple[SyncRun | None, list[SyncRun]]:
    ok = [r for r in runs if r.status == "succeeded"]
    if not ok:
        return None, []
    last = ok[0]
    return last, [r for r in ok[1:] if bool(r.full) == bool(last.full)][:HISTORY]


def _fetched(run: SyncRun) -> int:
    return int((run.counts or {}).get("fetched") or 0)


def record_drop_signal(runs: list[SyncRun]) -> Signal:
    last, before = _comparable(runs)
    baseline = statistics.median(_fetched(r) for r in before) if before else 0
    if last is None or len(before) < DROP_MIN_HISTORY or baseline < DROP_MIN_BASELINE:
        return Signal("record_drop", None, DROP_MIN_RATIO, None, False,
                      "not enough comparable sync history yet", {"previous_runs": len(before)})
    ratio = round(_fetched(last) / baseline, 4)
    return Signal("record_drop", ratio, DROP_MIN_RATIO, round(100 * min(1.0, ratio), 1),
                  ratio < DROP_MIN_RATIO,
                  f"last sync fetched {_fetched(last)} records against a median of {baseline:g}",
                  {"fetched": _fetched(last), "median": baseline, "previous_runs": len(before),
                   "full": bool(last.full), "sync_run_id": last.id})


def null_spike_signal(runs: list[SyncRun]) -> Signal:
    last, before = _comparable(runs)
    if last is None or len(before) < DROP_MIN_HISTORY or not last.null_share:
        return Signal("null_spike", None, NULL_RISE_MAX, None, False,
                      "not enough comparable sync history yet", {"previous_runs": len(before)})
    rises = {}
    for name, share in last.null_share.items():
        earlier = [float((r.null_share or {}).get(name, 0.0)) for r in before]
        rises[name] = round(float(share) - statistics.median(earlier), 4)
    worst = max(rises, key=lambda k: rises[k])
    rise = max(0.0, rises[worst])
    return Signal("null_spike", rise, NULL_RISE_MAX, round(100 * (1 - min(1.0, rise / 0.4)), 1),
                  rise > NULL_RISE_MAX,
                  f"{worst} missing in {float(last.null_share[worst]):.0%} of the last sync's records, "
                  f"{rise:.0%} more than usual", {"field": worst, "rises": rises,
                                                   "sync_run_id": last.id})


def signals_of(session: Session, conn: Connection, now: datetime) -> list[Signal]:
    runs = _runs(session, conn.id, now)
    return [freshness_signal(conn, runs, now), error_rate_signal(runs, now),
            record_drop_signal(runs), null_spike_signal(runs)]


def live_connections(session: Session) -> list[Connection]:
    """Connections the trust layer watches: every one not disconnected."""
    return list(session.scalars(select(Connection).where(Connection.disconnected_at.is_(None))
                                .order_by(Connection.created_at, Connection.id)))


def find_platform(session: Session, platform: str) -> Connection | None:
    """A live connection by its name, else the first of its type (shopify, stripe...)."""
    key = platform.strip().lower()
    live = live_connections(session)
    return next((c for c in live if c.name.lower() == key), None) or \
        next((c for c in live if c.type.lower() == key), None)
