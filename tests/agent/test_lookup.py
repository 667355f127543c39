"""`find_records`: names to ids with fuzzy scores, over the caller's own tenant only."""

from __future__ import annotations

from typing import Any

import pytest

from agent.tool_binding import usable_tools
from tests.agent.conftest import principal_of
from tools.context import Principal
from tools.lookup import CONTAINED, EXACT, MIN_SCORE, score
from tools.registry import get_tool
from tools.runtime import execute


def test_scores() -> None:
    assert score("jane smith", ["Jane Smith", "Soylent Foods"]) == EXACT
    assert score("jane", ["Jane Smith"]) == CONTAINED
    assert score("hooli store fit-out", ["Hooli - Store fit-out", "Grace King", "Hooli"]) == CONTAINED
    assert score("hooli store fit-out", ["Hooli - Corporate gifts", "Mateo Wright", "Hooli"]) < CONTAINED - 20
    assert score("cyberdine", ["Cyberdyne - Corporate gifts"]) > 80
    assert score("acme", ["Aisha Chen", "Globex"]) < MIN_SCORE
    assert score("anything", [None, ""]) == 0.0


def find(principal: Principal, **args: Any) -> list[dict[str, Any]]:
    out = execute("find_records", principal, args, source="agent")
    return [c.model_dump() for c in out.candidates]  # type: ignore[attr-defined]


def test_it_is_a_read_tool_in_the_crm_toolset(me: Principal) -> None:
    spec = get_tool("find_records")
    assert (spec.kind, spec.toolset, spec.tenant_scoped) == ("read", "crm", True)
    assert spec in usable_tools(me)


def test_finds_by_name_typo_company_and_email(me: Principal, customer_factory: Any) -> None:
    zed = customer_factory("Zed Quinlan", company="Quinlan Kites", email="zed@quinlan.example")
    customer_factory("Zoe Quartz", company="Quartz Ltd")
    assert find(me, kind="customer", text="Zed Quinlan")[0] | {"score": 0} == {
        "id": zed,
        "kind": "customer",
        "label": "Zed Quinlan",
        "detail": "Quinlan Kites · zed@quinlan.example · lead",
        "score": 0,
    }
    assert find(me, kind="customer", text="zed quinlen")[0]["id"] == zed
    assert find(me, kind="customer", text="zed@quinlan.example")[0]["score"] == EXACT
    assert find(me, kind="customer", text="Nobody Atall") == []


def test_deals_are_found_by_title_or_customer(me: Principal, customer_factory: Any) -> None:
    owner = customer_factory("Yara Okonkwo", company="Okonkwo Tents")
    made = execute(
        "create_deal", me, {"title": "Okonkwo Tents - Rental fleet", "value": 1200, "customer_id": owner}
    )
    deal_id = made.deal.id  # type: ignore[attr-defined]
    [best, *_] = find(me, kind="deal", text="okonkwo rental fleet")
    assert (best["id"], best["kind"], best["score"]) == (deal_id, "deal", CONTAINED)
    assert find(me, kind="deal", text="Yara Okonkwo")[0]["id"] == deal_id
    assert {c["kind"] for c in find(me, text="Okonkwo")} == {"customer", "deal"}


def test_tenant_isolation(account: Any, other_account: Any) -> None:
    """Each tenant finds only its own records, even with the same names; members and workspaces
    are the caller's own."""
    mine, theirs = principal_of(account), principal_of(other_account)
    own = execute("create_customer", mine, {"name": "Quentin Lookalike"}).customer.id  # type: ignore[attr-defined]
    other = execute("create_customer", theirs, {"name": "Quentin Lookalike"}).customer.id  # type: ignore[attr-defined]
    for principal, expected, hidden in ((mine, own, other), (theirs, other, own)):
        for kind in ("customer", None):
            ids = [c["id"] for c in find(principal, kind=kind, text="Quentin Lookalike", limit=20)]
            assert expected in ids and hidden not in ids
    members = find(mine, kind="member", text=account.email, limit=20)
    assert [m["id"] for m in members] == [account.user_id]
    name = execute("get_workspace", theirs, {}).workspace.name  # type: ignore[attr-defined]
    assert other_account.tenant_id in {w["id"] for w in find(theirs, kind="workspace", text=name)}
    assert other_account.tenant_id not in {w["id"] for w in find(mine, kind="workspace", text=name)}


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "invoice", "text": "x"},
        {"kind": "customer", "text": ""},
        {"kind": "customer", "text": "x", "limit": 0},
    ],
)
def test_invalid_input_is_refused(me: Principal, bad: dict[str, Any]) -> None:
    from core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        execute("find_records", me, bad)
