"""Engine and sessions. One engine per database URL per process; sessions are short-lived
units of work opened by the edges (a REST request, an MCP call, an agent tool call)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from core.settings import get_settings
from store.scoping import install_tenant_guard


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 10}, pool_size=20
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


@lru_cache(maxsize=8)
def _factory(url: str) -> sessionmaker[Session]:
    install_tenant_guard()
    return sessionmaker(bind=make_engine(url), expire_on_commit=False)


def get_engine() -> Engine:
    bind = session_factory().kw["bind"]
    assert isinstance(bind, Engine)
    return bind


def session_factory() -> sessionmaker[Session]:
    return _factory(get_settings().database_url)


def ping() -> bool:
    """Whether the database answers a trivial query (the health check)."""
    try:
        with unit_of_work() as session:
            session.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


@contextmanager
def unit_of_work(tenant_id: str | None = None) -> Iterator[Session]:
    """Commit once on success, roll back on any error. With a tenant, every ORM read of
    tenant-owned rows in this session is filtered to it (see store.scoping)."""
    session = session_factory()()
    if tenant_id is not None:
        session.info["tenant_id"] = tenant_id
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
