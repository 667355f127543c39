"""Hostile input on every route that takes a body, a query or a path id (walked from the app):
malformed and non-object JSON, wrong content types, oversized bodies (1 MiB limit, 413), deep
nesting, huge, NUL, surrogate, RTL and SQL-ish strings, out-of-range and non-finite numbers,
impossible dates and 10k-character ids. Every answer is a 4xx in the family's shape (or a success
that stored the text as text), never a 500, and a refused write creates nothing.

tests/postgres_db/test_postgres_hostile.py runs this module again on PostgreSQL, where NUL bytes
and over-long values are refused by the database itself.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from fastapi.testclient import TestClient
from helpers import Account, register

from api.input_guard import MAX_BODY_BYTES
from api.ratelimit import LIMITER

if TYPE_CHECKING:
    from tests.security.conftest import Endpoint, Surface

MIB = 1 << 20
SQL = ["' OR '1'='1", "'; drop table customers; --", "1 union select email from users --",  # lower case:
       "\\'; --", "%' and 1=1 --"]  # stored text is echoed later, and the leak guard looks for "SELECT "
STRINGS: dict[str, tuple[Any, bool]] = {  # label: (value, must be refused)
    "1MB": ("a" * 1_000_000, True), "10k": ("b" * 10_000, True), "NUL": ("bad\u0000byte", True),
    "only-NUL": ("\u0000", True), "emoji-rtl": ("😀 مرحبا \u202eevil\u202c עברית", False),
    "sql": (SQL[1], False), "control": ("\x1b[31mred\x07", False), "number": (12345, False),
    "object": ({"$gt": ""}, True),
}
NUMBERS: dict[str, tuple[Any, bool]] = {
    "negative": (-1, False), "huge": (10**30, False), "float-for-int": (1.5, False),
    "string": ("12abc", True), "max-int64": (2**63, False),
}
RAW_NUMBERS = ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"]  # not JSON; Python parses them
DATES = ["0000-01-01", "9999-12-31", "10000-01-01", "2024-02-30", "-0001-01-01", "31/12/2024", "now"]
PATH_IDS = ["x" * 10_000, "' OR '1'='1", "..%2F..%2Fetc%2Fpasswd", "😀", "%00", "%2500", "-1", "1e400",
            "\\u0000", "null"]


@dataclass
class Target:
    account: Account
    customer_id: str
    deal_id: str

    def path_values(self) -> dict[str, str]:
        return {"customer_id": self.customer_id, "deal_id": self.deal_id,
                "workspaceId": self.account.tenant_id}


@pytest.fixture
def target(client: TestClient) -> Target:
    account = register(client)
    customer = client.post("/api/crm/customers", headers=account.headers, json={"name": "Own Customer"})
    deal = client.post("/api/crm/deals", headers=account.headers, json={"title": "Own Deal", "value": 5})
    assert customer.status_code == deal.status_code == 201, (customer.text, deal.text)
    return Target(account, customer.json()["data"]["customer"]["id"], deal.json()["data"]["deal"]["id"])


def counts(client: TestClient, account: Account) -> tuple[int, int, int]:
    h = account.headers
    return (client.get("/api/crm/customers", headers=h).json()["data"]["pagination"]["total"],
            client.get("/api/crm/deals", headers=h).json()["data"]["total"],
            client.get("/api/v1/workspaces", headers=h).json()["total"])


@pytest.fixture
def unchanged(client: TestClient, target: Target) -> Iterator[None]:
    """A refused write creates nothing: the account's rows are counted before and after."""
    before = counts(client, target.account)
    yield
    assert counts(client, target.account) == before, "a refused request created rows"


def writes(surface: Surface) -> list[Endpoint]:
    """Routes with a JSON body, MCP excepted (it has its own probes below)."""
    return [e for e in surface.with_body() if e.body_schema is not None]


def send(surface: Surface, endpoint: Endpoint, target: Target, **kwargs: Any) -> httpx.Response | str:
    LIMITER.clear()  # the auth routes' limit would otherwise turn probes into 429s
    url = kwargs.pop("url", None) or endpoint.url(target.path_values())
    token = surface.fresh_token(target.account) if "logout" in endpoint.path else target.account.token
    headers = {"Authorization": f"Bearer {token}", **kwargs.pop("headers", {})}
    return surface.send(endpoint, url, headers=headers, **kwargs)


def refused(surface: Surface, endpoint: Endpoint, r: httpx.Response | str, label: str,
            statuses: tuple[int, ...] = (400, 413, 415, 422)) -> str | None:
    problem = surface.problem(endpoint, r, statuses)
    return f"[{label}] {problem}" if problem else None


def tolerated(surface: Surface, endpoint: Endpoint, r: httpx.Response | str, label: str) -> str | None:
    """Anything but a server error; an error must be in the family's shape."""
    if isinstance(r, str) or r.status_code >= 500:
        return f"[{label}] {endpoint}: {r if isinstance(r, str) else r.text[:200]}"
    if r.status_code >= 400:
        return refused(surface, endpoint, r, label, (r.status_code,))
    return None


# --- whole bodies -------------------------------------------------------------------------------


MALFORMED: dict[str, bytes] = {
    "broken": b'{"name": "x",', "garbage": b"{not json", "array": b'[{"name": "x"}]', "string": b'"name"',
    "null": b"null", "number": b"42", "true": b"true", "binary": b"\xff\xfe\x00\x01",
    "empty-key": b'{"": ', "nul-byte": b'{"name": "a\x00b"}', "lone-brace": b"}",
    "deep-array": b"[" * 10_000 + b"]" * 10_000, "deep-object": b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
    "unclosed-deep": b"[" * 100_000,
}


@pytest.mark.usefixtures("unchanged")
def test_malformed_and_non_object_bodies_are_refused(surface: Surface, target: Target) -> None:
    problems: list[str | None] = []
    for endpoint in writes(surface):
        optional = not endpoint.operation.get("requestBody", {}).get("required", False)
        for label, raw in MALFORMED.items():
            if optional and label == "null":
                continue
            r = send(surface, endpoint, target, content=raw, headers={"Content-Type": "application/json"})
            problems.append(refused(surface, endpoint, r, label))
    assert len(writes(surface)) >= 10
    assert not any(problems), surface.report(problems)


@pytest.mark.usefixtures("unchanged")
def test_wrong_content_types_are_refused(surface: Surface, target: Target) -> None:
    """Valid JSON under another content type, and deep JSON under every content type (some code
    parses bodies whatever they claim to be)."""
    problems: list[str | None] = []
    for endpoint in writes(surface):
        body = httpx.Request("POST", "/", json=surface.body(endpoint)).content
        for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/xml",
                             "multipart/form-data; boundary=x", "text/json"):
            for label, content in (("valid", body), ("deep", MALFORMED["deep-array"])):
                r = send(surface, endpoint, target, content=content, headers={"Content-Type": content_type})
                problems.append(refused(surface, endpoint, r, f"{label} as {content_type}"))
    assert not any(problems), surface.report(problems)


@pytest.mark.usefixtures("unchanged")
def test_bodies_over_the_limit_are_413(surface: Surface, target: Target) -> None:
    big = b'{"name": "' + b"a" * (10 * MIB) + b'"}'

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(big), MIB):
            yield big[start:start + MIB]

    problems: list[str | None] = []
    for endpoint in [*surface.with_body(), *[e for e in surface.protected() if e.method == "GET"][:3]]:
        declared = send(surface, endpoint, target, content=big, headers={"Content-Type": "application/json"})
        problems.append(refused(surface, endpoint, declared, "10MB", (413,)))
        streamed = send(surface, endpoint, target, content=chunks(),
                        headers={"Content-Type": "application/json"})
        problems.append(refused(surface, endpoint, streamed, "10MB chunked", (413,)))
    assert not any(problems), surface.report(problems)


def test_the_limit_is_one_mebibyte_exactly(client: TestClient, target: Target) -> None:
    assert MAX_BODY_BYTES == MIB
    body = b'{"name": "Padded"}'
    padded = body + b" " * (MIB - len(body))  # whitespace is valid JSON padding
    h = {**target.account.headers, "Content-Type": "application/json"}
    assert client.post("/api/crm/customers", content=padded, headers=h).status_code == 201
    over = client.post("/api/crm/customers", content=padded + b" ", headers=h)
    assert over.status_code == 413 and over.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"


def test_reasonable_nesting_still_passes(client: TestClient, target: Target) -> None:
    nested: dict[str, Any] = {"leaf": True}
    for _ in range(20):
        nested = {"level": nested}
    r = client.post("/api/crm/customers", headers=target.account.headers,
                    json={"name": "Nested", "customFields": nested})
    assert r.status_code == 201, r.text
    assert r.json()["data"]["customer"]["customFields"] == nested


# --- fields -------------------------------------------------------------------------------------


# Gaps below the API edge, in files this suite's owner does not own (see the xfail tests at the
# end): skipped by the generic probes so that they keep guarding everything else.
KNOWN_GAPS: set[tuple[str, str]] = set()


def field_kinds(surface: Surface, endpoint: Endpoint) -> dict[str, str]:
    """Top-level body fields by kind: string, enum, integer, number, date, array, map (a free-form
    object, stored as given) or object (declared fields only; unknown keys are ignored)."""
    kinds: dict[str, str] = {}
    for name, prop in surface.schemas.properties(endpoint.body_schema or {}).items():
        fmt, kind = prop.get("format", ""), prop.get("type", "")
        if fmt in ("date", "date-time"):
            kind = "date"
        elif "enum" in prop:
            kind = "enum"
        elif kind == "object" and not prop.get("properties"):
            kind = "map"
        kinds[name] = kind
    return kinds


def mutations(kind: str) -> Iterator[tuple[str, Any, bool]]:
    """(label, value, must be refused) for a field of this kind."""
    if kind in ("string", "enum"):
        for label, (value, must) in STRINGS.items():
            yield label, value, must and kind == "string"
    elif kind in ("integer", "number"):
        yield from ((label, value, must) for label, (value, must) in NUMBERS.items())
    elif kind == "date":
        yield from ((d, d, d != "9999-12-31") for d in DATES)
    elif kind == "array":
        yield "1MB-item", ["a" * 1_000_000], True
        yield "NUL-item", ["a\u0000b"], True
        yield "10k-items", ["t"] * 10_000, False
    elif kind in ("map", "object"):
        yield "1MB-value", {"k": "a" * 1_000_000}, kind == "map"
        yield "NUL-key", {"a\u0000b": 1}, True
        yield "10k-keys", {f"k{i}": i for i in range(10_000)}, False


def field_problems(surface: Surface, endpoint: Endpoint, target: Target, refusable: bool) -> list[str | None]:
    """Each top-level field set to each hostile value of its kind; `refusable` picks the values
    that must be refused (else those that may be stored, as text, but must not fail)."""
    problems: list[str | None] = []
    for name, kind in field_kinds(surface, endpoint).items():
        for label, value, must_refuse in mutations(kind):
            if must_refuse != refusable or (name, label) in KNOWN_GAPS:
                continue
            body = {**surface.body(endpoint), name: copy.deepcopy(value)}  # fresh: a new email each
            r = send(surface, endpoint, target, json_body=body)
            check = refused if must_refuse else tolerated
            problems.append(check(surface, endpoint, r, f"{name}={label}"))
    return problems


@pytest.mark.usefixtures("unchanged")
def test_hostile_field_values_are_refused_and_create_nothing(surface: Surface, target: Target) -> None:
    problems = [p for e in writes(surface) for p in field_problems(surface, e, target, refusable=True)]
    assert not any(problems), surface.report(problems)


def test_odd_but_storable_field_values_never_fail(surface: Surface, target: Target) -> None:
    problems = [p for e in writes(surface) for p in field_problems(surface, e, target, refusable=False)]
    assert not any(problems), surface.report(problems)


@pytest.mark.usefixtures("unchanged")
def test_non_finite_numbers_are_refused(surface: Surface, target: Target) -> None:
    problems: list[str | None] = []
    for endpoint in writes(surface):
        numeric = [n for n, k in field_kinds(surface, endpoint).items() if k in ("integer", "number")]
        nested = ["customFields"] if "customFields" in field_kinds(surface, endpoint) else []
        for name in [*numeric, *nested]:
            for raw in RAW_NUMBERS:
                body = httpx.Request("POST", "/", json={**surface.body(endpoint), name: "@@"}).content
                value = raw if name in numeric else '{"k": ' + raw + "}"
                content = body.replace(b'"@@"', value.encode())
                r = send(surface, endpoint, target, content=content,
                         headers={"Content-Type": "application/json"})
                problems.append(refused(surface, endpoint, r, f"{name}={raw}"))
    assert not any(problems), surface.report(problems)


def test_unicode_and_sql_text_round_trip_unchanged(client: TestClient, target: Target) -> None:
    h = target.account.headers
    for name in ["😀 مرحبا \u202eevil\u202c עברית 𝔘𝔫𝔦", *SQL, "Robert'); DROP TABLE Students;--"]:
        r = client.post("/api/crm/customers", headers=h, json={"name": name, "company": name[:200]})
        assert r.status_code == 201, r.text
        got = client.get(f"/api/crm/customers/{r.json()['data']['customer']['id']}", headers=h)
        assert got.json()["data"]["customer"]["name"] == name.strip()
    assert client.get("/api/crm/customers", headers=h).status_code == 200


# --- queries ------------------------------------------------------------------------------------


def query_values(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type")
    if kind in ("integer", "number"):
        return ["-1", "1.5", "abc", "NaN", "Infinity", "1e400", str(10**30), str(2**63), ""]
    if schema.get("format") in ("date", "date-time"):
        return DATES
    return [SQL[0], SQL[2], SQL[4], "x" * 10_000, "a\x00b", "%", "😀\u202e", "", "\\u0000"]


@pytest.mark.usefixtures("unchanged")
def test_hostile_query_values_never_fail_the_server(surface: Surface, target: Target) -> None:
    problems: list[str | None] = []
    endpoints = [e for e in surface.protected() if e.query_params]
    assert len(endpoints) >= 4
    for endpoint in endpoints:
        for param in endpoint.query_params:
            schema = surface.schemas.resolve(param.get("schema", {}))
            for value in query_values(schema):
                r = send(surface, endpoint, target, params={param["name"]: value})
                problems.append(tolerated(surface, endpoint, r, f"{param['name']}={value[:20]!r}"))
    assert not any(problems), surface.report(problems)


def test_sql_in_search_is_text(client: TestClient, target: Target, other_account: Account) -> None:
    client.post("/api/crm/customers", headers=other_account.headers, json={"name": "Other Tenant Row"})
    for term in [*SQL, "%", "_", "*"]:
        for path, key in (("/api/crm/customers", "customers"), ("/api/crm/deals", "deals")):
            r = client.get(path, headers=target.account.headers, params={"search": term})
            assert r.status_code == 200, r.text
            assert r.json()["data"][key] == [], (path, term)
    found = client.get("/api/crm/customers", headers=target.account.headers, params={"search": "Own"})
    assert [c["name"] for c in found.json()["data"]["customers"]] == ["Own Customer"]


def test_negative_and_huge_pagination(client: TestClient, target: Target) -> None:
    h = target.account.headers
    for params in ({"page": -1}, {"page": 0}, {"limit": 0}, {"limit": -5}, {"limit": 10**9},
                   {"page": 10**12}, {"limit": "ten"}, {"page": 1.5}):
        for path in ("/api/crm/customers", "/api/crm/deals"):
            r = client.get(path, headers=h, params=params)
            assert r.status_code == 422 and r.json()["error"]["code"] == "VALIDATION_ERROR", (path, params)


# --- path ids -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("unchanged")
def test_hostile_path_ids_are_4xx(surface: Surface, target: Target) -> None:
    problems: list[str | None] = []
    for endpoint in [e for e in surface.protected() if e.path_params]:
        for raw in PATH_IDS:
            url = endpoint.url(default="@@").replace("%40%40", raw)
            r = send(surface, endpoint, target, url=url)
            problems.append(refused(surface, endpoint, r, f"id={raw[:20]!r}", (400, 404, 405, 413, 422)))
    assert not any(problems), surface.report(problems)


# --- MCP ----------------------------------------------------------------------------------------


def test_hostile_mcp_requests(client: TestClient, target: Target) -> None:
    h = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json",
         **target.account.headers}
    for raw in [*MALFORMED.values(), b"x" * (10 * MIB)]:
        r = client.post("/mcp", content=raw, headers=h)
        assert 400 <= r.status_code < 500, (raw[:20], r.status_code, r.text[:200])
    for arguments in ({"name": "a\u0000b"}, {"name": "x" * 1_000_000}, {"name": {"$gt": ""}},
                      {"customer_id": "x" * 10_000}, {"name": "ok", "custom_fields": {"k": "a\u0000"}}):
        body = {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                "params": {"name": "create_customer", "arguments": arguments}}
        r = client.post("/mcp", json=body, headers=h)
        assert r.status_code < 500, r.text[:200]
        if r.status_code == 200:
            assert r.json()["result"]["isError"] is True, r.text[:300]


# --- known gaps below the API edge (tools/crm/schemas.py, api/chat/schemas.py) ----------------------
# strict: when the gap is closed the test turns red, as a reminder to drop it from KNOWN_GAPS.


@pytest.mark.parametrize("field", [{"tags": ["a" * 1_000_000]}, {"customFields": {"k": "a" * 1_000_000}}])
def test_customer_tags_and_custom_fields_are_bounded(client: TestClient, target: Target,
                                                           field: dict[str, Any]) -> None:
    r = client.post("/api/crm/customers", headers=target.account.headers, json={"name": "Big", **field})
    assert r.status_code == 422, r.status_code


def test_openai_metadata_is_bounded_like_openais(client: TestClient, target: Target) -> None:
    body = {"messages": [{"role": "user", "content": "hi"}], "metadata": {"k": "a" * 1_000_000}}
    r = client.post("/v1/chat/completions", headers=target.account.headers, json=body)
    assert r.status_code == 400, r.status_code


def test_offset_is_bounded(client: TestClient, target: Target) -> None:
    """SQLite cannot bind an integer past 2**63-1: an unbounded offset would be a 500."""
    for path in ("/api/crm/deals", f"/api/v1/workspaces/{target.account.tenant_id}/deals"):
        try:
            r = client.get(path, headers=target.account.headers, params={"offset": 2**64})
        except OverflowError:
            pytest.fail("500: OverflowError")
        assert r.status_code == 422, r.text
