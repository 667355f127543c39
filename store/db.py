"""Engine and sessions. One engine per database URL per process; sessions are short-lived
units of work opened by the edges (a REST request, an MCP call, an agent tool call)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from core.settings import get_settings
from store.scoping import install_tenant_guard

log = logging.getLogger("bizpilot.store")
_ON_COMMIT = "bizpilot_on_commit"
_BATCHES = "bizpilot_on_commit_batches"


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
            Path(path).parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # owner only
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 10}, pool_size=20
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def on_commit(session: Session, callback: Callable[[], object]) -> None:
    """Run `callback` once this session's transaction has committed, never if it rolls back:
    how work is handed on (a job to the queue, an event to its subscribers) only for changes
    that happened. A callback that fails is logged; the commit stands."""
    session.info.setdefault(_ON_COMMIT, []).append(callback)


def on_commit_collect(session: Session, key: str, item: Any,
                      callback: Callable[[list[Any]], None]) -> None:
    """Like `on_commit`, batched: `callback` runs once after commit with every item collected
    under `key` in this transaction (e.g. every event a tool call raised)."""
    batches: dict[str, list[Any]] = session.info.setdefault(_BATCHES, {})
    if key not in batches:
        items: list[Any] = []
        batches[key] = items
        on_commit(session, lambda: callback(items))
    batches[key].append(item)


def _run_on_commit(session: Session) -> None:
    session.info.pop(_BATCHES, None)
    for callback in session.info.pop(_ON_COMMIT, []):
        try:
            callback()
        except Exception:
            log.exception("after-commit callback failed")


def _drop_on_commit(session: Session) -> None:
    session.info.pop(_ON_COMMIT, None)
    session.info.pop(_BATCHES, None)


_hooks_installed = False


def _install_commit_hooks() -> None:
    global _hooks_installed
    if not _hooks_installed:
        event.listen(Session, "after_commit", _run_on_commit)
        event.listen(Session, "after_rollback", _drop_on_commit)
        _hooks_installed = True


@lru_cache(maxsize=8)
def _factory(url: str) -> sessionmaker[Session]:
    install_tenant_guard()
    _install_commit_hooks()
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
