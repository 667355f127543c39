"""Tenancy probes: tenant B, holding a valid token, aims at tenant A's data every way a client
can: A's real ids in every path slot of every route, A's tenant in X-Tenant-Id and in workspace
paths, A's conversation ids on every chat surface, and A's rows through MCP. Everything is 404 (as
if it did not exist), nothing of A's appears in a response, and A's rows read back unchanged.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from fastapi.testclient import TestClient
from helpers import Account, register

from tools.registry import all_tools

if TYPE_CHECKING:
    from tests.security.conftest import Endpoint, Surface

ACCEPT = {"Accept": "application/json, text/event-stream"}
HOSTILE_TENANT_IDS: list[str | bytes] = [
    "' OR '1'='1", "1; DROP TABLE tenants; --", "\" OR \"\"=\"", "%", "*", "../" * 20, "null",
    "t" * 65, "t" * 10_000, "ünïcödé".encode(), "😀".encode(), "\x7f\x1b[31m",
    "00000000-0000-0000-0000-000000000000",
]


@dataclass
class World:
    owner: Account  # tenant A
    intruder: Account  # tenant B
    customer: dict[str, Any]
    deal: dict[str, Any]
    secrets: list[str]  # A's names: must never reach B

    @property
    def ids(self) -> dict[str, str]:
        return {"customer": self.customer["id"], "deal": self.deal["id"],
                "workspace": self.owner.tenant_id, "user": self.owner.user_id}

    def snapshot(self, client: TestClient) -> list[Any]:
        h = self.owner.headers
        return [client.get(f"/api/crm/customers/{self.customer['id']}", headers=h).json()["data"],
                client.get(f"/api/crm/deals/{self.deal['id']}", headers=h).json()["data"],
                client.get(f"/api/v1/workspaces/{self.owner.tenant_id}", headers=h).json(),
                client.get("/api/crm/customers", headers=h).json()["data"]["pagination"]["total"],
                client.get("/api/crm/deals", headers=h).json()["data"]["total"]]


def _make_world(client: TestClient) -> World:
    tag = uuid.uuid4().hex[:8]
    owner = register(client, tenant_name=f"Alpha Holdings {tag}")
    intruder = register(client, tenant_name=f"Bravo Traders {tag}")
    customer = client.post("/api/crm/customers", headers=owner.headers,
                           json={"name": f"Zebulon Quartz {tag}", "email": f"zq-{tag}@alpha.example.com",
                                 "company": f"Alpha Co {tag}"}).json()["data"]["customer"]
    deal = client.post("/api/crm/deals", headers=owner.headers,
                       json={"title": f"Secret Merger {tag}", "value": 987654,
                             "customerId": customer["id"]}).json()["data"]["deal"]
    secrets = [customer["name"], customer["email"], deal["title"], f"Alpha Holdings {tag}", owner.email,
               f"Alpha Co {tag}"]
    return World(owner, intruder, customer, deal, secrets)


@pytest.fixture
def world(client: TestClient) -> World:
    return _make_world(client)


def leaks(world: World, response: httpx.Response | str, sent: str) -> list[str]:
    """A's names, or A's ids that the request itself did not carry."""
    text = response if isinstance(response, str) else response.text
    found = [s for s in world.secrets if s in text]
    found += [i for i in world.ids.values() if i in text and i not in sent]
    return found


def slot_kind(param: str) -> str | None:
    lowered = param.lower()
    return next((k for k in ("customer", "deal", "workspace", "tenant", "user") if k in lowered), None)


def foreign_id_problems(surface: Surface, world: World, endpoint: Endpoint) -> list[str | None]:
    problems: list[str | None] = []
    for kind, foreign in world.ids.items():
        url = endpoint.url({p: foreign for p in endpoint.path_params})
        r = surface.send(endpoint, url, headers=world.intruder.headers)
        problems.append(surface.problem(endpoint, r, 404))
        if found := leaks(world, r, url):
            problems.append(f"{endpoint} with A's {kind} id leaked {found}")
    return problems


def test_another_tenants_ids_in_every_path_slot_are_404(surface: Surface, client: TestClient,
                                                        world: World) -> None:
    targets = [e for e in surface.protected() if e.path_params and e.path != "/v1/models/{model_id}"]
    assert len(targets) >= 10, [str(e) for e in targets]
    before = world.snapshot(client)
    problems = [p for e in targets for p in foreign_id_problems(surface, world, e)]
    assert not any(problems), surface.report(problems)
    assert world.snapshot(client) == before, "B changed A's rows"


def test_the_same_requests_succeed_for_the_owner(surface: Surface, client: TestClient, world: World) -> None:
    """Control for the probe above: the requests are valid, only the caller differs."""
    problems: list[str | None] = []
    checked = 0
    for endpoint in surface.protected():
        kinds = [slot_kind(p) for p in endpoint.path_params]
        if not kinds or None in kinds or endpoint.method not in ("GET", "PATCH"):
            continue
        checked += 1
        values = {p: world.ids["workspace" if k == "tenant" else str(k)]
                  for p, k in zip(endpoint.path_params, kinds, strict=True)}
        r = surface.send(endpoint, endpoint.url(values), headers=world.owner.headers)
        if isinstance(r, str) or r.status_code >= 300:
            problems.append(f"{endpoint}: the owner got {r if isinstance(r, str) else r.text[:200]}")
    assert checked >= 8 and not any(problems), surface.report(problems)


def own_path_values(world: World) -> dict[str, str]:
    """Path values that are B's own where B has one (its workspace), random otherwise."""
    return {"workspaceId": world.intruder.tenant_id, "workspace_id": world.intruder.tenant_id}


@pytest.mark.parametrize("tenant", ["foreign", *range(len(HOSTILE_TENANT_IDS))])
def test_x_tenant_id_outside_the_callers_tenants_is_404_everywhere(
    surface: Surface, world: World, tenant: str | int
) -> None:
    value = world.owner.tenant_id if tenant == "foreign" else HOSTILE_TENANT_IDS[int(tenant)]
    headers: dict[str, Any] = {**world.intruder.headers, "X-Tenant-Id": value}
    problems: list[str | None] = []
    for endpoint in surface.protected():
        url = endpoint.url(own_path_values(world))
        r = surface.send(endpoint, url, headers=headers)
        problems.append(surface.problem(endpoint, r, 404, "TENANT_NOT_FOUND"))
        if found := leaks(world, r, url):
            problems.append(f"{endpoint} leaked {found}")
    assert not any(problems), surface.report(problems)


def test_own_tenant_in_x_tenant_id_is_accepted(surface: Surface, world: World) -> None:
    """Control: the header itself is fine when it names the caller's own tenant."""
    headers = {**world.intruder.headers, "X-Tenant-Id": world.intruder.tenant_id}
    for path in ("/api/crm/customers", "/api/v1/workspaces", "/v1/models", "/api/users/me"):
        endpoint = next(e for e in surface.protected() if e.path == path and e.method == "GET")
        r = surface.send(endpoint, headers=headers)
        assert not isinstance(r, str) and r.status_code == 200, (path, r)


def test_a_workspace_path_of_another_tenant_is_404_with_any_header(client: TestClient, world: World) -> None:
    for suffix in ("", "/members", "/deals"):
        for extra in ({}, {"X-Tenant-Id": world.intruder.tenant_id}, {"X-Tenant-Id": world.owner.tenant_id}):
            r = client.get(f"/api/v1/workspaces/{world.owner.tenant_id}{suffix}",
                           headers={**world.intruder.headers, **extra})
            assert r.status_code == 404 and r.json()["code"] == "TENANT_NOT_FOUND", (suffix, extra, r.text)
    r = client.post(f"/api/v1/workspaces/{world.owner.tenant_id}/deals", headers=world.intruder.headers,
                    json={"title": "Planted", "value": 1})
    assert r.status_code == 404
    deals = client.get("/api/crm/deals", headers=world.owner.headers).json()["data"]["deals"]
    titles = [d["title"] for d in deals]
    assert "Planted" not in titles


def test_another_tenants_ids_inside_bodies_link_nothing(client: TestClient, world: World) -> None:
    """References in bodies (customer, assignee) resolve in the caller's tenant only, and tenant or
    id fields in a body are not the caller's to set."""
    before = world.snapshot(client)
    h, cid = world.intruder.headers, world.customer["id"]
    created = client.post("/api/crm/deals", headers=h, json={"title": "Own", "value": 1})
    own_deal = created.json()["data"]["deal"]
    attempts = [
        ("POST", "/api/crm/deals", {"title": "Linked", "value": 1, "customerId": cid}, 404),
        ("POST", f"/api/v1/workspaces/{world.intruder.tenant_id}/deals",
         {"title": "Linked", "value": 1, "customer_id": cid}, 404),
        ("PATCH", f"/api/crm/deals/{own_deal['id']}", {"customerId": cid}, 404),
        ("PATCH", f"/api/v1/deals/{own_deal['id']}", {"customer_id": cid}, 404),
        ("POST", "/api/crm/deals", {"title": "Assigned", "value": 1, "assignedTo": world.owner.user_id}, 422),
    ]
    for method, path, body, status in attempts:
        r = client.request(method, path, headers=h, json=body)
        assert r.status_code == status, (method, path, r.text)
        assert not leaks(world, r, str(body)), r.text
    tenant = world.owner.tenant_id
    planted = {"name": "Mass Assigned", "tenantId": tenant, "tenant_id": tenant, "workspaceId": tenant,
               "id": world.customer["id"], "ownerId": world.owner.user_id}
    r = client.post("/api/crm/customers", headers=h, json=planted)
    assert r.status_code == 201 and r.json()["data"]["customer"]["id"] != world.customer["id"]
    r = client.patch(f"/api/crm/deals/{own_deal['id']}", headers=h,
                     json={"title": "Moved", "workspaceId": world.owner.tenant_id, "id": world.deal["id"]})
    assert r.status_code == 200 and r.json()["data"]["deal"]["workspaceId"] == world.intruder.tenant_id
    assert world.snapshot(client) == before


def test_no_tool_takes_the_tenant_or_the_user_as_an_argument(client: TestClient, world: World) -> None:
    """DESIGN: the tenant and the acting user come from the credential, never from arguments."""
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
    answer = client.post("/mcp", json=body, headers={**ACCEPT, **world.owner.headers})
    listed = answer.json()["result"]["tools"]
    schemas = [t["inputSchema"] for t in listed] + [s.input_schema() for s in all_tools().values()]
    forbidden = re.compile(r"^(tenant|workspace|user|owner|acting_?user|principal)(_?id)?$", re.IGNORECASE)
    found = {k for schema in schemas for k in schema.get("properties", {}) if forbidden.match(k)}
    assert not found, found


# --- chat surfaces ------------------------------------------------------------------------------


def ask(client: TestClient, surface_name: str, account: Account, text: str,
        conversation: str | None = None, workspace: str | None = None) -> httpx.Response:
    h = account.headers
    if surface_name == "ai-query":
        context = {"conversationId": conversation} if conversation else None
        return client.post("/api/ai/query", headers=h, json={"query": text, "context": context})
    if surface_name == "v1-chat":
        ctx = {k: v for k, v in {"workspace_id": workspace, "conversation_id": conversation}.items() if v}
        return client.post("/api/v1/chat", headers=h, json={"message": text, "context": ctx or None})
    messages = [{"role": "user", "content": text}]
    if surface_name == "mcp-chat":
        body: dict[str, Any] = {"messages": messages, "conversationId": conversation}
        return client.post("/api/mcp/chat/completions", headers=h, json=body)
    extra = {"X-Conversation-Id": conversation} if conversation else {}
    return client.post("/v1/chat/completions", headers={**h, **extra}, json={"messages": messages})


def answer_and_conversation(surface_name: str, r: httpx.Response) -> tuple[str, str]:
    assert r.status_code == 200, r.text
    body = r.json()
    answer = {"ai-query": lambda: body["data"]["answer"], "v1-chat": lambda: body["response"],
              "mcp-chat": lambda: body["data"]["choices"][0]["message"]["content"],
              "openai": lambda: body["choices"][0]["message"]["content"]}[surface_name]()
    return str(answer), r.headers["X-Conversation-Id"]


CHAT_SURFACES = ["ai-query", "v1-chat", "mcp-chat", "openai"]


@pytest.fixture(scope="module")
def chat_world(client: TestClient) -> World:
    world = _make_world(client)
    for i in range(2):
        client.post("/api/crm/customers", headers=world.owner.headers,
                    json={"name": f"{world.secrets[0]} Extra{i}"})
    return world


@pytest.mark.parametrize("surface_name", CHAT_SURFACES)
def test_chat_counts_only_the_callers_customers(client: TestClient, chat_world: World,
                                                surface_name: str) -> None:
    owner_answer, _ = answer_and_conversation(
        surface_name, ask(client, surface_name, chat_world.owner, "how many customers do I have"))
    assert "3 customers" in owner_answer, owner_answer
    r = ask(client, surface_name, chat_world.intruder, "how many customers do I have")
    answer, _ = answer_and_conversation(surface_name, r)
    assert "0 customers" in answer or "no customers" in answer.lower(), answer
    listing = ask(client, surface_name, chat_world.intruder, "list my customers")
    assert not leaks(chat_world, listing, ""), listing.text


def test_v1_chat_workspace_context_selects_only_own_workspaces(client: TestClient, chat_world: World) -> None:
    r = ask(client, "v1-chat", chat_world.intruder, "list my customers", workspace=chat_world.owner.tenant_id)
    assert r.status_code == 404 and r.json()["code"] == "TENANT_NOT_FOUND", r.text
    assert not leaks(chat_world, r, chat_world.owner.tenant_id)
    own = ask(client, "v1-chat", chat_world.intruder, "how many customers do I have",
              workspace=chat_world.intruder.tenant_id)
    assert own.status_code == 200 and not leaks(chat_world, own, "")


@pytest.mark.parametrize("surface_name", CHAT_SURFACES)
def test_another_users_conversation_id_exposes_nothing(client: TestClient, chat_world: World,
                                                       surface_name: str) -> None:
    owner_answer, conversation = answer_and_conversation(
        surface_name, ask(client, surface_name, chat_world.owner, "list my customers"))
    assert chat_world.secrets[0] in owner_answer
    for follow_up in ("list them again", "and the first one?", "what did I ask before?"):
        r = ask(client, surface_name, chat_world.intruder, follow_up, conversation=conversation)
        answer, got = answer_and_conversation(surface_name, r)
        assert got != conversation, "B was handed A's conversation"
        assert not leaks(chat_world, r, conversation), (follow_up, answer)
    own = ask(client, surface_name, chat_world.owner, "list them again", conversation=conversation)
    _, same = answer_and_conversation(surface_name, own)  # A's own conversation is intact
    assert same == conversation


def test_a_client_chosen_conversation_id_stays_with_its_first_owner(client: TestClient,
                                                                    chat_world: World) -> None:
    chosen = f"support-chat-{uuid.uuid4().hex[:6]}"
    answer_and_conversation("v1-chat", ask(client, "v1-chat", chat_world.owner, "list my customers", chosen))
    r = ask(client, "v1-chat", chat_world.intruder, "list them again", conversation=chosen)
    _, got = answer_and_conversation("v1-chat", r)
    assert got != chosen and not leaks(chat_world, r, chosen)


# --- MCP over HTTP ------------------------------------------------------------------------------


def mcp_call(client: TestClient, account: Account, name: str, arguments: dict[str, Any],
             tenant: str | None = None) -> httpx.Response:
    headers = {**ACCEPT, **account.headers, **({"X-Tenant-Id": tenant} if tenant else {})}
    params = {"name": name, "arguments": arguments}
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": params}
    return client.post("/mcp", json=body, headers=headers)


def test_mcp_tools_cannot_reach_another_tenants_rows(client: TestClient, world: World) -> None:
    before = world.snapshot(client)
    cid, did = world.customer["id"], world.deal["id"]
    attempts: list[tuple[str, dict[str, Any]]] = [
        ("get_customer", {"customer_id": cid}), ("update_customer", {"customer_id": cid, "name": "Owned"}),
        ("delete_customer", {"customer_id": cid}), ("get_deal", {"deal_id": did}),
        ("update_deal", {"deal_id": did, "title": "Owned"}), ("delete_deal", {"deal_id": did}),
        ("move_deal_stage", {"deal_id": did, "stage": "closed_lost"}),
        ("call_tool", {"name": "get_customer", "arguments": {"customer_id": cid}}),
        ("create_deal", {"title": "Planted", "value": 1, "customer_id": cid}),
    ]
    for name, arguments in attempts:
        r = mcp_call(client, world.intruder, name, arguments)
        assert r.status_code == 200, r.text
        result = r.json()["result"]
        assert result["isError"] is True, (name, result)
        assert not leaks(world, r, str(arguments)), (name, r.text)
    for name in ("list_customers", "list_deals", "pipeline_summary"):
        r = mcp_call(client, world.intruder, name, {})
        assert r.status_code == 200 and not leaks(world, r, ""), (name, r.text)
    assert world.snapshot(client) == before


def test_mcp_with_another_tenants_x_tenant_id_is_404(client: TestClient, world: World) -> None:
    r = mcp_call(client, world.intruder, "list_customers", {}, tenant=world.owner.tenant_id)
    assert r.status_code == 404 and r.json()["error"] == "TENANT_NOT_FOUND"
    assert not leaks(world, r, world.owner.tenant_id)
