"""An in-process LRU of forecasts keyed by the series' content (values and dates), the horizon,
the level and the granularity. A changed series has a different key, so a stale forecast can
never be served: invalidation happens by construction, no event needs to reach the cache."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import numpy as np
import pandas as pd

from tools.forecasting.types import Forecast

MAX_ENTRIES = 256


def series_key(series: pd.Series, *parts: object) -> str:
    digest = hashlib.sha256()
    digest.update(np.asarray(series.index.asi8 if isinstance(series.index, pd.DatetimeIndex)
                             else np.arange(len(series)), dtype=np.int64).tobytes())
    digest.update(np.asarray(series.to_numpy(dtype=float), dtype=np.float64).tobytes())
    digest.update(repr(parts).encode())
    return digest.hexdigest()


class ForecastCache:
    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._items: OrderedDict[str, Forecast] = OrderedDict()
        self._lock = threading.Lock()
        self.max_entries = max_entries
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> Forecast | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: str, value: Forecast) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.hits = self.misses = 0
