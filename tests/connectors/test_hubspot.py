"""HubSpot connector against a fake CRM v3 (list, search, v4 associations)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fakes.providers import TEST_MAX_RETRIES as MAX_RETRIES
from fakes.providers import TEST_PAGE_SIZE as PAGE_SIZE
from fakes.providers import drain as drain_all
from fakes.providers.hubspot import ID_BASE, HubSpotFake

from core.errors import ConnectorAuthFailed, ThirdPartyFailed
from tools.connectors.base import build, connector_type

TOKEN = "pat-na1-test-0000-1111-2222"


def connector(token: str = TOKEN) -> Any:
    return build("hubspot", {"apiKey": token}, {})


def test_registered_as_crm() -> None:
    kind = connector_type("hubspot")
    assert kind is not None and kind.category == "crm"
    assert kind.resources == ("contacts", "companies", "deals")


def test_check_with_a_good_token(hubspot_fake: HubSpotFake) -> None:
    info = connector().check()
    assert info.account_id == "2468135" and info.details["currency"] == "USD"
    first = hubspot_fake.calls[0]
    assert first.path == "/crm/v3/objects/contacts" and first.params["limit"] == "1"
    assert first.headers["authorization"] == f"Bearer {TOKEN}"


def test_a_bad_token_is_refused_without_echoing_it(hubspot_fake: HubSpotFake) -> None:
    with pytest.raises(ConnectorAuthFailed) as err:
        build("hubspot", {"accessToken": "pat-na1-wrong"}, {}).check()
    assert "pat-na1-wrong" not in err.value.message and "HubSpot" in err.value.message


def test_contacts_page_with_after(hubspot_fake: HubSpotFake) -> None:
    items = drain_all(connector(), "contacts")
    assert [i.source_id for i in items] == [str(ID_BASE["contacts"] + n) for n in range(120)]
    calls = hubspot_fake.calls_to("/objects/contacts")
    assert len(calls) == 3 and "after" not in calls[0].params and calls[1].params["after"] == str(PAGE_SIZE)
    assert "lifecyclestage" in calls[0].params["properties"]
    c = {i.source_id: i.fields for i in items}
    assert c["101"]["name"] and c["101"]["email"] and c["101"]["phone"] is None
    assert c["100"]["name"] == "Ava" and c["104"]["email"] is None  # no last name, no email
    assert [c[str(100 + n)]["status"] for n in range(8)] == [
        "lead", "lead", "prospect", "prospect", "prospect", "active", "active", "lead"]


def test_deals_with_stage_value_and_contact(hubspot_fake: HubSpotFake) -> None:
    deals = {i.source_id: i for i in drain_all(connector(), "deals")}
    assert hubspot_fake.calls_to("/objects/deals")[0].params["associations"] == "contacts"
    d1 = deals["9001"]
    assert d1.entity == "deal" and d1.fields["stage"] == "qualified"
    assert isinstance(d1.fields["value"], Decimal) and d1.fields["currency"] == "USD"
    assert isinstance(d1.fields["expected_close_date"], date)
    assert d1.fields["customer_source_id"] == "103"
    assert deals["9005"].fields["customer_source_id"] is None
    stages = [deals[str(9000 + n)].fields["stage"] for n in range(8)]
    assert stages == ["qualified", "qualified", "proposal", "negotiation", "negotiation",
                      "closed_won", "closed_lost", "lead"]
    assert deals["9000"].fields["value"] is None and deals["9000"].fields["expected_close_date"] is None
    companies = drain_all(connector(), "companies")
    assert companies[1].entity == "company" and companies[1].fields["domain"] == "company1.example"


def test_since_uses_search_and_associations(hubspot_fake: HubSpotFake) -> None:
    since = hubspot_fake.updated("deals", 20).isoformat()
    deals = drain_all(connector(), "deals", since=since)
    assert [d.source_id for d in deals] == [str(9000 + n) for n in range(20, 60)]
    search = hubspot_fake.calls_to("/objects/deals/search")
    assert len(search) == 1 and search[0].method == "POST"
    f = search[0].body["filterGroups"][0]["filters"][0]
    assert f["propertyName"] == "hs_lastmodifieddate" and f["operator"] == "GTE"
    assert int(f["value"]) == int(hubspot_fake.updated("deals", 20).timestamp() * 1000)
    assert search[0].body["sorts"][0]["direction"] == "ASCENDING"
    by_id = {d.source_id: d for d in deals}
    assert by_id["9022"].fields["customer_source_id"] == "166"  # from the v4 batch read
    assert by_id["9029"].fields["customer_source_id"] is None
    assert len(hubspot_fake.calls_to("/deals/contacts/batch/read")) == 1
    contacts = drain_all(connector(), "contacts", since=hubspot_fake.updated("contacts", 60).isoformat())
    assert len(contacts) == 60
    body = hubspot_fake.calls_to("/objects/contacts/search")[0].body
    assert body["filterGroups"][0]["filters"][0]["propertyName"] == "lastmodifieddate"
    assert hubspot_fake.calls_to("/objects/contacts/search")[1].body["after"] == str(PAGE_SIZE)


def test_a_stored_cursor_resumes(hubspot_fake: HubSpotFake) -> None:
    first = connector().fetch("contacts", None, None)
    resumed = connector().fetch("contacts", first.next_cursor, None)
    assert resumed.items[0].source_id == str(100 + PAGE_SIZE)


def test_429_then_500_are_retried(hubspot_fake: HubSpotFake, sleeps: list[float]) -> None:
    hubspot_fake.rate_limit_next(1, retry_after="3")
    assert connector().fetch("companies", None, None).items
    assert sleeps == [3.0]
    hubspot_fake.fail_next(1)
    assert connector().fetch("companies", None, None).items
    assert len(sleeps) == 2


def test_persistent_errors_and_revocation(hubspot_fake: HubSpotFake, sleeps: list[float]) -> None:
    c = connector()
    page = c.fetch("contacts", None, None)
    hubspot_fake.revoke()
    with pytest.raises(ConnectorAuthFailed):
        c.fetch("contacts", page.next_cursor, None)
    hubspot_fake.reset()
    hubspot_fake.fail_after_calls(1)
    with pytest.raises(ThirdPartyFailed):
        c.fetch("contacts", page.next_cursor, None)
    assert len(sleeps) == MAX_RETRIES
