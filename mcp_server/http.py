"""Placeholder until the MCP server lands: /mcp answers 404."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from starlette.applications import Starlette
from starlette.types import ASGIApp


def create_mcp_http() -> tuple[ASGIApp, Callable[[], AbstractAsyncContextManager[None]]]:
    @asynccontextmanager
    async def lifespan() -> AsyncIterator[None]:
        yield

    return Starlette(), lifespan
