"""The lineage and trust tools' phrases on real results state only figures of those results
(the evals' grounding check), on the demo tenant and on an empty workspace.

`lineage.samples.lineage_calls` runs them; tests/tools/test_tool_language.py uses it too (its
`sample_calls` must run every exposed tool)."""

from __future__ import annotations

from typing import Any

import pytest
from builders import principal
from fastapi.testclient import TestClient
from helpers import Account
from lineage.samples import MINE, lineage_calls
from pydantic import BaseModel

from evals.harness import CallRecord
from evals.scoring import ungrounded
from tools.language import language_of


def _check(calls: list[tuple[str, dict[str, Any], BaseModel]]) -> set[str]:
    for name, args, out in calls:
        language = language_of(name)
        assert language is not None
        text = language.phrase(out, args)
        assert text.strip() and "None" not in text and "{" not in text, (name, text)
        if name == "entity_lineage":  # the record as it is spelt ("Customer Jane Miller", not "jane miller")
            assert str(getattr(out, "label", "")) in text, text
        loose = ungrounded(text, [CallRecord(name, args, out.model_dump_json())])
        assert not loose, f"{name} {args}: {loose} not in the result:\n{text}"
        assert language.phrase(type(out).model_validate_json(out.model_dump_json()), args) == text
    return {name for name, _a, _o in calls}


def test_phrases_on_the_demo(client: TestClient, demo_account: Account) -> None:
    assert _check(lineage_calls(principal(demo_account))) == set(MINE)


def test_phrases_on_an_empty_workspace(client: TestClient, account: Account) -> None:
    assert _check(lineage_calls(principal(account))) >= set(MINE) - {"trust_signals", "entity_lineage"}


@pytest.mark.parametrize("name", MINE)
def test_every_tool_has_ten_examples(name: str) -> None:
    language = language_of(name)
    assert language is not None and len(language.examples) >= 10


def test_a_field_named_as_people_name_it_on_that_kind_of_record() -> None:
    """"The amount on the fit-out deal": a deal's amount is its value, an order's its total."""
    from tools.lineage.schemas import EntityInput

    assert EntityInput.model_validate({"deal_id": "d1", "field": "amount"}).field == "value"
    order = {"entity_type": "order", "entity_id": "o1", "field": "amount"}
    assert EntityInput.model_validate(order).field == "total"
    assert EntityInput.model_validate({"customer_id": "c1", "field": "email"}).field == "email"
