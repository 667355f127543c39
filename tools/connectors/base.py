"""The one interface every connector implements, and the registry of connector types.

A connector is a small class over one provider's documented HTTP API. It knows how to check
credentials and how to fetch one page of one resource, normalised to our field names. It knows
nothing of the database: the sync engine (`tools.connectors.sync`) pages through resources,
commits page by page, matches records by source id and merges customers by email.

Blocking by design: connectors run inside job workers (threads), never on the event loop.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Literal, Protocol

EntityType = Literal["customer", "order", "deal", "product", "invoice", "subscription", "company"]

ENTITY_FIELDS: dict[str, tuple[str, ...]] = {
    "customer": ("name", "email", "phone", "company", "status"),
    "order": ("total", "currency", "status", "ordered_at", "customer_source_id", "customer_email"),
    "deal": ("title", "value", "currency", "stage", "expected_close_date", "customer_source_id"),
    "product": ("name", "sku", "price", "currency", "status"),
    "invoice": ("number", "status", "amount_due", "amount_paid", "currency", "due_date",
                "issued_at", "customer_source_id"),
    "subscription": ("status", "plan", "amount", "currency", "interval", "current_period_end",
                     "started_at", "customer_source_id"),
    "company": ("name", "domain"),
}
"""Our field names per entity type: what a connector's `SourceItem.fields` may hold.

Types: money as `decimal.Decimal` in major units (Stripe's cents are divided by 100), dates and
times as timezone-aware `datetime` (or `date` for due dates), currency as upper-case ISO 4217,
`customer_source_id` as the provider's id of the customer the record belongs to (resolved by the
sync engine through that source's customer records), `customer_email` when the provider gives
an email instead of (or besides) an id. Missing values are left out or None."""


@dataclass(frozen=True)
class SourceItem:
    """One record as one provider describes it, normalised to our field names."""

    resource: str
    """The provider's resource it came from (orders, customers, charges, contacts...)."""
    entity: EntityType
    source_id: str
    fields: dict[str, Any]
    updated_at: datetime | None = None


@dataclass(frozen=True)
class Page:
    """One page of one resource. `next_cursor` None means the resource is exhausted for this sync.
    `high_water` is the incremental mark the whole sync may advance to once it completes (e.g.
    the greatest `updated_at` seen); the engine keeps the greatest one seen across pages."""

    items: list[SourceItem]
    next_cursor: str | None
    high_water: str | None = None


@dataclass(frozen=True)
class CredentialField:
    name: str
    """The key in the `credentials` object (camelCase, as document 000 shows: apiKey, shopDomain)."""
    label: str
    secret: bool = True
    required: bool = True
    help: str = ""


@dataclass(frozen=True)
class AccountInfo:
    """What the provider says about the account when credentials are checked."""

    account_id: str
    name: str
    details: dict[str, Any] = field(default_factory=dict)


class Connector(Protocol):
    """A provider. Constructed per use with decrypted credentials and the connection's config;
    `check` and `fetch` raise `core.errors.ConnectorAuthFailed` when the provider refuses the
    credentials (401/403: a revoked key), `core.errors.ThirdPartyFailed` when it keeps failing
    after retries (5xx, 429 beyond the retry budget, network errors), and
    `core.errors.ValidationFailed` for a config that cannot work (bad domain, bad mapping)."""

    type: ClassVar[str]
    display_name: ClassVar[str]
    description: ClassVar[str]
    resources: ClassVar[tuple[str, ...]]
    """Resources in sync order: customers before what refers to them."""
    credential_fields: ClassVar[tuple[CredentialField, ...]]

    def check(self) -> AccountInfo: ...

    def fetch(self, resource: str, cursor: str | None, since: str | None) -> Page:
        """One page of `resource`: the first page when `cursor` is None, else the page the
        cursor names. `since` is the high-water mark of the last complete sync (None: a full
        sync); the connector fetches only records changed after it where the provider can."""
        ...


ConnectorFactory = Callable[[Mapping[str, str], Mapping[str, Any]], Connector]


@dataclass(frozen=True)
class ConnectorType:
    type: str
    display_name: str
    description: str
    resources: tuple[str, ...]
    credential_fields: tuple[CredentialField, ...]
    factory: ConnectorFactory
    category: str = "commerce"


_TYPES: dict[str, ConnectorType] = {}


def register(cls: Any, *, category: str = "commerce") -> Any:
    """Class decorator: make a connector available under `cls.type`."""
    _TYPES[cls.type] = ConnectorType(
        type=cls.type, display_name=cls.display_name, description=cls.description,
        resources=tuple(cls.resources), credential_fields=tuple(cls.credential_fields),
        factory=cls, category=category)
    return cls


def connector_types() -> dict[str, ConnectorType]:
    import tools.connectors.providers  # noqa: F401  (importing registers every provider)

    return dict(_TYPES)


def connector_type(name: str) -> ConnectorType | None:
    return connector_types().get(name)


def build(type_name: str, credentials: Mapping[str, str], config: Mapping[str, Any]) -> Connector:
    kind = connector_type(type_name)
    if kind is None:
        raise KeyError(type_name)
    return kind.factory(credentials, config)
