"""Formatting figures for answers. Formatting never computes a new figure: it only spells the
tool's numbers for people ($70,558.36, 9.64%, Oct 1 – Oct 31, 2026)."""

from __future__ import annotations

from datetime import date
from typing import Any

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "CA$", "AUD": "A$", "JPY": "¥", "INR": "₹"}
STAGE_LABELS = {"closed_won": "won", "closed_lost": "lost"}
LIST_LIMIT = 10


def money(value: Any, currency: str | None = "USD") -> str:
    if value is None:
        return "n/a"
    amount = float(value)
    symbol = SYMBOLS.get((currency or "USD").upper())
    body = f"{abs(amount):,.0f}" if amount == round(amount) else f"{abs(amount):,.2f}"
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{body}" if symbol else f"{sign}{body} {currency}"


def count(value: Any) -> str:
    return f"{int(value):,}"


def percent(value: Any) -> str:
    """A percentage as the tool gave it (9.64 -> "9.64%"), without trailing zeros."""
    text = f"{abs(float(value)):.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def ratio_percent(value: Any) -> str:
    """A 0..1 ratio from a tool (0.3636) as a percentage (36.4%)."""
    return f"{float(value) * 100:.1f}%"


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{count(n)} {one if n == 1 else (many or one + 's')}"


def stage(value: Any) -> str:
    return STAGE_LABELS.get(str(value), str(value).replace("_", " "))


def _day(text: Any) -> date | None:
    try:
        return date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


def day(text: Any) -> str:
    d = _day(text)
    return f"{d:%b} {d.day}, {d.year}" if d else str(text)


def date_range(start: Any, end: Any) -> str:
    a, b = _day(start), _day(end)
    if a is None or b is None:
        return f"{start} to {end}"
    if a == b:
        return day(a.isoformat())
    if a.year == b.year:
        return f"{a:%b} {a.day} – {b:%b} {b.day}, {b.year}"
    return f"{day(a.isoformat())} – {day(b.isoformat())}"


def change_phrase(change: Any) -> str:
    if change is None:
        return "no change figure (the previous period had nothing to compare with)"
    value = float(change)
    if value > 0:
        return f"up {percent(value)}"
    if value < 0:
        return f"down {percent(value)}"
    return "flat (0%)"


def bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)
