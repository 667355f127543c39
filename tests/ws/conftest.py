"""/ws tests: short heartbeats, so a test reading frames never waits long for the next one."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

ENV = {"WS_HEARTBEAT_SECONDS": "0.3"}


@pytest.fixture(scope="module", autouse=True)
def _ws_settings() -> Iterator[None]:
    from core.settings import get_settings

    saved = {k: os.environ.get(k) for k in ENV}
    os.environ.update(ENV)
    get_settings.cache_clear()
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    get_settings.cache_clear()
