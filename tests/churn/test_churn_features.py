"""Churn features and labels on hand-built data, where every value is known."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np

from tools.churn.features import (
    FEATURES,
    CustomerRow,
    History,
    churned_after,
    churned_before,
    features_at,
    impute_unknown,
    training_set,
)

CUTOFF = datetime(2026, 1, 1, tzinfo=UTC)


def ts(days_before: float) -> float:
    return (CUTOFF - timedelta(days=days_before)).timestamp()


def one_customer(status: str = "active", changed: datetime | None = None) -> tuple[History, CustomerRow]:
    c = CustomerRow("c1", "Ada", "Lovelace Ltd", status, CUTOFF - timedelta(days=500), changed)
    orders = {"c1": (np.array([ts(400), ts(200), ts(60), ts(10), (CUTOFF + timedelta(days=30)).timestamp()]),
                     np.array([100.0, 50.0, 30.0, 20.0, 999.0]))}
    deals = {"c1": [("closed_won", ts(300), ts(250)), ("closed_lost", ts(100), ts(80)),
                    ("proposal", ts(20), None), ("closed_won", ts(40), ts(-5)),  # won after the cutoff
                    ("lead", ts(-3), None)]}  # created after the cutoff
    return History([c], orders, deals), c


def test_features_as_of_a_cutoff_ignore_everything_after_it() -> None:
    history, c = one_customer("inactive", CUTOFF - timedelta(days=15))
    x = features_at(history, c, CUTOFF)
    assert x is not None
    f = dict(zip(FEATURES, x.tolist(), strict=True))
    assert f["days_since_last_order"] == 10
    assert f["orders_90d"] == 2 and f["orders_365d"] == 3
    assert f["spend_365d"] == 100.0  # 50 + 30 + 20; the 999 after the cutoff is not seen
    assert f["avg_order_value"] == 50.0  # (100 + 50 + 30 + 20) / 4
    assert f["tenure_days"] == 500  # created before the first order
    assert (f["open_deals"], f["won_deals"], f["lost_deals"]) == (2, 1, 1)
    assert f["days_since_status_change"] == 15 and f["status_inactive"] == 1


def test_a_status_changed_after_the_cutoff_is_unknown_then() -> None:
    history, c = one_customer("inactive", CUTOFF + timedelta(days=5))
    x = features_at(history, c, CUTOFF)
    assert x is not None
    f = dict(zip(FEATURES, x.tolist(), strict=True))
    assert math.isnan(f["days_since_status_change"]) and f["status_inactive"] == 0
    never, c2 = one_customer("inactive", None)
    f2 = dict(zip(FEATURES, features_at(never, c2, CUTOFF).tolist(), strict=True))  # type: ignore[union-attr]
    assert f2["days_since_status_change"] == 500 and f2["status_inactive"] == 1


def test_no_order_before_the_cutoff_means_no_features() -> None:
    history, c = one_customer()
    assert features_at(history, c, CUTOFF - timedelta(days=401)) is None


def test_labels_look_at_the_next_90_days() -> None:
    history, c = one_customer()
    assert churned_after(history, c, CUTOFF) == 0  # the order 30 days later
    assert churned_after(history, c, CUTOFF + timedelta(days=31)) == 1  # nothing after it
    marked = CustomerRow("c1", "Ada", None, "churned", c.created_at, CUTOFF + timedelta(days=20))
    assert churned_after(history, marked, CUTOFF) == 1  # marked churned within the window
    assert churned_before(marked, CUTOFF + timedelta(days=21))
    assert not churned_before(marked, CUTOFF)


def test_training_set_skips_churned_customers_and_imputes_unknowns() -> None:
    history, _c = one_customer("churned", CUTOFF - timedelta(days=1))
    assert len(training_set(history, [CUTOFF]).y) == 0  # already churned at the cutoff
    data = training_set(history, [CUTOFF - timedelta(days=30), CUTOFF - timedelta(days=150)])
    assert len(data.y) == 2 and set(data.groups.tolist()) == {"c1"}
    assert not np.isnan(data.x).any()
    filled = impute_unknown(np.array([[1.0, np.nan], [3.0, 4.0], [5.0, 8.0]]))
    assert filled[0, 1] == 6.0  # the median of the known values
