"""test_series_reference on PostgreSQL (the session's throwaway server, tests/postgres.py): the
same random data and reference, plus a session in a far-from-UTC time zone, since timestamptz
must be read in UTC whatever the session's zone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import postgres
import pytest
import test_series_reference as reference
from helpers import use_database
from sqlalchemy import text

from store.db import unit_of_work
from tools.forecasting.series import metric_series

# The SQLite module's fixtures and tests, collected again here against this module's database.
data = reference.data
other = reference.other
test_every_metric_matches_the_reference = reference.test_every_metric_matches_the_reference
test_customer_and_source_filters_match_the_reference = (
    reference.test_customer_and_source_filters_match_the_reference)


@pytest.fixture(scope="module")
def database(postgres_server: postgres.Server,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = postgres.create_database(postgres_server)
    use_database(url, tmp_path_factory.mktemp("pg"))
    yield url


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "America/Anchorage"])
def test_days_are_utc_days_whatever_the_session_time_zone(data: dict[str, Any], zone: str) -> None:
    with unit_of_work(data["tenant_id"]) as session:
        assert session.get_bind().dialect.name == "postgresql"
        session.execute(text(f"SET TIME ZONE '{zone}'"))
        for granularity in reference.GRANULARITIES:
            for metric in reference.METRICS:
                end = reference.ENDS[0]
                got = metric_series(session, metric=metric, granularity=granularity, end=end)
                reference._same(got, reference._expected(session, metric, granularity, end))
