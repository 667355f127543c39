"""How owners ask whether their synced data can be trusted, and how it is said.

`trust_health` is every source at a glance; `trust_signals` is one named source's feed in
detail; `trust_incidents` is the history of problems. Quality scores of the data itself are
`data_quality`'s (tools/lineage).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tools import phrasing as p
from tools.language import ToolLanguage, declare
from tools.trust.schemas import HealthOutput, IncidentOut, IncidentsOutput, SignalsOutput

SOURCES = {
    "shopify": ("shopify", "shopify store"),
    "stripe": ("stripe", "stripe account"),
    "hubspot": ("hubspot", "hub spot", "hubspot crm"),
}
"""A source is named by its connector type ("shopify"); these are the words people use for it."""
STATUS_SYNONYMS = {"open": ("open", "active", "ongoing", "current", "unresolved"),
                   "resolved": ("resolved", "closed", "fixed", "past", "cleared")}


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
    examples=(
        "is my data trustworthy?",
        "trust health",
        "can I trust the numbers from our integrations",
        "how healthy are my data feeds",
        "data trust score",
        "are all my sources syncing properly",
        "is any of the synced data unreliable",
        "overall data health",
        "r my integrations healthy",
        "give me the trust layer status",
        "can i rely on the numbers bizpilot shows",
        "data health score",
        "how trustworthy is our synced data overall",
        "overall trust score for all sources",
        "is the data from my integrations reliable enough to make decisions",
        "trust check",
        "which data feeds are unhealthy",
        "are any of our sources degraded",
        "health of all data sources out of 100",
        "should i trust today's numbers",
        "data trust overview",
        "how reliable are all my feeds",
        "is anything off with the data feeds",
        "trust helth",
        "do we have any unhealthy data sources",
        "feed health across shopify, stripe and hubspot",
        "are the synced feeds solid enough to trust?",
        "how healthy is the data overall, any open incidents",
        "feed reliability status across integrations",
    ),
    phrase=p.typed(HealthOutput, _health),
))

declare("trust_signals", ToolLanguage(
    examples=(
        "stripe's trust score looks bad, which check is failing?",
        "what's dragging down the shopify score",
        "how healthy is my shopify feed",
        "trust signals for stripe",
        "why is the hubspot data degraded",
        "is the shopify data fresh",
        "how often do stripe syncs fail",
        "did shopify send fewer records than usual",
        "are fields missing in the stripe feed",
        "show the signals of the hubspot connection",
        "when did shopify last sync successfully",
        "stripe feed health details",
        "how stale is the hubspot feed",
        "stripe feed signals",
        "record drop on shopify?",
        "error rate of the hubspot syncs",
        "signal breakdown for the store data",
        "is the stripe data reliable? show the signals",
        "shopify trust signals",
        "why is the stripe feed unhealthy",
        "freshness and error rate for hubspot",
        "is shopify sending fewer orders than normal",
        "null spike on stripe?",
        "break down the hubspot health score",
        "what's dragging down shopify's trust score",
        "how trustworthy is the stripe data specifically",
        "are emails suddenly missing in the hubspot feed",
        "signals for my_api",
        "stripe feed: fresh? errors? drops?",
        "explain the health of the shopify feed",
        "sigals for hubspot",
    ),
    phrase=p.typed(SignalsOutput, _signals),
    synonyms={"platform": SOURCES},
    questions={"platform": "Which source (for example shopify, stripe or hubspot)?"},
))

declare("trust_incidents", ToolLanguage(
    examples=(
        "any data incidents?",
        "list trust incidents",
        "open data incidents",
        "what went wrong with our data feeds recently",
        "incident history for shopify",
        "show resolved data incidents",
        "has stripe had any sync problems",
        "data trust alerts",
        "were there any stale data incidents this month",
        "incidnets on my integrations",
        "did hubspot have any data issues",
        "closed incidents on the stripe feed",
        "data alerts for shopify",
        "any open data incidents on stripe",
        "trust incidents this week",
        "list resolved incidents",
        "were there stale-data incidents on shopify",
        "past data problems with hubspot",
        "show unresolved data issues",
        "incident log for our integrations",
        "when did hubspot's data last break",
        "any record drop incidents",
        "critical data incidents",
        "what data incidents are still open",
        "incidents pls",
        "history of feed problems",
        "list every data trust incident for the store",
        "did a field go missing in any feed this month",
        "show all incidents, open and closed",
    ),
    phrase=p.typed(IncidentsOutput, _incidents),
    synonyms={"status": STATUS_SYNONYMS, "platform": SOURCES},
))
