"""Where conversations live, so they survive a restart: a SQLite file (settings.checkpoint_url)
by default, Postgres when the database is Postgres and langgraph-checkpoint-postgres is
installed (several API processes then share conversations)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from langgraph.checkpoint.base import BaseCheckpointSaver

from core.settings import Settings, get_settings

log = logging.getLogger("bizpilot.agent")

Kind = Literal["sqlite", "postgres"]


@dataclass
class OpenCheckpointer:
    """An opened saver with its two ways out: `aclose` on its own event loop, `abandon` from
    anywhere (when that loop is gone, so nothing can be awaited)."""

    saver: BaseCheckpointSaver[str]
    kind: Kind
    close: Callable[[], Awaitable[None]]
    abandon: Callable[[], None]


def sqlite_path(url: str) -> str:
    """`checkpoint_url` as a file path: a bare path or a `sqlite:///` URL both work."""
    for prefix in ("sqlite+aiosqlite:///", "sqlite:///"):
        if url.startswith(prefix):
            return url[len(prefix):]
    return url


def _postgres_url(settings: Settings) -> str | None:
    """The database URL in libpq form when Postgres checkpoints are possible, else None."""
    url = settings.database_url
    if not url.startswith(("postgresql", "postgres")):
        return None
    try:
        import langgraph.checkpoint.postgres.aio  # noqa: F401
    except ImportError:
        log.info("langgraph-checkpoint-postgres is not installed: conversations stay in SQLite")
        return None
    scheme, rest = url.split("://", 1)
    return f"postgresql://{rest}" if "+" in scheme or scheme == "postgres" else url


async def open_checkpointer(settings: Settings | None = None) -> OpenCheckpointer:
    """Open (and create the tables of) the configured checkpoint store."""
    settings = settings or get_settings()
    pg_url = _postgres_url(settings)
    if pg_url is not None:
        return await _open_postgres(pg_url)
    return await _open_sqlite(sqlite_path(settings.checkpoint_url))


async def _open_sqlite(path: str) -> OpenCheckpointer:
    import aiosqlite
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    pending = aiosqlite.connect(path, timeout=10)
    # aiosqlite's worker thread is not a daemon: one left open by a forgotten close would keep
    # the process from exiting. Checkpoints are committed per write, so a daemon loses nothing.
    worker = getattr(pending, "_thread", None)
    if worker is not None:
        worker.daemon = True
    conn = await pending
    await conn.execute("PRAGMA journal_mode=WAL")
    await conn.execute("PRAGMA busy_timeout=10000")
    saver = AsyncSqliteSaver(conn)
    await saver.setup()

    def abandon() -> None:
        conn.stop()

    return OpenCheckpointer(saver, "sqlite", conn.close, abandon)


async def _open_postgres(url: str) -> OpenCheckpointer:
    from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver

    manager = AsyncPostgresSaver.from_conn_string(url)
    saver = await manager.__aenter__()
    await saver.setup()

    async def close() -> None:
        await manager.__aexit__(None, None, None)

    return OpenCheckpointer(saver, "postgres", close, lambda: None)
