"""Several changes asked in one request, one of them declined when it is previewed: the others
still run, unless a later step points back to the declined one. Through the service, with the
offline model in the real graph on the seeded demo tenant."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from agent import service
from store.db import unit_of_work
from store.models import Customer, Deal
from tools.context import Principal

pytestmark = pytest.mark.anyio


async def test_declining_one_step_leaves_the_others_asked_for(offline: Principal, agent_closed: None) -> None:
    """Two changes asked together: the owner declines the deletion when it is previewed, and the
    other change is still made (they asked for both and declined one); the deal stays."""
    first = await service.run_turn(
        offline, "delete the Initech store fit-out deal and mark Carlos Jackson as churned")
    pending = first.pending_confirmation
    assert pending is not None and pending["tool"] == "delete_deal"
    deal_id = pending["arguments"]["deal_id"]
    second = await service.run_turn(offline, "no", conversation_id=first.conversation_id)
    assert [(c.name, c.status) for c in second.tool_calls][:1] == [("delete_deal", "cancelled")]
    assert [c.name for c in second.tool_calls][-1] == "update_customer"
    assert "cancelled" in second.answer and "churned" in second.answer
    with unit_of_work(offline.tenant_id) as session:
        assert session.get(Deal, deal_id) is not None
        carlos = session.scalars(select(Customer).where(Customer.name == "Carlos Jackson")).one()
        assert carlos.status == "churned"


async def test_declining_a_step_a_later_one_points_back_to_ends_the_turn(
        offline: Principal, agent_closed: None) -> None:
    first = await service.run_turn(
        offline, "delete the Initech store fit-out deal, then show me its customer")
    assert first.pending_confirmation is not None
    second = await service.run_turn(offline, "no", conversation_id=first.conversation_id)
    assert [c.name for c in second.tool_calls] == ["delete_deal"]
    assert "nothing was changed" in second.answer
