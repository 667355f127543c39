"""Spelling a tool's figures for people: money, counts, dates, percentages and short lists.

Shared by the tools' language declarations (`*_language.py`). Formatting never computes a new
figure: it only writes the numbers of an output (or of the arguments) the way an owner reads
them ($12,500.00, 9.64%, Oct 1 – Oct 31, 2026). Anything derived (a percentage, an average)
must already be a field of the output.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

from pydantic import BaseModel

from tools.language import Phrase
from tools.schemas import DestructiveResult

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "CA$", "AUD": "A$", "JPY": "¥", "INR": "₹"}
STAGE_LABELS = {"closed_won": "won", "closed_lost": "lost"}
LIST_LIMIT = 10
"""At most this many records are written out in an answer; the count says how many there are."""

M = TypeVar("M", bound=BaseModel)


def typed(model: type[M], fn: Callable[[M, Mapping[str, Any]], str]) -> Phrase:
    """A phrase function over one output model, as the `Phrase` every declaration takes. An
    output that arrives as another model or as its JSON (after a round trip) is read back into
    the model first."""

    def phrase(output: BaseModel, args: Mapping[str, Any]) -> str:
        if not isinstance(output, model):
            raw = output.model_dump(mode="json") if isinstance(output, BaseModel) else output
            output = model.model_validate(raw)
        return fn(output, args or {})

    return phrase


# --- numbers -----------------------------------------------------------------------------------


def money(value: float | int | None, currency: str | None = "USD") -> str:
    """$12,500.00; an unknown currency as "12,500.00 SEK"; None as "n/a"."""
    if value is None:
        return "n/a"
    amount = float(value)
    code = (currency or "USD").upper()
    symbol = SYMBOLS.get(code)
    body = f"{abs(amount):,.2f}"
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{body}" if symbol else f"{sign}{body} {code}"


def count(value: int) -> str:
    return f"{int(value):,}"


def plural(n: int, one: str, many: str | None = None) -> str:
    """"1 order", "1,204 orders"."""
    return f"{count(n)} {one if n == 1 else (many or one + 's')}"


def is_are(n: int) -> str:
    """The verb for "there is/are N ...": one record is, any other number are."""
    return "is" if n == 1 else "are"


def percent(value: float) -> str:
    """A percentage as the tool gave it (9.64 -> "9.64%", 12.5 -> "12.5%")."""
    text = f"{abs(float(value)):.2f}".rstrip("0").rstrip(".")
    return f"{'-' if float(value) < 0 and text != '0' else ''}{text}%"


def ratio_percent(value: float) -> str:
    """A 0..1 ratio from a tool (0.3636) as a percentage (36.4%)."""
    return f"{float(value) * 100:.1f}%"


def change_phrase(change: float | None) -> str:
    """A change in percent as words: "up 9.64%", "down 3%", "flat (0%)"."""
    if change is None:
        return "not comparable"
    value = float(change)
    if value > 0:
        return f"up {percent(value)}"
    if value < 0:
        return f"down {percent(abs(value))}"
    return "flat (0%)"


# --- dates -------------------------------------------------------------------------------------


def _as_date(value: date | datetime | str | None) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def day(value: date | datetime | str | None) -> str:
    """"Mar 5, 2026"."""
    d = _as_date(value)
    if d is None:
        return "n/a" if value is None else str(value)
    return f"{d:%b} {d.day}, {d.year}"


def date_range(start: date | datetime | str | None, end: date | datetime | str | None) -> str:
    """"Oct 1 – Oct 31, 2026", "Dec 1, 2025 – Jan 15, 2026", or one day."""
    a, b = _as_date(start), _as_date(end)
    if a is None or b is None:
        return f"{day(start)} to {day(end)}"
    if a == b:
        return day(a)
    if a.year == b.year:
        return f"{a:%b} {a.day} – {b:%b} {b.day}, {b.year}"
    return f"{day(a)} – {day(b)}"


def period_name(label: str, start: date | datetime | str | None, end: date | datetime | str | None) -> str:
    """"last month (Oct 1 – Oct 31, 2026)", "March 2026 (Mar 1 – Mar 31, 2026)", or only the dates
    when the label is itself a date range."""
    dates = date_range(start, end)
    if not label or " to " in label or label[:1].isdigit():
        return dates
    return f"{label} ({dates})"


def when(label: str, start: date | datetime | str | None, end: date | datetime | str | None) -> str:
    """The period as it follows a noun: "this year (Jan 1 – Nov 24, 2026)", "in the last 30 days
    (…)", "in March 2026 (…)", "for Jan 1 – Mar 31, 2026"."""
    name = period_name(label, start, end)
    if re.match(r"last \d", label):
        return f"in the {name}"
    if re.match(r"(?:this|last|today|yesterday)\b", label):
        return name
    return f"in {name}" if label and not label[:1].isdigit() else f"for {name}"


ISO_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2})")
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def readable_label(label: str) -> str:
    """A period's label with its ISO dates as people write them: "2025, 2025-01-01 to
    2025-12-05" -> "2025 (Jan 1 – Dec 5, 2025)", "prior 43 days" -> "the prior 43 days"."""
    text = ISO_RANGE.sub(lambda m: date_range(m.group(1), m.group(2)), label)
    text = ISO_DAY.sub(lambda m: day(m.group(0)), text)
    text = re.sub(r"^(.+?), ([A-Z][a-z]{2} \d.*)$", r"\1 (\2)", text)
    return f"the {text}" if re.match(r"(?:prior|previous) \d", text) else text


# --- words and lists ---------------------------------------------------------------------------


def stage(value: str | None) -> str:
    """A deal stage as people say it: "won", "lost", "negotiation"."""
    text = str(value or "")
    return STAGE_LABELS.get(text, text.replace("_", " "))


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def bullets(lines: Iterable[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def listing(lines: list[str], total: int, order: str = "first") -> str:
    """Up to LIST_LIMIT lines as bullets, introduced by whether they are all of them or only
    the first ones ("The most recent:"), without a computed count."""
    shown = lines[:LIST_LIMIT]
    if not shown:
        return ""
    intro = "Here they are:" if total <= len(shown) else f"The {order} ones:"
    return f"{intro}\n{bullets(shown)}"


def who(name: str | None, company: str | None) -> str:
    """"Dana Whitfield (Harbor Bikes)"."""
    return f"{name or '(no name)'}" + (f" ({company})" if company else "")


# --- destructive tools -------------------------------------------------------------------------


def destructive(output: DestructiveResult, args: Mapping[str, Any]) -> str:
    """A preview awaiting confirmation, or what was done, in the tool's own words."""
    if output.status == "confirmation_required":
        return f"{output.message} Please confirm to go ahead, or cancel to keep everything as it is."
    return output.message or "Done."


def possessive(name: str) -> str:
    """"Summit Outfitters'" and "Ana's": English drops the s after a final s."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"
