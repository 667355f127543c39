"""A fake tenant-owned JSON API for the custom REST connector and schema detection.

Configurable like the APIs tenants really have: records under `data` (or a top-level list, or
`result.items`), `page`/`limit` or cursor pagination, no auth / bearer token / API key header /
HTTP basic, an optional `/openapi.json`, and a `/html` page that is not JSON. Orders carry a nested
customer and a few values that do not convert (an order total of "n/a").
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any, Literal

from fakes.local_server import LocalServer
from fakes.providers import FakeProvider, at, email_for, person, rng, serve
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

Auth = Literal["none", "bearer", "api_key", "basic"]
Shape = Literal["data", "list", "nested"]


@dataclass
class CustomApiFake(FakeProvider):
    auth: Auth = "bearer"
    shape: Shape = "data"
    orders: int = 45
    customers: int = 12
    username: str = "reporter"
    password: str = "s3cret-pass"
    api_key_header: str = "x-api-key"
    openapi: bool = True

    def presented_key(self, request: Request) -> str | None:
        header = request.headers.get("authorization", "")
        if self.auth == "none":
            return self.key
        if self.auth == "bearer":
            return header[7:] if header.startswith("Bearer ") else None
        if self.auth == "api_key":
            return request.headers.get(self.api_key_header)
        if header.startswith("Basic "):
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
            return self.key if (user, password) == (self.username, self.password) else None
        return None

    def unauthorized(self, presented: str | None) -> Response:
        return JSONResponse({"error": "invalid credentials"}, status_code=401)

    def order(self, i: int) -> dict[str, Any]:
        r = rng("custom-order", i)
        c = i % max(self.customers, 1)
        first, last = person(c)
        total: Any = round(r.uniform(10, 900), 2) if i % 3 else f"{r.uniform(10, 900):.2f}"
        return {"id": f"ord-{i:04d}", "order_total": "n/a" if i == 7 else total,
                "currency": "usd", "status": ["paid", "pending", "refunded"][i % 3],
                "created_at": at(180, i).isoformat().replace("+00:00", "Z"),
                "updated_at": at(180, i, 30).isoformat().replace("+00:00", "Z"),
                "is_gift": i % 4 == 0, "tags": ["web"] if i % 2 else [],
                "customer": {"id": f"c-{c}", "email": email_for(c, "custom.example"),
                             "name": f"{first} {last}"}}

    def customer(self, i: int) -> dict[str, Any]:
        first, last = person(i)
        return {"id": f"c-{i}", "full_name": f"{first} {last}",
                "contact": {"email": None if i % 5 == 4 else email_for(i, "custom.example"),
                            "phone": f"+3120{i:07d}"}, "signup_date": "2024-02-01"}

    def _page(self, request: Request, count: int, build: Any) -> Response:
        params = request.query_params
        limit = int(params.get("limit", 20))
        if "cursor" in params or params.get("paging") == "cursor":
            offset = int(params.get("cursor") or 0)
        else:
            offset = (int(params.get("page", 1)) - 1) * limit
        rows = [build(i) for i in range(offset, min(offset + limit, count))]
        more = offset + limit < count
        if self.shape == "list":
            return JSONResponse(rows)
        if self.shape == "nested":
            return JSONResponse({"result": {"items": rows, "count": len(rows)}})
        return JSONResponse({"data": rows, "meta": {"page": int(params.get("page", 1)), "total": count},
                             "next_cursor": str(offset + limit) if more else None})

    async def list_orders(self, request: Request) -> Response:
        return self._page(request, self.orders, self.order)

    async def list_customers(self, request: Request) -> Response:
        return self._page(request, self.customers, self.customer)

    async def html(self, request: Request) -> Response:
        return HTMLResponse("<html><body>Welcome</body></html>")

    async def spec(self, request: Request) -> Response:
        if not self.openapi:
            return JSONResponse({"detail": "Not Found"}, status_code=404)
        return JSONResponse({"openapi": "3.0.3", "info": {"title": "Shop API", "version": "1"},
                             "paths": {"/v1/orders": {"get": {}}}})

    @property
    def app(self) -> Starlette:
        return Starlette(routes=[
            Route("/v1/orders", self.guarded(self.list_orders)),
            Route("/v1/customers", self.guarded(self.list_customers)),
            Route("/html", self.guarded(self.html)),
            Route("/openapi.json", self.spec),
        ])


def start_custom_api_fake(key: str = "tok_custom_abc123",
                          **options: Any) -> tuple[LocalServer, str, CustomApiFake]:
    fake = CustomApiFake(key=key, **options)
    server, base_url = serve(fake.app)
    return server, base_url, fake
