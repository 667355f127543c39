"""The churn model on a synthetic tenant where churn depends on recency, and its refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from churn.builders import NOW, history, plan

from tools.churn import model
from tools.forecasting.types import InsufficientHistory


@pytest.fixture(scope="module")
def trained() -> model.ChurnModel:
    return model.train(history(plan()), NOW)


def test_it_finds_that_recency_predicts_churn(trained: model.ChurnModel) -> None:
    assert trained.auc > 0.8, trained.metrics()
    assert 0 <= trained.brier < trained.base_rate * (1 - trained.base_rate)  # beats the base rate
    assert trained.examples > 200 and trained.churners >= 5
    assert sum(r.count for r in trained.reliability) == trained.examples
    assert trained.reliability[-1].observed_rate > trained.reliability[0].observed_rate
    assert "gradient_boosting_auc" in trained.comparison


def test_a_long_inactive_customer_is_high_risk_because_of_recency(trained: model.ChurnModel) -> None:
    customers = plan()
    data = history(customers)
    gone = max((c for c in customers if c["orders"]), key=lambda c: NOW - c["orders"][-1][0])
    busy = min((c for c in customers if c["orders"]), key=lambda c: NOW - c["orders"][-1][0])
    from tools.churn.features import features_at

    x_gone = features_at(data, data.by_id(gone["id"]), NOW)  # type: ignore[arg-type]
    x_busy = features_at(data, data.by_id(busy["id"]), NOW)  # type: ignore[arg-type]
    assert x_gone is not None and x_busy is not None
    assert trained.probability(x_gone) > 0.5 > trained.probability(x_busy)
    name, value, z, part = trained.contributions(x_gone)[0]
    assert name == "days_since_last_order" and part > 0 and z > 0
    assert value == pytest.approx((NOW - gone["orders"][-1][0]).total_seconds() / 86400)


def test_too_few_customers_is_insufficient_data() -> None:
    with pytest.raises(InsufficientHistory) as err:
        model.train(history(plan(n=6)), NOW)
    assert err.value.status_code == 422 and err.value.code == "INSUFFICIENT_DATA"
    assert "at least 30 examples" in err.value.message


def test_the_model_is_cached_until_the_data_changes() -> None:
    model.forget("t-cache")
    customers = plan(n=80, seed=5)
    first, trained_now = model.model_for("t-cache", history(customers), NOW)
    assert trained_now
    again, trained_again = model.model_for("t-cache", history(customers), NOW)
    assert again is first and not trained_again
    customers[0]["orders"].append((NOW - timedelta(days=1), 10.0))
    changed, retrained = model.model_for("t-cache", history(customers), NOW)
    assert retrained and changed is not first
    model.forget("t-cache")
