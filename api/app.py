"""The FastAPI application: REST routers, chat endpoints and MCP (streamable HTTP at /mcp)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import errors
from api.input_guard import InputGuard
from api.middleware import RequestContext
from api.routes import ROUTERS


def create_app() -> FastAPI:
    from mcp_server.http import create_mcp_http, mcp_route

    mcp_asgi, mcp_lifespan = create_mcp_http()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        from agent import service

        async with mcp_lifespan():
            try:
                yield
            finally:
                await service.aclose()

    app = FastAPI(
        title="BizPilot",
        version="0.1.0",
        description="Self-hostable AI assistant for small businesses: REST, chat and MCP.",
        lifespan=lifespan,
        responses=errors.DOCUMENTED_ERRORS,
    )
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router)
    app.router.routes.append(mcp_route(mcp_asgi))
    app.add_middleware(InputGuard)  # inside RequestContext: refusals carry the request id
    app.add_middleware(RequestContext)
    logging.getLogger("bizpilot").setLevel(logging.INFO)
    return app
