"""Intent detection: from the owner's words (and the conversation) to a plan.

Rules are tried in order, most specific first: changes before questions ("mark the Globex deal
as won" is not a list of won deals), analytics before plain lists. Each rule uses synonym sets
and extractors rather than fixed phrases, so unseen wording still routes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from agent.offline.extract import extract_periods, value_bounds
from agent.offline.fallback import expand_shorthand, with_implied_topic
from agent.offline.followup import follow_up, narrowed, referred
from agent.offline.followup_analytics import inherit_period
from agent.offline.history import Turn
from agent.offline.intents_analytics import average_deal_rule, top_customers_rule, trend_rule
from agent.offline.intents_customer import create_customer_rule, update_customer_rule
from agent.offline.intents_read import customers_rule, deal_stage_filter, deals_rule, find_rule
from agent.offline.intents_write import create_deal_rule, delete_rule, move_deal_rule, update_deal_rule
from agent.offline.lexicon import (
    CREATE_VERBS,
    CUSTOMER_WORDS,
    DASHBOARD_PHRASES,
    DEAL_WORDS,
    GREETINGS,
    HELP_PHRASES,
    PIPELINE_WORDS,
    REVENUE_WORDS,
    TEAM_PHRASES,
    THANKS,
    WIN_RATE_WORDS,
    WORKSPACE_WORDS,
    Text,
    clean_raw,
)
from agent.offline.pending import continue_pending, pending_state
from agent.offline.phrasing import HELP, UNKNOWN
from agent.offline.plans import Ask, Calls, Plan, Reply, ToolCall
from agent.offline.shifts import SAME_LAST_YEAR, relative_shift, shift_period

Rule = Callable[[Text, date], Plan | None]
STRONG_REVENUE = frozenset({"revenue", "revenues", "income", "turnover", "earnings", "takings", "receipts"})
SALES_WORDS = frozenset({"sales", "sale", "sold", "sell", "selling", "orders", "order", "gross", "money"})
COMPARE = re.compile(r"\b(?:compare[ds]?|comparison|vs\.?|versus|against|relative to|than)\b")
MAX_DEPTH = 2


def workspace_rule(t: Text, today: date) -> Plan | None:
    crm = t.has_any((CUSTOMER_WORDS - {"people", "person", "account", "accounts"}) | DEAL_WORDS, fuzzy=False)
    who_in = re.search(r"\bwho\b.*\b(?:in|on|of|at)\s+(?:this|my|our|the)\s+(?:workspace|team|account|org|"
                       r"organi[sz]ation|business)\b", t.norm)
    if (t.has_phrase(TEAM_PHRASES) or who_in) and not crm:
        return Calls((("list_workspace_members", {}),))
    about_plan = t.has_phrase(("what plan", "which plan", "my plan", "our plan", "subscription",
                               "which business", "what business", "which company am i", "what company am i"))
    if not (t.has_any(WORKSPACE_WORDS, fuzzy=False) or about_plan):
        return None
    if t.word_set & CREATE_VERBS and t.has_any(WORKSPACE_WORDS, fuzzy=False):
        name = re.search(r"\b(?:called|named)\s+[\"“']?(?P<n>[^\"”']+)", t.raw, re.I)
        plan = Calls((("create_workspace", {"name": name.group("n").strip(" .!?") if name else ""}),))
        return plan if name else Ask("What should the new workspace be called?", "name", plan)
    plural = t.word_set & {"workspaces", "tenants", "organizations", "organisations"}
    if plural or t.has_phrase(("switch", "other")):
        return Calls((("list_workspaces", {}),))
    return Calls((("get_workspace", {}),))


WIN_SHARE = re.compile(r"\b(?:percent(?:age)?|ratio|share|proportion|how often|fraction|odds)\b.*"
                       r"\b(?:win|won|close|closed)\b"
                       r"|\bwin(?:ning)? (?:rate|ratio|percentage)\b")


def win_rate_rule(t: Text, today: date) -> Plan | None:
    if t.has_phrase(WIN_RATE_WORDS) or WIN_SHARE.search(t.norm):
        return Calls((("pipeline_summary", {}),), focus="win_rate")
    return None


HOW_DOING = re.compile(r"\bhow\b(?:\s+\S+){0,6}?\s+(?:doing|going|performing|faring|tracking|shaping up|"
                       r"looking|getting on|holding up)\b")
SUMMARY = re.compile(r"\b(?:summary|summarize|recap|rundown|round-?up|overview|status report|state of play|"
                     r"update on (?:things|everything|the business))\b")
TOPICS = STRONG_REVENUE | SALES_WORDS | DEAL_WORDS | PIPELINE_WORDS | WORKSPACE_WORDS | \
    (CUSTOMER_WORDS - {"people", "person"})


def dashboard_rule(t: Text, today: date) -> Plan | None:
    """"Dashboard", "how are we doing", "a quick summary of how things are going": a general
    question about the business, with no narrower topic named."""
    general = (HOW_DOING.search(t.norm) or SUMMARY.search(t.norm)) and not t.has_any(TOPICS, fuzzy=False)
    if not (t.has_phrase(DASHBOARD_PHRASES) or general):
        return None
    period = next(iter(extract_periods(t.raw, today)), None)
    return Calls((("dashboard_metrics", {"period": period.dashboard_period() if period else "30d"}),))


def pipeline_rule(t: Text, today: date) -> Plan | None:
    overview = t.has_phrase(("by stage", "deal flow", "weighted value", "per stage"))
    if not (t.has_any(PIPELINE_WORDS) or overview):
        return None
    if deal_stage_filter(t) or any(v is not None for v in value_bounds(t.raw)):
        return None  # a filtered question is a deal list
    return Calls((("pipeline_summary", {}),), focus="pipeline")


# "What did we make over the weekend?": a money verb with the business as its subject.
EARNED = re.compile(r"\b(?:what|how much)\b.*\b(?:we|i)\s+(?:make|made|earn|earned|bring in|brought in|take|"
                    r"took|take in|took in|pull in|pulled in|clear|cleared|gross|grossed|do|did)\b"
                    r"(?!\s+(?:a|an|the)\b)")


def revenue_rule(t: Text, today: date) -> Plan | None:
    if not t.has_any(REVENUE_WORDS) and not (EARNED.search(t.norm) and extract_periods(t.raw, today)):
        return None
    if not t.has_any(STRONG_REVENUE):
        if t.has_any(DEAL_WORDS | PIPELINE_WORDS, fuzzy=False) or t.has_phrase(("sales team", "sales rep")):
            return None
        if not (t.word_set & SALES_WORDS or t.has_phrase(("how much",)) or EARNED.search(t.norm)):
            return None
    calls = revenue_calls(t, today) or [("revenue_for_period", {"period": "last_30_days"})]
    orders = bool(re.search(r"\border(?:s| count)\b", t.norm)) and not t.has_any(STRONG_REVENUE)
    return Calls(tuple(calls), focus="orders" if orders else "")


def revenue_calls(t: Text, today: date) -> list[ToolCall]:
    """One call per period named; "vs the same month last year" adds that period."""
    shift = relative_shift(t.raw)
    year_back = shift is not None and shift.year_back
    periods = extract_periods(SAME_LAST_YEAR.sub(" ", t.norm) if year_back else t.raw, today)
    calls: list[ToolCall] = [("revenue_for_period", p.args) for p in periods[:4]]
    if len(periods) == 1 and shift is not None and year_back and COMPARE.search(t.norm):
        calls.append(("revenue_for_period", shift_period(periods[0], shift, today).args))
    return calls


def period_rule(t: Text, today: date) -> Plan | None:
    """Only a period and no topic ("how does this month compare to last year?"): revenue,
    the figure owners compare most."""
    calls = revenue_calls(t, today)
    return Calls(tuple(calls)) if calls else None


READ_RULES: tuple[Rule, ...] = (
    win_rate_rule, average_deal_rule, trend_rule, dashboard_rule, pipeline_rule, top_customers_rule,
    revenue_rule, deals_rule, customers_rule,
)
RULES: tuple[Rule, ...] = (
    workspace_rule, delete_rule, create_deal_rule, create_customer_rule, move_deal_rule,
    update_deal_rule, update_customer_rule, *READ_RULES,
)


def detect(t: Text, today: date, rules: tuple[Rule, ...] = RULES) -> Plan | None:
    for rule in rules:
        plan = rule(t, today)
        if plan is not None:
            return plan
    return None


def detect_read(t: Text, today: date) -> Plan | None:
    """Only questions: a guessed topic may answer a question, never make a change."""
    return detect(t, today, READ_RULES)


def small_talk(t: Text) -> Plan | None:
    words = set(t.words)
    if t.has_phrase(HELP_PHRASES) and len(t.words) <= 8:
        return Reply(HELP)
    if words and words <= GREETINGS | {"there", "bizpilot", "good", "all", "team", "you", "again"}:
        return Reply("Hello! " + HELP)
    thanks = {w for p in THANKS for w in p.split()}
    if words and words <= thanks | {"you", "so", "much", "very", "a", "lot", "that", "is", "it", "!"}:
        return Reply("You're welcome! Anything else I can look up?")
    return None


def plan_for(text: str, history: list[Turn], today: date, depth: int = 0) -> Plan:
    """The plan for one user message, given the earlier turns."""
    t = Text(expand_shorthand(clean_raw(text)))
    if not t.words:
        return Reply(HELP)
    previous: Plan | None = None
    if history and depth < MAX_DEPTH:
        previous = plan_for(history[-1].text, history[:-1], today, depth + 1)
        pending = pending_state(previous, history[-1])
        if pending is not None and (plan := continue_pending(t, pending)) is not None:
            return plan
    talk = small_talk(t)
    if talk is not None:
        return talk
    plan = detect(t, today)
    if plan is not None:
        plan = inherit_period(t, referred(t, narrowed(t, plan, history), history), history)
    if plan is None:
        plan = follow_up(t, history, previous, today)
    if plan is None:
        plan = with_implied_topic(t, today, detect_read)
    if plan is None:
        plan = find_rule(t, today) or period_rule(t, today)
    return plan or Reply(UNKNOWN)
