"""Connectors over REST, thin routes over the connector tools.

- Document 000 (envelope, camelCase): `GET /api/connectors`, `POST /api/connectors/{type}/connect`
  (201; refused credentials are 400 CONNECTOR_AUTH_FAILED), `POST /api/connectors/{id}/sync`
  (202), plus `GET /api/connectors/{id}`, `GET /api/connectors/{id}/syncs` and
  `DELETE /api/connectors/{id}` (204: the DELETE is the explicit act, as for customers);
  predictive analytics' data sources, custom connectors (201) and schema detection.
- Document 004 (raw, snake_case): `GET|POST /api/v1/workspaces/{workspaceId}/integrations`
  (201), `DELETE /api/v1/integrations/{id}` (204, as 004's deals) and
  `POST /api/v1/integrations/{id}/sync` (202).

`{id}` also accepts a connection's type or name ("stripe"). Creates honour Idempotency-Key with
the credentials hashed in the fingerprint; no response ever carries a credential.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api.connectors.schemas import (
    ConnectBody,
    Connected,
    ConnectedV1,
    IntegrationBody,
    IntegrationsV1,
    SyncQueued,
    SyncRunPage,
    connected,
    fingerprint,
    queued,
)
from api.deps import CurrentAuth, CurrentPrincipal, WorkspacePrincipal, principal_for_row
from api.family import EnvelopeRoute, Page, RawRoute, respond
from api.idempotency import IdempotencyKey, once
from api.openapi_models import Envelope, ListEnvelope, doc, snake
from api.ratelimit import api_limit
from store.models import Connection
from tools.connectors import status_tools as status
from tools.connectors import tools as connectors
from tools.connectors.schemas import (
    ConnectionSyncStatus,
    CreateCustomConnectorInput,
    DataSourceList,
    DetectedSchemaOut,
    DetectSchemaInput,
    IntegrationList,
)
from tools.context import Principal
from tools.runtime import invoke

limited = [Depends(api_limit)]
router = APIRouter(tags=["connectors"], dependencies=limited, route_class=EnvelopeRoute)
router_v1 = APIRouter(prefix="/api/v1", tags=["integrations"], dependencies=limited,
                      route_class=RawRoute)
INCLUDE = Query(False, alias="includeDisconnected", description="Also list disconnected ones.")
SOURCES = "/api/modules/predictive-analytics/data-sources"


def _connect_args(kind: str, body: ConnectBody) -> dict[str, Any]:
    return {"type": kind, "credentials": body.credentials, "name": body.name,
            "display_name": body.display_name, "config": body.config}


async def _sync(principal: Principal, ref: str) -> SyncQueued:
    return queued(await invoke(status.sync_integration, principal, {"connection": ref}))


# --- document 000 ----------------------------------------------------------------------------------


@router.get("/api/connectors", responses=doc(200, Envelope[IntegrationList]))
async def list_connectors(principal: CurrentPrincipal, include: bool = INCLUDE) -> IntegrationList:
    """Connector types that can be connected, and the workspace's connections (no credentials)."""
    return await invoke(connectors.list_integrations, principal, {"include_disconnected": include})


@router.post("/api/connectors/{type}/connect", status_code=201,
             responses=doc(201, Envelope[Connected], "Connected; the first sync is queued"))
async def connect(request: Request, principal: CurrentPrincipal, type: str, body: ConnectBody,
                  key: IdempotencyKey = None) -> Response:
    """Check the credentials with the provider (refused: 400 CONNECTOR_AUTH_FAILED, nothing
    stored), store them encrypted and queue the first sync."""
    async def create() -> Response:
        out = await invoke(connectors.connect_integration, principal, _connect_args(type, body),
                           confirmed=True)
        return respond(request, connected(out), 201)

    return await once(request, principal, key, {"type": type, **fingerprint(body)}, create)


@router.get("/api/connectors/{connection_id}", responses=doc(200, Envelope[ConnectionSyncStatus]))
async def get_connector(principal: CurrentPrincipal, connection_id: str) -> ConnectionSyncStatus:
    """One connection (by id, type or name) with its run in progress and its last run."""
    return await invoke(status.get_integration, principal, {"connection": connection_id})


@router.post("/api/connectors/{connection_id}/sync", status_code=202,
             responses=doc(202, Envelope[SyncQueued], "Queued (or the run already queued)"))
async def sync_connector(principal: CurrentPrincipal, connection_id: str) -> SyncQueued:
    """Queue a sync; a sync already queued or running is returned instead of a second one."""
    return await _sync(principal, connection_id)


@router.get("/api/connectors/{connection_id}/syncs", responses=doc(200, ListEnvelope[SyncRunPage]))
async def list_syncs(principal: CurrentPrincipal, connection_id: str,
                     page: Annotated[int, Query(ge=1, le=100000)] = 1,
                     limit: Annotated[int, Query(ge=1, le=100)] = 20) -> Page:
    """This connection's sync runs, newest first."""
    out = await invoke(status.list_sync_runs, principal,
                       {"connection": connection_id, "page": page, "limit": limit})
    return Page(out.camel(), page, limit, out.pagination.total)


@router.delete("/api/connectors/{connection_id}", status_code=204)
async def disconnect(principal: CurrentPrincipal, connection_id: str) -> None:
    """Disconnect: credentials wiped, syncing stops, synced records and lineage kept."""
    await invoke(connectors.disconnect_integration, principal, {"connection": connection_id},
                 confirmed=True)


@router.get(SOURCES, responses=doc(200, Envelope[DataSourceList]))
async def data_sources(principal: CurrentPrincipal, include: bool = INCLUDE) -> DataSourceList:
    """Every source predictions can use (connections and the built-in CRM data) and its metrics."""
    return await invoke(status.list_data_sources, principal, {"include_disconnected": include})


@router.post(f"{SOURCES}/custom-connectors", status_code=201,
             responses=doc(201, Envelope[Connected], "Created; the first sync is queued"))
async def custom_connector(request: Request, principal: CurrentPrincipal,
                           body: CreateCustomConnectorInput, key: IdempotencyKey = None) -> Response:
    """A connector for any REST API; `config.authConfig` is stored encrypted, never returned."""
    async def create() -> Response:
        out = await invoke(connectors.create_custom_connector, principal, body, confirmed=True)
        return respond(request, connected(out), 201)

    return await once(request, principal, key, fingerprint(body), create)


@router.post(f"{SOURCES}/detect-schema", responses=doc(200, Envelope[DetectedSchemaOut]))
async def detect_schema(principal: CurrentPrincipal, body: DetectSchemaInput) -> DetectedSchemaOut:
    """Sample an endpoint: its fields with types and paths, a sample, its OpenAPI document."""
    return await invoke(status.detect_api_schema, principal, body)


# --- document 004 ----------------------------------------------------------------------------------


async def _acting(request: Request, auth: CurrentAuth, integration_id: str) -> Principal:
    """Act in whichever of the caller's workspaces holds the integration."""
    explicit = bool(request.headers.get("x-tenant-id", "").strip())
    return await principal_for_row(request, auth, Connection, integration_id, explicit)


ActingPrincipal = Annotated[Principal, Depends(_acting)]


@router_v1.get("/workspaces/{workspaceId}/integrations", responses=doc(200, snake(IntegrationsV1)))
async def list_integrations_v1(principal: WorkspacePrincipal, include: bool = INCLUDE) -> IntegrationsV1:
    """{integrations, items (the same), total, connectors (the types available)}."""
    out = await invoke(connectors.list_integrations, principal, {"include_disconnected": include})
    return IntegrationsV1(integrations=out.connections, items=out.connections, total=out.total,
                          connectors=out.connectors)


@router_v1.post("/workspaces/{workspaceId}/integrations", status_code=201,
                responses=doc(201, snake(ConnectedV1), "Connected; the first sync is queued"))
async def connect_v1(request: Request, principal: WorkspacePrincipal, body: IntegrationBody,
                     key: IdempotencyKey = None) -> Response:
    """Connect an integration: the integration object, with its first sync run."""
    async def create() -> Response:
        out = connected(await invoke(connectors.connect_integration, principal,
                                     _connect_args(body.kind, body), confirmed=True))
        flat = ConnectedV1(**out.connection.model_dump(), sync_run=out.sync_run, message=out.message)
        return respond(request, flat, 201)

    return await once(request, principal, key, fingerprint(body), create)


@router_v1.delete("/integrations/{integration_id}", status_code=204)
async def disconnect_v1(principal: ActingPrincipal, integration_id: str) -> None:
    """Disconnect an integration (credentials wiped, synced records kept)."""
    await invoke(connectors.disconnect_integration, principal, {"connection": integration_id},
                 confirmed=True)


@router_v1.post("/integrations/{integration_id}/sync", status_code=202,
                responses=doc(202, snake(SyncQueued), "Queued"))
async def sync_v1(principal: ActingPrincipal, integration_id: str) -> SyncQueued:
    """Trigger a manual sync: the sync run (or the one already queued or running)."""
    return await _sync(principal, integration_id)
