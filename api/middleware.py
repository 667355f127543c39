"""Request ids and rate-limit headers, as pure ASGI middleware so streaming is untouched."""

from __future__ import annotations

import re
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestContext:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = incoming if SAFE_ID.match(incoming) else f"req_{uuid.uuid4().hex[:20]}"
        state = scope.setdefault("state", {})
        state["request_id"] = rid

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", rid.encode()))
                limits = state.get("ratelimit")
                if limits:
                    limit, remaining, reset = limits
                    headers += [(b"x-ratelimit-limit", str(limit).encode()),
                                (b"x-ratelimit-remaining", str(max(remaining, 0)).encode()),
                                (b"x-ratelimit-reset", str(reset).encode())]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
