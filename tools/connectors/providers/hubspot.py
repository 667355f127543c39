"""HubSpot (CRM v3): contacts (our customers), companies and deals.

Wire format, as HubSpot documents it: a private app's access token as `Authorization: Bearer`;
`GET /crm/v3/objects/{type}?limit&after&properties` answering `{results, paging.next.after}`;
deals listed with `associations=contacts` so a deal names its contact. An incremental sync uses
the search endpoint (`POST /crm/v3/objects/{type}/search`, last-modified ≥ since in epoch ms,
ascending); search does not return associations, so deals found that way get their contacts from
the v4 associations batch read. Contacts' last-modified property is `lastmodifieddate`, every
other object's `hs_lastmodifieddate`. Search answers at most 10,000 results per query.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from core.errors import ConnectorAuthFailed, ThirdPartyFailed, ValidationFailed
from core.settings import get_settings
from tools.connectors.base import AccountInfo, CredentialField, EntityType, Page, SourceItem, register
from tools.connectors.providers import http
from tools.connectors.providers.http import ProviderHTTP, currency, parse_time, to_decimal

MAX_LIMIT = 100
PROPERTIES = {
    "contacts": ("firstname", "lastname", "email", "phone", "company", "lifecyclestage",
                 "lastmodifieddate"),
    "companies": ("name", "domain", "hs_lastmodifieddate"),
    "deals": ("dealname", "amount", "dealstage", "closedate", "deal_currency_code",
              "hs_lastmodifieddate"),
}
ENTITY: dict[str, EntityType] = {"contacts": "customer", "companies": "company", "deals": "deal"}
LIFECYCLE = {"lead": "lead", "subscriber": "lead", "marketingqualifiedlead": "prospect",
             "salesqualifiedlead": "prospect", "opportunity": "prospect", "customer": "active"}
STAGES = {"appointmentscheduled": "qualified", "qualifiedtobuy": "qualified",
          "presentationscheduled": "proposal", "decisionmakerboughtin": "negotiation",
          "contractsent": "negotiation", "closedwon": "closed_won", "closedlost": "closed_lost"}


def modified_property(object_type: str) -> str:
    return "lastmodifieddate" if object_type == "contacts" else "hs_lastmodifieddate"


@partial(register, category="crm")
class HubSpotConnector:
    type = "hubspot"
    display_name = "HubSpot"
    description = "Contacts, companies and deals from HubSpot CRM."
    resources = ("contacts", "companies", "deals")
    credential_fields = (
        CredentialField("apiKey", "Private app access token",
                        help="From a HubSpot private app with crm.objects.contacts/companies/deals.read "
                             "scopes (starts with pat-)"),
    )

    def __init__(self, credentials: Mapping[str, str], config: Mapping[str, Any]) -> None:
        token = (credentials.get("apiKey") or credentials.get("accessToken") or "").strip()
        if not token:
            raise ValidationFailed("HubSpot needs a private app access token",
                                   details=[{"field": "apiKey", "message": "required"}])
        settings = get_settings()
        self.base = settings.hubspot_api_base.rstrip("/")
        self.page_size = min(settings.connector_page_size, MAX_LIMIT)
        self.http = ProviderHTTP("HubSpot", {"Authorization": f"Bearer {token}"}, secrets=[token])

    def check(self) -> AccountInfo:
        self.http.get_json(f"{self.base}/crm/v3/objects/contacts", {"limit": 1})
        try:
            details, _ = self.http.get_json(f"{self.base}/account-info/v3/details")
        except (ThirdPartyFailed, ConnectorAuthFailed):  # the token may lack that scope: fine
            details = {}
        if not isinstance(details, dict):
            details = {}
        portal = str(details.get("portalId") or "hubspot")
        return AccountInfo(account_id=portal, name=str(details.get("uiDomain") or f"HubSpot {portal}"),
                           details={"currency": currency(details.get("companyCurrency")),
                                    "timeZone": details.get("timeZone")})

    def fetch(self, resource: str, cursor: str | None, since: str | None) -> Page:
        if resource not in PROPERTIES:
            raise ValidationFailed(f"HubSpot has no resource {resource!r}")
        if since:
            data = self._search(resource, cursor, since)
        else:
            params: dict[str, Any] = {"limit": self.page_size, "after": cursor or None,
                                      "properties": ",".join(PROPERTIES[resource]),
                                      "archived": "false"}
            if resource == "deals":
                params["associations"] = "contacts"
            data, _ = self.http.get_json(f"{self.base}/crm/v3/objects/{resource}", params)
        rows = [r for r in (data.get("results") if isinstance(data, dict) else None) or []
                if isinstance(r, dict)]
        contacts = self._deal_contacts(rows) if resource == "deals" and since else {}
        items = [_item(resource, row, contacts) for row in rows]
        after = ((data.get("paging") or {}).get("next") or {}).get("after")
        return Page(items=items, next_cursor=str(after) if after and rows else None,
                    high_water=http.high_water(i.updated_at for i in items))

    def _search(self, resource: str, cursor: str | None, since: str) -> Any:
        when = parse_time(since)
        if when is None:
            raise ValidationFailed(f"Not a timestamp: {since!r}")
        prop = modified_property(resource)
        body: dict[str, Any] = {
            "filterGroups": [{"filters": [{"propertyName": prop, "operator": "GTE",
                                           "value": str(int(when.timestamp() * 1000))}]}],
            "sorts": [{"propertyName": prop, "direction": "ASCENDING"}],
            "properties": list(PROPERTIES[resource]), "limit": self.page_size}
        if cursor:
            body["after"] = cursor
        data, _ = self.http.post_json(f"{self.base}/crm/v3/objects/{resource}/search", body)
        return data

    def _deal_contacts(self, rows: list[dict[str, Any]]) -> dict[str, str]:
        """deal id → its first contact id, through the v4 associations batch read."""
        if not rows:
            return {}
        data, _ = self.http.post_json(f"{self.base}/crm/v4/associations/deals/contacts/batch/read",
                                      {"inputs": [{"id": str(r["id"])} for r in rows]})
        found: dict[str, str] = {}
        for result in (data.get("results") if isinstance(data, dict) else None) or []:
            targets = result.get("to") or []
            if targets:
                found[str((result.get("from") or {}).get("id"))] = str(targets[0].get("toObjectId"))
        return found


def _item(resource: str, row: dict[str, Any], contacts: dict[str, str]) -> SourceItem:
    props = row.get("properties") or {}
    source_id = str(row["id"])
    updated = parse_time(row.get("updatedAt") or props.get(modified_property(resource)))
    fields: dict[str, Any]
    if resource == "contacts":
        name = " ".join(p for p in (props.get("firstname"), props.get("lastname")) if p) or None
        fields = {"name": name, "email": props.get("email") or None,
                  "phone": props.get("phone") or None, "company": props.get("company") or None,
                  "status": LIFECYCLE.get((props.get("lifecyclestage") or "").lower(), "lead")}
    elif resource == "companies":
        fields = {"name": props.get("name"), "domain": props.get("domain") or None}
    else:
        linked = ((row.get("associations") or {}).get("contacts") or {}).get("results") or []
        close = parse_time(props.get("closedate"))
        fields = {"title": props.get("dealname"), "value": to_decimal(props.get("amount")),
                  "currency": currency(props.get("deal_currency_code")),
                  "stage": STAGES.get((props.get("dealstage") or "").lower(), "lead"),
                  "expected_close_date": close.date() if close else None,
                  "customer_source_id": str(linked[0]["id"]) if linked else contacts.get(source_id)}
    return SourceItem(resource=resource, entity=ENTITY[resource], source_id=source_id,
                      fields=fields, updated_at=updated)
