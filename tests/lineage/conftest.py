"""Lineage and trust tests: tenants registered through the API, data written row by row."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from api.ratelimit import LIMITER


@pytest.fixture(autouse=True)
def _fresh_limits() -> Iterator[None]:
    LIMITER.clear()
    yield
    LIMITER.clear()


