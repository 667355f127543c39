"""A fake HubSpot CRM v3: contacts, companies and deals, list and search, and the v4
associations batch read.

As HubSpot does it: `Authorization: Bearer <private app token>`; `GET
/crm/v3/objects/{type}?limit(≤100)&after&properties=a,b&associations=contacts` answering
`{results: [{id, properties, createdAt, updatedAt, archived}], paging: {next: {after}}}`;
`POST .../search` with filterGroups on `lastmodifieddate` (contacts) or `hs_lastmodifieddate`
(others) in epoch ms, ascending sorts, `after` paging and a `total`; property values as strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fakes.local_server import LocalServer
from fakes.providers import COMPANIES, FakeProvider, at, email_for, first_at_or_after, person, rng, serve
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

ID_BASE = {"contacts": 100, "companies": 5000, "deals": 9000}
STEP = {"contacts": 300.0, "companies": 900.0, "deals": 400.0}
STAGES = ["appointmentscheduled", "qualifiedtobuy", "presentationscheduled",
          "decisionmakerboughtin", "contractsent", "closedwon", "closedlost", "customstage1"]
LIFECYCLE = ["lead", "subscriber", "marketingqualifiedlead", "salesqualifiedlead", "opportunity",
             "customer", "customer", "evangelist"]
DEFAULT_PROPS = {"contacts": ["firstname", "lastname", "email"], "companies": ["name", "domain"],
                 "deals": ["dealname", "amount", "dealstage", "closedate", "pipeline"]}


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class HubSpotFake(FakeProvider):
    contacts: int = 80
    companies: int = 20
    deals: int = 60

    def presented_key(self, request: Request) -> str | None:
        auth = request.headers.get("authorization", "")
        return auth[7:] if auth.startswith("Bearer ") else None

    def unauthorized(self, presented: str | None) -> Response:
        return JSONResponse({"status": "error", "category": "INVALID_AUTHENTICATION",
                             "message": "Authentication credentials not found. This API supports "
                                        "OAuth 2.0 authentication.",
                             "correlationId": "7c5b1a3e-0000-4000-8000-000000000001"}, status_code=401)

    def too_many(self) -> Response:
        return JSONResponse({"status": "error", "errorType": "RATE_LIMIT", "policyName": "SECONDLY",
                             "message": "You have reached your secondly limit."}, status_code=429,
                            headers={"Retry-After": self._retry_after})

    def server_error(self) -> Response:
        return JSONResponse({"status": "error", "message": "internal error",
                             "category": "INTERNAL_ERROR"}, status_code=500)

    # --- records ---------------------------------------------------------------------------------

    def count(self, kind: str) -> int:
        return int(getattr(self, kind))

    def updated(self, kind: str, i: int) -> datetime:
        return at(STEP[kind], i, 3)

    def properties(self, kind: str, i: int) -> dict[str, str | None]:
        r = rng(f"hubspot-{kind}", i)
        updated = self.updated(kind, i)
        modified = "lastmodifieddate" if kind == "contacts" else "hs_lastmodifieddate"
        props: dict[str, str | None] = {"hs_object_id": str(ID_BASE[kind] + i),
                                        "createdate": _iso(at(STEP[kind], i)), modified: _iso(updated)}
        if kind == "contacts":
            first, last = person(i)
            props |= {"firstname": first, "lastname": last if i % 6 else None,
                      "email": None if i % 9 == 4 else email_for(i, "crmmail.example"),
                      "phone": None if i % 2 else f"+1646{r.randint(1000000, 9999999)}",
                      "company": COMPANIES[i % len(COMPANIES)],
                      "lifecyclestage": LIFECYCLE[i % len(LIFECYCLE)]}
        elif kind == "companies":
            name = COMPANIES[i % 6] or "Company"
            props |= {"name": f"{name} {i}", "domain": f"company{i}.example" if i % 4 else None}
        else:
            props |= {"dealname": f"Deal {i}: {r.choice(['Renewal', 'Pilot', 'Expansion'])}",
                      "amount": f"{r.randint(5, 500) * 100}" if i % 7 else None,
                      "dealstage": STAGES[i % len(STAGES)], "pipeline": "default",
                      "deal_currency_code": "USD",
                      "closedate": _iso(at(STEP[kind], i, 60 * 24 * 45)) if i % 5 else None}
        return props

    def record(self, kind: str, i: int, wanted: list[str] | None, associations: bool) -> dict[str, Any]:
        props = self.properties(kind, i)
        modified = "lastmodifieddate" if kind == "contacts" else "hs_lastmodifieddate"
        keep = set(wanted or DEFAULT_PROPS[kind]) | {"hs_object_id", "createdate", modified}
        row: dict[str, Any] = {"id": str(ID_BASE[kind] + i), "archived": False,
                               "properties": {k: v for k, v in props.items() if k in keep},
                               "createdAt": props["createdate"], "updatedAt": _iso(self.updated(kind, i))}
        contact = self.deal_contact(i)
        if associations and kind == "deals" and contact is not None:
            row["associations"] = {"contacts": {"results": [{"id": contact, "type": "deal_to_contact"}]}}
        return row

    def deal_contact(self, i: int) -> str | None:
        return None if i % 8 == 5 or not self.contacts else str(ID_BASE["contacts"] + (i * 3) % self.contacts)

    # --- routes ----------------------------------------------------------------------------------

    async def listing(self, request: Request) -> Response:
        kind = request.path_params["kind"]
        if kind not in ID_BASE:
            return JSONResponse({"status": "error", "message": "Unknown object type"}, status_code=404)
        params = request.query_params
        limit = int(params.get("limit", 10))
        if not 1 <= limit <= 100:
            return JSONResponse({"status": "error", "category": "VALIDATION_ERROR",
                                 "message": "limit must be at most 100"}, status_code=400)
        offset = int(params.get("after") or 0)
        wanted = [p for v in params.getlist("properties") for p in v.split(",") if p] or None
        assoc = "contacts" in params.get("associations", "")
        end = min(offset + limit, self.count(kind))
        body: dict[str, Any] = {"results": [self.record(kind, i, wanted, assoc) for i in range(offset, end)]}
        if end < self.count(kind):
            body["paging"] = {"next": {"after": str(end), "link": f"?after={end}"}}
        return JSONResponse(body)

    async def search(self, request: Request) -> Response:
        kind = request.path_params["kind"]
        query = await request.json()
        limit = int(query.get("limit", 10))
        if not 1 <= limit <= 200:
            return JSONResponse({"status": "error", "message": "limit must be at most 200"}, status_code=400)
        start = 0
        for group in query.get("filterGroups", []):
            for f in group.get("filters", []):
                modified = f["propertyName"] in ("lastmodifieddate", "hs_lastmodifieddate")
                if modified and f["operator"] == "GTE":
                    since = datetime.fromtimestamp(int(f["value"]) / 1000, UTC)
                    start = first_at_or_after(self.count(kind), lambda i: self.updated(kind, i), since)
        total = self.count(kind) - start
        offset = start + int(query.get("after") or 0)
        end = min(offset + limit, self.count(kind))
        body: dict[str, Any] = {"total": total, "results": [
            self.record(kind, i, query.get("properties"), False) for i in range(offset, end)]}
        if end < self.count(kind):
            body["paging"] = {"next": {"after": str(end - start)}}
        return JSONResponse(body)

    async def associations(self, request: Request) -> Response:
        query = await request.json()
        results = []
        for item in query.get("inputs", []):
            contact = self.deal_contact(int(item["id"]) - ID_BASE["deals"])
            if contact is not None:
                results.append({"from": {"id": item["id"]}, "to": [{"toObjectId": int(contact),
                                "associationTypes": [{"category": "HUBSPOT_DEFINED", "typeId": 3}]}]})
        return JSONResponse({"status": "COMPLETE", "results": results})

    async def account(self, request: Request) -> Response:
        return JSONResponse({"portalId": 2_468_135, "accountType": "STANDARD", "timeZone": "US/Eastern",
                             "companyCurrency": "USD", "uiDomain": "app.hubspot.com"})

    @property
    def app(self) -> Starlette:
        return Starlette(routes=[
            Route("/account-info/v3/details", self.guarded(self.account)),
            Route("/crm/v3/objects/{kind}", self.guarded(self.listing)),
            Route("/crm/v3/objects/{kind}/search", self.guarded(self.search), methods=["POST"]),
            Route("/crm/v4/associations/deals/contacts/batch/read", self.guarded(self.associations),
                  methods=["POST"]),
        ])


def start_hubspot_fake(key: str = "pat-na1-fake-0000-1111",
                       **counts: int) -> tuple[LocalServer, str, HubSpotFake]:
    """A running fake HubSpot: point HUBSPOT_API_BASE at the base URL; stop with `server.stop()`."""
    fake = HubSpotFake(key=key, **counts)  # type: ignore[arg-type]
    server, base_url = serve(fake.app)
    return server, base_url, fake
