"""Route-only shapes for the connector routes: request bodies whose type or id comes from the
path, the REST answers (flatter than the tools' outputs), and the Idempotency-Key fingerprint."""

from __future__ import annotations

import hashlib
from typing import Any

from pydantic import Field, SecretStr, model_validator

from tools.connectors.schemas import (
    ConnectionOut,
    ConnectorTypeOut,
    ConnectResult,
    Credentials,
    Settings,
    SyncRunList,
    SyncRunOut,
    SyncStarted,
)
from tools.schemas import ToolModel

CREDENTIALS: Any = Field(default_factory=dict, max_length=20, description='The credential fields the '
                    'connector type asks for, e.g. {"apiKey": "sk_...", "shopDomain": '
                    '"mystore.myshopify.com"}. Stored encrypted, never returned.')


class ConnectBody(ToolModel):
    """POST /api/connectors/{type}/connect: the credentials, and optionally names and settings."""

    credentials: Credentials = CREDENTIALS
    name: str | None = Field(None, max_length=100, description="Machine name (default: the type).")
    display_name: str | None = Field(None, max_length=200, description="Name people see.")
    config: Settings = Field(default_factory=dict, description="Non-secret settings.")


class IntegrationBody(ConnectBody):
    """POST /api/v1/workspaces/{workspaceId}/integrations: `type` (or `provider`) and credentials."""

    type: str | None = Field(None, max_length=40, description="shopify, stripe, hubspot...")
    provider: str | None = Field(None, max_length=40, description="The same as `type`.")

    @model_validator(mode="after")
    def _named(self) -> IntegrationBody:
        if not (self.type or self.provider):
            raise ValueError("give type (or provider): shopify, stripe, hubspot...")
        return self

    @property
    def kind(self) -> str:
        return str(self.type or self.provider)


class Connected(ToolModel):
    """A new (or reconnected) integration and its first sync run."""

    connection: ConnectionOut
    sync_run: SyncRunOut | None
    message: str


class SyncQueued(SyncRunOut):
    """The sync run (id, status, jobId...) with its connection: 202 Accepted."""

    connection: ConnectionOut
    already_running: bool
    message: str


class IntegrationsV1(ToolModel):
    integrations: list[ConnectionOut]
    items: list[ConnectionOut]
    total: int
    connectors: list[ConnectorTypeOut]


class ConnectedV1(ConnectionOut):
    sync_run: SyncRunOut | None
    message: str


class SyncRunPage(SyncRunList):
    """A page of sync runs with its pagination block."""


def connected(out: ConnectResult) -> Connected:
    assert out.connection is not None
    return Connected(connection=out.connection, sync_run=out.sync_run, message=out.message)


def queued(out: SyncStarted) -> SyncQueued:
    return SyncQueued(**out.sync_run.model_dump(), connection=out.connection,
                      already_running=out.already_running, message=out.message)


def fingerprint(body: ToolModel) -> dict[str, Any]:
    """The create's parameters for Idempotency-Key matching with every secret hashed, so the
    stored fingerprint never holds a credential in clear."""

    def walk(value: Any) -> Any:
        if isinstance(value, SecretStr):
            return "sha256:" + hashlib.sha256(value.get_secret_value().encode()).hexdigest()
        if isinstance(value, ToolModel):
            return {k: walk(getattr(value, k)) for k in type(value).model_fields}
        if isinstance(value, dict):
            return {str(k): walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return dict(walk(body))

