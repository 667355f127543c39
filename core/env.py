"""Environment values changed for a while (a benchmark section, an eval run, a test module) and
put back afterwards, with the cached settings re-read on the way in and out, so one process can
run several set-ups without leaking a database or a setting into the next."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from core.settings import get_settings


@contextmanager
def settings_env(*also_restore: str, **values: str) -> Iterator[None]:
    """Set `values` in the environment and clear the settings cache; on exit (error or not)
    put back every key of `values` and of `also_restore` (names the body itself changes, e.g.
    through `os.environ`) as it was, unset if it was unset, and clear the cache again."""
    saved = {k: os.environ.get(k) for k in (*also_restore, *values)}
    os.environ.update(values)
    get_settings.cache_clear()
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        get_settings.cache_clear()
