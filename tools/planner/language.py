"""How owners ask the initiative planner, and how its analyses are said: ROI, payback, NPV at the
stated discount rate and the P10-P90 risk range, every figure as the analysis computed it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tools import phrasing as p
from tools.language import ToolLanguage, declare, read_examples
from tools.planner import tools as _tools  # noqa: F401  (the tools these declarations describe)
from tools.planner.schemas import InitiativeList, InitiativeOut

EXAMPLES = read_examples(Path(__file__).with_name("examples.txt"))

VERDICT_SYNONYMS = {
    "proceed": ("proceed", "worth it", "go ahead", "go ahead with", "approved", "good", "worth doing",
                "green light"),
    "proceed_with_caution": ("proceed with caution", "caution", "risky", "borderline"),
    "reconsider": ("reconsider", "not worth it", "bad", "rejected", "losing", "decided against",
                   "said no to", "not worth doing", "rethink", "think again", "think twice", "no go", "no-go",
                   "came back negative"),
}
TIMELINE_SYNONYMS = {
    "1 month": ("1 month", "one month", "a month"),
    "2 months": ("2 months", "two months"),
    "3 months": ("3 months", "three months", "a quarter", "one quarter", "3 month"),
    "4 months": ("4 months", "four months"),
    "6 months": ("6 months", "six months", "half a year", "6 month", "6 mo"),
    "9 months": ("9 months", "nine months"),
    "12 months": ("12 months", "twelve months"),
    "18 months": ("18 months", "eighteen months", "a year and a half"),
    "24 months": ("24 months",),
    "1 year": ("1 year", "one year", "a year", "1 yr", "12 month"),
    "2 years": ("2 years", "two years", "2 yrs"),
    "3 years": ("3 years", "three years"),
    "4 weeks": ("4 weeks", "four weeks"),
    "6 weeks": ("6 weeks", "six weeks"),
    "8 weeks": ("8 weeks", "eight weeks"),
    "12 weeks": ("12 weeks", "twelve weeks"),
    "30 days": ("30 days", "thirty days"),
    "60 days": ("60 days", "sixty days"),
    "90 days": ("90 days", "ninety days"),
}
"""Timelines as people say them (the field takes any "<number> <unit>"; these let the assistant
read the common ones from a request)."""
VERDICT_WORDS = {"proceed": "worth doing: the NPV stays positive even in the bad case",
                 "proceed_with_caution": "worth it on the expected figures, but not in the bad case",
                 "reconsider": "not worth it at this discount rate"}


def _payback(value: float | None) -> str:
    return "no payback within the timeline" if value is None else f"payback in {value:g} months"


def _money(value: float, currency: str) -> str:
    """Money as the analysis gave it, whole amounts without cents ("$25,000", "$23,633.68")."""
    return p.money(value, currency).replace(".00", "", 1) if float(value).is_integer() else \
        p.money(value, currency)


def _analysed(out: InitiativeOut, args: Mapping[str, Any]) -> str:
    money = lambda v: _money(v, out.currency)  # noqa: E731
    what = "This initiative" if out.name == "Initiative" else out.name
    text = (f"{what}: investing {money(out.investment)} to bring in {money(out.expected_outcome.revenue)} "
            f"over {out.timeline} gives an ROI of {p.percent(out.roi)}, "
            f"{_payback(out.payback_period_months)}, and an NPV of {money(round(out.npv))} at a "
            f"{p.percent(out.discount_rate)} yearly discount rate. Verdict: {VERDICT_WORDS[out.verdict]}.")
    r = out.risk
    if r.available and r.npv_p10 is not None and r.npv_p90 is not None:
        text += (f"\nRisk: your monthly revenue has varied by {p.ratio_percent(r.volatility or 0)} over the "
                 f"last {p.plural(r.basis_months or 0, 'month')}. With that much uncertainty, the NPV ranges "
                 f"from {money(round(r.npv_p10))} (bad case, P10) to {money(round(r.npv_p90))} (good case, "
                 f"P90), the ROI from {p.percent(r.roi_p10 or 0)} to {p.percent(r.roi_p90 or 0)}, with a "
                 f"{p.ratio_percent(r.probability_loss or 0)} chance of losing money.")
    else:
        text += f" No risk range: {r.reason}."
    return text


def _listed(out: InitiativeList, args: Mapping[str, Any]) -> str:
    total = out.pagination.total
    if total == 0:
        return ("No initiatives match that." if args.get("verdict")
                else "No initiatives analysed yet. Tell me one's cost, expected revenue and timeline.")
    lines = [f"{i.name}: {p.money(i.investment, i.currency)} for "
             f"{p.money(i.expected_outcome.revenue, i.currency)} over {i.timeline}, "
             f"ROI {p.percent(i.roi)}, NPV {p.money(i.npv, i.currency)} "
             f"({i.verdict.replace('_', ' ')})" for i in out.initiatives]
    return f"{p.plural(total, 'initiative')}, newest first. {p.listing(lines, total, 'newest')}"


NAMED = re.compile(
    r"\b(?:open(?:ing)?|buy(?:ing)?|add(?:ing)?|hir(?:e|ing)|launch(?:ing)?|start(?:ing)?|get(?:ting)?"
    r"|lease|leasing|build(?:ing)?|run(?:ning)?|analy[sz]e:?|invest(?:ing)? in)\s+"
    r"(?P<name>(?:an?|another|the|one|some)\s+[a-z][\w-]*(?:\s+[a-z][\w-]*){0,3}?|new\s+[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2}?)"
    r"(?=\s*(?:[,.?!:;]|\s(?:for|at|worth|costing|that|which|would|will|to|and|it|is)\b|$))", re.I)
"""What the initiative is: the thing bought, opened, hired or launched ("opening *a pop-up store*",
"analyse: *new delivery van*, 40k ...")."""


WORTH = re.compile(
    r"\b(?:is|would|will|should)\s+(?P<name>(?:an?|another|the)\s+[a-z][\w-]*(?:\s+[a-z][\w-]*){0,3}?)"
    r"\s+(?:be\s+)?(?:worth|a good idea|viable|profitable|pay off)\b", re.I)
""""Is *a pop-up store* worth doing?": the thing asked about."""


def _name(text: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """The initiative's name from what the request says it is, when no name was given."""
    if args.get("name"):
        return {}
    said = NAMED.search(text) or WORTH.search(text)
    if said is None:
        return {}
    words = said.group("name").split()
    if words[0].lower() in ("a", "an", "another", "the", "one", "some"):
        words = words[1:]
    return {"name": " ".join(words)[:1].upper() + " ".join(words)[1:]} if words else {}


declare("analyze_initiative", ToolLanguage(
    examples=EXAMPLES["analyze_initiative"],
    phrase=p.typed(InitiativeOut, _analysed),
    synonyms={"timeline": TIMELINE_SYNONYMS},
    read=_name,
    field_words={"expected_revenue": ("revenue", "brings in", "bring in", "bringing in", "brings",
                                      "return", "returns", "returning", "makes", "make", "earns", "earn",
                                      "bring", "generate", "generates"),
                 "investment": ("cost", "costs", "costing", "invest", "investing", "spend", "spending",
                                "up front", "upfront")},
    questions={"investment": ("What does it cost up front (how much would you invest), and how much "
                              "revenue do you expect from it over what time (for example “25k for 50k over "
                              "6 months”)?"),
               "expected_revenue": ("How much revenue do you expect it to bring in, and over what time "
                                    "(for example “50k over 6 months”)?")},
))

declare("list_initiatives", ToolLanguage(
    examples=EXAMPLES["list_initiatives"],
    phrase=p.typed(InitiativeList, _listed),
    synonyms={"verdict": VERDICT_SYNONYMS},
))
