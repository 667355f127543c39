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
from typing import Any

from tools import phrasing as p
from tools.churn import language as _churn_language  # noqa: F401  (churn tools and their language)
from tools.insights import tools as _tools  # noqa: F401  (the tools these declarations describe)
from tools.insights.schemas import GenerateInsightsOutput, InsightList, InsightOut, InsightOutput
from tools.language import ToolLanguage, declare

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
    kind: tuple(phrase for w in words for phrase in (f"{w} insights", f"{w} insight", f"insights on {w}",
                                                      f"insights about {w}", f"insights for {w}"))
    for kind, words in _TYPE_WORDS.items()
}
"""An insight's type by its subject next to the word "insight" ("churn insights", "insights about
churn"): the subject alone ("churn") is a request for that figure, not for insights."""
ALL_SYNONYMS = {"true": ("including done", "including the done", "every insight", "even dismissed",
                         "even the dismissed", "all insights", "old ones too")}
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
    examples=(
        "run insights on my customers",
        "please run an insights check",
        "generate insights",
        "check my business for problems",
        "analyse my data and tell me what's wrong",
        "run the insight rules now",
        "find new insights about my revenue",
        "scan the pipeline for issues",
        "refresh the business insights",
        "look for anything unusual in my sales data",
        "generate insights about customers",
        "give me fresh insights on security and data quality",
        "genrate new insights",
        "run a fresh scan for issues across the business",
        "re-run the insight checks on my deals",
        "can you dig through the customer data and flag anything worrying",
        "scan for overdue invoices and revenue drops",
        "detect new problems now",
        "update the insights, i think they're stale",
        "hunt for stalled deals and flag them",
        "analyse everything and raise alerts",
        "insight scan on security pls",
        "check the connectors and syncs for new insights",
        "kick off insight generation",
        "look for new risks in the customer base and add them as insights",
        "GENERATE INSIGHTS FOR REVENUE",
        "recompute my insights",
        "go through the numbers and tell me if anything's off",
        "new insight run for the whole business",
        "refresh insights on income",
        "generte insights on opportunities",
    ),
    phrase=p.typed(GenerateInsightsOutput, _generated),
    synonyms={"data_type": DATA_TYPE_SYNONYMS},
))

declare("list_insights", ToolLanguage(
    examples=(
        "what should I know about my business",
        "any important insights?",
        "show my insights",
        "what needs my attention",
        "list critical insights",
        "anything urgent I should look at?",
        "show the insights I dismissed",
        "open insights about the pipeline",
        "what are the high priority alerts",
        "insights",
        "wat should i focus on today",
        "insights on churn risk",
        "show every insight, even the dismissed ones",
        "any cash flow insights?",
        "insights about my biggest customer dependence",
        "security insights",
        "what are my open insights",
        "medium priority insights",
        "unread insights pls",
        "insights i've already acted on",
        "show the alerts you found last time",
        "any red flags i should know about?",
        "concentration insights",
        "top priority things to deal with",
        "list all insights including done ones",
        "data quality insights",
        "which insights have i looked at but not handled",
        "low priority insights too",
        "insights abt revenue",
    ),
    phrase=p.typed(InsightList, _listed),
    synonyms={"priority": PRIORITY_SYNONYMS, "status": STATUS_SYNONYMS, "type": TYPE_SYNONYMS,
              "all": ALL_SYNONYMS},
))

declare("update_insight", ToolLanguage(
    examples=(
        "mark that insight as done",
        "dismiss this insight",
        "I've handled the overdue invoices insight",
        "mark the insight as viewed",
        "ignore that alert",
        "the stalled deals insight is not relevant, dismiss it",
        "set the insight status to actioned",
        "mark insight as read",
        "reopen that insight",
        "we dealt with it, close the insight",
        "mark insight 4b1d2c9e as actioned",
        "dismiss the concentration insight, we know about it",
        "i've seen the churn insight, mark it viewed",
        "flag insight 7a3e as done",
        "set that insight back to new",
        "done with the cash flow alert",
        "hide the security insight",
        "resolved: the revenue drop insight",
        "the churn alert isn't relevant anymore, get rid of it",
        "mark the first insight as handled",
        "skip the data quality insight",
        "we acted on the stuck deals alert, mark it complete",
        "please mark insight id 2f6c91aa dismissed",
        "un-dismiss that insight",
        "mark it as seen",
        "close out the overdue invoices alert, sorted it",
        "set insight 99ab status to viewed",
        "make that insight unread again",
        "dismis this alert",
    ),
    phrase=p.typed(InsightOutput, _updated),
    synonyms={"status": {**STATUS_SYNONYMS, "new": (*STATUS_SYNONYMS["new"], "reopen", "re-open",
                                                     "undismiss", "back to new", "mark as new")}},
    questions={"insight_id": "Which insight (its id from the list of insights)?",
               "status": "Mark it as viewed, actioned (done) or dismissed?"},
))
