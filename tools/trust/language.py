"""How owners ask whether their synced data can be trusted, and how it is said.

`trust_health` is every source at a glance; `trust_signals` is one named source's feed in
detail; `trust_incidents` is the history of problems. Quality scores of the data itself are
`data_quality`'s (tools/lineage).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tools import phrasing as p
from tools.language import ToolLanguage, declare, read_examples
from tools.trust.schemas import HealthOutput, IncidentOut, IncidentsOutput, SignalsOutput

EXAMPLES = read_examples(Path(__file__).with_name("examples.txt"))

SOURCES = {
    "shopify": ("shopify", "shopify store"),
    "stripe": ("stripe", "stripe account", "card payments", "card payment"),
    "hubspot": ("hubspot", "hub spot", "hubspot crm"),
}
"""A source is named by its connector type ("shopify"); these are the words people use for it."""
STATUS_SYNONYMS = {"open": ("open", "active", "ongoing", "current", "unresolved", "outstanding",
                            "still hanging", "hanging over"),
                   "resolved": ("resolved", "closed", "fixed", "past", "cleared", "sorted", "dealt with",
                                "handled", "sorted out")}


def _health_text(health: int | None, status: str) -> str:
    return "not measured yet" if health is None else f"{health}/100 ({status})"


def _health(out: HealthOutput, args: Mapping[str, Any]) -> str:
    if out.status == "no_sources":
        return ("No data source is connected, so there are no sync signals to judge: everything "
                "was entered in BizPilot.")
    head = f"Data trust is {_health_text(out.overall_health, out.status)} overall"
    head += (f", with {p.plural(out.open_incidents, 'open incident')}." if out.open_incidents
             else ", with no open incidents.")
    lines = [f"{h.name}: {_health_text(h.health, h.status)}"
             + (f", {p.plural(h.open_incidents, 'open incident')}" if h.open_incidents else "")
             for h in out.signals.values()]
    return f"{head}\n{p.bullets(lines[: p.LIST_LIMIT])}"


def _signals(out: SignalsOutput, args: Mapping[str, Any]) -> str:
    head = f"The {out.name} feed is {_health_text(out.health, out.status)}."
    lines = [f"{s.name.replace('_', ' ')}: {s.explanation}" + (" — past its threshold" if s.breached else "")
             for s in out.signals]
    return f"{head}\n{p.bullets(lines)}"


def incident_line(i: IncidentOut) -> str:
    text = f"{i.title} ({i.severity}, {i.status}), opened {p.day(i.opened_at)}"
    return text + (f", resolved {p.day(i.resolved_at)}" if i.resolved_at else "")


def _incidents(out: IncidentsOutput, args: Mapping[str, Any]) -> str:
    which = f"{args['status']} " if args.get("status") else ""
    if not out.total:
        return f"There are no {which}data trust incidents" + (
            " for that source." if args.get("platform") else ".")
    head = f"There {p.is_are(out.total)} {p.plural(out.total, which + 'data trust incident')}"
    head += f", {p.count(out.open)} still open." if not args.get("status") else "."
    return f"{head} {p.listing([incident_line(i) for i in out.incidents], out.total, 'most recent')}"


declare("trust_health", ToolLanguage(
    examples=EXAMPLES["trust_health"],
    phrase=p.typed(HealthOutput, _health),
))

declare("trust_signals", ToolLanguage(
    examples=EXAMPLES["trust_signals"],
    phrase=p.typed(SignalsOutput, _signals),
    synonyms={"platform": SOURCES},
    questions={"platform": "Which source (for example shopify, stripe or hubspot)?"},
))

declare("trust_incidents", ToolLanguage(
    examples=EXAMPLES["trust_incidents"],
    phrase=p.typed(IncidentsOutput, _incidents),
    synonyms={"status": STATUS_SYNONYMS, "platform": SOURCES},
))
