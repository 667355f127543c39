"""Recipient rules, each on data built for it: overdue_customers (an unpaid invoice older than N
days, N configurable), new_leads_this_week, inactive_customers (no order in N days),
all_customers, triggering_customer; an unknown rule is refused listing the known ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from automation_support import admin
from fastapi.testclient import TestClient
from helpers import Account

from core.errors import ValidationFailed
from store.db import unit_of_work
from store.models import Customer, Invoice, Order
from tools.automations import recipients as rules
from tools.runtime import execute

NOW = datetime.now(UTC)


def _setup(account: Account) -> dict[str, str]:
    t = account.tenant_id
    monday = (NOW - timedelta(days=NOW.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    people = {
        "owes_old": Customer(tenant_id=t, name="Olive Owes", email="olive@example.com", status="active"),
        "owes_new": Customer(tenant_id=t, name="Nate Recent", email="nate@example.com", status="active"),
        "paid": Customer(tenant_id=t, name="Pat Paid", email="pat@example.com", status="active"),
        "lead_now": Customer(tenant_id=t, name="Lia Newlead", email="lia@example.com", status="lead",
                             created_at=monday + timedelta(minutes=1)),
        "lead_old": Customer(tenant_id=t, name="Leo Oldlead", email="leo@example.com", status="lead",
                             created_at=monday - timedelta(days=3)),
        "lapsed": Customer(tenant_id=t, name="Lars Lapsed", email=None, status="inactive"),
    }
    with unit_of_work(t) as session:
        session.add_all(people.values())
        session.flush()
        ids = {k: c.id for k, c in people.items()}
        session.add_all([
            Invoice(tenant_id=t, customer_id=ids["owes_old"], status="open", amount_due=Decimal("120.00"),
                    amount_paid=Decimal("20.00"), issued_at=NOW - timedelta(days=45), number="INV-1"),
            Invoice(tenant_id=t, customer_id=ids["owes_old"], status="uncollectible",
                    amount_due=Decimal("50"),
                    amount_paid=Decimal("0"), issued_at=None, due_date=(NOW - timedelta(days=60)).date()),
            Invoice(tenant_id=t, customer_id=ids["owes_new"], status="open", amount_due=Decimal("80"),
                    amount_paid=Decimal("0"), issued_at=NOW - timedelta(days=12)),
            Invoice(tenant_id=t, customer_id=ids["paid"], status="paid", amount_due=Decimal("300"),
                    amount_paid=Decimal("300"), issued_at=NOW - timedelta(days=90)),
            *(Order(tenant_id=t, customer_id=ids[who], total=Decimal("40"),
                    ordered_at=NOW - timedelta(days=d))
              for who, d in (("lapsed", 120), ("paid", 100), ("paid", 5))),
        ])
    return ids


def _names(account: Account, rule: str, **kw: object) -> list[str]:
    with unit_of_work(account.tenant_id) as session:
        return sorted(r.customer["name"] for r in rules.resolve(session, rule, now=NOW, **kw))  # type: ignore[arg-type]


def test_each_rule(client: TestClient, account: Account) -> None:
    ids = _setup(account)
    assert _names(account, "overdue_customers") == ["Olive Owes"]  # N = 30 by default
    assert _names(account, "overdue_customers", days=10) == ["Nate Recent", "Olive Owes"]
    assert _names(account, "overdue_customers", days=100) == []
    with unit_of_work(account.tenant_id) as session:
        [olive] = rules.resolve(session, "overdue_customers", now=NOW)
    assert olive.extra["invoice_count"] == 2 and olive.extra["amount_due"] == 150.0
    assert olive.extra["days_overdue"] == 60 and olive.extra["invoice_numbers"] == ["INV-1"]
    assert _names(account, "new_leads_this_week") == ["Lia Newlead"]
    assert _names(account, "inactive_customers") == ["Lars Lapsed"]  # Pat ordered 5 days ago
    assert _names(account, "inactive_customers", days=3) == ["Lars Lapsed", "Pat Paid"]
    assert len(_names(account, "all_customers")) == 6
    by_nested = {"customer": {"id": ids["paid"]}}
    assert _names(account, "triggering_customer", event_data=by_nested) == ["Pat Paid"]
    by_link = {"customer_id": ids["lapsed"]}
    assert _names(account, "triggering_customer", event_data=by_link) == ["Lars Lapsed"]
    assert _names(account, "triggering_customer", event_data={}) == []


def test_rules_stay_in_their_tenant(client: TestClient, account: Account, other_account: Account) -> None:
    _setup(account)
    assert _names(other_account, "all_customers") == []
    assert _names(other_account, "overdue_customers") == []


def test_unknown_rules_and_templates_are_refused_listing_the_known_ones(client: TestClient,
                                                                       account: Account) -> None:
    with pytest.raises(ValidationFailed) as err:
        execute("create_automation", admin(account), {"schedule": "daily at 9", "action": "send_email",
                                                      "template": "invoice_reminder", "recipients": "vips"},
                confirmed=True)
    assert all(name in err.value.message for name in rules.RULE_NAMES)
    assert [d["field"] for d in err.value.details] == ["actions.0.recipients"]
    with pytest.raises(ValidationFailed) as err:
        execute("create_automation", admin(account), {"schedule": "daily at 9", "action": "send_email",
                                                      "template": "birthday", "recipients": "all_customers"},
                confirmed=True)
    assert "invoice_reminder, welcome_lead, feature_highlight, win_back" in err.value.message
    with pytest.raises(ValidationFailed, match="needs an event trigger"):
        execute("create_automation", admin(account), {"schedule": "daily at 9", "template": "win_back",
                                                      "recipients": "triggering_customer"}, confirmed=True)
    assert execute("list_automations", admin(account), {}).total == 0  # type: ignore[attr-defined]
