"""The four named data-quality rules, as pure functions over records' values.

A record is what one source supplied for one entity (a `SourceRecord.values` dict with our field
names, `tools.connectors.base.ENTITY_FIELDS`), or a manually entered entity's own fields. The
rules count what they checked and what passed (a `Tally`), so a score is always "passed of
checked" and a source with nothing to check has no score (None), never an invented one.

- completeness: each key field of the record's entity type (`KEY_FIELDS`) is one check; it
  passes when the value is present (not None, not blank).
- accuracy: each present value that has a validator (`VALIDATORS`) is one check; it passes when
  the value is plausible (email syntax, phone digits, non-negative money, ISO 4217 currency,
  dates not in the future nor before 2000, stage/status in the allowed set).
- freshness: `freshness(age_hours, stale_hours)`, see its docstring.
- consistency: a customer merged from several sources is one check, passing when every pair of
  its sources agrees (`customer_agrees`); an order that names its customer is one check,
  passing when that link resolved to a customer of ours.
- overall: the mean of the dimensions that have a score (all four for a synced source; manual
  data has no sync, so no freshness, and no second source to be consistent with).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

DIMENSIONS = ("accuracy", "completeness", "freshness", "consistency")
LINK_FIELDS = ("customer_id", "customer_source_id", "customer_email")
"""Any of these present means the record names its customer (the pseudo-field "customer")."""
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "customer": ("name", "email"),
    "order": ("total", "ordered_at", "customer"),
    "deal": ("title", "value", "stage"),
    "product": ("name", "price"),
    "invoice": ("amount_due", "status", "customer"),
    "subscription": ("status", "amount", "customer"),
    "company": ("name",),
}
NAME_SIMILARITY = 85.0
"""rapidfuzz token_sort_ratio (0-100) above which two sources' names of a customer agree."""
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)
"""Clock skew between a provider and us is not an error: a day ahead is still "not future"."""

_ISO_4217 = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP "
    "BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP "
    "GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR "
    "KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK "
    "MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR "
    "SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS "
    "UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL"
)
CURRENCIES = frozenset(_ISO_4217.split(" "))
"""ISO 4217 active currency codes."""
STATUSES: dict[str, frozenset[str]] = {
    "customer.status": frozenset({"lead", "prospect", "active", "inactive", "churned"}),
    "order.status": frozenset({"paid", "pending", "refunded", "partially_refunded", "cancelled",
                               "canceled", "fulfilled", "unfulfilled", "authorized", "voided",
                               "failed", "open"}),
    "deal.stage": frozenset({"lead", "qualified", "proposal", "negotiation", "closed_won",
                             "closed_lost"}),
    "invoice.status": frozenset({"draft", "open", "paid", "void", "uncollectible"}),
    "subscription.status": frozenset({"active", "trialing", "past_due", "canceled", "cancelled",
                                      "unpaid", "incomplete", "incomplete_expired", "paused"}),
    "product.status": frozenset({"active", "archived", "draft", "inactive"}),
}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
PHONE_CHARS = re.compile(r"^\+?[\d\s().\-/]+$")
MONEY_FIELDS = ("total", "value", "price", "amount_due", "amount_paid", "amount")
PAST_DATES = ("ordered_at", "issued_at", "started_at")
"""Dates that record something that happened: never in the future (a due date may be)."""


@dataclass
class Tally:
    """How many checks a rule made and how many passed."""

    passed: int = 0
    checked: int = 0

    def add(self, ok: bool) -> None:
        self.checked += 1
        self.passed += int(ok)

    def merge(self, other: Tally) -> None:
        self.passed += other.passed
        self.checked += other.checked

    @property
    def score(self) -> float | None:
        return round(self.passed / self.checked, 4) if self.checked else None


def present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def has_field(values: Mapping[str, Any], name: str) -> bool:
    if name == "customer":
        return any(present(values.get(f)) for f in LINK_FIELDS)
    return present(values.get(name))


# --- validators ----------------------------------------------------------------------------------


def valid_email(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= 320 and bool(EMAIL.match(value.strip()))


def valid_phone(value: Any) -> bool:
    """7 to 15 digits (E.164's maximum), written with digits, spaces, + ( ) . - / only."""
    text = str(value).strip()
    digits = sum(ch.isdigit() for ch in text)
    return bool(PHONE_CHARS.match(text)) and 7 <= digits <= 15


def valid_money(value: Any) -> bool:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return False
    return amount.is_finite() and amount >= 0


def valid_currency(value: Any) -> bool:
    return isinstance(value, str) and value in CURRENCIES


def as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        try:
            return as_datetime(datetime.fromisoformat(value.strip()))
        except ValueError:
            return None
    return None


def valid_past_date(value: Any, now: datetime) -> bool:
    moment = as_datetime(value)
    return moment is not None and EARLIEST <= moment <= now + FUTURE_SLACK


def valid_choice(value: Any, allowed: frozenset[str]) -> bool:
    return isinstance(value, str) and value in allowed


def validators(entity_type: str, now: datetime) -> dict[str, Callable[[Any], bool]]:
    """Field -> validator for one entity type (fields without one are not accuracy-checked)."""
    found: dict[str, Callable[[Any], bool]] = {"email": valid_email, "customer_email": valid_email,
                                               "phone": valid_phone, "currency": valid_currency}
    found.update({f: valid_money for f in MONEY_FIELDS})
    found.update({f: partial(valid_past_date, now=now) for f in PAST_DATES})
    for key, allowed in STATUSES.items():
        kind, field = key.split(".")
        if kind == entity_type:
            found[field] = partial(valid_choice, allowed=allowed)
    return found


# --- the rules -----------------------------------------------------------------------------------


def completeness(entity_type: str, values: Mapping[str, Any]) -> Tally:
    """Key fields present of key fields expected, for one record."""
    tally = Tally()
    for name in KEY_FIELDS.get(entity_type, ()):
        tally.add(has_field(values, name))
    return tally


def accuracy(entity_type: str, values: Mapping[str, Any], now: datetime,
             checks: Mapping[str, Callable[[Any], bool]] | None = None) -> Tally:
    """Present values that pass their validator, of present values that have one."""
    checks = checks if checks is not None else validators(entity_type, now)
    tally = Tally()
    for name, value in values.items():
        check = checks.get(name)
        if check is not None and present(value):
            tally.add(check(value))
    return tally


def freshness(age_hours: float | None, stale_hours: float) -> float:
    """1.0 while the last successful sync is at most `stale_hours` old (S), then a straight line
    down to 0 at 3·S: score = clamp(1 - (age - S) / (2·S), 0, 1), so 0.5 at twice the stale age.
    No successful sync at all (`age_hours` None) scores 0."""
    if age_hours is None:
        return 0.0
    if age_hours <= stale_hours:
        return 1.0
    return round(max(0.0, 1.0 - (age_hours - stale_hours) / (2 * stale_hours)), 4)


def _digits(phone: Any) -> str:
    return "".join(ch for ch in str(phone) if ch.isdigit())[-10:]


def names_agree(a: Any, b: Any) -> bool:
    """Similar enough to be one person: "Jane Smith" and "Smith, Jane" or "Jane  Smith" agree."""
    score = fuzz.token_sort_ratio(str(a), str(b), processor=default_process)
    return bool(score >= NAME_SIMILARITY)


def customer_agrees(records: Iterable[Mapping[str, Any]]) -> bool:
    """Whether every pair of sources describing one customer agree: names similar (when both
    have one) and the same phone number, by its last ten digits (when both have one)."""
    rows = list(records)
    for i, first in enumerate(rows):
        for second in rows[i + 1:]:
            if present(first.get("name")) and present(second.get("name")) and \
                    not names_agree(first["name"], second["name"]):
                return False
            if present(first.get("phone")) and present(second.get("phone")) and \
                    _digits(first["phone"]) != _digits(second["phone"]):
                return False
    return True


def mean_score(dimensions: Mapping[str, float | None]) -> float | None:
    """The overall score: the mean of the dimensions that have a score."""
    scored = [v for v in dimensions.values() if v is not None]
    return round(sum(scored) / len(scored), 4) if scored else None
