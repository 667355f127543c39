"""Requests the classifier is unsure of are checked by meaning (agent.nlu.meaning): a question
about the world that names something capitalised is declined instead of answered with a
customer's data; a change stated for a named record is still made. Also the sentence encoder
itself, and the example vectors kept on disk."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from langchain_core.messages import HumanMessage

from agent import service
from agent.nlu import encoder as encoder_module
from agent.nlu import meaning
from agent.nlu.catalog import build_catalog
from agent.nlu.encoder import SentenceEncoder, sentence_encoder
from agent.nlu.model import OfflineChatModel
from agent.nlu.training import NOT_YET, OUT_OF_SCOPE
from tools.context import Principal


def _encoder() -> SentenceEncoder:
    found = sentence_encoder()
    assert found is not None, "make install installs the sentence encoder's package"
    return found


def test_sentences_are_placed_by_meaning() -> None:
    texts = ["delete the customer Jane Smith", "remove that client, Jane Smith", "the population of Lisbon"]
    rows = _encoder().encode(texts)
    assert rows.shape == (3, 384) and np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    assert rows[0] @ rows[1] > 0.6 > rows[0] @ rows[2]
    again = _encoder().encode(["remove that client, Jane Smith"])  # batched alone: the same vector
    assert np.allclose(again[0], rows[1], atol=1e-5)


def test_the_registry_checks_unsure_requests_by_meaning() -> None:
    check = build_catalog().meaning
    assert check.outside("What was the population of Lisbon in 2020?") == OUT_OF_SCOPE
    late = "text Ben Okafor that his delivery is running an hour late"
    assert check.outside(late) in (OUT_OF_SCOPE, NOT_YET)
    assert check.outside("what's Jane Smith's phone number") is None
    assert check.outside("move the Acme rental deal to proposal") is None


@pytest.mark.anyio
async def test_world_questions_naming_things_are_declined(offline: Principal, agent_closed: None) -> None:
    # Before: a capitalised name was read as a customer's, and that customer's history answered.
    asked = ("What was the population of Lisbon in 2020?", "Plan me a 3-day itinerary for Rome on a budget.")
    for text in asked:
        result = await service.run_turn(offline, text)
        assert not result.tool_calls, text
        assert "can't help with that" in result.answer and "$" not in result.answer


@pytest.mark.anyio
async def test_a_change_stated_for_a_named_customer_is_made(offline: Principal, agent_closed: None) -> None:
    result = await service.run_turn(offline, "Jane Smith's got a new email: jane.s@example.org")
    assert [c.name for c in result.tool_calls][-1] == "update_customer"
    assert result.tool_calls[-1].arguments["email"] == "jane.s@example.org"


def test_example_vectors_are_kept_on_disk(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    found = _encoder()
    store = tmp_path / "sentences.npz"
    monkeypatch.setattr(meaning, "_path", lambda _encoder: store)
    monkeypatch.setattr(meaning, "_KNOWN", {})
    texts = ["show my deals", "who sang Dancing Queen"]
    first = meaning.vectors_of(found, texts)
    assert store.is_file()

    def refuse(*_args: Any) -> np.ndarray:
        raise AssertionError("encoded again")

    monkeypatch.setattr(meaning, "_KNOWN", {})  # a new process: only the disk has them
    monkeypatch.setattr(SentenceEncoder, "encode", refuse)
    assert np.array_equal(meaning.vectors_of(found, texts), first)


def test_without_the_package_nothing_is_declined_by_meaning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    encoder_module._loaded.cache_clear()
    monkeypatch.setattr(encoder_module, "model_dir", lambda: None)
    try:
        with caplog.at_level(logging.WARNING, logger="bizpilot.nlu"):
            assert build_catalog().meaning.outside("What was the population of Lisbon in 2020?") is None
        assert "not installed" in caplog.text
    finally:
        encoder_module._loaded.cache_clear()


def test_a_message_too_short_to_place_stays_unsure() -> None:
    """"why?" says too little for its meaning to be placed: the answer is that the assistant is not
    sure what is meant, not that the request is outside the business's data."""
    reply = OfflineChatModel(today=date(2026, 12, 5)).invoke([HumanMessage("why?")])
    assert not reply.tool_calls and "not sure" in str(reply.content)


@pytest.mark.anyio
async def test_a_word_foreign_to_the_chosen_tool_has_its_meaning_checked(
        offline: Principal, agent_closed: None) -> None:
    """"thread" and "history" are no words of the customer tool's examples: scored on the name
    alone, the request had been answered with the customer's record. A request in the tool's own
    words, and one with a title written in lowercase, are still answered."""
    declined = await service.run_turn(offline, "show the full email thread history with noah king")
    assert not declined.tool_calls and "can't" in declined.answer
    answered = await service.run_turn(offline, "show me noah king's email")
    assert [c.name for c in answered.tool_calls][-1] == "get_customer"
    titled = await service.run_turn(offline, "push tyrell's enterprise license to proposal")
    assert [c.name for c in titled.tool_calls][-1] == "move_deal_stage"


def test_a_confident_ranking_is_not_blended(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a request the classifier would decline as unsure pays for the encoder."""
    check = build_catalog().meaning

    def refuse(*_args: Any) -> np.ndarray:
        raise AssertionError("encoded a confident request")

    monkeypatch.setattr(SentenceEncoder, "encode", refuse)
    ranked = [("list_deals", 0.4), ("get_deal", -0.2)]
    assert check.blend("show my deals", ranked) is ranked


def test_an_unsure_ranking_is_placed_by_meaning() -> None:
    """Scored on a stray word, every label below routing.LOW: the sentence head's scores are
    added, and the request's meaning decides."""
    check = build_catalog().meaning
    unsure = [(label, -0.6) for label in ("create_workflow", "list_deals", NOT_YET, OUT_OF_SCOPE)]
    renamed = check.blend('Rename the Lead Nurture Campaign automation to "New lead welcome"', unsure)
    assert renamed[0][0] == NOT_YET
    assert check.blend("show me every open deal in the pipeline", unsure)[0][0] == "list_deals"
    assert check.blend("What was the population of Lisbon in 2020?", unsure)[0][0] == OUT_OF_SCOPE


@pytest.mark.anyio
async def test_a_rename_no_tool_does_is_declined_as_not_yet(offline: Principal, agent_closed: None) -> None:
    # Before: a workflow's word scored it, and a workflow was about to be created.
    renamed = 'Rename the Lead Nurture Campaign automation to "New lead welcome"'
    result = await service.run_turn(offline, renamed)
    assert not result.tool_calls and "can't" in result.answer
