"""How owners ask for insights, and how they are said (titles, priorities and recommendations
exactly as the rules stored them; every figure from the insights' own data).

Routing: `list_insights` reads what is known ("what should I know about my business?");
`generate_insights` runs the rules now ("check my business for problems"); `update_insight`
moves one ("mark that insight as done").

Importing this module also imports the insight and churn tools with their declarations, so the
catalog needs one line for both domains.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tools import phrasing as p
from tools.churn import language as _churn_language  # noqa: F401  (churn tools and their language)
from tools.insights import tools as _tools  # noqa: F401  (the tools these declarations describe)
from tools.insights.schemas import GenerateInsightsOutput, InsightList, InsightOut, InsightOutput
from tools.language import ToolLanguage, declare, read_examples

EXAMPLES = read_examples(Path(__file__).with_name("examples.txt"))

PRIORITY_SYNONYMS = {
    "critical": ("critical", "urgent", "severe", "emergency"),
    "high": ("high", "important", "high priority", "major"),
    "medium": ("medium", "moderate", "normal"),
    "low": ("low", "minor", "low priority"),
}
STATUS_SYNONYMS = {
    "new": ("new", "unread", "unseen", "fresh"),
    "viewed": ("viewed", "seen", "read", "looked at"),
    "actioned": ("actioned", "done", "handled", "resolved", "completed", "dealt with", "acted on"),
    "dismissed": ("dismissed", "dismiss", "ignore", "ignored", "not relevant", "hide", "skip"),
}
_TYPE_WORDS = {
    "churn_risk": ("churn", "churn risk", "customers leaving"),
    "revenue_trend": ("revenue", "sales", "revenue trend"),
    "concentration": ("concentration", "customer concentration", "customer dependence"),
    "pipeline": ("pipeline", "deals", "stuck deals"),
    "cash_flow": ("cash flow", "cashflow", "invoices", "overdue invoices"),
    "data_quality": ("data quality", "data trust", "data"),
    "security": ("security", "mfa"),
}
TYPE_SYNONYMS = {
    kind: tuple(phrase for w in words for phrase in (
        f"{w} insights", f"{w} insight", f"insights on {w}", f"insights about {w}", f"insights for {w}",
        f"anything about {w}", f"anything on {w}", f"flagged {w}", f"{w} alerts", f"alerts about {w}"))
    for kind, words in _TYPE_WORDS.items()
}
TYPE_SYNONYMS["concentration"] += ("depend too much on one", "depend on one customer", "rely on one customer",
                                   "relying on one customer", "too dependent on", "one big customer",
                                   "one single customer", "all eggs in one basket")
"""An insight's type by its subject next to the word "insight" ("churn insights", "insights about
churn") or, once insights are asked for, in "anything about churn" or "churn alerts": the subject
alone ("churn") is a request for that figure, not for insights."""
ALL_SYNONYMS = {"true": ("including done", "including the done", "every insight", "even dismissed",
                         "even the dismissed", "all insights", "old ones too", "include the dismissed",
                         "include dismissed", "dismissed ones too", "done ones too", "dismissed and done",
                         "done and dismissed", "closed ones too", "include the done", "including dismissed",
                         "including the dismissed")}


def _all_or_one_status(_said: str, args: Mapping[str, Any]) -> Mapping[str, Any]:
    """"include the dismissed and done ones too": every status, not the dismissed ones alone."""
    return {"status": None} if args.get("all") and args.get("status") else {}
DATA_TYPE_SYNONYMS = {
    "revenue": ("revenue", "sales", "money", "income", "invoices"),
    "customers": ("customers", "clients", "churn", "customer base"),
    "deals": ("deals", "pipeline", "opportunities", "sales pipeline"),
    "security": ("security", "mfa", "access"),
    "data": ("data quality", "data trust", "sync", "connectors"),
}


def insight_line(i: InsightOut) -> str:
    text = f"[{i.priority}] {i.title}"
    if i.recommendation:
        text += f" — {i.recommendation}"
    return text


def _generated(out: GenerateInsightsOutput, args: Mapping[str, Any]) -> str:
    skipped = "".join(f" Not checked: {s.rule} ({s.reason})" for s in out.skipped)
    if not out.insights:
        return (f"I checked {p.plural(len(out.rules_run), 'rule')} and found nothing that needs "
                f"attention.{skipped}")
    head = (f"{p.plural(len(out.insights), 'insight')} from {p.plural(len(out.rules_run), 'rule')}, "
            f"{p.count(out.generated)} new:")
    return f"{head}\n{p.bullets(insight_line(i) for i in out.insights[: p.LIST_LIMIT])}{skipped}"


def _listed(out: InsightList, args: Mapping[str, Any]) -> str:
    total = out.pagination.total
    if total == 0:
        filtered = any(args.get(k) for k in ("type", "priority", "status"))
        return ("There are no insights matching that." if filtered
                else "There are no open insights. Ask me to check the business to generate them.")
    head = f"{p.plural(total, 'insight')}, most important first."
    lines = [f"{insight_line(i)} ({i.status})" for i in out.insights]
    return f"{head} {p.listing(lines, total, 'most important')}"


def _updated(out: InsightOutput, args: Mapping[str, Any]) -> str:
    return f"Marked “{out.insight.title}” as {out.insight.status}."


declare("generate_insights", ToolLanguage(
    examples=EXAMPLES["generate_insights"],
    phrase=p.typed(GenerateInsightsOutput, _generated),
    synonyms={"data_type": DATA_TYPE_SYNONYMS},
))

declare("list_insights", ToolLanguage(
    examples=EXAMPLES["list_insights"],
    phrase=p.typed(InsightList, _listed),
    synonyms={"priority": PRIORITY_SYNONYMS, "status": STATUS_SYNONYMS, "type": TYPE_SYNONYMS,
              "all": ALL_SYNONYMS},
    read=_all_or_one_status,
))

declare("update_insight", ToolLanguage(
    examples=EXAMPLES["update_insight"],
    phrase=p.typed(InsightOutput, _updated),
    synonyms={"status": {**STATUS_SYNONYMS, "new": (*STATUS_SYNONYMS["new"], "reopen", "re-open",
                                                     "undismiss", "back to new", "mark as new")}},
    questions={"insight_id": "Which insight (its id from the list of insights)?",
               "status": "Mark it as viewed, actioned (done) or dismissed?"},
))
