"""Stripe: customers, charges (our orders), invoices and subscriptions of one account.

Wire format, as Stripe documents it: `GET {base}/v1/{resource}` with `Authorization: Bearer
sk_...` (or a restricted rk_ key); list objects `{object: "list", data: [...], has_more}` paged
with `limit` (≤100) and `starting_after=<last id>`. Lists run newest first by creation and can
only be filtered by creation (`created[gte]`): an incremental sync sees new records, not records
edited since. Amounts are in minor units except in zero-decimal currencies.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import partial
from typing import Any

from core.errors import ValidationFailed
from core.settings import get_settings
from tools.connectors.base import AccountInfo, CredentialField, Page, SourceItem, register
from tools.connectors.providers import http
from tools.connectors.providers.http import ProviderHTTP, currency, parse_time

MAX_LIMIT = 100
ZERO_DECIMAL = frozenset({"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF",
                          "UGX", "VND", "VUV", "XAF", "XOF", "XPF"})
CHARGE_STATUS = {"succeeded": "paid", "pending": "pending", "failed": "failed"}


@partial(register, category="payments")
class StripeConnector:
    type = "stripe"
    display_name = "Stripe"
    description = "Customers, payments (charges), invoices and subscriptions from Stripe."
    resources = ("customers", "charges", "invoices", "subscriptions")
    credential_fields = (
        CredentialField("apiKey", "Secret or restricted API key",
                        help="sk_live_... or a read-only restricted key rk_live_..."),
    )

    def __init__(self, credentials: Mapping[str, str], config: Mapping[str, Any]) -> None:
        key = (credentials.get("apiKey") or "").strip()
        if not key:
            raise ValidationFailed("Stripe needs an API key",
                                   details=[{"field": "apiKey", "message": "required"}])
        if not key.startswith(("sk_", "rk_")):
            raise ValidationFailed(
                "A Stripe secret key starts with sk_ (or rk_ for a restricted key); publishable "
                "pk_ keys cannot read data", details=[{"field": "apiKey", "message": "expected sk_ or rk_"}])
        settings = get_settings()
        self.base = settings.stripe_api_base.rstrip("/")
        self.page_size = min(settings.connector_page_size, MAX_LIMIT)
        self.http = ProviderHTTP("Stripe", {"Authorization": f"Bearer {key}"}, secrets=[key])

    def check(self) -> AccountInfo:
        data, _ = self.http.get_json(f"{self.base}/v1/account")
        if not isinstance(data, dict) or "id" not in data:
            raise ValidationFailed("The address did not answer like Stripe")
        profile = data.get("business_profile") or {}
        dashboard = (data.get("settings") or {}).get("dashboard") or {}
        name = profile.get("name") or dashboard.get("display_name") or data.get("email") or data["id"]
        return AccountInfo(account_id=str(data["id"]), name=str(name), details={
            "country": data.get("country"), "email": data.get("email"),
            "currency": currency(data.get("default_currency"))})

    def fetch(self, resource: str, cursor: str | None, since: str | None) -> Page:
        normalise = NORMALISERS.get(resource)
        if normalise is None:
            raise ValidationFailed(f"Stripe has no resource {resource!r}")
        params: dict[str, Any] = {"limit": self.page_size, "starting_after": cursor or None}
        if resource == "subscriptions":
            params["status"] = "all"
        if since:
            when = parse_time(since)
            if when is None:
                raise ValidationFailed(f"Not a timestamp: {since!r}")
            params["created[gte]"] = int(when.timestamp())
        data, _ = self.http.get_json(f"{self.base}/v1/{resource}", params)
        rows = [r for r in (data.get("data") if isinstance(data, dict) else None) or []
                if isinstance(r, dict)]
        items = [normalise(row) for row in rows]
        more = bool(data.get("has_more")) and bool(rows)
        return Page(items=items, next_cursor=str(rows[-1]["id"]) if more else None,
                    high_water=http.high_water(i.updated_at for i in items))


def amount(minor: Any, code: Any) -> Decimal | None:
    """Minor units to major units: cents / 100, except in zero-decimal currencies."""
    if minor is None or isinstance(minor, bool):
        return None
    value = Decimal(int(minor))
    return value if (currency(code) or "") in ZERO_DECIMAL else value / 100


def _day(value: Any) -> date | None:
    when = parse_time(value)
    return when.date() if when else None


def _unix(value: Any) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if isinstance(value, int | float) else None


def _ref(value: Any) -> str | None:
    """A reference Stripe sends as an id, or as the object when it was expanded."""
    if isinstance(value, dict):
        value = value.get("id")
    return str(value) if value else None


def _item(resource: str, entity: Any, row: dict[str, Any], fields: dict[str, Any]) -> SourceItem:
    return SourceItem(resource=resource, entity=entity, source_id=str(row["id"]),
                      updated_at=_unix(row.get("created")), fields=fields)


def _customer(row: dict[str, Any]) -> SourceItem:
    return _item("customers", "customer", row, {
        "name": row.get("name") or None, "email": row.get("email") or None,
        "phone": row.get("phone") or None, "status": "active"})


def _charge(row: dict[str, Any]) -> SourceItem:
    code = row.get("currency")
    billing = row.get("billing_details") or {}
    status = "refunded" if row.get("refunded") else CHARGE_STATUS.get(row.get("status") or "",
                                                                       row.get("status"))
    return _item("charges", "order", row, {
        "total": amount(row.get("amount"), code), "currency": currency(code), "status": status,
        "ordered_at": _unix(row.get("created")), "customer_source_id": _ref(row.get("customer")),
        "customer_email": billing.get("email") or row.get("receipt_email") or None})


def _invoice(row: dict[str, Any]) -> SourceItem:
    code = row.get("currency")
    return _item("invoices", "invoice", row, {
        "number": row.get("number"), "status": row.get("status"),
        "amount_due": amount(row.get("amount_due"), code),
        "amount_paid": amount(row.get("amount_paid"), code), "currency": currency(code),
        "due_date": _day(row.get("due_date")), "issued_at": _unix(row.get("created")),
        "customer_source_id": _ref(row.get("customer"))})


def _subscription(row: dict[str, Any]) -> SourceItem:
    items = (row.get("items") or {}).get("data") or [{}]
    first = items[0] if isinstance(items[0], dict) else {}
    price = first.get("price") or row.get("plan") or {}
    code = price.get("currency") or row.get("currency")
    unit = price.get("unit_amount", price.get("amount"))
    total = amount(unit * int(first.get("quantity") or row.get("quantity") or 1), code) \
        if isinstance(unit, int) else None
    return _item("subscriptions", "subscription", row, {
        "status": row.get("status"), "plan": price.get("nickname") or _ref(price.get("product")),
        "amount": total, "currency": currency(code),
        "interval": (price.get("recurring") or {}).get("interval") or price.get("interval"),
        "current_period_end": _unix(row.get("current_period_end") or first.get("current_period_end")),
        "started_at": _unix(row.get("start_date")),
        "customer_source_id": _ref(row.get("customer"))})


NORMALISERS: dict[str, Callable[[dict[str, Any]], SourceItem]] = {
    "customers": _customer, "charges": _charge, "invoices": _invoice,
    "subscriptions": _subscription}
