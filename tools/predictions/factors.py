"""Contributing factors of a forecast, computed from its series (document 000's `ask`).

The predicted change against the last equally long stretch of history is split in two: the
seasonal pattern (the difference between the seasonal profile over the forecast periods and over
that stretch; the profile is the mean detrended value per position in the season) and the rest,
the underlying trend. Each one's `contribution` is its share of the two effects' absolute sum.
Recent growth (that stretch against the one before it) is reported as context.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tools.forecasting.types import Forecast, ForecastPoint
from tools.predictions.present import r
from tools.predictions.schemas_extra import Factor, Impact


def seasonal_profile(series: pd.Series, season: int) -> tuple[np.ndarray, float | None]:
    """(profile per position, seasonal strength 0-1) or zeros and None when under two seasons."""
    values = np.asarray(series, dtype=float)
    if season < 2 or len(values) < 2 * season:
        return np.zeros(max(season, 1)), None
    trend = pd.Series(values).rolling(season, center=True, min_periods=season).mean().to_numpy()
    detrended = values - trend
    positions = np.arange(len(values)) % season
    ok = ~np.isnan(detrended)
    profile = np.array(
        [
            detrended[ok & (positions == k)].mean() if (ok & (positions == k)).any() else 0.0
            for k in range(season)
        ]
    )
    profile -= profile.mean()
    seasonal = profile[positions[ok]]
    remainder = detrended[ok] - seasonal
    total = float(np.var(seasonal) + np.var(remainder))
    return profile, (float(np.var(seasonal)) / total if total > 0 else None)


def _impact(value: float | None) -> Impact:
    if value is None or abs(value) < 1e-9:
        return "neutral"
    return "positive" if value > 0 else "negative"


def factors(series: pd.Series, fc: Forecast, points: list[ForecastPoint]) -> list[Factor]:
    n, values = len(points), np.asarray(series, dtype=float)
    if n == 0 or len(values) < n:
        return []
    season = max(int(fc.season_length), 1)
    profile, strength = seasonal_profile(series, season)
    offsets = [fc.points.index(p) for p in points]
    ahead = sum(profile[(len(values) + k) % season] for k in offsets)
    behind = sum(profile[i % season] for i in range(len(values) - n, len(values)))
    seasonal = float(ahead - behind)
    change = sum(p.value for p in points) - float(values[-n:].sum())
    trend = change - seasonal
    weight = abs(seasonal) + abs(trend)
    found = [
        Factor(
            name="Seasonal pattern",
            impact=_impact(seasonal),
            contribution=r(abs(seasonal) / weight, 3) if weight else None,
            effect=r(seasonal),
            detail="The seasonal profile over the forecast periods against the last "
            f"{n} periods"
            + (
                f"; seasonality explains {strength * 100:.1f}% of the detrended variation"
                if strength is not None
                else "; under two seasons of history, so no profile"
            ),
        ),
        Factor(
            name="Underlying trend",
            impact=_impact(trend),
            contribution=r(abs(trend) / weight, 3) if weight else None,
            effect=r(trend),
            detail="The predicted change against the last equally long stretch, less the seasonal part",
        ),
    ]
    if len(values) >= 2 * n and values[-2 * n : -n].sum():
        prior = float(values[-2 * n : -n].sum())
        growth = (float(values[-n:].sum()) - prior) / abs(prior) * 100
        found.append(
            Factor(
                name="Recent growth",
                impact=_impact(growth),
                contribution=None,
                effect=r(growth, 1),
                detail=f"The last {n} periods against the {n} before them, percent",
            )
        )
    return found
