"""The bookkeeping of a sync: cursors, counts, null shares and event payloads, as pure functions
over the JSON columns (always returning new objects, so SQLAlchemy sees the change).

`Connection.cursors[resource]` holds `since` (the incremental mark of the last complete sync),
`page` (the next page to fetch: the resume point) and `pending_since` (the greatest high-water
mark seen by the sync in progress). `SyncRun.counts` holds the totals, `by_resource` (with
`done` once a resource is exhausted in this run), and per entity kind the records seen and the
key fields they lacked (from which `null_share` is computed at the end).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import Connection, SourceRecord, SyncRun
from tools.connectors.ingest import KEY_FIELDS, PageCounts

TOTALS = ("fetched", "created", "updated", "unchanged", "merged", "skipped")


def describe(err: BaseException) -> str:
    """A failure as the run shows it: the app error's safe message, else its kind only."""
    message = getattr(err, "message", None)
    if isinstance(message, str) and message:
        return message[:500]
    return f"unexpected error ({type(err).__name__})"


def _later(a: str | None, b: str | None) -> str | None:
    """The greater of two high-water marks (numbers compared as numbers, else as text)."""
    if not a or not b:
        return a or b
    try:
        return a if float(a) >= float(b) else b
    except ValueError:
        return max(a, b)


def restart(cursors: dict[str, Any] | None) -> dict[str, Any]:
    """A full sync starts every resource from its first page."""
    return {r: {k: v for k, v in (s or {}).items() if k not in ("page", "pending_since")}
            for r, s in (cursors or {}).items()}


def advance(cursors: dict[str, Any] | None, resource: str, next_cursor: str | None,
            high_water: str | None) -> dict[str, Any]:
    out = {r: dict(s or {}) for r, s in (cursors or {}).items()}
    state = out.setdefault(resource, {})
    state["page"] = next_cursor
    pending = _later(state.get("pending_since"), high_water)
    if pending:
        state["pending_since"] = pending
    return out


def promote(cursors: dict[str, Any] | None) -> dict[str, Any]:
    """After a complete sync: pending marks become `since`, page cursors go."""
    out: dict[str, Any] = {}
    for resource, state in (cursors or {}).items():
        new = {k: v for k, v in (state or {}).items() if k not in ("page", "pending_since")}
        if (state or {}).get("pending_since"):
            new["since"] = state["pending_since"]
        out[resource] = new
    return out


def resource_done(counts: dict[str, Any] | None, resource: str) -> bool:
    return bool(((counts or {}).get("by_resource") or {}).get(resource, {}).get("done"))


def _plus(a: dict[str, Any] | None, b: dict[str, int]) -> dict[str, int]:
    out = {k: int(v) for k, v in (a or {}).items()}
    for key, value in b.items():
        out[key] = out.get(key, 0) + int(value)
    return out


def add(counts: dict[str, Any] | None, resource: str, page: PageCounts, *, done: bool) -> dict[str, Any]:
    old = dict(counts or {})
    totals = page.totals()
    out: dict[str, Any] = _plus({k: old.get(k, 0) for k in TOTALS}, totals)
    by_resource = {r: dict(v) for r, v in (old.get("by_resource") or {}).items()}
    mine = _plus({k: v for k, v in by_resource.get(resource, {}).items() if k != "done"},
                 {**totals, "pages": 1})
    by_resource[resource] = {**mine, "done": done}
    out["by_resource"] = by_resource
    out["entities"] = _plus(old.get("entities"), dict(page.entities))
    out["missing"] = _plus(old.get("missing"), dict(page.missing))
    return out


def null_share(counts: dict[str, Any] | None) -> dict[str, float]:
    """Share of this run's records of each kind that lacked each key field."""
    entities = (counts or {}).get("entities") or {}
    missing = (counts or {}).get("missing") or {}
    out: dict[str, float] = {}
    for entity, fields in KEY_FIELDS.items():
        seen = int(entities.get(entity) or 0)
        for name in fields:
            if seen:
                out[f"{entity}.{name}"] = round(int(missing.get(f"{entity}.{name}") or 0) / seen, 4)
    return out


def record_counts(session: Session, connection_id: str) -> dict[str, int]:
    rows = session.execute(select(SourceRecord.entity_type, func.count()).where(
        SourceRecord.connection_id == connection_id).group_by(SourceRecord.entity_type)).tuples()
    return {entity: int(n) for entity, n in rows}


def event_data(conn: Connection, run: SyncRun) -> dict[str, Any]:
    """integration.synced / integration.failed: our fields plus document 004's
    (integration_id, records_synced)."""
    counts = {k: int((run.counts or {}).get(k) or 0) for k in TOTALS}
    return {"connectionId": conn.id, "type": conn.type, "name": conn.name,
            "syncRunId": run.id, "status": run.status, "counts": counts, "error": run.error,
            "integration_id": conn.id, "records_synced": counts["fetched"]}
