"""The simulator's fit and propagation on the demo generator's own series (no database): the known
lags, signs and elasticities are recovered, an unrelated series gets no edge, an indirect path is
not drawn as a direct edge, effects respect the horizon, and confidence is computed, not fixed."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from store.demo_metrics import LINKS, generate
from tools.forecasting.types import InsufficientHistory
from tools.simulation import service
from tools.simulation.fit import Graph, fit_graph
from tools.simulation.propagate import lag_label, propagate, signed_percent
from tools.simulation.series import Catalogue, require

START = date(2024, 3, 4)


def funnel_frame(days: int, seed: int = 3) -> pd.DataFrame:
    frame = pd.DataFrame(generate(START, days), index=pd.date_range(START, periods=days, freq="D"))
    rng = np.random.default_rng(seed)
    frame["noise_index"] = np.exp(rng.normal(4, 0.3, days))
    frame["random_walk"] = np.exp(5 + np.cumsum(rng.normal(0, 0.05, days)))
    return frame


@pytest.fixture(scope="module")
def graph() -> Graph:
    return fit_graph(funnel_frame(365))


def test_known_lags_and_signs_are_recovered_and_nothing_else(graph: Graph) -> None:
    found = {(e.source, e.target): e for e in graph.edges}
    assert set(found) == {(link.source, link.target) for link in LINKS}
    for link in LINKS:
        edge = found[(link.source, link.target)]
        assert edge.lag_days == link.lag_days
        assert np.sign(edge.elasticity) == np.sign(link.elasticity)
        assert abs(edge.elasticity - link.elasticity) < 4 * edge.std_error + 0.02
        assert edge.p_value < 0.05


def test_noise_and_indirect_paths_get_no_edge(graph: Graph) -> None:
    touched = {m for e in graph.edges for m in (e.source, e.target)}
    assert "noise_index" not in touched and "random_walk" not in touched
    assert not any(e.source == "marketing_spend" and e.target == "conversions" for e in graph.edges)


def test_effects_follow_the_chain_within_the_horizon(graph: Graph) -> None:
    week = propagate(graph, "marketing_spend", 20, 7)
    assert [e.metric for e in week] == ["website_sessions"]
    full = propagate(graph, "marketing_spend", 20, 90)
    assert [(e.metric, e.lag_days) for e in full] == [
        ("website_sessions", 7), ("conversions", 14), ("attributed_revenue", 21)]
    sessions = full[0]
    edge = next(e for e in graph.edges if e.target == "website_sessions")
    assert sessions.change_percent == pytest.approx((1.2 ** edge.elasticity - 1) * 100, abs=0.01)
    for effect in full:
        assert effect.change_percent > 0
        assert effect.lower <= effect.change_percent <= effect.upper
        assert 0 < effect.confidence < 1
    confidences = [e.confidence for e in full]
    assert confidences == sorted(confidences, reverse=True) and len(set(confidences)) > 1
    cut = propagate(graph, "marketing_spend", -10, 90)
    assert all(e.change_percent < 0 for e in cut)
    assert propagate(graph, "attributed_revenue", 10, 90) == []


def test_less_data_gives_wider_intervals_and_lower_confidence(graph: Graph) -> None:
    short = fit_graph(funnel_frame(120, seed=4))
    long_effect = propagate(graph, "marketing_spend", 20, 90)[-1]
    short_effect = next(e for e in propagate(short, "marketing_spend", 20, 90)
                        if e.metric == long_effect.metric)
    assert short_effect.upper - short_effect.lower > long_effect.upper - long_effect.lower
    assert short_effect.confidence <= long_effect.confidence


def test_too_little_data_says_so() -> None:
    frame = funnel_frame(60)
    with pytest.raises(InsufficientHistory, match="at least two daily metrics with 90"):
        require(Catalogue(frame=frame, skipped={}))
    with pytest.raises(InsufficientHistory, match="too short: revenue"):
        require(Catalogue(frame=pd.DataFrame(), skipped={"revenue": 12}))


def test_the_fit_is_cached_by_content() -> None:
    service.clear_cache()
    frame = funnel_frame(150)
    first, cached = service.graph_of(frame)
    again, cached_again = service.graph_of(frame.copy())
    assert not cached and cached_again and again is first
    changed = frame.copy()
    changed.iloc[-1, 0] += 1
    assert service.graph_of(changed)[1] is False


def test_words() -> None:
    assert [lag_label(d) for d in (1, 7, 10, 14)] == ["1 day", "1 week", "10 days", "2 weeks"]
    assert [signed_percent(v) for v in (24.04, -3.5, 0.01, 20)] == ["+24%", "-3.5%", "0%", "+20%"]
