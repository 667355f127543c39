"""How owners ask about churn, and how the answers are said: every figure is the model's output
(probabilities, factor values, AUC and Brier score on held-out customers).

Routing: `churn_risk` is the list ("which customers are likely to churn?"); `customer_churn_risk`
is one named customer ("is Jane Smith likely to leave?")."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tools import phrasing as p
from tools.churn import tools as _tools  # noqa: F401  (the tools these declarations describe)
from tools.churn.schemas import ChurnModelSummary, ChurnRiskList, CustomerChurn, CustomerChurnOutput
from tools.language import ToolLanguage, declare, read_examples

EXAMPLES = read_examples(Path(__file__).with_name("examples.txt"))

WEAK_AUC = 0.6
LEVEL_SYNONYMS = {
    "high": ("high", "high risk", "very likely", "most at risk", "serious", "really risky", "riskiest",
             "high-risk", "in danger", "in real danger", "at serious risk"),
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
    examples=EXAMPLES["churn_risk"],
    phrase=p.typed(ChurnRiskList, _list),
    synonyms={"risk_level": LEVEL_SYNONYMS},
))

declare("customer_churn_risk", ToolLanguage(
    examples=EXAMPLES["customer_churn_risk"],
    phrase=p.typed(CustomerChurnOutput, _one),
    references={"customer_id": "customer"},
    questions={"customer_id": "Which customer (a name or their id)?"},
    looks_ahead=True,
))
