"""Connector capabilities: which integrations exist, connecting one (credentials checked with the
provider first, stored sealed), a custom REST connector, and disconnecting.

Connecting acts on an outside account with secrets, so it previews first like a destructive
tool (`confirm=True`): the assistant and MCP clients show what will happen and need the
confirmation token; REST's POST is itself the explicit act. Sync, status, runs, data sources and
schema detection are in `tools.connectors.status_tools` (imported below to register them).
"""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr
from sqlalchemy import select

from store.models import SyncRun
from tools.connectors import base, vault
from tools.connectors import service as svc
from tools.connectors import sync as engine
from tools.connectors.schemas import (
    ConnectIntegrationInput,
    ConnectResult,
    CreateCustomConnectorInput,
    DisconnectInput,
    DisconnectResult,
    IntegrationList,
    ListIntegrationsInput,
)
from tools.context import ToolContext
from tools.registry import tool

CUSTOM_TYPE = "custom_rest"


def plain(values: dict[str, SecretStr]) -> dict[str, str]:
    return {k: v.get_secret_value() for k, v in values.items()}


@tool(
    name="list_integrations",
    toolset="connectors",
    description="""List the integrations: every connector type that can be connected (Shopify,
Stripe, HubSpot, custom REST APIs...) with the credential fields it needs, and the workspace's
connections with their status (connected, syncing, error), last sync time and outcome, records
held by kind, last error and a credentials hint (never the credentials). Answers "which
integrations are connected?". Disconnected ones are listed only with include_disconnected.""",
)
def list_integrations(ctx: ToolContext, args: ListIntegrationsInput) -> IntegrationList:
    kinds = [svc.type_out(k) for k in sorted(base.connector_types().values(), key=lambda k: k.type)]
    rows = svc.connections(ctx.session, include_disconnected=args.include_disconnected)
    return IntegrationList(connectors=kinds, connections=[svc.to_out(c) for c in rows], total=len(rows))


def _preview_connect(ctx: ToolContext, args: ConnectIntegrationInput) -> dict[str, Any]:
    kind = svc.kind_of(args.type)
    creds = svc.split_credentials(kind, plain(args.credentials))
    key = vault.hint(creds, svc.secret_names(kind))
    return {
        "message": f"This will connect {kind.display_name}" + (f" with the key ending {key}" if key
                                                                 else "")
        + f": the credentials are checked with {kind.display_name} first, stored encrypted, and a "
        f"first sync of {', '.join(kind.resources)} starts at once.",
        "type": kind.type, "resources": list(kind.resources), "credentials_hint": key,
    }


@tool(
    name="connect_integration",
    toolset="connectors",
    kind="write",
    min_role="admin",
    confirm=True,
    preview=_preview_connect,
    description="""Connect an integration (type: shopify, stripe, hubspot... as list_integrations
lists) with its credentials, e.g. {"apiKey": "...", "shopDomain": "mystore.myshopify.com"}. The
provider is asked to accept them first: a refusal fails with CONNECTOR_AUTH_FAILED and stores
nothing. Then the credentials are stored encrypted and the first sync starts. Connecting the same
account again replaces its credentials. The first call previews and returns a confirmation_token;
call again with it to connect.""",
)
def connect_integration(ctx: ToolContext, args: ConnectIntegrationInput) -> ConnectResult:
    kind = svc.kind_of(args.type)
    creds = svc.split_credentials(kind, plain(args.credentials))
    account = svc.check(kind, creds, args.config)
    conn = svc.store(ctx, kind, creds, svc.public_config(kind, creds, args.config), account,
                     name=args.name, display_name=args.display_name)
    run, _ = engine.start(ctx, conn, "connect")
    return ConnectResult(status="done", connection=svc.to_out(conn), sync_run=engine.run_out(run),
                         message=f"Connected {conn.display_name} ({kind.display_name}); the first "
                                 "sync is queued.")


def _custom_parts(args: CreateCustomConnectorInput) -> tuple[dict[str, str], dict[str, Any]]:
    """authConfig goes to the sealed credentials, never into config."""
    cfg = args.config
    config = {**cfg.options, "baseUrl": cfg.base_url, "authType": cfg.auth_type,
              "fieldMappings": [m.camel() for m in args.field_mappings],
              "connectionType": args.connection_type}
    return {k: v for k, v in plain(cfg.auth_config).items() if v.strip()}, config


def _preview_custom(ctx: ToolContext, args: CreateCustomConnectorInput) -> dict[str, Any]:
    svc.kind_of(CUSTOM_TYPE)
    return {
        "message": f"This will add the custom connector {args.display_name or args.name} for "
        f"{args.config.base_url} ({args.config.auth_type} auth, "
        f"{len(args.field_mappings)} field mappings): the API is called first to check access, the "
        "auth settings are stored encrypted, and a first sync starts.",
        "base_url": args.config.base_url, "field_mappings": len(args.field_mappings),
    }


@tool(
    name="create_custom_connector",
    toolset="connectors",
    kind="write",
    min_role="admin",
    confirm=True,
    preview=_preview_custom,
    description="""Add a custom connector for any REST API: name, display_name, config {base_url,
auth_type (none, bearer_token, api_key, basic), auth_config (the secrets, stored encrypted)} and
field_mappings [{source_field, target_field, data_type}]. The API is called first; a refusal
fails with CONNECTOR_AUTH_FAILED and stores nothing. The first call previews and returns a
confirmation_token; call again with it to create.""",
)
def create_custom_connector(ctx: ToolContext, args: CreateCustomConnectorInput) -> ConnectResult:
    kind = svc.kind_of(CUSTOM_TYPE)
    creds, config = _custom_parts(args)
    account = svc.check(kind, creds, config)
    conn = svc.store(ctx, kind, creds, config, account, name=args.name,
                     display_name=args.display_name or args.name)
    run, _ = engine.start(ctx, conn, "connect")
    return ConnectResult(status="done", connection=svc.to_out(conn), sync_run=engine.run_out(run),
                         message=f"Added the custom connector {conn.display_name}; the first sync "
                                 "is queued.")


def _preview_disconnect(ctx: ToolContext, args: DisconnectInput) -> dict[str, Any]:
    conn = svc.resolve(ctx.session, args.connection)
    held = sum((conn.record_counts or {}).values())
    return {
        "message": f"This will disconnect {conn.display_name} ({conn.type}): its stored "
        f"credentials are wiped and it stops syncing. The {held} records already synced and "
        "their lineage are kept; reconnect any time to sync again.",
        "connection": svc.to_out(conn).snake(), "records_kept": held,
    }


@tool(
    name="disconnect_integration",
    toolset="connectors",
    kind="destructive",
    min_role="admin",
    preview=_preview_disconnect,
    description="""Disconnect an integration (by id, type or name): wipes its stored credentials
and stops syncing; the records it synced and their lineage are kept. The first call previews
and returns a confirmation_token; call again with it to disconnect.""",
)
def disconnect_integration(ctx: ToolContext, args: DisconnectInput) -> DisconnectResult:
    conn = svc.resolve(ctx.session, args.connection)
    for run in ctx.session.scalars(select(SyncRun).where(
            SyncRun.connection_id == conn.id, SyncRun.status.in_(engine.ACTIVE))):
        run.status, run.error, run.finished_at = "failed", "the integration was disconnected", ctx.now
    conn.credentials_encrypted = conn.credentials_hint = None
    conn.status, conn.disconnected_at, conn.updated_at = "disconnected", ctx.now, ctx.now
    ctx.session.flush()
    return DisconnectResult(status="done", connection=svc.to_out(conn),
                            message=f"Disconnected {conn.display_name}; its credentials are wiped "
                                    "and its synced records are kept.")


from tools.connectors import status_tools  # noqa: E402,F401  (registers the sync and source tools)
