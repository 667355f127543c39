"""/ws tests: short heartbeats, so a test reading frames never waits long for the next one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.env import settings_env

ENV = {"WS_HEARTBEAT_SECONDS": "0.3"}


@pytest.fixture(scope="module", autouse=True)
def _ws_settings() -> Iterator[None]:
    with settings_env(**ENV):
        yield
