"""How owners ask for the connector tools, and how their results are said.

Routing between the close ones: `list_integrations` is what is connected (and what could be);
`get_sync_status` answers "when did X last sync / is it syncing ok"; `list_sync_runs` is the
history of runs; `list_data_sources` is where analytics data comes from. A connection is named
by its type or name ("stripe", "my_api"): the synonyms below turn the usual words into those.
Phrases state only the figures of the output, and never a credential (outputs carry none).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tools import phrasing as p
from tools.connectors.reading import (
    credentials_question,
    missing_credentials,
    read_credentials,
    read_custom_config,
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
from tools.language import ToolLanguage, declare

PROVIDERS = {
    "shopify": ("shopify", "shopify store", "my shop", "the store", "online store"),
    "stripe": ("stripe", "stripe account", "payments", "billing"),
    "hubspot": ("hubspot", "hub spot", "hubspot crm", "marketing crm"),
}
RUN_STATUS = {
    "queued": ("queued", "waiting", "pending"),
    "running": ("running", "in progress", "syncing now", "ongoing"),
    "succeeded": ("succeeded", "successful", "completed", "worked", "ok"),
    "failed": ("failed", "failures", "errors", "broken", "unsuccessful"),
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
FULL = {"true": ("full sync", "full resync", "from scratch", "resync everything", "sync everything")}
WITH_DISCONNECTED = {"true": ("disconnected", "including disconnected", "removed ones")}
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
    examples=(
        "which integrations are connected",
        "list my integrations",
        "what apps are connected to bizpilot",
        "show connected data sources and connectors",
        "is shopify connected?",
        "what can I connect",
        "which connectors are available",
        "show my connections",
        "do we have stripe hooked up",
        "integrations",
        "wich integrations do i have",
        "list disconnected integrations too",
        "what integrations do you support",
        "can bizpilot talk to hubspot?",
        "which apps work with this",
        "is there a shopify integration",
        "show connections incl. the ones we removed",
        "what's hooked up to bizpilot right now",
        "show me all the integrations we have set up",
        "which of shopify, stripe and hubspot are connected",
        "are we connected to stripe or not",
        "integrations list pls",
        "what other apps can i plug in",
        "do you guys integrate with shopify?",
        "connected apps",
        "what tools have we linked to this account",
        "is hubspot linked yet?",
        "what credentials does a shopify connection need",
        "which integrations did we disconnect in the past",
        "Which Integrations Are Set Up",
    ),
    phrase=p.typed(IntegrationList, _integrations),
    synonyms={"include_disconnected": WITH_DISCONNECTED},
))

declare("connect_integration", ToolLanguage(
    examples=(
        "connect shopify",
        "connect my stripe account",
        "hook up hubspot with this api key",
        "add the shopify integration for mystore.myshopify.com",
        "link our stripe",
        "set up a hubspot connection",
        "integrate my online store",
        "reconnect stripe with a new key",
        "plug in shopify please",
        "connect an integration",
        "i want to conect hubspot",
        "hook up woocommerce",
        "add my square pos",
        "connect mailchimp please",
        "link salesforce to bizpilot",
        "integrate paypal",
        "can you connect our accounting software",
        "connect shopify - our shop is bloom-goods.myshopify.com and the admin token is shpat_3f9a21c0b7",
        "here's our stripe secret key sk_live_51Habc123, please connect it",
        "hubspot private app token pat-na1-7d2e44aa, hook it up",
        "i want our shopify store bloomandco.myshopify.com linked to bizpilot",
        "CONNECT HUBSPOT",
        "our stripe key changed, reconnect it with rk_live_9XyZ77",
        "link the online shop acme-outdoors.myshopify.com, access token shpat_c81d0e",
        "connect quickbooks online",
        "can we hook up xero for the accounting",
        "hook up our etsy shop",
        "pls conect my shopfy store",
        "i'd like to add a new integration",
        "integrate hubspot crm using token pat-eu1-19fa0c",
    ),
    phrase=p.typed(ConnectResult, _connected),
    synonyms={"type": {**PROVIDERS, **UNSUPPORTED}},
    questions={"type": "Which integration should I connect (Shopify, Stripe or HubSpot)?",
               "credentials": credentials_question()},
    read=read_credentials,
    needs=missing_credentials,
))

declare("create_custom_connector", ToolLanguage(
    examples=(
        "create a connector for our own api",
        "add a rest api connector",
        "connect my own api at https://api.example.com/v1",
        "set up a data source from a rest endpoint",
        "build a connector for our internal orders api",
        "new api connector with bearer token auth",
        "map our api's order_total field to revenue",
        "add a rest api integration",
        "plug our json api into bizpilot as a source",
        "hook our erp api into bizpilot",
        "set up a custom connector",
        "custom integration for our in-house system",
        "create a custom connector called erp_orders for https://erp.acme.io/api with bearer token abc123",
        "our booking system has a rest api, set up a connector so bizpilot pulls from it",
        "add custom rest connector my_api, base url https://api.mybakery.com, api key auth",
        "connect an api that isn't in your list of integrations",
        "we use an in-house inventory system with a json api, build a connector for it",
        "new custom connector, basic auth user admin pass hunter2, url https://pos.example.com/v2",
        "custom connector where total maps to order total and email to customer email",
        "build a rest connector with no auth for https://data.example.org/feed",
        "custom api integration pls",
        "set up a connector for our warehouse api at https://wms.example.net, header X-API-Key k_8812",
        "i'd like to plug in our own backend as a connector so its orders show up here",
        "make a custom conector for our pos system",
        "can i connect an api you don't support out of the box",
        "register our REST endpoint https://shop.internal.io/api/orders as a connector named shop_api",
        "create connector for https://api.ourcrm.com/v1 with api_key auth, map amount to revenue",
        "hook up a generic rest api as a new connector",
        "Add A Custom REST Connector For Our Booking Platform",
    ),
    phrase=p.typed(ConnectResult, _connected),
    synonyms={"connection_type": {"rest_api": ("rest api", "rest", "http api", "json api")}},
    questions={"name": "What should the connector be called (a short machine name like my_api)?",
               "config": "What is the API's base URL, and how does it authenticate?"},
    read=read_custom_config,
))

declare("disconnect_integration", ToolLanguage(
    examples=(
        "we don't use hubspot any more, unplug it",
        "cut the link to shopify, we closed that store",
        "disconnect stripe",
        "remove the shopify integration",
        "unlink hubspot",
        "turn off the stripe connection",
        "revoke bizpilot's access to my store",
        "stop syncing hubspot and forget the key",
        "disconnect that integration",
        "delete the stripe credentials",
        "disconect shopify",
        "we cancelled hubspot, disconnect it",
        "cut the hubspot link",
        "unhook shopify from bizpilot",
        "we no longer use stripe, drop the connection",
        "unplug the store integration",
        "disconnect hubspot please",
        "remove stripe from bizpilot",
        "we switched off shopify, unlink it here too",
        "delete my shopify connection and wipe the token",
        "can you disconnect the custom api my_api",
        "stop bizpilot from accessing our stripe account",
        "revoke the hubspot token you have stored",
        "DISCONNECT THE STRIPE ACCOUNT PLEASE",
        "unlnk hubspot pls",
        "we closed the shopify store, remove the integration",
        "take shopify off, we don't need it connected anymore",
        "i want to remove an integration",
        "disconnect the erp_orders connector",
        "get rid of the stripe integration but keep the data it synced",
        "detach hubspot from this workspace",
    ),
    phrase=p.typed(DisconnectResult, _disconnected),
    synonyms={"connection": PROVIDERS},
    questions={"connection": CONNECTION_QUESTION},
))

declare("sync_integration", ToolLanguage(
    examples=(
        "sync shopify now",
        "refresh the stripe data",
        "pull the latest from hubspot",
        "run a sync",
        "resync everything from shopify",
        "update my store data now",
        "import new orders from shopify",
        "sync stripe",
        "fetch fresh data from the integrations",
        "kick off a full sync of hubspot",
        "synk shopify",
        "refresh hubspot",
        "grab the newest orders from the store",
        "re-import everything from stripe from scratch",
        "do a full resync of shopify",
        "kick off a sync please",
        "sync hubspot asap",
        "can you pull in today's shopify orders now",
        "force a full resync of hubspot, the contacts look off",
        "the new orders aren't here yet, sync the store",
        "trigger a manual sync for stripe",
        "run the shopify import again",
        "bring the hubspot contacts up to date now",
        "start syncing my_api",
        "please sync again, I just added products in shopify",
        "SYNC STRIPE NOW",
        "re-pull everything from hubspot",
        "fetch the latest invoices from stripe",
        "sinc shopify plz",
    ),
    phrase=p.typed(SyncStarted, _started),
    synonyms={"connection": PROVIDERS, "full": FULL},
    questions={"connection": CONNECTION_QUESTION},
))

declare("get_sync_status", ToolLanguage(
    examples=(
        "when did stripe last sync",
        "is hubspot syncing ok",
        "sync status",
        "is the shopify sync done",
        "how fresh is my store data",
        "did the last sync work",
        "is any integration stale",
        "how far along is the sync",
        "last sync time for shopify",
        "are my integrations healthy",
        "wen did shopify sync",
        "is everything synced up",
        "are the integrations current",
        "is the hubspot sync hung",
        "is shopify stuck syncing",
        "how up to date is stripe",
        "last sync for every integration",
        "hubspot sync state?",
        "hi, could you see if the stripe connection is still bringing payments in ok?",
        "no new shopify orders since friday, did the sync break?",
        "when was hubspot last updated",
        "progress of the stripe sync, is it still going?",
        "how's the sync going",
        "has stripe synced today",
        "is my data up to date with shopify",
        "any integration that hasn't synced in a while?",
        "whats the sync status on my_api",
        "did the shopify import finish yet",
        "last time stripe pulled data?",
        "sync stauts pls",
    ),
    phrase=p.typed(SyncStatusReport, _status),
    synonyms={"connection": PROVIDERS},
))

declare("list_sync_runs", ToolLanguage(
    examples=(
        "show the sync history",
        "which syncs failed",
        "list sync runs",
        "past syncs of stripe",
        "show failed syncs",
        "how many records did the last syncs import",
        "sync log",
        "recent sync runs for hubspot",
        "what did each sync do",
        "history of shopify imports",
        "stripe sync log",
        "show the sync runs for shopify",
        "is a sync in progress right now",
        "syncs currently running",
        "past sync results for hubspot",
        "did any stripe sync fail this week",
        "show all the syncs from last week",
        "which hubspot syncs errored out",
        "sync run history for my_api",
        "how many syncs ran today",
        "every sync of shopify with its record counts",
        "what happened in the last 5 stripe syncs",
        "list the scheduled syncs that ran overnight",
        "past imports and how many customers each one created",
        "show me sync runs that are still queued",
        "sync hist",
        "show the errors from the failed syncs",
        "list successful shopify syncs",
        "page 2 of the sync history",
        "all sync attempts for hubspot this month",
    ),
    phrase=p.typed(SyncRunList, _runs),
    synonyms={"status": RUN_STATUS, "connection": PROVIDERS},
))

declare("list_data_sources", ToolLanguage(
    examples=(
        "list data sources",
        "which data sources can the forecasts use",
        "which sources feed the revenue forecast",
        "what data sources can predictions use",
        "show data sources for analytics",
        "what feeds my revenue numbers",
        "data sources",
        "which systems does bizpilot pull data from",
        "show me the sources behind the dashboards",
        "what data do you have access to",
        "which sources can the predictions draw on, disconnected ones too",
        "what can forecasts be built from",
        "what data can you use for forecasting",
        "which sources could feed an mrr number",
        "where can the analytics get revenue from",
        "data sources for predictions, including removed integrations",
        "which of my sources can power a churn analysis",
        "what data is available for analysis",
        "list the sources available to analytics and the metrics each supports",
        "which data sources does the sales forecast have",
        "what metrics can my connected data feed",
        "show available data sources",
        "which sources have subscription data for mrr",
        "data sorces for analytics",
        "what can bizpilot analyse, source by source",
        "is the built-in crm data one of the analytics sources",
        "what inputs do the forecasts run on",
        "sources I can base predictions on",
        "analytics data sources incl disconnected",
    ),
    phrase=p.typed(DataSourceList, _sources),
    synonyms={"include_disconnected": WITH_DISCONNECTED},
))

declare("detect_api_schema", ToolLanguage(
    examples=(
        "detect the schema of https://api.example.com/v1/orders",
        "what fields does this api return",
        "inspect this endpoint",
        "sample our api and list its fields",
        "detect api schema",
        "figure out the data structure of my api",
        "which fields can I map from https://erp.example.com/api/sales",
        "scan the rest endpoint for fields",
        "auto detect fields from the api",
        "analyze the json the api sends back",
        "what does https://api.mybakery.com/orders return",
        "test this endpoint https://erp.example.com/api/v2/invoices and show the fields",
        "sample https://pos.example.io/sales with header Authorization: Bearer tok_123",
        "peek at the json from our api before we connect it",
        "list the fields in https://data.example.org/customers.json",
        "POST to https://api.example.com/search and tell me the fields in the response",
        "which fields does our warehouse api expose",
        "preview the records our endpoint returns",
        "detect fields https://shop.internal.io/api/orders",
        "what's the data structure of the response from this url",
        "does our api publish an openapi spec",
        "schema detection for our rest api",
        "read one response from https://crm.acme.io/v1/contacts and describe it",
        "wat fields come back from this api",
        "before i set up the connector, show me what fields the api has",
        "what types are the fields of https://api.example.com/v1/payments",
        "where are the records in the api response, under data or items?",
        "inspect the payload of our booking api",
        "field types for our orders endpoint",
    ),
    phrase=p.typed(DetectedSchemaOut, _schema),
    synonyms={"method": {"GET": ("get", "read", "fetch"), "POST": ("post", "send")}},
    questions={"url": "Which endpoint URL should I sample (https://...)?"},
))
