"""Inputs and outputs of the connector tools.

Credentials arrive as `SecretStr` values: every dump (the audit log's arguments, an idempotency
fingerprint, a confirmation token's digest) shows them masked, and no output model has a field
that could carry one back; `credentials_hint` (the last four characters) is the most shown.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, SecretStr, field_validator

from tools.crm.schemas import Pagination
from tools.schemas import ConfirmableInput, DestructiveResult, ToolModel

ConnectionStatus = Literal["connected", "syncing", "error", "disconnected"]
RunStatus = Literal["queued", "running", "succeeded", "failed"]
AuthType = Literal["none", "bearer_token", "api_key", "basic"]
DataType = Literal["string", "number", "integer", "boolean", "date", "datetime"]

MAX_SETTINGS_BYTES = 16_384


def _bounded(value: dict[str, Any] | None) -> dict[str, Any] | None:
    """Settings are small: at most 16 KiB as JSON (a config is not a file store)."""
    if value is not None and len(json.dumps(value, default=str)) > MAX_SETTINGS_BYTES:
        raise ValueError(f"at most {MAX_SETTINGS_BYTES} bytes as JSON")
    return value


Secret = Annotated[SecretStr, Field(max_length=4096)]
Settings = Annotated[dict[str, Any], AfterValidator(_bounded)]
Credentials = dict[Annotated[str, Field(max_length=100)], Secret]

CONNECTION_DESCRIPTION = (
    'The connection: its id, its connector type (e.g. "stripe") or its name (e.g. "my_api"), as '
    "list_integrations shows them."
)
TYPE_DESCRIPTION = 'The connector type, e.g. "shopify", "stripe" or "hubspot" (list_integrations lists them).'


class CredentialFieldOut(ToolModel):
    """One credential a connector type asks for; `sensitive` ones are stored encrypted and never
    shown again (the others, like a shop domain, are also kept in the connection's config)."""

    name: str
    label: str
    sensitive: bool
    required: bool
    help: str


class ConnectorTypeOut(ToolModel):
    """A kind of integration that can be connected."""

    type: str
    display_name: str
    description: str
    category: str
    resources: list[str]
    credential_fields: list[CredentialFieldOut]


class ConnectionOut(ToolModel):
    """A connection, never with its credentials: only whether it has some, and their hint."""

    id: str
    type: str
    name: str
    display_name: str
    status: ConnectionStatus
    config: dict[str, Any]
    account: dict[str, Any]
    has_credentials: bool
    credentials_hint: str | None
    record_counts: dict[str, int]
    last_sync_at: datetime | None
    last_sync_status: str | None
    last_error: str | None
    created_at: datetime
    disconnected_at: datetime | None


class SyncRunOut(ToolModel):
    id: str
    connection_id: str
    job_id: str | None
    trigger: str
    status: RunStatus
    full: bool
    resource: str | None
    pages: int
    counts: dict[str, Any]
    null_share: dict[str, float]
    error: str | None
    started_at: datetime
    finished_at: datetime | None


# --- list / connect / disconnect -------------------------------------------------------------------


class ListIntegrationsInput(ToolModel):
    include_disconnected: bool = Field(
        False, description="Also list connections that were disconnected (default false).")


class IntegrationList(ToolModel):
    connectors: list[ConnectorTypeOut]
    """Every connector type available."""
    connections: list[ConnectionOut]
    """The workspace's connections, newest first."""
    total: int


class ConnectIntegrationInput(ConfirmableInput):
    type: str = Field(..., min_length=1, max_length=40, description=TYPE_DESCRIPTION)
    credentials: Credentials = Field(
        default_factory=dict, max_length=20,
        description='The credential fields the connector type asks for, e.g. {"apiKey": "sk_...", '
        '"shopDomain": "mystore.myshopify.com"}. Stored encrypted, never shown again.')
    name: str | None = Field(None, min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.-]+$",
                             description="A machine name for the connection (default: the type).")
    display_name: str | None = Field(None, min_length=1, max_length=200,
                                     description="The name people see (default: the provider's).")
    config: Settings = Field(default_factory=dict, description="Non-secret settings, if the "
                                   "connector type takes any (never put keys here).")

    @field_validator("type")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.strip().lower()


class ConnectResult(DestructiveResult):
    connection: ConnectionOut | None = None
    sync_run: SyncRunOut | None = None


class ConnectionRefInput(ToolModel):
    connection: str = Field(..., min_length=1, max_length=100, description=CONNECTION_DESCRIPTION)


class ConnectionOutput(ToolModel):
    connection: ConnectionOut


class DisconnectInput(ConfirmableInput):
    connection: str = Field(..., min_length=1, max_length=100, description=CONNECTION_DESCRIPTION)


class DisconnectResult(DestructiveResult):
    connection: ConnectionOut | None = None


# --- syncs -------------------------------------------------------------------------------------------


class SyncIntegrationInput(ToolModel):
    connection: str = Field(..., min_length=1, max_length=100, description=CONNECTION_DESCRIPTION)
    full: bool = Field(False, description="Resync everything instead of only what changed since "
                       "the last sync (default false).")


class SyncStarted(ToolModel):
    sync_run: SyncRunOut
    connection: ConnectionOut
    already_running: bool
    """True when a sync of this connection was already queued or running: that one is returned."""
    message: str


class SyncStatusInput(ToolModel):
    connection: str | None = Field(None, max_length=100, description=CONNECTION_DESCRIPTION
                                   + " Omit for every connection.")


class ConnectionSyncStatus(ToolModel):
    """A connection with its sync state: the run in progress (with its progress) and the last
    finished one."""

    connection: ConnectionOut
    stale: bool
    """No successful sync within the stale window (settings.sync_stale_hours)."""
    current_run: SyncRunOut | None
    last_run: SyncRunOut | None


class SyncStatusReport(ToolModel):
    connections: list[ConnectionSyncStatus]
    stale_hours: float


class ListSyncRunsInput(ToolModel):
    connection: str | None = Field(None, max_length=100, description=CONNECTION_DESCRIPTION
                                   + " Omit for every connection.")
    status: RunStatus | None = Field(None, description="Only runs in this state: queued, running, "
                                     "succeeded or failed.")
    page: int = Field(1, ge=1, le=100000, description="Page number, from 1 (default 1).")
    limit: int = Field(20, ge=1, le=100, description="Runs per page, 1 to 100 (default 20).")


class SyncRunList(ToolModel):
    sync_runs: list[SyncRunOut]
    pagination: Pagination


# --- custom connectors, schema detection, data sources ----------------------------------------------


class FieldMapping(ToolModel):
    source_field: str = Field(..., min_length=1, max_length=200,
                              description='The field in the API\'s records, e.g. "order_total".')
    target_field: str = Field(..., min_length=1, max_length=100,
                              description='Our field it feeds, e.g. "revenue", "total", "email".')
    data_type: DataType = Field("string", description="string, number, integer, boolean, date or "
                                "datetime (default string).")


class CustomConfig(ToolModel):
    base_url: str = Field(..., min_length=8, max_length=2048,
                          description="The API's base URL, e.g. https://api.example.com/v1.")
    auth_type: AuthType = Field("bearer_token", description="none, bearer_token (default), api_key "
                                "or basic.")
    auth_config: Credentials = Field(
        default_factory=dict, max_length=10,
        description='The secrets of that auth type, e.g. {"token": "..."}, {"apiKey": "...", '
        '"header": "X-Api-Key"} or {"username": "...", "password": "..."}. Stored encrypted only.')
    options: Settings = Field(
        default_factory=dict, description="Other non-secret settings the connector reads (e.g. "
        "resource paths, recordsPath, entity); sent as extra keys of config, kept in the connection.")


class CreateCustomConnectorInput(ConfirmableInput):
    name: str = Field(..., min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.-]+$",
                      description='A machine name, e.g. "my_api_connector".')
    display_name: str | None = Field(None, max_length=200, description='The name people see, e.g. '
                                     '"My Custom API" (default: the name).')
    connection_type: Literal["rest_api"] = Field("rest_api", description="rest_api (the only kind).")
    config: CustomConfig = Field(..., description="Where the API is and how to authenticate.")
    field_mappings: list[FieldMapping] = Field(default_factory=list, max_length=200,
                                               description="How the API's fields map onto ours.")


class DetectSchemaInput(ToolModel):
    url: str = Field(..., min_length=8, max_length=2048,
                     description="The endpoint to sample, e.g. https://api.example.com/v1/orders.")
    method: Literal["GET", "POST"] = Field("GET", description="GET (default) or POST.")
    headers: Credentials = Field(
        default_factory=dict, max_length=20, description='Headers to send, e.g. {"Authorization": '
        '"Bearer ..."}; used for this call only, never stored or shown.')
    body: Annotated[dict[str, Any] | None, AfterValidator(_bounded)] = Field(
        None, description="A JSON body for POST. Optional.")

    @field_validator("method", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value


class DetectedFieldOut(ToolModel):
    name: str
    type: str
    path: str


class DetectedSchemaOut(ToolModel):
    detected_fields: list[DetectedFieldOut]
    sample_data: Any
    records_path: str | None
    record_count: int
    open_api_spec: str | None


class ListDataSourcesInput(ToolModel):
    include_disconnected: bool = Field(False, description="Also list disconnected connections, whose "
                                       "synced records are kept (default false).")


class DataSourceOut(ToolModel):
    id: str
    name: str
    type: str
    """connector (a connection) or builtin (the CRM's own and manually entered data)."""
    connector: str | None
    status: str
    last_sync: datetime | None
    record_count: int
    records: dict[str, int]
    metrics: list[str]
    """What it can feed: revenue (from orders or invoices), mrr, pipeline, customers..."""


class DataSourceList(ToolModel):
    sources: list[DataSourceOut]
    total: int
