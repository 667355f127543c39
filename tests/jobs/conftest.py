"""Jobs and events: SQLite and in-process stepping of the queue where the multi-process proof is
not the point; real consumers, Redis and PostgreSQL where it is."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from huey import Huey
from sqlalchemy import delete

from store.db import unit_of_work
from store.models import JobRecord
from tools.jobs.queue import get_huey, reset_huey


@pytest.fixture
def queue(database: str) -> Iterator[Huey]:
    """The configured queue (the embedded SQLite one), emptied, over a jobs table emptied too."""
    reset_huey()
    huey = get_huey()
    huey.flush()
    with unit_of_work() as session:
        session.execute(delete(JobRecord))
    yield huey
    huey.flush()
    reset_huey()
