"""The trained intent model is saved under the data directory and loaded by the next start with
the same training set and code; a damaged file is retrained over; NLU_CACHE=false never reads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.nlu.classifier import IntentClassifier
from agent.nlu.training import TrainingSet, build
from core.settings import get_settings
from tools.language import ToolLanguage

PROBES = ("how much revenue last month", "book me a flight to paris", "list my customers")


def _training(extra: str = "") -> TrainingSet:
    def lang(*examples: str) -> ToolLanguage:
        return ToolLanguage(examples=tuple(examples), phrase=lambda _out, _args: "")

    revenue = [f"revenue for {p}" for p in ("last month", "this week", "q1", "june", "the year")]
    customers = [f"show {w} customers" for w in ("all", "my", "active", "new", "vip")]
    return build({"revenue_tool": lang(*revenue, "how much did we make", "sales total",
                                       "income this month", "turnover", f"money in {extra}"),
                  "customer_tool": lang(*customers, "list clients", "who are my buyers",
                                        "contacts", "crm list", "people who bought")})


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NLU_CACHE", "true")
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_second_start_loads_the_same_model(data_dir: Path) -> None:
    first = IntentClassifier(_training())
    second = IntentClassifier(_training())
    assert not first.loaded and second.loaded
    assert [second.ranked(p) for p in PROBES] == [first.ranked(p) for p in PROBES]
    assert len(list((data_dir / "nlu").glob("intent-*.joblib"))) == 1


def test_other_training_data_trains_afresh(data_dir: Path) -> None:
    IntentClassifier(_training())
    changed = IntentClassifier(_training("the bank"))
    assert not changed.loaded
    assert len(list((data_dir / "nlu").glob("intent-*.joblib"))) == 2


def test_a_damaged_file_is_retrained_over(data_dir: Path) -> None:
    IntentClassifier(_training())
    (saved,) = (data_dir / "nlu").glob("intent-*.joblib")
    saved.write_bytes(b"not a model")
    again = IntentClassifier(_training())
    assert not again.loaded and again.ranked(PROBES[0])[0][0] == "revenue_tool"
    assert IntentClassifier(_training()).loaded


def test_switched_off(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NLU_CACHE", "false")
    IntentClassifier(_training())
    assert not IntentClassifier(_training()).loaded
    assert not (data_dir / "nlu").exists()


def test_a_changed_synonym_trains_afresh(data_dir: Path) -> None:
    """The same words, each standing for another value: other features, so another model (the
    synonyms' words alone did not change the key, and a stale model was loaded)."""
    def training(low: str, high: str) -> TrainingSet:
        examples = [f"{w} risk customers" for w in ("show", "list", "which", "find", "any")]
        synonyms = {"level": {"low": (low,), "high": (high,)}}
        customers = tuple(f"show {w} customers" for w in ("all", "my", "new", "vip", "old", "top"))
        return build({"risk_tool": ToolLanguage(examples=(*examples, *examples), phrase=lambda _o, _a: "",
                                                synonyms=synonyms),
                      "customer_tool": ToolLanguage(examples=(*customers, "list clients", "contacts",
                                                              "crm list", "people who bought"),
                                                    phrase=lambda _o, _a: "")})
    first, swapped = training("calm", "alarming"), training("alarming", "calm")
    assert first.vocabulary == swapped.vocabulary and first.fingerprint != swapped.fingerprint
    IntentClassifier(first)
    assert not IntentClassifier(swapped).loaded
