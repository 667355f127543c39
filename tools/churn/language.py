"""How owners ask about churn, and how the answers are said: every figure is the model's output
(probabilities, factor values, AUC and Brier score on held-out customers).

Routing: `churn_risk` is the list ("which customers are likely to churn?"); `customer_churn_risk`
is one named customer ("is Jane Smith likely to leave?")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tools import phrasing as p
from tools.churn import tools as _tools  # noqa: F401  (the tools these declarations describe)
from tools.churn.schemas import ChurnModelSummary, ChurnRiskList, CustomerChurn, CustomerChurnOutput
from tools.language import ToolLanguage, declare

WEAK_AUC = 0.6
LEVEL_SYNONYMS = {
    "high": ("high", "high risk", "very likely", "most at risk", "serious"),
    "medium": ("medium", "moderate", "some risk", "medium risk"),
    "low": ("low", "low risk"),
}


def model_line(m: ChurnModelSummary) -> str:
    text = (f"The churn model ({m.method.replace('_', ' ')}, trained on {p.plural(m.examples, 'example')} "
            f"from {p.plural(m.customers, 'customer')}, {p.count(m.churners)} of them churned) scores "
            f"AUC {m.auc:.3f} and Brier {m.brier:.4f} on held-out customers.")
    if m.auc < WEAK_AUC:
        text += " That is barely better than chance, so treat these scores as weak signals."
    return text


def top_factor(c: CustomerChurn) -> str:
    return c.factors[0].description if c.factors else "no factor stands out"


def customer_line(c: CustomerChurn) -> str:
    return (f"{p.who(c.name, c.company)}: {p.ratio_percent(c.churn_risk)} ({c.risk_level}); "
            f"top factor: {top_factor(c)}")


def _list(out: ChurnRiskList, args: Mapping[str, Any]) -> str:
    head = model_line(out.model)
    if not out.scored:
        return f"{head} No customer with a paid order is left to score."
    counts = (f"Of {p.plural(out.scored, 'customer')} scored, {p.count(out.high)} high risk, "
              f"{p.count(out.medium)} medium and {p.count(out.low)} low.")
    if not out.customers:
        return f"{head} {counts} None is at the {args.get('risk_level') or 'asked'} level."
    return f"{head} {counts} Most at risk:\n{p.bullets(customer_line(c) for c in out.customers)}"


def _one(out: CustomerChurnOutput, args: Mapping[str, Any]) -> str:
    c = out.customer
    text = (f"{p.who(c.name, c.company)} has a {p.ratio_percent(c.churn_risk)} chance of placing no "
            f"order in the next {out.model.horizon_days} days ({c.risk_level} risk).")
    if out.note:
        text += f" {out.note}"
    factors = p.bullets(f.description for f in c.factors)
    return (f"{text} What the model weighed:\n{factors}\nRecommended: {'; '.join(c.recommendations)}.\n"
            f"{model_line(out.model)}")


declare("churn_risk", ToolLanguage(
    examples=(
        "which customers are likely to churn",
        "which clients are about to churn",
        "churn risk scores",
        "who is at risk of leaving us",
        "which clients might cancel on us soon",
        "who could churn",
        "any accounts likely to stop buying?",
        "who's probably going to leave",
        "churn prediction",
        "predict churn for next month",
        "show me high churn risk accounts and why",
        "which custmers will stop ordering",
        "which buyers are at risk",
        "high risk customers for churn",
        "the 5 customers most likely to leave",
        "top 10 churn risks",
        "list high-risk accounts",
        "who might stop ordering soon",
        "churn risk",
        "hey so which of my customers look like they're about to stop buying?",
        "i'm worried we'll lose customers this quarter",
        "at-risk customers list",
        "which accounts should i call before they leave",
        "customers with moderate churn risk or worse",
        "attrition risk across my client base",
        "who's gonna churn next",
        "how many customers are high churn risk right now",
        "score all customers for churn",
        "top 20 accounts at risk of not reordering in the next 90 days",
        "churn rsk list",
    ),
    phrase=p.typed(ChurnRiskList, _list),
    synonyms={"risk_level": LEVEL_SYNONYMS},
))

declare("customer_churn_risk", ToolLanguage(
    examples=(
        "what are the chances Fernwood Cycles never orders from us again?",
        "I'm nervous about Olu Adebayo, has he drifted away for good?",
        "is Jane Smith likely to churn?",
        "churn risk of Pinewood Bakery",
        "will Wei Chen stop buying from us",
        "how likely is Maria Garcia to leave",
        "what's the churn probability for Hooli",
        "why is Liam Brown at risk of churning",
        "is the Globex account about to churn",
        "chance that Emma Wilson cancels",
        "churn score for customer Noah Davis",
        "is Sofia Lee going to leave us? why?",
        "risk of losing Initech as a customer",
        "Leila Martin churn risk",
        "are we about to lose Harbor Bikes?",
        "Kofi Mensah hasn't ordered in a while, is he likely to leave us?",
        "what are the odds Bluebird Bakery stops buying in the next 90 days",
        "how at risk is Dana Whitfield",
        "churn % for Tidewater Cafe",
        "should i worry about Oakridge Dental churning?",
        "what's driving Rosa Delgado's churn risk and what should i do about it",
        "is customer 7c1e2b90 a churn risk?",
        "rate the risk of Marcus Bell leaving",
        "likelihood that Copperleaf won't reorder",
        "Is Ines Moreau Going To Churn",
        "wil hugo lambert churn",
        "how do i keep Priya Raman from leaving - what's her risk?",
        "is Theo Marsh safe or at risk of churning",
        "retention risk for the Marlowe Homes account",
        "predict if Sara Lindqvist will cancel",
        "churn factors for Nadia Haddad",
    ),
    phrase=p.typed(CustomerChurnOutput, _one),
    references={"customer_id": "customer"},
    questions={"customer_id": "Which customer (a name or their id)?"},
    looks_ahead=True,
))
