"""Custom REST: any JSON API a tenant describes with a base URL, endpoints and field mappings.

The config is stored as document 000 shows it (camelCase); `rest_config.parse` turns it into
endpoints whose records are mapped onto our field names. Every call goes through
`tools.outbound` like the built-in providers', so a base URL on a private, loopback or metadata
address is refused unless OUTBOUND_ALLOW_PRIVATE allows it (metadata never).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, cast
from urllib.parse import urljoin, urlsplit

from core.errors import ValidationFailed
from core.settings import get_settings
from tools import outbound
from tools.connectors.base import (
    ENTITY_FIELDS,
    AccountInfo,
    CredentialField,
    EntityType,
    Page,
    SourceItem,
    register,
)
from tools.connectors.providers import http
from tools.connectors.providers.http import ProviderHTTP, convert, lookup, parse_time
from tools.connectors.schema_detect import find_records, records_at


@partial(register, category="custom")
class CustomRestConnector:
    type = "custom_rest"
    display_name = "Custom REST API"
    description = "Any JSON API: endpoints, pagination and field mappings you describe."
    resources: tuple[str, ...] = ("records",)
    """Per instance: one resource per configured endpoint (the class lists the default one)."""
    credential_fields = (
        CredentialField("token", "Bearer token", required=False, help="authType bearer_token"),
        CredentialField("apiKey", "API key", required=False, help="authType api_key"),
        CredentialField("username", "Username", secret=False, required=False, help="authType basic"),
        CredentialField("password", "Password", required=False, help="authType basic"),
    )

    def __init__(self, credentials: Mapping[str, str], config: Mapping[str, Any]) -> None:
        self.config = parse(config)
        self.endpoints = {e.resource: e for e in self.config.endpoints}
        self.resources = tuple(self.endpoints)
        self.page_size = int(config.get("pageSize") or get_settings().connector_page_size)
        headers, secrets = _auth(self.config.auth_type, self.config.api_key_header, credentials)
        host = urlsplit(self.config.base_url).hostname or "the custom API"
        self.http = ProviderHTTP(f"The API at {host}", headers, secrets=secrets)

    def check(self) -> AccountInfo:
        endpoint = self.config.endpoints[0]
        data, _, path = self._get(endpoint, None, None)
        return AccountInfo(account_id=self.config.base_url, name=urlsplit(self.config.base_url).netloc,
                           details={"endpoints": list(self.endpoints), "recordsPath": path,
                                    "recordsOnFirstPage": len(data)})

    def fetch(self, resource: str, cursor: str | None, since: str | None) -> Page:
        endpoint = self.endpoints.get(resource)
        if endpoint is None:
            raise ValidationFailed(f"No endpoint named {resource!r}; configured: {', '.join(self.endpoints)}")
        records, response_data, _ = self._get(endpoint, cursor, since)
        if records and cursor and ":" in cursor and endpoint.pagination.get("type") == "page" \
                and str(lookup(records[0], self.config.id_field)) == cursor.split(":", 1)[1]:
            return Page(items=[], next_cursor=None)  # the same page again: `page` is ignored
        items = [item for item in (self._item(endpoint, r) for r in records) if item is not None]
        next_cursor = self._next(endpoint, cursor, records, response_data)
        return Page(items=items, next_cursor=next_cursor,
                    high_water=http.high_water(i.updated_at for i in items))

    # --- calling ---------------------------------------------------------------------------------

    def _get(self, endpoint: Endpoint, cursor: str | None,
             since: str | None) -> tuple[list[dict[str, Any]], Any, str | None]:
        """One page: (records, the whole JSON answer with the response, the records path)."""
        pagination = endpoint.pagination
        kind = pagination.get("type", "none")
        params: dict[str, Any] = {}
        url = endpoint.url
        if kind == "link" and cursor:
            if not http.same_origin(cursor, self.config.base_url):
                raise ValidationFailed("The stored cursor does not point at this API")
            url = cursor
        elif kind == "page":
            params[pagination.get("param", "page")] = _page_number(cursor, pagination)
            params[pagination.get("sizeParam", "limit")] = self.page_size
        elif kind == "cursor":
            params[pagination.get("cursorParam", "cursor")] = cursor
            if pagination.get("sizeParam"):
                params[pagination["sizeParam"]] = self.page_size
        if since and self.config.since_param and not (kind == "link" and cursor):
            params[self.config.since_param] = since
        response = self.http.request("GET", http.with_params(url, params))
        data = self._json(response)
        if endpoint.records_path:
            records = records_at(data, endpoint.records_path)
            path: str | None = endpoint.records_path
        else:
            found = find_records(data)
            path, records = found if found else (None, None)
        if records is None:
            raise ValidationFailed(
                f"The answer of {endpoint.url} holds no list of records"
                + (f" at {endpoint.records_path}" if endpoint.records_path else "")
                + ": set recordsPath to where the records are",
                details=[{"field": "recordsPath", "message": "no list of records found"}])
        return records, (data, response), path

    def _json(self, response: outbound.OutboundResponse) -> Any:
        if response.truncated:
            raise ValidationFailed("The API's answer is larger than we accept: use pagination")
        try:
            return json.loads(response.body)
        except ValueError:
            raise ValidationFailed(
                f"{self.http.provider} did not answer with JSON",
                details=[{"field": "baseUrl", "message": "not JSON"}]) from None

    def _next(self, endpoint: Endpoint, cursor: str | None, records: list[dict[str, Any]],
              answer: tuple[Any, outbound.OutboundResponse]) -> str | None:
        pagination = endpoint.pagination
        kind = pagination.get("type", "none")
        data, response = answer
        if kind == "page":
            # Until an empty page: an API may cap pages below the size we ask for, so a short
            # page proves nothing. The first id rides along to catch an API ignoring `page`.
            first = lookup(records[0], self.config.id_field) if records else None
            return f"{_page_number(cursor, pagination) + 1}:{first}" if records else None
        if kind == "cursor":
            value = lookup(data, pagination.get("cursorPath", "next_cursor"))
            return str(value) if value not in (None, "", False) and records else None
        if kind == "link":
            link = lookup(data, pagination["cursorPath"]) if pagination.get("cursorPath") \
                else _link_next(response.headers)
            if not isinstance(link, str) or not link:
                return None
            return urljoin(response.url if cursor is None else cursor, link)
        return None

    # --- mapping ---------------------------------------------------------------------------------

    def _item(self, endpoint: Endpoint, record: dict[str, Any]) -> SourceItem | None:
        source_id = lookup(record, self.config.id_field)
        if source_id is None or source_id == "":
            return None
        fields: dict[str, Any] = {}
        for mapping in endpoint.mappings:
            fields[mapping.target] = convert(lookup(record, mapping.source), mapping.data_type,
                                             mapping.target)
        updated = parse_time(lookup(record, self.config.updated_field)) \
            if self.config.updated_field else None
        return SourceItem(resource=endpoint.resource, entity=endpoint.entity,
                          source_id=str(source_id), fields=fields, updated_at=updated)


def _page_number(cursor: str | None, pagination: Mapping[str, Any]) -> int:
    """The page a cursor names ("3" or "3:<first id of page 2>"); the first page without one."""
    try:
        return int(cursor.split(":", 1)[0]) if cursor else int(pagination.get("start", 1))
    except ValueError:
        raise ValidationFailed(f"Not a page cursor: {cursor!r}") from None


def _link_next(headers: Mapping[str, str]) -> str | None:
    raw = headers.get("link") or headers.get("Link") or ""
    for part in raw.split(","):
        if 'rel="next"' in part or "rel=next" in part:
            start, end = part.find("<"), part.find(">")
            if 0 <= start < end:
                return part[start + 1:end]
    return None


def _auth(auth_type: str, key_header: str,
          credentials: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """Request headers for the auth type, and the secret values to scrub from messages."""
    def need(*names: str) -> str:
        for name in names:
            if credentials.get(name):
                return str(credentials[name])
        raise ValidationFailed(f"authType {auth_type} needs credentials.{names[0]}",
                               details=[{"field": names[0], "message": "required"}])

    if auth_type == "none":
        return {}, []
    if auth_type == "bearer_token":
        token = need("token", "accessToken", "apiKey")
        return {"Authorization": f"Bearer {token}"}, [token]
    if auth_type == "api_key":
        key = need("apiKey", "token")
        return {key_header: key}, [key]
    if auth_type == "basic":
        user, password = need("username"), need("password")
        encoded = base64.b64encode(f"{user}:{password}".encode()).decode()
        return {"Authorization": f"Basic {encoded}"}, [password, encoded]
    raise ValidationFailed(f"Unknown authType {auth_type!r}",
                           details=[{"field": "authType", "message": "unknown"}])


# --- the stored config -------------------------------------------------------------------------

ALIASES = {"revenue": "total", "amount": "total", "order_total": "total",
           "created_at": "ordered_at", "date": "ordered_at", "customer_id": "customer_source_id",
           "email": "customer_email"}
"""Document 000's target names onto ours; applied only where the entity lacks the name itself
(a subscription keeps `amount`, a customer keeps `email`)."""
KNOWN_TARGETS = frozenset(ALIASES) | {f for fs in ENTITY_FIELDS.values() for f in fs}
DATA_TYPES = frozenset({"number", "integer", "string", "datetime", "date", "boolean"})
MONEY = frozenset({"total", "price", "value", "amount", "amount_due", "amount_paid"})
TIMES = frozenset({"ordered_at", "issued_at", "current_period_end", "started_at"})
DATES = frozenset({"due_date", "expected_close_date"})
PAGINATION = frozenset({"none", "page", "cursor", "link"})
PATH_HINTS = (("order", "order"), ("customer", "customer"), ("contact", "customer"),
              ("product", "product"), ("invoice", "invoice"), ("subscription", "subscription"),
              ("deal", "deal"), ("compan", "company"))


@dataclass(frozen=True)
class FieldMap:
    source: str
    target: str
    data_type: str


@dataclass(frozen=True)
class Endpoint:
    resource: str
    url: str
    entity: EntityType
    records_path: str | None
    pagination: dict[str, Any]
    mappings: tuple[FieldMap, ...]


@dataclass(frozen=True)
class RestConfig:
    base_url: str
    auth_type: str
    api_key_header: str
    endpoints: tuple[Endpoint, ...]
    id_field: str
    updated_field: str | None
    since_param: str | None


def _bad(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, details=[{"field": field, "message": message}])


def parse(config: Mapping[str, Any]) -> RestConfig:
    """Validate the stored config; a mapping to a target we do not know is refused by name."""
    base = str(config.get("baseUrl") or "").strip()
    if not base.startswith(("http://", "https://")):
        raise _bad("baseUrl", "baseUrl must be an http(s) URL")
    raw_maps = list(config.get("fieldMappings") or [])
    for m in raw_maps:
        target = str(m.get("targetField") or "")
        if target not in KNOWN_TARGETS:
            raise _bad("fieldMappings", f"Unknown target field {target!r}")
        if m.get("dataType") and m["dataType"] not in DATA_TYPES:
            raise _bad("fieldMappings", f"Unknown dataType {m['dataType']!r} for {target!r}")
    endpoints: list[Endpoint] = []
    for raw in list(config.get("endpoints") or [{"path": ""}]):
        path = str(raw.get("path") or "")
        url = base.rstrip("/") + "/" + path.lstrip("/") if path else base
        entity = raw.get("entity") or _guess(path, raw_maps)
        if entity not in ENTITY_FIELDS:
            raise _bad("endpoints", f"Say which entity the records of {url} are (entity)")
        pagination = dict(raw.get("pagination") or {"type": "none"})
        if pagination.get("type", "none") not in PAGINATION:
            raise _bad("pagination", f"Unknown pagination type {pagination.get('type')!r}")
        name = next((p for p in reversed(path.split("/")) if p), "records")
        while name in {e.resource for e in endpoints}:
            name += "_"
        endpoints.append(Endpoint(name, url, cast(EntityType, entity),
                                  raw.get("recordsPath") or None, pagination,
                                  _mappings(entity, raw_maps)))
    return RestConfig(base, str(config.get("authType") or "none"),
                      str(config.get("apiKeyHeader") or "X-API-Key"), tuple(endpoints),
                      str(config.get("idField") or "id"), config.get("updatedField") or None,
                      config.get("sinceParam") or None)


def _target(target: str, entity: str) -> str | None:
    fields = ENTITY_FIELDS[entity]
    if target in fields:
        return target
    alias = ALIASES.get(target)
    return alias if alias in fields else None


def _guess(path: str, maps: list[Mapping[str, Any]]) -> str | None:
    lowered = path.lower()
    for hint, entity in PATH_HINTS:
        if hint in lowered:
            return entity
    targets = {str(m.get("targetField")) for m in maps if not m.get("entity")}
    if targets & {"total", "revenue", "amount", "order_total"}:
        return "order"
    if "email" in targets:
        return "customer"
    scores = {e: len({_target(t, e) for t in targets} - {None}) for e in ENTITY_FIELDS}
    best = max(scores, key=lambda e: scores[e])
    return best if scores[best] else None


def _mappings(entity: str, maps: list[Mapping[str, Any]]) -> tuple[FieldMap, ...]:
    """The mappings that apply to `entity`; none given: our own field names, as they are."""
    out: list[FieldMap] = []
    for m in maps:
        if m.get("entity") and m["entity"] != entity:
            continue
        target = _target(str(m["targetField"]), entity)
        if target is None:
            if m.get("entity"):
                raise _bad("fieldMappings", f"{m['targetField']!r} is not a field of {entity}")
            continue
        out.append(FieldMap(str(m.get("sourceField") or target), target,
                            str(m.get("dataType") or _default_type(target))))
    if not any(not m.get("entity") or m["entity"] == entity for m in maps):
        out = [FieldMap(f, f, _default_type(f)) for f in ENTITY_FIELDS[entity]]
    return tuple(out)


def _default_type(target: str) -> str:
    return ("number" if target in MONEY else "datetime" if target in TIMES
            else "date" if target in DATES else "string")
