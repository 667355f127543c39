"""Schema detection: call a tenant's API once and say which fields its records have.

It backs the detect-schema endpoint of document 000 and the custom REST connector's records
finder: find the list of records in a JSON answer (`data[]`, `result.items[]`, a top-level
list), flatten each record's nested objects to dotted paths, and name each field's type from up to
`TYPE_SAMPLE` records. The call goes through `tools.outbound` (SSRF rules, timeout, size cap) and
is made once, without retries: a person is waiting for the answer. Error messages never repeat
request header values: those carry the tenant's tokens.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from core.errors import ConnectorAuthFailed, ThirdPartyFailed, ValidationFailed
from tools import outbound

TYPE_SAMPLE = 50
SAMPLE_RECORDS = 3
SPEC_TIMEOUT = 3.0
SPEC_PATHS = ("/openapi.json", "/swagger.json")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


@dataclass(frozen=True)
class DetectedField:
    name: str
    """The field's dotted name inside one record (customer.email)."""
    type: str
    """string, number, integer, boolean, datetime, date, email, object, array or null."""
    path: str
    """Where it sits in the answer, as document 000 writes it: data[].customer.email."""


@dataclass(frozen=True)
class DetectedSchema:
    detected_fields: list[DetectedField]
    sample_data: Any
    records_path: str | None
    record_count: int
    open_api_spec: str | None


def find_records(data: Any) -> tuple[str | None, list[dict[str, Any]]] | None:
    """The first list of objects in `data` (breadth first) and its path (`data[]`, `[]` for a
    top-level list); None when there is none. An empty list counts when nothing better exists."""
    if isinstance(data, list):
        return "[]", [r for r in data if isinstance(r, dict)]
    queue: list[tuple[str, Any]] = [("", data)]
    empty: str | None = None
    while queue:
        prefix, node = queue.pop(0)
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, list):
                rows = [r for r in value if isinstance(r, dict)]
                if rows:
                    return f"{path}[]", rows
                if not value and empty is None:
                    empty = f"{path}[]"
            elif isinstance(value, dict):
                queue.append((path, value))
    return (empty, []) if empty is not None else None


def records_at(data: Any, path: str) -> list[dict[str, Any]] | None:
    """The records at a path like `data[]`, `result.items` or `[]`; None when it is no list."""
    node = data
    for part in [p for p in path.replace("[]", "").split(".") if p]:
        node = node.get(part) if isinstance(node, dict) else None
    if not isinstance(node, list):
        return None
    return [r for r in node if isinstance(r, dict)]


def value_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    text = str(value).strip()
    if DATE.match(text):
        return "date" if _parses(text) else "string"
    if DATETIME.match(text):
        return "datetime" if _parses(text) else "string"
    if EMAIL.match(text):
        return "email"
    return "string"


def _parses(text: str) -> bool:
    try:
        (date if DATE.match(text) else datetime).fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def flatten(record: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested objects become dotted names; lists and empty objects stay whole."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.update(flatten(value, f"{name}."))
        else:
            out[name] = value
    return out


def _merge(types: set[str]) -> str:
    types = types - {"null"}
    if not types:
        return "null"
    if len(types) == 1:
        return types.pop()
    if types <= {"integer", "number"}:
        return "number"
    if types <= {"date", "datetime"}:
        return "datetime"
    return "string"


def infer_fields(records: list[dict[str, Any]], records_path: str | None) -> list[DetectedField]:
    """Each field seen in the first `TYPE_SAMPLE` records, in first-seen order, with its type."""
    seen: dict[str, set[str]] = {}
    for record in records[:TYPE_SAMPLE]:
        for name, value in flatten(record).items():
            seen.setdefault(name, set()).add(value_type(value))
    prefix = f"{records_path}." if records_path else ""
    return [DetectedField(name=n, type=_merge(t), path=prefix + n) for n, t in seen.items()]


def detect_schema(url: str, method: str = "GET", headers: Mapping[str, str] | None = None,
                  body: Any = None) -> DetectedSchema:
    """Call `url` once and describe its records (see the module docstring for the errors)."""
    response = _call(method, url, headers, body)
    if response.status_code in (401, 403):
        raise ConnectorAuthFailed(f"The API refused the credentials (HTTP {response.status_code}): "
                                  "check the headers you sent")
    if response.status_code >= 500 or response.status_code == 429:
        raise ThirdPartyFailed(f"The API answered HTTP {response.status_code}; try again later")
    if response.status_code >= 400:
        raise ValidationFailed(f"The API answered HTTP {response.status_code}",
                               details=[{"field": "url", "message": f"HTTP {response.status_code}"}])
    if response.truncated:
        raise ValidationFailed("The answer is larger than we accept; ask for a smaller page",
                               details=[{"field": "url", "message": "response too large"}])
    try:
        data = json.loads(response.body)
    except ValueError:
        raise ValidationFailed("The URL did not answer with JSON",
                               details=[{"field": "url", "message": "not JSON"}]) from None
    found = find_records(data)
    if found is not None:
        path, records = found
    elif isinstance(data, dict):
        path, records = None, [data]
    else:
        path, records = None, []
    return DetectedSchema(detected_fields=infer_fields(records, path),
                          sample_data=records[:SAMPLE_RECORDS], records_path=path,
                          record_count=len(records), open_api_spec=_spec(url, headers))


def _call(method: str, url: str, headers: Mapping[str, str] | None, body: Any,
          timeout: float | None = None) -> outbound.OutboundResponse:
    content: bytes | None = None
    sent = {"Accept": "application/json", **dict(headers or {})}
    if body is not None:
        content = body if isinstance(body, bytes) else (
            body.encode() if isinstance(body, str) else json.dumps(body).encode())
        if not any(k.lower() == "content-type" for k in sent):
            sent["Content-Type"] = "application/json"
    try:
        return outbound.request(method.upper(), url, headers=sent, content=content, timeout=timeout)
    except outbound.Refused as err:
        raise ValidationFailed(f"This address cannot be called: {err}",
                               details=[{"field": "url", "message": str(err)}]) from None
    except outbound.OutboundError as err:
        raise ThirdPartyFailed(f"The API could not be reached: {err}") from None


def _spec(url: str, headers: Mapping[str, str] | None) -> str | None:
    """`{origin}/openapi.json` or `/swagger.json` when it answers with an OpenAPI document."""
    parts = urlsplit(url)
    for path in SPEC_PATHS:
        candidate = f"{parts.scheme}://{parts.netloc}{path}"
        try:
            response = _call("GET", candidate, headers, None, timeout=SPEC_TIMEOUT)
            doc = json.loads(response.body) if response.status_code == 200 else None
        except (ValidationFailed, ThirdPartyFailed, ValueError):
            continue
        if isinstance(doc, dict) and ("openapi" in doc or "swagger" in doc):
            return candidate
    return None
