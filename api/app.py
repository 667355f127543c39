"""The FastAPI application: REST routers, chat endpoints and MCP (streamable HTTP at /mcp)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI

from api import docs, errors
from api.input_guard import InputGuard
from api.middleware import RequestContext
from api.routers import ROUTERS
from core.settings import get_settings
from core.threads import limit_blas_threads


def limit_worker_threads(count: int) -> None:
    """Blocking work (database calls, tools) runs in anyio's thread pool. Under load, 40 threads
    fighting for the GIL cost throughput: measured on 2 cores, 40 threads served 218 list
    requests/s, 4 threads 277/s, 1 thread 343/s. A few threads keep a slow call from stalling
    every other request."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = count


DESCRIPTION = """Your business data, asked in plain language or called directly.

**Authentication.** Sign in with `POST /api/auth/login` (or `/api/v1/auth/login`) and send the
access token as `Authorization: Bearer <token>`; machine clients can send a `bp_...` API key the
same way. Use **Authorize** above to set it for every call here.

**Workspaces.** Every account works in one or more workspaces (tenants). Calls act in your default
workspace; send `X-Tenant-Id: <workspace id>` (or use a `/api/v1/workspaces/{workspaceId}/...`
path) to act in another of yours. A workspace that is not yours answers 404.

**Shapes.** `/api/...` answers `{success, data, error, meta}` with camelCase keys; `/api/v1/...`
answers the objects themselves with snake_case keys; `/v1/...` is the OpenAI chat API.
Creates accept an `Idempotency-Key` header. Rate-limited routes send `X-RateLimit-*` headers.
"""


def create_app() -> FastAPI:
    from mcp_server.http import create_mcp_http, mcp_route

    mcp_asgi, mcp_lifespan = create_mcp_http()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        from agent import service
        from tools.jobs import worker as jobs_worker

        settings = get_settings()
        limit_worker_threads(settings.worker_threads)
        limit_blas_threads()
        if settings.run_worker:  # `make run`: jobs run in this process; `bizpilot worker` otherwise
            await anyio.to_thread.run_sync(jobs_worker.start_in_process)
        async with mcp_lifespan():
            try:
                yield
            finally:
                await service.aclose()
                if settings.run_worker:
                    await anyio.to_thread.run_sync(jobs_worker.stop)

    app = FastAPI(
        title="BizPilot",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        responses=errors.DOCUMENTED_ERRORS,
    )
    errors.install(app)
    docs.install(app)
    for router in ROUTERS:
        app.include_router(router)
    app.router.routes.append(mcp_route(mcp_asgi))
    app.add_middleware(InputGuard)  # inside RequestContext: refusals carry the request id
    app.add_middleware(RequestContext)
    logging.getLogger("bizpilot").setLevel(logging.INFO)
    return app
