"""An event subscriber for the multi-process test (imported by `bizpilot worker --import`):
records every delivery with the process that made it, in a table the test created."""

from __future__ import annotations

import os

from sqlalchemy import text

from store.db import unit_of_work
from store.models import DomainEvent
from tools.events import subscribe

NAME = "test_process_counter"


def record(event: DomainEvent) -> None:
    with unit_of_work() as session:
        session.execute(text("INSERT INTO test_deliveries (event_id, pid) VALUES (:e, :p)"),
                        {"e": event.id, "p": os.getpid()})


subscribe(NAME, record, types=["customer.created"])
