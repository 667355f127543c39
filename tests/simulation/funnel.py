"""A workspace's daily marketing funnel for the simulator tests: the demo generator's series
(store.demo_metrics, known lags and elasticities) for a short stretch, plus an unrelated noise
metric that no edge may touch."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from sqlalchemy import insert

from core.ids import new_id, utcnow
from store.db import unit_of_work
from store.demo_metrics import seed_metrics
from store.models.action_hub import DailyMetric

NOISE = "noise_index"


def seed_funnel(tenant_id: str, days: int = 240, *, noise: bool = True, today: date | None = None) -> None:
    end = today or utcnow().date()
    with unit_of_work(tenant_id) as session:
        seed_metrics(session, tenant_id, end, days=days)
        if noise:
            rng = np.random.default_rng(11)
            values = np.exp(rng.normal(4, 0.3, days))
            session.execute(insert(DailyMetric), [
                {"id": new_id(), "tenant_id": tenant_id, "metric": NOISE, "source": "test",
                 "day": end - timedelta(days=days - i), "value": float(v)} for i, v in enumerate(values)])
