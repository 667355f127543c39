"""Document 001's customer endpoints: shapes, pagination, validation, deletion, isolation."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from fastapi.testclient import TestClient

if TYPE_CHECKING:
    from tests.api.conftest import Crm
    from tests.conftest import Account

DOC_BODY = {
    "name": "Jane Smith",
    "email": "jane@example.com",
    "phone": "+1234567890",
    "company": "Tech Corp",
    "status": "lead",
    "tags": ["enterprise", "priority"],
    "customFields": {"industry": "Technology", "employees": 500},
}
ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def headers(account: Account, tenant_id: str | None = None) -> dict[str, str]:
    h = dict(account.headers)
    if tenant_id:
        h["X-Tenant-Id"] = tenant_id
    return h


def get_customer(client: TestClient, account: Account, customer_id: str) -> dict[str, Any]:
    r = client.get(f"/api/crm/customers/{customer_id}", headers=account.headers)
    assert r.status_code == 200, r.text
    return dict(r.json()["data"]["customer"])


def test_create_with_document_body_answers_201_camel_case(client: TestClient, account: Account) -> None:
    r = client.post("/api/crm/customers", json=DOC_BODY, headers=account.headers)
    assert r.status_code == 201
    body = r.json()
    assert body["success"] is True and body["error"] is None
    assert body["meta"]["requestId"] == r.headers["x-request-id"]
    customer = body["data"]["customer"]
    assert set(customer) == {"id", "name", "email", "phone", "company", "status", "tags",
                             "customFields", "createdAt", "updatedAt"}
    assert {k: customer[k] for k in ("name", "email", "phone", "company", "status", "tags")} == {
        k: DOC_BODY[k] for k in ("name", "email", "phone", "company", "status", "tags")}
    assert customer["customFields"] == {"industry": "Technology", "employees": 500}
    assert ISO_Z.match(customer["createdAt"]) and ISO_Z.match(customer["updatedAt"])
    assert get_customer(client, account, customer["id"]) == customer


def test_create_accepts_snake_case_and_defaults_to_lead(client: TestClient, account: Account) -> None:
    body = {"name": "Snake Case", "custom_fields": {"source": "fair"}}
    r = client.post("/api/crm/customers", json=body, headers=account.headers)
    assert r.status_code == 201, r.text
    customer = r.json()["data"]["customer"]
    assert customer["customFields"] == {"source": "fair"}
    assert customer["status"] == "lead" and customer["tags"] == [] and customer["email"] is None


def test_invalid_create_names_the_fields_and_creates_nothing(
    client: TestClient, account: Account, crm: Crm
) -> None:
    before = crm.customer_total(account)
    bad = {"email": "not-an-email", "status": "vip", "tags": "x"}
    r = client.post("/api/crm/customers", json=bad, headers=account.headers)
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    fields = {d["field"] for d in error["details"]}
    assert {"name", "email", "status", "tags"} <= fields
    assert set(error["fields"]) == fields
    assert r.json()["data"] is None and r.json()["success"] is False
    assert crm.customer_total(account) == before


def test_duplicate_email_is_a_conflict(client: TestClient, account: Account, crm: Crm) -> None:
    crm.customer(account, email="dup@example.com")
    before = crm.customer_total(account)
    r = client.post("/api/crm/customers", json={"name": "Again", "email": "DUP@example.com"},
                    headers=account.headers)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "RESOURCE_CONFLICT"
    assert crm.customer_total(account) == before


def test_pagination_math(client: TestClient, account: Account, crm: Crm) -> None:
    ids = [crm.customer(account, name=f"Page {i}")["id"] for i in range(5)]
    seen: list[str] = []
    for page, count, has_next in ((1, 2, True), (2, 2, True), (3, 1, False)):
        r = client.get(f"/api/crm/customers?page={page}&limit=2", headers=account.headers)
        assert r.status_code == 200
        body = r.json()
        expected = {"page": page, "limit": 2, "total": 5, "totalPages": 3, "hasNext": has_next,
                    "hasPrev": page > 1}
        assert body["data"]["pagination"] == expected
        assert body["pagination"] == expected
        assert (body["meta"]["page"], body["meta"]["limit"], body["meta"]["total"]) == (page, 2, 5)
        assert len(body["data"]["customers"]) == count
        seen += [c["id"] for c in body["data"]["customers"]]
    assert seen == list(reversed(ids))  # newest first, no row twice, none skipped
    beyond = client.get("/api/crm/customers?page=4&limit=2", headers=account.headers).json()
    assert beyond["data"]["customers"] == [] and beyond["data"]["pagination"]["total"] == 5


def test_empty_list_has_zero_pages(client: TestClient, account: Account) -> None:
    data = client.get("/api/crm/customers", headers=account.headers).json()["data"]
    assert data["customers"] == []
    assert data["pagination"] == {"page": 1, "limit": 20, "total": 0, "totalPages": 0,
                                  "hasNext": False, "hasPrev": False}


def test_filters_search_and_sorting(client: TestClient, account: Account, crm: Crm) -> None:
    crm.customer(account, name="Carla", company="Acme Corp", status="active")
    crm.customer(account, name="Abe", company="Globex", status="active", email="abe@globex.io")
    crm.customer(account, name="Bea", company="Acme Labs", status="lead")
    crm.customer(account, name="a_b literal", status="lead")

    def names(query: str) -> list[str]:
        r = client.get(f"/api/crm/customers?{query}", headers=account.headers)
        assert r.status_code == 200, r.text
        return [c["name"] for c in r.json()["data"]["customers"]]

    assert names("status=active&sortBy=name&sortOrder=asc") == ["Abe", "Carla"]
    assert names("company=acme&sortBy=name&sortOrder=desc") == ["Carla", "Bea"]
    assert names("search=globex.io") == ["Abe"]
    assert names("search=a_b") == ["a_b literal"]  # _ is not a wildcard
    assert names("sort_by=name&sort_order=asc&limit=2") == ["a_b literal", "Abe"]


def test_customers_are_filtered_by_tag_in_any_case_and_only_the_tenants(
    client: TestClient, account: Account, other_account: Account, crm: Crm
) -> None:
    crm.customer(account, name="Vera", tags=["VIP", "wholesale"])
    crm.customer(account, name="Walt", tags=["wholesale"])
    crm.customer(account, name="Vipul", tags=["newsletter"])  # "vip" is in his name, not his tags
    crm.customer(other_account, name="Otto", tags=["vip"])

    def names(account: Account, query: str) -> list[str]:
        r = client.get(f"/api/crm/customers?{query}", headers=account.headers)
        assert r.status_code == 200, r.text
        return [c["name"] for c in r.json()["data"]["customers"]]

    assert names(account, "tag=vip") == ["Vera"]
    assert names(account, "tag=Wholesale&sortBy=name&sortOrder=asc") == ["Vera", "Walt"]
    assert names(account, "tag=vip&status=churned") == []
    assert names(other_account, "tag=vip") == ["Otto"]
    r = client.get("/api/crm/customers?tag=", headers=account.headers)
    assert r.status_code == 422 and "tag" in r.text


def test_invalid_list_query_is_422_naming_fields(client: TestClient, account: Account) -> None:
    r = client.get("/api/crm/customers?limit=0&status=vip&sortBy=password", headers=account.headers)
    assert r.status_code == 422
    fields = {d["field"] for d in r.json()["error"]["details"]}
    assert {"limit", "status", "sortBy"} <= fields


def test_unknown_customer_is_404_in_envelope(client: TestClient, account: Account) -> None:
    for method in ("GET", "PATCH", "DELETE"):
        kwargs: dict[str, Any] = {"json": {"status": "active"}} if method == "PATCH" else {}
        r = client.request(method, "/api/crm/customers/does-not-exist", headers=account.headers,
                           **kwargs)
        assert r.status_code == 404, method
        body = r.json()
        assert body["success"] is False and body["data"] is None
        assert body["error"]["code"] == "NOT_FOUND"
        assert body["error"]["message"] == "Customer not found"
        assert body["meta"]["requestId"]


def test_patch_changes_only_given_fields(client: TestClient, account: Account, crm: Crm) -> None:
    created = client.post("/api/crm/customers", json=DOC_BODY, headers=account.headers).json()
    customer = created["data"]["customer"]
    r = client.patch(f"/api/crm/customers/{customer['id']}",
                     json={"status": "active", "tags": ["enterprise", "priority", "converted"]},
                     headers=account.headers)
    assert r.status_code == 200
    updated = r.json()["data"]["customer"]
    assert updated["status"] == "active"
    assert updated["tags"] == ["enterprise", "priority", "converted"]
    for same in ("id", "name", "email", "phone", "company", "customFields", "createdAt"):
        assert updated[same] == customer[same]
    assert updated["updatedAt"] >= customer["updatedAt"]
    assert get_customer(client, account, customer["id"]) == updated
    r = client.patch(f"/api/crm/customers/{customer['id']}", json={"phone": None},
                     headers=account.headers)
    assert r.json()["data"]["customer"]["phone"] is None


def test_tags_can_be_added_and_removed_keeping_the_others(client: TestClient, account: Account) -> None:
    """"tag her as VIP" must not wipe the tags she has: addTags/removeTags change only those."""
    created = client.post("/api/crm/customers", json=DOC_BODY, headers=account.headers).json()
    path = f"/api/crm/customers/{created['data']['customer']['id']}"
    client.patch(path, json={"tags": ["retail", "b2b"]}, headers=account.headers)
    change = {"addTags": ["vip", "retail"], "removeTags": ["b2b"]}
    r = client.patch(path, json=change, headers=account.headers)
    assert r.status_code == 200 and r.json()["data"]["customer"]["tags"] == ["retail", "vip"]


def test_invalid_patch_is_422_and_changes_nothing(client: TestClient, account: Account, crm: Crm) -> None:
    customer = crm.customer(account, status="lead")
    r = client.patch(f"/api/crm/customers/{customer['id']}",
                     json={"status": "gold", "email": "nope", "name": ""}, headers=account.headers)
    assert r.status_code == 422
    assert {"status", "email", "name"} <= {d["field"] for d in r.json()["error"]["details"]}
    assert get_customer(client, account, customer["id"]) == customer


def test_patch_ignores_an_id_in_the_body(client: TestClient, account: Account, crm: Crm) -> None:
    first, second = crm.customer(account), crm.customer(account)
    r = client.patch(f"/api/crm/customers/{first['id']}",
                     json={"customerId": second["id"], "company": "Moved"}, headers=account.headers)
    assert r.status_code == 200
    assert r.json()["data"]["customer"]["id"] == first["id"]
    assert get_customer(client, account, second["id"])["company"] == second["company"]


def test_delete_answers_204_and_the_customer_is_gone(
    client: TestClient, account: Account, crm: Crm
) -> None:
    customer = crm.customer(account)
    deal = crm.deal(account, customerId=customer["id"], stage="closed_won")  # an open one blocks it
    r = client.delete(f"/api/crm/customers/{customer['id']}", headers=account.headers)
    assert r.status_code == 204 and r.content == b""
    assert client.get(f"/api/crm/customers/{customer['id']}", headers=account.headers).status_code == 404
    assert client.delete(f"/api/crm/customers/{customer['id']}",
                         headers=account.headers).status_code == 404
    kept = client.get(f"/api/crm/deals/{deal['id']}", headers=account.headers).json()["data"]["deal"]
    assert kept["customerId"] is None  # the deal survives its customer


def test_another_tenant_cannot_see_or_change_customers(
    client: TestClient, account: Account, other_account: Account, crm: Crm
) -> None:
    customer = crm.customer(account, name="Private Person", email="private@example.com")
    other = other_account.headers
    listing = client.get("/api/crm/customers?search=Private", headers=other).json()["data"]
    assert listing["customers"] == [] and listing["pagination"]["total"] == 0
    url = f"/api/crm/customers/{customer['id']}"
    assert client.get(url, headers=other).status_code == 404
    r = client.patch(url, json={"name": "Hijacked", "status": "churned"}, headers=other)
    assert r.status_code == 404 and r.json()["error"]["code"] == "NOT_FOUND"
    assert client.delete(url, headers=other).status_code == 404
    assert get_customer(client, account, customer["id"]) == customer
    # the same email is free in another tenant: uniqueness is per business
    assert crm.customer(other_account, email="private@example.com")["id"] != customer["id"]


def test_x_tenant_id_of_a_foreign_tenant_is_404(
    client: TestClient, account: Account, other_account: Account, crm: Crm
) -> None:
    crm.customer(account)
    for tenant in (account.tenant_id, "no-such-tenant"):
        r = client.get("/api/crm/customers", headers=headers(other_account, tenant))
        assert r.status_code == 404
        assert r.json()["error"]["code"] == "TENANT_NOT_FOUND"
    r = client.post("/api/crm/customers", json={"name": "Planted"},
                    headers=headers(other_account, account.tenant_id))
    assert r.status_code == 404
    assert crm.customer_total(account) == 1


def test_member_of_two_workspaces_switches_with_x_tenant_id(
    client: TestClient, account: Account, second_workspace: str, crm: Crm
) -> None:
    home = crm.customer(account, name="Home Customer")
    away = crm.customer(account, second_workspace, name="Second Shop Customer")

    def listed(tenant: str | None) -> list[str]:
        r = client.get("/api/crm/customers", headers=headers(account, tenant))
        assert r.status_code == 200
        return [c["id"] for c in r.json()["data"]["customers"]]

    assert listed(None) == [home["id"]]
    assert listed(account.tenant_id) == [home["id"]]
    assert listed(second_workspace) == [away["id"]]
    assert client.get(f"/api/crm/customers/{away['id']}", headers=account.headers).status_code == 404
    r = client.get(f"/api/crm/customers/{away['id']}", headers=headers(account, second_workspace))
    assert r.status_code == 200


def test_only_analysts_and_admins_may_delete(client: TestClient, demo_account: Account) -> None:
    """The demo team's staff member has the `user` role: delete is refused, nothing removed."""
    from core.settings import get_settings

    staff_email = "staff@" + get_settings().demo_email.split("@", 1)[1]
    login = client.post("/api/auth/login", json={"email": staff_email,
                                                 "password": get_settings().demo_password})
    assert login.status_code == 200, login.text
    staff = {"Authorization": f"Bearer {login.json()['data']['accessToken']}"}
    customer = client.get("/api/crm/customers?limit=1", headers=staff).json()["data"]["customers"][0]
    r = client.delete(f"/api/crm/customers/{customer['id']}", headers=staff)
    assert r.status_code == 403 and r.json()["error"]["code"] == "FORBIDDEN"
    assert get_customer(client, demo_account, customer["id"]) == customer


def test_crm_routes_send_rate_limit_headers(client: TestClient, account: Account) -> None:
    first = client.get("/api/crm/customers", headers=account.headers)
    second = client.get("/api/crm/customers", headers=account.headers)
    limit = int(first.headers["X-RateLimit-Limit"])
    assert int(first.headers["X-RateLimit-Remaining"]) == limit - 1
    assert int(second.headers["X-RateLimit-Remaining"]) == limit - 2
    assert int(first.headers["X-RateLimit-Reset"]) > 0


def test_no_password_or_hash_in_customer_responses(client: TestClient, account: Account, crm: Crm) -> None:
    customer = crm.customer(account)
    for r in (client.get("/api/crm/customers", headers=account.headers),
              client.get(f"/api/crm/customers/{customer['id']}", headers=account.headers)):
        assert "password" not in r.text.lower() and "$argon2" not in r.text


def test_requests_without_a_token_are_401(client: TestClient) -> None:
    r = client.get("/api/crm/customers")
    assert r.status_code == 401 and r.json()["error"]["code"] == "UNAUTHORIZED"
    assert r.headers["WWW-Authenticate"] == "Bearer"
