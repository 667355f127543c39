"""A fake Stripe API: /v1/account, /v1/balance and the customers, charges, invoices and
subscriptions lists.

As Stripe does it: `Authorization: Bearer sk_...` (or Basic with the key as user name); list
objects `{object: "list", url, data, has_more}` newest first, paged with `limit` (1..100) and
`starting_after=<id>`; `created[gte|gt|lte|lt]` filters; subscriptions default to non-canceled
unless `status=all`; errors as `{"error": {"type", "message"}}` with the key masked.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fakes.local_server import LocalServer
from fakes.providers import FakeProvider, at, email_for, person, rng, serve
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

PREFIX = {"customers": "cus", "charges": "ch", "invoices": "in", "subscriptions": "sub"}
STEP = {"customers": 300.0, "charges": 90.0, "invoices": 200.0, "subscriptions": 500.0}
CURRENCIES = ["usd", "usd", "usd", "eur", "jpy"]


def object_id(resource: str, i: int) -> str:
    return f"{PREFIX[resource]}_F{i:09d}"


def index_of(object_id_: str) -> int:
    return int(object_id_.split("_F", 1)[1])


@dataclass
class StripeFake(FakeProvider):
    customers: int = 100
    charges: int = 300
    invoices: int = 150
    subscriptions: int = 60

    def presented_key(self, request: Request) -> str | None:
        auth = request.headers.get("authorization", "")
        if auth.startswith("Bearer "):
            return auth[7:]
        if auth.startswith("Basic "):
            return base64.b64decode(auth[6:]).decode().split(":", 1)[0]
        return None

    def unauthorized(self, presented: str | None) -> Response:
        if not presented:
            message = "You did not provide an API key."
        else:
            message = f"Invalid API Key provided: {presented[:8]}****{presented[-4:]}"
        return JSONResponse({"error": {"type": "invalid_request_error", "message": message}},
                            status_code=401)

    def too_many(self) -> Response:
        return JSONResponse({"error": {"type": "invalid_request_error", "code": "rate_limit",
                                       "message": "Request rate limit exceeded."}},
                            status_code=429, headers={"Retry-After": self._retry_after})

    def server_error(self) -> Response:
        return JSONResponse({"error": {"type": "api_error", "message": "Something went wrong."}},
                            status_code=500)

    # --- records ---------------------------------------------------------------------------------

    def created(self, resource: str, i: int) -> int:
        return int(at(STEP[resource], i).timestamp())

    def count(self, resource: str) -> int:
        return int(getattr(self, resource))

    def build(self, resource: str, i: int) -> dict[str, Any]:
        r = rng(f"stripe-{resource}", i)
        base = {"id": object_id(resource, i), "object": resource[:-1],
                "created": self.created(resource, i), "livemode": False}
        cus = object_id("customers", (i * 7) % max(self.customers, 1))
        if resource == "customers":
            first, last = person(i)
            return {**base, "name": f"{first} {last}" if i % 9 else None,
                    "email": None if i % 13 == 7 else email_for(i, "paymail.example"),
                    "phone": None if i % 2 else f"+4420{r.randint(10000000, 99999999)}"}
        code = CURRENCIES[i % len(CURRENCIES)]
        minor = r.randint(500, 50000)
        if resource == "charges":
            status = ["succeeded"] * 6 + ["pending", "failed"]
            guest = i % 10 == 0
            return {**base, "object": "charge", "amount": minor, "currency": code,
                    "status": status[i % len(status)], "refunded": i % 17 == 0,
                    "customer": None if guest else cus,
                    "receipt_email": f"guest{i}@paymail.example" if guest else None,
                    "billing_details": {"email": None if guest else email_for(
                        (i * 7) % max(self.customers, 1), "paymail.example")}}
        if resource == "invoices":
            return {**base, "object": "invoice", "number": f"F00D-{i:04d}",
                    "status": ["paid", "open", "draft", "uncollectible", "void"][i % 5],
                    "amount_due": minor, "amount_paid": minor if i % 5 == 0 else 0,
                    "currency": code, "customer": cus,
                    "due_date": self.created(resource, i) + 30 * 86400 if i % 4 else None}
        statuses = ["active", "active", "trialing", "past_due", "canceled"]
        price = {"id": f"price_F{i % 3}", "object": "price", "currency": code,
                 "nickname": ["Starter", "Growth", None][i % 3], "product": f"prod_F{i % 3}",
                 "unit_amount": [1900, 4900, 9900][i % 3],
                 "recurring": {"interval": "month" if i % 4 else "year", "interval_count": 1}}
        return {**base, "object": "subscription", "status": statuses[i % len(statuses)],
                "customer": cus, "start_date": self.created(resource, i),
                "current_period_end": self.created(resource, i) + 30 * 86400, "currency": code,
                "items": {"object": "list", "data": [{"id": f"si_F{i}", "price": price,
                                                      "quantity": 1 + i % 3}]}}

    # --- routes ----------------------------------------------------------------------------------

    async def account(self, request: Request) -> Response:
        return JSONResponse({"id": "acct_1FakeNorthwind", "object": "account", "country": "US",
                             "email": "billing@northwind.example", "default_currency": "usd",
                             "business_profile": {"name": "Northwind Payments"},
                             "settings": {"dashboard": {"display_name": "Northwind"}}})

    async def balance(self, request: Request) -> Response:
        return JSONResponse({"object": "balance", "available": [{"amount": 0, "currency": "usd"}]})

    async def listing(self, request: Request) -> Response:
        resource = request.path_params["resource"]
        if resource not in PREFIX:
            return _error(404, f"Unrecognized request URL (GET: /v1/{resource}).")
        params = dict(request.query_params)
        try:
            limit = int(params.get("limit", 10))
        except ValueError:
            return _error(400, "Invalid integer: limit")
        if not 1 <= limit <= 100:
            return _error(400, "This value must be less than or equal to 100 (it currently is "
                               f"'{limit}').")
        start = self.count(resource) - 1
        if params.get("starting_after"):
            start = index_of(params["starting_after"]) - 1
        keep = _created_filter(params)
        rows: list[dict[str, Any]] = []
        i = start
        while i >= 0 and len(rows) <= limit:
            if not keep(self.created(resource, i)):
                if params.get("created[gte]") or params.get("created[gt]"):
                    break  # newest first: everything further is older still
                i -= 1
                continue
            row = self.build(resource, i)
            if resource == "subscriptions" and params.get("status", "") != "all" \
                    and row["status"] == "canceled":
                i -= 1
                continue
            rows.append(row)
            i -= 1
        return JSONResponse({"object": "list", "url": f"/v1/{resource}", "data": rows[:limit],
                             "has_more": len(rows) > limit})

    @property
    def app(self) -> Starlette:
        return Starlette(routes=[
            Route("/v1/account", self.guarded(self.account)),
            Route("/v1/balance", self.guarded(self.balance)),
            Route("/v1/{resource}", self.guarded(self.listing)),
        ])


def _error(status: int, message: str) -> Response:
    return JSONResponse({"error": {"type": "invalid_request_error", "message": message}},
                        status_code=status)


def _created_filter(params: dict[str, str]) -> Callable[[int], bool]:
    bounds = {op: int(params[f"created[{op}]"]) for op in ("gte", "gt", "lte", "lt")
              if params.get(f"created[{op}]")}

    def keep(created: int) -> bool:
        return (created >= bounds.get("gte", created) and created > bounds.get("gt", created - 1)
                and created <= bounds.get("lte", created) and created < bounds.get("lt", created + 1))

    return keep


def start_stripe_fake(key: str = "sk_test_fake_51Hx0123456789",
                      **counts: int) -> tuple[LocalServer, str, StripeFake]:
    """A running fake Stripe: point STRIPE_API_BASE at the base URL; stop with `server.stop()`."""
    fake = StripeFake(key=key, **counts)  # type: ignore[arg-type]
    server, base_url = serve(fake.app)
    return server, base_url, fake

