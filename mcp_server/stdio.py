"""`bizpilot mcp`: MCP over stdio for desktop clients (Claude Desktop, Cursor, ...).

The credential comes from the environment (BIZPILOT_API_KEY or BIZPILOT_TOKEN, optional
BIZPILOT_TENANT_ID) and is resolved once at start against the server's database (DATABASE_URL).
stdout carries the protocol, so everything else, logs and errors alike, goes to stderr.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import anyio
from mcp.server import Server
from mcp.server.stdio import stdio_server
from sqlalchemy.exc import SQLAlchemyError

from core.errors import AppError
from mcp_server.auth import MissingCredential, principal_from_env
from mcp_server.server import build_server
from tools.context import Principal

log = logging.getLogger("bizpilot.mcp")


def _log_to_stderr() -> None:
    """Point any handler that writes to stdout at stderr instead; add one if there is none."""
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, logging.StreamHandler) and handler.stream is sys.stdout:
            handler.setStream(sys.stderr)
    if not root.handlers:
        logging.basicConfig(stream=sys.stderr, level=logging.WARNING,
                            format="%(levelname)s %(name)s: %(message)s")


def _principal() -> Principal:
    """The caller, or exit with a message saying what to fix."""
    try:
        return principal_from_env(os.environ)
    except MissingCredential as err:
        sys.exit(f"bizpilot mcp: no credential: {err}")
    except AppError as err:
        sys.exit(f"bizpilot mcp: credential refused: {err.message} ({err.code})")
    except SQLAlchemyError as err:
        sys.exit(f"bizpilot mcp: cannot read the database ({type(err).__name__}); "
                 "check DATABASE_URL and run `bizpilot migrate`")


async def serve(server: Server[Any]) -> None:
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


def run() -> None:
    _log_to_stderr()
    principal = _principal()
    log.info("MCP over stdio as %s in tenant %s", principal.email, principal.tenant_id)
    anyio.run(serve, build_server(lambda _ctx: principal))
