"""How owners ask for the connector tools, and how their results are said.

Routing between the close ones: `list_integrations` is what is connected (and what could be);
`get_sync_status` answers "when did X last sync / is it syncing ok"; `list_sync_runs` is the
history of runs; `list_data_sources` is where analytics data comes from. A connection is named
by its type or name ("stripe", "my_api"): the synonyms below turn the usual words into those.
Phrases state only the figures of the output, and never a credential (outputs carry none).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tools import phrasing as p
from tools.connectors.reading import (
    credentials_question,
    missing_credentials,
    read_connection_id,
    read_credentials,
    read_custom_config,
    read_headers,
)
from tools.connectors.schemas import (
    ConnectionOut,
    ConnectionSyncStatus,
    ConnectResult,
    DataSourceList,
    DetectedSchemaOut,
    DisconnectResult,
    IntegrationList,
    SyncRunList,
    SyncRunOut,
    SyncStarted,
    SyncStatusReport,
)
from tools.language import ToolLanguage, declare, read_examples

EXAMPLES = read_examples(Path(__file__).with_name("examples.txt"))

PROVIDERS = {
    "shopify": ("shopify", "shopify store", "my shop", "the store", "online store"),
    "stripe": ("stripe", "stripe account", "payments", "billing"),
    "hubspot": ("hubspot", "hub spot", "hubspot crm", "marketing crm"),
}
RUN_STATUS = {
    "queued": ("queued", "waiting", "pending"),
    "running": ("running", "in progress", "syncing now", "ongoing"),
    "succeeded": ("succeeded", "successful", "completed", "worked", "ok"),
    "failed": ("failed", "failures", "errors", "broken", "unsuccessful", "didn't go through",
               "did not go through", "went wrong", "errored", "fail", "failing"),
}
UNSUPPORTED = {
    "quickbooks": ("quickbooks", "quick books", "qbo"),
    "xero": ("xero",),
    "woocommerce": ("woocommerce", "woo commerce"),
    "square": ("square pos", "squareup"),
    "paypal": ("paypal",),
    "salesforce": ("salesforce",),
    "mailchimp": ("mailchimp",),
    "zoho": ("zoho",),
    "amazon": ("amazon seller central", "amazon seller account"),
    "etsy": ("etsy",),
}
"""Providers people ask for that have no connector: named so that connect_integration is called
and answers which types exist, instead of the request being declined as out of scope."""
FULL = {"true": ("full sync", "full resync", "from scratch", "resync everything", "sync everything",
                  "fully", "everything not just changes", "all of it again", "everything full", "a full one",
                  "everything again", "not only the changes", "not just the changes",
                  "the whole thing again", "absolutely everything", "import everything",
                  "re-import everything", "reimport everything", "not just what's changed",
                  "not just what changed", "full re-import", "full reimport", "full refresh")}
WITH_DISCONNECTED = {"true": ("disconnected", "including disconnected", "removed ones", "unplugged",
                              "ones i unplugged", "ones we unplugged", "we unplugged", "we disconnected")}
CONNECTION_QUESTION = "Which integration (Shopify, Stripe, HubSpot or a connection's name)?"


def _held(counts: Mapping[str, int]) -> str:
    return ", ".join(p.plural(n, kind) for kind, n in sorted(counts.items()) if n) or "no records yet"


def connection_line(c: ConnectionOut) -> str:
    text = f"{c.display_name} ({c.type}): {c.status}"
    text += f", last synced {p.day(c.last_sync_at)}" if c.last_sync_at else ", not synced yet"
    text += f", {_held(c.record_counts)}"
    if c.last_error and c.status in ("error", "connected"):
        text += f"; last error: {c.last_error}"
    return text


def _integrations(out: IntegrationList, args: Mapping[str, Any]) -> str:
    names = ", ".join(k.display_name for k in out.connectors) or "none"
    if not out.total:
        return f"No integrations are connected yet. You can connect: {names}."
    verb = "integration" if out.total == 1 else "integrations"
    head = f"You have {out.total} {verb}."
    return f"{head} {p.listing([connection_line(c) for c in out.connections], out.total, 'newest')}"


def _connected(out: ConnectResult, args: Mapping[str, Any]) -> str:
    if out.status == "confirmation_required" or out.connection is None:
        return p.destructive(out, args)
    return f"{out.message} {connection_line(out.connection)}."


def _disconnected(out: DisconnectResult, args: Mapping[str, Any]) -> str:
    return p.destructive(out, args)


def _counts(run: SyncRunOut) -> str:
    c = run.counts or {}
    parts = [f"{p.count(int(c.get(k) or 0))} {w}" for k, w in
             (("fetched", "fetched"), ("created", "new"), ("updated", "updated"), ("merged", "merged"))
             if c.get(k)]
    return ", ".join(parts) or "no records yet"


def run_line(run: SyncRunOut) -> str:
    when = p.day(run.finished_at or run.started_at)
    text = f"{when}: {run.status} ({run.trigger}), {_counts(run)}"
    return text + (f"; error: {run.error}" if run.error and run.status == "failed" else "")


def _started(out: SyncStarted, args: Mapping[str, Any]) -> str:
    return f"{out.message} It runs in the background; ask for the sync status to follow it."


def status_line(s: ConnectionSyncStatus) -> str:
    c = s.connection
    text = f"{c.display_name}: {c.status}"
    text += (f", last successful sync {p.day(c.last_sync_at)}" if c.last_sync_at
             else ", never synced successfully")
    if s.current_run:
        r = s.current_run
        text += f"; syncing now ({r.resource or 'starting'}, {p.plural(r.pages, 'page')}, {_counts(r)})"
    if s.last_run:
        text += f"; last run {s.last_run.status} on {p.day(s.last_run.finished_at or s.last_run.started_at)}"
        if s.last_run.status == "failed" and s.last_run.error:
            text += f" ({s.last_run.error})"
    return text + ("; stale" if s.stale else "")


def _status(out: SyncStatusReport, args: Mapping[str, Any]) -> str:
    if not out.connections:
        return "No integrations are connected, so nothing syncs."
    lines = [status_line(s) for s in out.connections]
    if len(lines) == 1:
        return lines[0] + "."
    return f"Sync status of your integrations:\n{p.bullets(lines[: p.LIST_LIMIT])}"


def _runs(out: SyncRunList, args: Mapping[str, Any]) -> str:
    total = out.pagination.total
    what = f"{args['status']} " if args.get("status") else ""
    if not total:
        return f"There are no {what}sync runs."
    head = f"There {p.is_are(total)} {p.plural(total, what + 'sync run')}."
    return f"{head} {p.listing([run_line(r) for r in out.sync_runs], total, 'most recent')}"


def _sources(out: DataSourceList, args: Mapping[str, Any]) -> str:
    lines = [f"{s.name} ({s.type}): {s.status}, {_held(s.records)}"
             + (f"; feeds {', '.join(m.replace('_', ' ') for m in s.metrics)}" if s.metrics else "")
             for s in out.sources]
    return f"Your data comes from {p.plural(out.total, 'source')}:\n{p.bullets(lines[: p.LIST_LIMIT])}"


def _schema(out: DetectedSchemaOut, args: Mapping[str, Any]) -> str:
    fields = ", ".join(f"{f.name} ({f.type})" for f in out.detected_fields[:20]) or "no fields"
    where = f" under {out.records_path}" if out.records_path else ""
    spec = f" The API publishes an OpenAPI document: {out.open_api_spec}." if out.open_api_spec else ""
    return (f"The endpoint returned {p.plural(out.record_count, 'record')}{where}; fields: {fields}."
            + spec)


# --- declarations ---------------------------------------------------------------------------------

declare("list_integrations", ToolLanguage(
    examples=EXAMPLES["list_integrations"],
    phrase=p.typed(IntegrationList, _integrations),
    synonyms={"include_disconnected": WITH_DISCONNECTED},
))

declare("connect_integration", ToolLanguage(
    examples=EXAMPLES["connect_integration"],
    phrase=p.typed(ConnectResult, _connected),
    synonyms={"type": {**PROVIDERS, **UNSUPPORTED}},
    questions={"type": "Which integration should I connect (Shopify, Stripe or HubSpot)?",
               "credentials": credentials_question()},
    read=read_credentials,
    needs=missing_credentials,
))

def _url_first(args: Mapping[str, Any]) -> list[str]:
    """The API's address before the connector's name: what it connects to is asked first."""
    return [] if args.get("config") else ["config"]


declare("create_custom_connector", ToolLanguage(
    examples=EXAMPLES["create_custom_connector"],
    phrase=p.typed(ConnectResult, _connected),
    synonyms={"connection_type": {"rest_api": ("rest api", "rest", "http api", "json api")}},
    questions={"name": "What should the connector be called (a short machine name like my_api)?",
               "config": "What is the API's base URL, and how does it authenticate?"},
    read=read_custom_config,
    needs=_url_first,
))

declare("disconnect_integration", ToolLanguage(
    examples=EXAMPLES["disconnect_integration"],
    phrase=p.typed(DisconnectResult, _disconnected),
    synonyms={"connection": PROVIDERS},
    questions={"connection": CONNECTION_QUESTION},
    read=read_connection_id,
))

declare("sync_integration", ToolLanguage(
    examples=EXAMPLES["sync_integration"],
    phrase=p.typed(SyncStarted, _started),
    synonyms={"connection": PROVIDERS, "full": FULL},
    questions={"connection": CONNECTION_QUESTION},
    read=read_connection_id,
))

declare("get_sync_status", ToolLanguage(
    examples=EXAMPLES["get_sync_status"],
    phrase=p.typed(SyncStatusReport, _status),
    synonyms={"connection": PROVIDERS},
    read=read_connection_id,
))

declare("list_sync_runs", ToolLanguage(
    examples=EXAMPLES["list_sync_runs"],
    phrase=p.typed(SyncRunList, _runs),
    synonyms={"status": RUN_STATUS, "connection": PROVIDERS},
    read=read_connection_id,
))

declare("list_data_sources", ToolLanguage(
    examples=EXAMPLES["list_data_sources"],
    phrase=p.typed(DataSourceList, _sources),
    synonyms={"include_disconnected": WITH_DISCONNECTED},
))

declare("detect_api_schema", ToolLanguage(
    examples=EXAMPLES["detect_api_schema"],
    phrase=p.typed(DetectedSchemaOut, _schema),
    synonyms={"method": {"GET": ("get", "read", "fetch"), "POST": ("post", "send")}},
    questions={"url": "Which endpoint URL should I sample (https://...)?"},
    read=read_headers,
))
