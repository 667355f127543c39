"""Requests that change deals: create, move to a stage, update, delete (and delete customers).

Each rule reads the owner's words and returns a plan, or None when the words are not that kind
of request. Changes to an existing record are `Resolve` plans: find it by name first, then act.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from agent.offline.dates import parse_day
from agent.offline.extract import deal_stage, deal_value, money_amounts, percent_of, target_query
from agent.offline.lexicon import (
    CUSTOMER_WORDS,
    DEAL_WORDS,
    DELETE_VERBS,
    MOVE_VERBS,
    UPDATE_VERBS,
    Text,
    words_of,
)
from agent.offline.patterns import (
    CLOSE_CUE,
    CURRENCY_WORDS,
    DATE_PHRASE,
    DAY_MENTION,
    DEAL_FILLER,
    DEAL_OPENER,
    LIST_CUES,
    MONEY_PHRASE,
    PROB_PHRASE,
    PROBABILITY_CUE,
    QUOTED,
    RENAME_DEAL,
    STAGE_ALT,
    STAGE_PHRASE,
    TITLE_CUE,
    VALUE_CUE,
    WIN_STATEMENT,
)
from agent.offline.plans import Ask, Calls, Plan, Resolve


def listing(t: Text) -> bool:
    return t.starts_with_any(LIST_CUES) or t.has_phrase(("how many", "show me", "list"))


def _close_date(t: Text, today: date) -> str | None:
    """The first date after "close"/"closing"/"expected", read as the next such day."""
    cue = CLOSE_CUE.search(t.norm)
    mention = DAY_MENTION.search(t.norm, cue.end()) if cue else None
    day = parse_day(mention.group(0), today, end=True, future=True) if mention else None
    return day.isoformat() if day else None


def delete_rule(t: Text, today: date) -> Plan | None:
    if not t.word_set & DELETE_VERBS:
        return None
    if re.search(r"\ball\b|\bevery\b", t.norm):
        return Ask("I can only delete one record at a time: tell me which customer or deal.", "target",
                   Calls(()))
    deal = t.has_any(DEAL_WORDS)
    query = target_query(t.raw)
    plan = Resolve("deal" if deal else "customer", query or "", "delete_deal" if deal else "delete_customer",
                   label=query or "")
    return plan if query else Ask(f"Which {plan.kind} should I delete?", "target", plan)


def _creating_deal(t: Text) -> bool:
    """"create/add/log a deal", "open a new opportunity", "new deal: ..." (not "open deals")."""
    if not t.has_any(DEAL_WORDS) or (listing(t) and not t.word_set & {"create", "add"}):
        return False
    verbs = t.word_set & {"add", "create", "log", "record", "enter", "register", "insert", "save", "setup"}
    return bool(verbs or DEAL_OPENER.search(t.norm))


def create_deal_rule(t: Text, today: date) -> Plan | None:
    if not _creating_deal(t):
        return None
    args: dict[str, Any] = {}
    title = QUOTED.search(t.raw) or TITLE_CUE.search(t.raw)
    if title:
        args["title"] = title.group(1).strip()
    stage = re.search(r"\b(?:in|at|as)\s+(?:the\s+)?(?P<s>" + STAGE_ALT + r")\b", t.norm)
    if stage and deal_stage(stage.group("s")):
        args["stage"] = deal_stage(stage.group("s"))
    if (prob := percent_of(t.raw)) is not None:
        args["probability"] = prob
    if (close := _close_date(t, today)) is not None:
        args["expected_close_date"] = close
    value = deal_value(re.sub(PROB_PHRASE, " ", t.raw))
    who = re.search(r"\b(?:for|with|to|from|at)\s+(?P<w>.+)$", t.raw, re.I)
    removals = (PROB_PHRASE, MONEY_PHRASE, DATE_PHRASE, STAGE_PHRASE, r"\b(?:called|named|titled)\s+.+$",
                QUOTED.pattern, r"\bclosing\b.*$", CURRENCY_WORDS)
    query = target_query(who.group("w") if who else t.raw, removals, DEAL_FILLER)
    plan: Resolve | Calls
    if query:
        plan = Resolve("customer", query, "create_deal", args, label=query)
    else:
        plan = Calls((("create_deal", {"title": args.pop("title", "New deal"), **args}),))
    if value is None:
        return Ask("How much is the deal worth?", "value", plan)
    if isinstance(plan, Resolve):
        return Resolve("customer", plan.query, "create_deal", {**args, "value": value}, label=plan.label)
    name, call_args = plan.calls[0]
    return Calls(((name, {**call_args, "value": value}),))


def move_deal_rule(t: Text, today: date) -> Plan | None:
    stage = deal_stage(t.raw)
    if stage is None or t.has_phrase(("win rate", "close rate", "conversion rate")):
        return None
    if re.match(r"(?:is|are|was|were|has|have|had|did|does)\s+(?!(?:you|we|i)\s+(?:mark|move|set|change)\b)",
                t.norm) and not t.word_set & MOVE_VERBS:
        return None  # "is the Acme deal won?" asks about it
    has_deal = t.has_any(DEAL_WORDS)
    verbs = set(words_of(re.sub(r"\bclosed?[ -/]?(?:won|lost)\b", " ", t.norm)))  # "closed-won" names a stage
    verb = verbs & (MOVE_VERBS | UPDATE_VERBS | {"close", "closed"})
    statement = WIN_STATEMENT.search(t.norm)
    if not (verb or statement or (has_deal and re.search(r"\bto\s+(?:the\s+)?" + STAGE_ALT, t.norm))):
        return None
    if listing(t) and not (verb and t.words[0] in verb):
        return None  # "show me deals we closed": the verb is in a question, not an order
    if not has_deal and (stage == "lead" or t.word_set & CUSTOMER_WORDS):
        return None  # "mark Jane as a lead" is about a customer
    args: dict[str, Any] = {"stage": stage}
    if (prob := percent_of(t.raw)) is not None:
        args["probability"] = prob
    extra = frozenset({"won", "lost", "closed", "close", "signed", "finally", "landed", "out"})
    query = target_query(t.raw, (STAGE_PHRASE, PROB_PHRASE, DATE_PHRASE), extra)
    plan = Resolve("deal", query or "", "move_deal_stage", args, prefer_open=True, label=query or "")
    return plan if query else Ask("Which deal should I move?", "target", plan)


CHANGE_VERBS = frozenset({"raise", "increase", "lower", "reduce", "bump", "push", "rename"})


def _deal_changes(t: Text, today: date) -> dict[str, Any]:
    """Value, probability, close date or title named in an update request."""
    args: dict[str, Any] = {}
    percent = re.search(r"\d\s?(?:%|percent)", t.norm)
    value = deal_value(re.sub(DATE_PHRASE, " ", t.raw, flags=re.I))
    if VALUE_CUE.search(t.norm) and not percent and value is not None:
        args["value"] = value
    if PROBABILITY_CUE.search(t.norm) and (p := percent_of(t.raw)) is not None:
        args["probability"] = p
    if (close := _close_date(t, today)) is not None:
        args["expected_close_date"] = close
    rename = re.search(RENAME_DEAL, t.raw, re.I)
    if rename:
        args["title"] = rename.group("n").strip(" .\"'“”")
    return args


def _priced(t: Text) -> bool:
    """"Set Hooli store fit-out to 48k": only deals have a price, so a money amount names one."""
    amounts = [a for a in money_amounts(t.raw) if a.explicit]
    return bool(amounts) and not t.has_any(CUSTOMER_WORDS, fuzzy=False) and not re.search(
        r"\b(?:phone|e-?mail|status|company|name)\b", t.norm)


def update_deal_rule(t: Text, today: date) -> Plan | None:
    if not (t.has_any(DEAL_WORDS) or _priced(t)) or listing(t):
        return None
    if not t.word_set & (UPDATE_VERBS | CHANGE_VERBS | {"now", "move"}):
        return None
    args = _deal_changes(t, today)
    if not args:
        return None
    removals = (MONEY_PHRASE, PROB_PHRASE, DATE_PHRASE, RENAME_DEAL)
    query = target_query(t.raw, removals, CHANGE_VERBS)
    plan = Resolve("deal", query or "", "update_deal", args, label=query or "")
    return plan if query else Ask("Which deal should I update?", "target", plan)


