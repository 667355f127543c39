"""A fake Shopify Admin REST API: shop.json, customers.json, products.json and orders.json.

As Shopify does it: the `X-Shopify-Access-Token` header; `limit` up to 250; cursor pagination
through the `Link` header, where the next page accepts only `page_info` and `limit` (anything else
is a 400); `updated_at_min` and `status` filters on the first page; the call-limit header
`X-Shopify-Shop-Api-Call-Limit: used/40`; 429 with `Retry-After: 2.0` when throttled. Records are
built from their index when asked for, so 50,000 orders cost nothing until paged through.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, NamedTuple

from fakes.local_server import LocalServer
from fakes.providers import (
    COMPANIES,
    FakeProvider,
    at,
    email_for,
    first_at_or_after,
    person,
    rng,
    serve,
)
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

VERSION = "2024-10"
SHOP_TZ = timezone(timedelta(hours=-5))
ORDER_STEP, CUSTOMER_STEP, PRODUCT_STEP = 10.0, 240.0, 600.0
"""Minutes between consecutive records' timestamps (orders: 50,000 span about a year)."""
FINANCIAL = ["paid", "paid", "paid", "pending", "refunded", "partially_refunded", "authorized",
             "voided", "paid", "paid"]


def _ts(when: datetime) -> str:
    return when.astimezone(SHOP_TZ).isoformat()


def customer_id(i: int) -> int:
    return 6_000_000_000 + i


def order_id(i: int) -> int:
    return 5_000_000_000 + i


def product_id(i: int) -> int:
    return 8_000_000_000 + i


@dataclass
class ShopifyFake(FakeProvider):
    orders: int = 600
    customers: int = 120
    products: int = 30
    call_limit_used: int = 1
    """What the call-limit header says is used of the 40-call bucket."""

    def presented_key(self, request: Request) -> str | None:
        return request.headers.get("x-shopify-access-token")

    def unauthorized(self, presented: str | None) -> Response:
        return JSONResponse({"errors": "[API] Invalid API key or access token (unrecognized login "
                                       "or wrong password)"}, status_code=401)

    def too_many(self) -> Response:
        return JSONResponse({"errors": "Exceeded 2 calls per second for api client. Reduce request "
                                       "rates to resume uninterrupted service."}, status_code=429,
                            headers={"Retry-After": self._retry_after})

    def server_error(self) -> Response:
        return JSONResponse({"errors": "Internal Server Error"}, status_code=500)

    # --- records ---------------------------------------------------------------------------------

    def customer_updated(self, i: int) -> datetime:
        return at(CUSTOMER_STEP, i, 30)

    def order_updated(self, i: int) -> datetime:
        return at(ORDER_STEP, i, i % 7)

    def product_updated(self, i: int) -> datetime:
        return at(PRODUCT_STEP, i, 5)

    def customer(self, i: int) -> dict[str, Any]:
        r = rng("shopify-customer", i)
        first, last = person(i)
        orders = 0 if i % 4 == 3 else r.randint(1, 30)
        return {"id": customer_id(i), "email": None if i % 11 == 3 else email_for(i, "shopmail.example"),
                "first_name": first, "last_name": last,
                "phone": None if i % 3 == 0 else f"+1555{r.randint(1000000, 9999999)}",
                "orders_count": orders, "total_spent": f"{orders * r.uniform(20, 90):.2f}",
                "state": "enabled", "created_at": _ts(self.customer_updated(i) - timedelta(hours=2)),
                "updated_at": _ts(self.customer_updated(i)),
                "default_address": {"company": COMPANIES[i % len(COMPANIES)], "city": "Austin",
                                    "country": "United States"}}

    def product(self, i: int) -> dict[str, Any]:
        r = rng("shopify-product", i)
        price = f"{r.choice([9, 14, 19, 29, 49, 99])}.{r.choice(['00', '50', '99'])}"
        return {"id": product_id(i), "title": f"Product {i} {r.choice(['Mug', 'Tee', 'Candle'])}",
                "vendor": "Northwind", "status": ["active", "active", "draft", "archived"][i % 4],
                "created_at": _ts(self.product_updated(i) - timedelta(days=1)),
                "updated_at": _ts(self.product_updated(i)),
                "variants": [{"id": product_id(i) * 10, "sku": f"SKU-{i:05d}", "price": price}]}

    def order(self, i: int) -> dict[str, Any]:
        r = rng("shopify-order", i)
        c = (i * 31) % max(self.customers, 1)
        guest = i % 13 == 0
        email = None if guest and i % 2 else email_for(c, "shopmail.example")
        created = self.order_updated(i) - timedelta(minutes=i % 7)
        order: dict[str, Any] = {
            "id": order_id(i), "name": f"#{1001 + i}", "email": email,
            "created_at": _ts(created), "processed_at": _ts(created),
            "updated_at": _ts(self.order_updated(i)),
            "total_price": f"{r.uniform(5, 400):.2f}", "currency": "USD" if i % 10 else "EUR",
            "financial_status": FINANCIAL[i % len(FINANCIAL)], "fulfillment_status": None,
            "line_items": [{"id": order_id(i) * 10, "sku": f"SKU-{i % 30:05d}", "quantity": 1}]}
        if not guest:
            first, last = person(c)
            order["customer"] = {"id": customer_id(c), "email": email, "first_name": first,
                                 "last_name": last}
        return order

    def source(self, resource: str) -> tuple[int, Callable[[int], dict[str, Any]], Callable[[int], datetime]]:
        return {"customers": (self.customers, self.customer, self.customer_updated),
                "products": (self.products, self.product, self.product_updated),
                "orders": (self.orders, self.order, self.order_updated)}[resource]

    # --- routes ----------------------------------------------------------------------------------

    async def shop(self, request: Request) -> Response:
        return self._json({"shop": {"id": 548380009, "name": "Northwind Goods",
                                    "email": "owner@northwind.example", "domain": "northwind.example",
                                    "myshopify_domain": "northwind-goods.myshopify.com",
                                    "currency": "USD", "plan_name": "basic",
                                    "iana_timezone": "America/New_York"}})

    async def listing(self, request: Request) -> Response:
        resource = request.path_params["resource"]
        if resource not in ("customers", "products", "orders"):
            return JSONResponse({"errors": "Not Found"}, status_code=404)
        params = dict(request.query_params)
        limit = int(params.get("limit", 50))
        if not 1 <= limit <= 250:
            return JSONResponse({"errors": {"limit": "must be between 1 and 250"}}, status_code=400)
        count, build, updated = self.source(resource)
        if "page_info" in params:
            extra = set(params) - {"page_info", "limit", "fields"}
            if extra:
                return JSONResponse({"errors": {"page_info": [
                    f"page_info cannot be used with {', '.join(sorted(extra))}"]}}, status_code=400)
            state = json.loads(base64.urlsafe_b64decode(params["page_info"]))
            offset = int(state["offset"])
        else:
            offset = 0
            if params.get("updated_at_min"):
                since = datetime.fromisoformat(params["updated_at_min"].replace("Z", "+00:00"))
                offset = first_at_or_after(count, updated, since)
        rows = [build(i) for i in range(offset, min(offset + limit, count))]
        links = []
        path = f"{request.base_url}admin/api/{request.path_params['version']}/{resource}.json"
        if offset + limit < count:
            info = base64.urlsafe_b64encode(json.dumps({"offset": offset + limit}).encode()).decode()
            links.append(f'<{path}?limit={limit}&page_info={info}>; rel="next"')
        if offset > 0 and "page_info" in params:
            back = json.dumps({"offset": max(0, offset - limit)}).encode()
            info = base64.urlsafe_b64encode(back).decode()
            links.insert(0, f'<{path}?limit={limit}&page_info={info}>; rel="previous"')
        response = self._json({resource: rows})
        if links:
            response.headers["Link"] = ", ".join(links)
        return response

    def _json(self, data: Any) -> Response:
        return JSONResponse(data, headers={"X-Shopify-Shop-Api-Call-Limit": f"{self.call_limit_used}/40"})

    @property
    def app(self) -> Starlette:
        return Starlette(routes=[
            Route("/admin/api/{version}/shop.json", self.guarded(self.shop)),
            Route("/admin/api/{version}/{resource}.json", self.guarded(self.listing)),
        ])


class Started(NamedTuple):
    server: LocalServer
    base_url: str
    token: str
    fake: ShopifyFake


def start_shopify_fake(orders: int = 600, customers: int = 120, products: int = 30,
                       token: str = "shpat_fake_0123456789abcdef") -> Started:
    """A running fake shop: point SHOPIFY_API_BASE at `base_url`; stop with `server.stop()`."""
    fake = ShopifyFake(key=token, orders=orders, customers=customers, products=products)
    server, base_url = serve(fake.app)
    return Started(server, base_url, token, fake)
