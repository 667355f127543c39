"""Shopify (Admin REST API): customers, products and orders of one shop.

Wire format, as Shopify documents it: `GET {origin}/admin/api/{version}/{resource}.json` with the
`X-Shopify-Access-Token` header; cursor pagination through the `Link` response header
(`<...page_info=...>; rel="next"`) where a next page may carry only `page_info` and `limit`; the
leaky-bucket call limit reported in `X-Shopify-Shop-Api-Call-Limit: used/max` and 429 with
`Retry-After` when the bucket overflows. The cursor we store is the full next URL, so a sync
resumes after a restart exactly where it stopped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from core.errors import ValidationFailed
from core.settings import get_settings
from tools import outbound
from tools.connectors.base import AccountInfo, CredentialField, Page, SourceItem, register
from tools.connectors.providers import http
from tools.connectors.providers.http import ProviderHTTP, currency, parse_time, to_decimal

MAX_LIMIT = 250
THROTTLE_RATIO = 0.8
LEAK_PER_SECOND = 2.0
"""A standard shop's bucket leaks 2 calls a second: how long to wait to drop under the ratio."""
DOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]*\.myshopify\.com$")
NEXT_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')
FINANCIAL_STATUS = {"paid": "paid", "refunded": "refunded", "partially_refunded": "refunded",
                    "pending": "pending", "authorized": "pending", "voided": "void"}


@partial(register, category="commerce")
class ShopifyConnector:
    type = "shopify"
    display_name = "Shopify"
    description = "Customers, products and orders from a Shopify store (Admin API)."
    resources = ("customers", "products", "orders")
    credential_fields = (
        CredentialField("shopDomain", "Shop domain", secret=False,
                        help="Your store's myshopify.com domain, e.g. my-store.myshopify.com"),
        CredentialField("apiKey", "Admin API access token",
                        help="From a custom app with read access to customers, products and orders "
                             "(starts with shpat_)"),
    )

    def __init__(self, credentials: Mapping[str, str], config: Mapping[str, Any]) -> None:
        token = (credentials.get("apiKey") or credentials.get("accessToken") or "").strip()
        if not token:
            raise ValidationFailed("Shopify needs an Admin API access token",
                                   details=[{"field": "apiKey", "message": "required"}])
        settings = get_settings()
        domain = _domain(credentials.get("shopDomain") or str(config.get("shopDomain") or ""))
        if settings.shopify_api_base:
            origin = settings.shopify_api_base.rstrip("/")
        elif DOMAIN.match(domain):
            origin = f"https://{domain}"
        else:
            raise ValidationFailed(
                "The shop domain must look like your-store.myshopify.com",
                details=[{"field": "shopDomain", "message": "expected <name>.myshopify.com"}])
        self.api = f"{origin}/admin/api/{settings.shopify_api_version}"
        self.page_size = min(settings.connector_page_size, MAX_LIMIT)
        self.http = ProviderHTTP("Shopify", {"X-Shopify-Access-Token": token}, secrets=[token])

    def check(self) -> AccountInfo:
        data, response = self.http.get_json(f"{self.api}/shop.json")
        self._throttle(response)
        shop = data.get("shop") if isinstance(data, dict) else None
        if not isinstance(shop, dict):
            raise ValidationFailed("The address did not answer like a Shopify store")
        return AccountInfo(account_id=str(shop.get("id")), name=str(shop.get("name") or ""),
                           details={"domain": shop.get("myshopify_domain") or shop.get("domain"),
                                    "currency": shop.get("currency"),
                                    "plan": shop.get("plan_name")})

    def fetch(self, resource: str, cursor: str | None, since: str | None) -> Page:
        normalise = NORMALISERS.get(resource)
        if normalise is None:
            raise ValidationFailed(f"Shopify has no resource {resource!r}")
        if cursor:
            if not cursor.startswith(f"{self.api}/{resource}.json?"):
                raise ValidationFailed("The stored Shopify cursor does not belong to this shop")
            data, response = self.http.get_json(cursor)
        else:
            params: dict[str, Any] = {"limit": self.page_size}
            if resource == "orders":
                params["status"] = "any"
            if since:
                when = parse_time(since)
                if when is None:
                    raise ValidationFailed(f"Not a timestamp: {since!r}")
                params["updated_at_min"] = when.isoformat()
            data, response = self.http.get_json(f"{self.api}/{resource}.json", params)
        self._throttle(response)
        rows = data.get(resource) if isinstance(data, dict) else None
        items = [normalise(row) for row in rows or [] if isinstance(row, dict)]
        return Page(items=items, next_cursor=_next_link(response.headers),
                    high_water=http.high_water(i.updated_at for i in items))

    def _throttle(self, response: outbound.OutboundResponse) -> None:
        """Slow down before the bucket overflows rather than collect 429s."""
        used, size = _call_limit(response.headers)
        if size and used / size >= THROTTLE_RATIO:
            http.sleep((used - THROTTLE_RATIO * size + 1) / LEAK_PER_SECOND)


def _domain(value: str) -> str:
    value = value.strip().lower()
    value = re.sub(r"^https?://", "", value)
    return value.split("/", 1)[0]


def _header(headers: Mapping[str, str], name: str) -> str | None:
    return headers.get(name.lower()) or headers.get(name)


def _call_limit(headers: Mapping[str, str]) -> tuple[int, int]:
    raw = _header(headers, "X-Shopify-Shop-Api-Call-Limit") or ""
    match = re.match(r"^\s*(\d+)\s*/\s*(\d+)\s*$", raw)
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def _next_link(headers: Mapping[str, str]) -> str | None:
    match = NEXT_LINK.search(_header(headers, "Link") or "")
    return match.group(1) if match else None


def _id(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _customer(row: dict[str, Any]) -> SourceItem:
    address = row.get("default_address") or {}
    name = " ".join(p for p in (row.get("first_name"), row.get("last_name")) if p) or None
    orders = row.get("orders_count", row.get("number_of_orders")) or 0
    return SourceItem(resource="customers", entity="customer", source_id=str(row["id"]),
                      updated_at=parse_time(row.get("updated_at")), fields={
                          "name": name, "email": row.get("email") or None,
                          "phone": row.get("phone") or address.get("phone") or None,
                          "company": address.get("company") or None,
                          "status": "active" if int(orders) > 0 else "lead"})


def _product(row: dict[str, Any]) -> SourceItem:
    variants = row.get("variants") or [{}]
    first = variants[0] if isinstance(variants[0], dict) else {}
    return SourceItem(resource="products", entity="product", source_id=str(row["id"]),
                      updated_at=parse_time(row.get("updated_at")), fields={
                          "name": row.get("title"), "sku": first.get("sku") or None,
                          "price": to_decimal(first.get("price")), "status": row.get("status")})


def _order(row: dict[str, Any]) -> SourceItem:
    customer = row.get("customer") or {}
    status = row.get("financial_status")
    return SourceItem(resource="orders", entity="order", source_id=str(row["id"]),
                      updated_at=parse_time(row.get("updated_at")), fields={
                          "total": to_decimal(row.get("total_price")),
                          "currency": currency(row.get("currency")),
                          "status": FINANCIAL_STATUS.get(status, status) if status else None,
                          "ordered_at": parse_time(row.get("created_at") or row.get("processed_at")),
                          "customer_source_id": _id(customer.get("id")),
                          "customer_email": row.get("email") or customer.get("email") or None})


NORMALISERS: dict[str, Callable[[dict[str, Any]], SourceItem]] = {
    "customers": _customer, "products": _product, "orders": _order}
