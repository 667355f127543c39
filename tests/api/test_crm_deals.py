"""Document 001's deal endpoints (plus list/get/patch/delete and the pipeline): shapes, filters,
stage moves, validation, isolation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi.testclient import TestClient

if TYPE_CHECKING:
    from tests.api.conftest import Crm
    from tests.conftest import Account

DEAL_KEYS = {"id", "workspaceId", "title", "description", "value", "currency", "stage", "status",
             "probability", "customerId", "customerName", "expectedCloseDate", "assignedTo",
             "closedAt", "createdAt", "updatedAt"}


def fetch(client: TestClient, account: Account, deal_id: str) -> dict[str, Any]:
    r = client.get(f"/api/crm/deals/{deal_id}", headers=account.headers)
    assert r.status_code == 200, r.text
    return dict(r.json()["data"]["deal"])


def deal_list(client: TestClient, account: Account, query: str = "") -> dict[str, Any]:
    r = client.get(f"/api/crm/deals?{query}", headers=account.headers)
    assert r.status_code == 200, r.text
    return dict(r.json()["data"])


def test_create_with_document_body(client: TestClient, account: Account, crm: Crm) -> None:
    customer = crm.customer(account, name="Jane Smith", company="Tech Corp")
    body = {"customerId": customer["id"], "title": "Enterprise License Deal", "value": 50000,
            "stage": "proposal", "probability": 60, "expectedCloseDate": "2026-03-31",
            "assignedTo": account.user_id}
    r = client.post("/api/crm/deals", json=body, headers=account.headers)
    assert r.status_code == 201
    deal = r.json()["data"]["deal"]
    assert set(deal) == DEAL_KEYS
    assert deal["title"] == "Enterprise License Deal" and deal["value"] == 50000
    assert (deal["stage"], deal["status"], deal["probability"]) == ("proposal", "open", 60)
    assert deal["expectedCloseDate"] == "2026-03-31" and deal["assignedTo"] == account.user_id
    assert deal["customerId"] == customer["id"] and deal["customerName"] == "Jane Smith"
    assert deal["workspaceId"] == account.tenant_id and deal["closedAt"] is None
    assert fetch(client, account, deal["id"]) == deal


def test_create_snake_case_and_stage_defaults(client: TestClient, account: Account) -> None:
    r = client.post("/api/crm/deals", json={"title": "Snake", "value": 10.5,
                                            "expected_close_date": "2026-05-01"},
                    headers=account.headers)
    assert r.status_code == 201, r.text
    deal = r.json()["data"]["deal"]
    assert (deal["stage"], deal["probability"], deal["currency"]) == ("lead", 10, "USD")
    assert deal["expectedCloseDate"] == "2026-05-01"


def test_invalid_create_names_fields_and_creates_nothing(
    client: TestClient, account: Account, crm: Crm
) -> None:
    before = crm.deal_total(account)
    r = client.post("/api/crm/deals", json={"value": -5, "stage": "bogus", "probability": 150,
                                            "expectedCloseDate": "soon"}, headers=account.headers)
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert {"title", "value", "stage", "probability", "expectedCloseDate"} <= set(error["fields"])
    assert crm.deal_total(account) == before


def test_assignee_must_be_a_member_of_the_workspace(
    client: TestClient, account: Account, other_account: Account, crm: Crm
) -> None:
    before = crm.deal_total(account)
    for outsider in ("not-a-user", other_account.user_id):
        r = client.post("/api/crm/deals", json={"title": "X", "value": 1, "assignedTo": outsider},
                        headers=account.headers)
        assert r.status_code == 422
        assert r.json()["error"]["details"][0]["field"] == "assignedTo"
    assert crm.deal_total(account) == before
    deal = crm.deal(account)
    r = client.patch(f"/api/crm/deals/{deal['id']}", json={"assignedTo": other_account.user_id},
                     headers=account.headers)
    assert r.status_code == 422
    assert fetch(client, account, deal["id"]) == deal


def test_a_deal_cannot_link_another_tenants_customer(
    client: TestClient, account: Account, other_account: Account, crm: Crm
) -> None:
    foreign = crm.customer(other_account)
    before = crm.deal_total(account)
    r = client.post("/api/crm/deals", json={"title": "Steal", "value": 1, "customerId": foreign["id"]},
                    headers=account.headers)
    assert r.status_code == 404 and r.json()["error"]["message"] == "Customer not found"
    assert crm.deal_total(account) == before


def test_list_filters_and_pagination(client: TestClient, account: Account, crm: Crm) -> None:
    acme = crm.customer(account, company="Acme Corp")
    crm.deal(account, title="Small lead", value=100, stage="lead")
    crm.deal(account, title="Acme rollout", value=5000, stage="proposal", customerId=acme["id"],
             assignedTo=account.user_id)
    crm.deal(account, title="Won big", value=20000, stage="closed_won")
    crm.deal(account, title="Lost one", value=700, stage="closed_lost")

    def titles(query: str) -> list[str]:
        return sorted(d["title"] for d in deal_list(client, account, query)["deals"])

    assert titles("status=open") == ["Acme rollout", "Small lead"]
    assert titles("status=won") == ["Won big"]
    assert titles("stage=lost") == ["Lost one"]  # 'lost' is an alias of closed_lost
    assert titles("status=won&stage=lead") == []  # contradictory filters match nothing
    assert titles("minValue=500&maxValue=6000") == ["Acme rollout", "Lost one"]
    assert titles(f"customerId={acme['id']}") == ["Acme rollout"]
    assert titles(f"assignedTo={account.user_id}") == ["Acme rollout"]
    assert titles("search=acme") == ["Acme rollout"]
    page = deal_list(client, account, "page=2&limit=3&sortBy=value&sortOrder=desc")
    assert [d["title"] for d in page["deals"]] == ["Small lead"]
    assert page["pagination"] == {"page": 2, "limit": 3, "total": 4, "totalPages": 2,
                                  "hasNext": False, "hasPrev": True}
    assert (page["total"], page["offset"], page["totalValue"]) == (4, 3, 25800)


def test_invalid_list_query(client: TestClient, account: Account) -> None:
    r = client.get("/api/crm/deals?stage=won-ish&minValue=-1&page=0", headers=account.headers)
    assert r.status_code == 422
    assert {"stage", "minValue", "page"} <= {d["field"] for d in r.json()["error"]["details"]}


def test_move_stage_sets_probability_and_closing(client: TestClient, account: Account, crm: Crm) -> None:
    deal = crm.deal(account, stage="proposal")
    url = f"/api/crm/deals/{deal['id']}/stage"
    r = client.patch(url, json={"stage": "negotiation", "probability": 80}, headers=account.headers)
    assert r.status_code == 200
    moved = r.json()["data"]["deal"]
    assert (moved["stage"], moved["probability"], moved["status"]) == ("negotiation", 80, "open")
    won = client.patch(url, json={"stage": "won"}, headers=account.headers).json()["data"]["deal"]
    assert (won["stage"], won["probability"], won["status"]) == ("closed_won", 100, "won")
    assert won["closedAt"] is not None
    back = client.patch(url, json={"stage": "qualified"}, headers=account.headers).json()["data"]["deal"]
    assert (back["probability"], back["closedAt"]) == (25, None)
    assert fetch(client, account, deal["id"]) == back


def test_invalid_stage_move_changes_nothing(client: TestClient, account: Account, crm: Crm) -> None:
    deal = crm.deal(account, stage="proposal")
    for body, field in (({"stage": "heaven"}, "stage"), ({}, "stage"),
                        ({"stage": "lead", "probability": 101}, "probability")):
        r = client.patch(f"/api/crm/deals/{deal['id']}/stage", json=body, headers=account.headers)
        assert r.status_code == 422
        assert field in r.json()["error"]["fields"]
    assert fetch(client, account, deal["id"]) == deal


def test_patch_deal_fields(client: TestClient, account: Account, crm: Crm) -> None:
    deal = crm.deal(account, title="Old", value=10, stage="lead")
    r = client.patch(f"/api/crm/deals/{deal['id']}", json={"title": "New", "value": 99.5,
                                                           "stage": "proposal"},
                     headers=account.headers)
    assert r.status_code == 200
    patched = r.json()["data"]["deal"]
    assert (patched["title"], patched["value"], patched["stage"], patched["probability"]) == (
        "New", 99.5, "proposal", 50)
    assert patched["createdAt"] == deal["createdAt"]
    r = client.patch(f"/api/crm/deals/{deal['id']}", json={"value": -1}, headers=account.headers)
    assert r.status_code == 422 and fetch(client, account, deal["id"]) == patched


def test_delete_deal(client: TestClient, account: Account, crm: Crm) -> None:
    deal = crm.deal(account)
    r = client.delete(f"/api/crm/deals/{deal['id']}", headers=account.headers)
    assert r.status_code == 204 and r.content == b""
    assert client.get(f"/api/crm/deals/{deal['id']}", headers=account.headers).status_code == 404


def test_unknown_deal_is_404_everywhere(client: TestClient, account: Account) -> None:
    calls = [("GET", "/api/crm/deals/nope", None), ("PATCH", "/api/crm/deals/nope", {"title": "x"}),
             ("PATCH", "/api/crm/deals/nope/stage", {"stage": "lead"}),
             ("DELETE", "/api/crm/deals/nope", None)]
    for method, url, body in calls:
        r = client.request(method, url, json=body, headers=account.headers)
        assert r.status_code == 404, (method, url)
        assert r.json()["error"]["code"] == "NOT_FOUND"
        assert r.json()["error"]["message"] == "Deal not found"


def test_another_tenant_cannot_see_or_change_deals(
    client: TestClient, account: Account, other_account: Account, crm: Crm
) -> None:
    deal = crm.deal(account, title="Secret Merger", value=999, stage="negotiation")
    other = other_account.headers
    listing = client.get("/api/crm/deals?search=Secret", headers=other).json()["data"]
    assert listing["deals"] == [] and listing["total"] == 0 and listing["totalValue"] == 0
    url = f"/api/crm/deals/{deal['id']}"
    assert client.get(url, headers=other).status_code == 404
    assert client.patch(url, json={"value": 1}, headers=other).status_code == 404
    assert client.patch(url + "/stage", json={"stage": "closed_lost"}, headers=other).status_code == 404
    assert client.delete(url, headers=other).status_code == 404
    assert fetch(client, account, deal["id"]) == deal
    pipeline = client.get("/api/crm/pipeline", headers=other).json()["data"]
    assert pipeline["openCount"] == 0 and pipeline["openValue"] == 0


def test_pipeline_summary_matches_the_deals(client: TestClient, account: Account, crm: Crm) -> None:
    for stage, value in (("lead", 1000), ("lead", 3000), ("proposal", 2000),
                         ("closed_won", 4000), ("closed_lost", 500)):
        crm.deal(account, stage=stage, value=value)
    r = client.get("/api/crm/pipeline", headers=account.headers)
    assert r.status_code == 200
    data = r.json()["data"]
    by_stage = {s["stage"]: s for s in data["stages"]}
    assert [s["stage"] for s in data["stages"]] == ["lead", "qualified", "proposal", "negotiation",
                                                    "closed_won", "closed_lost"]
    assert (by_stage["lead"]["count"], by_stage["lead"]["value"]) == (2, 4000)
    assert by_stage["lead"]["weightedValue"] == 400  # 10% default probability
    assert by_stage["proposal"]["weightedValue"] == 1000
    assert (data["openCount"], data["openValue"], data["weightedValue"]) == (3, 6000, 1400)
    assert (data["wonCount"], data["wonValue"], data["lostCount"]) == (1, 4000, 1)
    assert data["winRate"] == 0.5 and data["currency"] == "USD"


def test_deals_filtered_by_expected_close_date(client: TestClient, account: Account, crm: Crm) -> None:
    """"Deals likely to close this month": open deals whose expected close date is in the window;
    undated and already closed deals are left out."""
    h = account.headers
    inside = crm.deal(account, title="Closes soon", stage="proposal", expectedCloseDate="2031-05-10")
    crm.deal(account, title="Closes later", stage="proposal", expectedCloseDate="2031-06-01")
    crm.deal(account, title="Undated", stage="proposal")
    crm.deal(account, title="Won already", stage="closed_won", expectedCloseDate="2031-05-12")
    r = client.get("/api/crm/deals", params={"status": "open", "expectedCloseAfter": "2031-05-01",
                                             "expectedCloseBefore": "2031-06-01"}, headers=h)
    assert r.status_code == 200, r.text
    assert [d["id"] for d in r.json()["data"]["deals"]] == [inside["id"]]
    raw = client.get(f"/api/v1/workspaces/{account.tenant_id}/deals",
                     params={"expected_close_before": "2031-05-11", "expected_close_after": "2031-05-10"},
                     headers=h)
    assert raw.status_code == 200 and [d["title"] for d in raw.json()["deals"]] == ["Closes soon"]



def test_a_deal_search_finds_every_word_in_its_title_company_or_customer(
        client: TestClient, account: Account, crm: Crm) -> None:
    """"Hooli annual supply contract" finds "Annual supply contract" of the customer at Hooli: each
    word is somewhere in the title, the company or the name; a word found nowhere finds nothing."""
    hooli = crm.customer(account, name="Omar Lee", company="Hooli")
    crm.deal(account, title="Hooli - Annual supply contract", value=9000, customerId=hooli["id"])
    crm.deal(account, title="Annual supply contract", value=4000)

    def titles(query: str) -> list[str]:
        return sorted(d["title"] for d in deal_list(client, account, query)["deals"])

    assert titles("search=Hooli annual supply contract") == ["Hooli - Annual supply contract"]
    assert titles("search=omar supply") == ["Hooli - Annual supply contract"]
    assert titles("search=annual supply") == ["Annual supply contract", "Hooli - Annual supply contract"]
    assert titles("search=hooli renewal") == []
