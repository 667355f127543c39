"""How owners ask for the deal tools, and how their results are said.

Routing between the close ones: `list_deals` is about several deals (filters by stage, status,
value, customer; "the deals with X"); `get_deal` is one named deal's details; `pipeline_summary`
is the pipeline as a whole (totals per stage, win rate, average deal size). A change of stage
("mark it won", "move to negotiation", "we lost it") is `move_deal_stage`; any other change
(value, probability, close date, title, owner) is `update_deal`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tools import phrasing as p
from tools.crm.schemas import DealList, DealOut, DealOutput, DeleteResult, PipelineSummary
from tools.language import ToolLanguage, alphabetical, declare, read_examples

EXAMPLES = read_examples(Path(__file__).with_name("deals_examples.txt"))

DEAL_STAGE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "lead": ("lead", "lead stage", "new deal", "new opportunity", "prospecting", "early stage",
             "back to lead"),
    "qualified": ("qualified", "qualify", "qualification", "qualifying", "vetted"),
    "proposal": ("proposal", "proposals", "proposal sent", "quote", "quoted", "quote sent",
                 "quoting", "sent the proposal", "sent the quote", "sent them the quote", "sent a quote",
                 "sent our prices", "sent them our prices", "emailed our prices", "sent prices",
                 "waiting to hear back"),
    "negotiation": ("negotiation", "negotiations", "negotiating", "negotiate", "in talks",
                    "haggling", "contract review", "better price", "talking price"),
    "closed_won": ("won", "win", "wins", "closed", "closed won", "closed-won", "signed",
                   "signed the contract", "got signed", "booked", "said yes", "landed", "in the bag",
                   "got the po", "po received", "purchase order", "sealed", "done deal"),
    "closed_lost": ("lost", "lose", "losses", "closed lost", "closed-lost", "dead",
                    "fell through", "killed", "went with someone else", "went with a competitor",
                    "said no", "walked away", "passed on it", "no go", "passed on", "turned down",
                    "turned us down", "backed out", "pulled out", "not going ahead"),
}
DEAL_STATUS_SYNONYMS: dict[str, tuple[str, ...]] = {
    "open": ("open", "still open", "active deals", "in progress", "ongoing", "live deals",
             "not closed", "undecided", "likely to close", "expected to close", "likely",
             "expected", "forecast to close", "should close", "closing soon", "close soon",
             "closes soon", "due to close", "up in the air", "still pending", "not decided yet"),
    "won": ("won", "wins", "closed won", "closed-won", "signed", "successful"),
    "lost": ("lost", "losses", "closed lost", "closed-lost", "dead", "unsuccessful", "did we lose",
             "we lose", "fell through"),
}
DEAL_REFERENCE = {"deal_id": "deal"}
CUSTOMER_REFERENCE = {"customer_id": "customer"}
OWNER_REFERENCE = {"assigned_to": "member"}


# --- phrasing ----------------------------------------------------------------------------------


def deal_line(d: DealOut) -> str:
    """"“Fleet renewal” — $12,500.00, negotiation (75%), Dana Whitfield, expected to close Mar 5, 2026"."""
    bits = [f"“{d.title}” — {p.money(d.value, d.currency)}", f"{p.stage(d.stage)} ({d.probability}%)"]
    if d.customer_name:
        bits.append(d.customer_name)
    if d.expected_close_date and d.status == "open":
        bits.append(f"expected to close {p.day(d.expected_close_date)}")
    return ", ".join(bits)


def deal_detail(d: DealOut) -> str:
    whose = f" for {d.customer_name}" if d.customer_name else ""
    text = f"The deal “{d.title}”{whose} is worth {p.money(d.value, d.currency)}"
    if d.status == "open":
        text += f" and is in {p.stage(d.stage)} with a {d.probability}% probability"
        if d.expected_close_date:
            text += f", expected to close {p.day(d.expected_close_date)}"
    else:
        text += f"; it was {p.stage(d.stage)}"
        if d.closed_at:
            text += f" on {p.day(d.closed_at)}"
    text += f". Created {p.day(d.created_at)}, last updated {p.day(d.updated_at)}."
    if d.description:
        text += f" Notes: “{d.description}”"
    return text


def _described(args: Mapping[str, Any], total: int) -> str:
    stage = str(args.get("stage") or "")
    words = [str(args["status"])] if args.get("status") else []
    if stage in ("closed_won", "closed_lost") and p.stage(stage) not in words:
        words.append(p.stage(stage))
    desc = " ".join([*words, "deal" if total == 1 else "deals"])
    if stage and stage not in ("closed_won", "closed_lost"):
        desc += f" in {p.stage(stage)}"
    if args.get("search"):
        desc += f" matching “{args['search']}”"
    low, high = args.get("min_value"), args.get("max_value")
    if low is not None and high is not None:
        desc += f" worth between {p.money(low)} and {p.money(high)}"
    elif low is not None:
        desc += f" worth at least {p.money(low)}"
    elif high is not None:
        desc += f" worth at most {p.money(high)}"
    if args.get("customer_id"):
        desc += " for that customer"
    return desc


def _order(args: Mapping[str, Any]) -> str:
    by, asc = str(args.get("sort_by") or "created_at"), args.get("sort_order") == "asc"
    if by == "value":
        return "smallest" if asc else "largest"
    if by in ("expected_close_date", "expectedCloseDate"):
        return "closing soonest" if asc else "closing last"
    if by in ("updated_at", "updatedAt"):
        return "least recently updated" if asc else "most recently updated"
    if by in ("created_at", "createdAt"):
        return "oldest" if asc else "most recent"
    return f"first by {by}"


def _deals(out: DealList, args: Mapping[str, Any]) -> str:
    if out.total == 0:
        return f"There are no {_described(args, 2)}."
    currency = out.deals[0].currency if out.deals else "USD"
    head = (f"You have {p.count(out.total)} {_described(args, out.total)}, totalling "
            f"{p.money(out.total_value, currency)}.")
    if not out.deals:
        return head
    lines = [deal_line(d) for d in out.deals]
    intro = "Here they are:" if out.total <= min(len(lines), p.LIST_LIMIT) else f"The {_order(args)}:"
    return f"{head} {intro}\n{p.bullets(lines[: p.LIST_LIMIT])}"


def _deal(out: DealOutput, args: Mapping[str, Any]) -> str:
    return deal_detail(out.deal)


def _created(out: DealOutput, args: Mapping[str, Any]) -> str:
    return f"Created the deal {deal_line(out.deal)}."


CHANGE_WORDS = {"title": "title", "value": "value", "stage": "stage", "probability": "probability",
                "expected_close_date": "expected close date", "customer_id": "customer",
                "assigned_to": "owner", "description": "notes"}


def _change(d: DealOut, key: str) -> str:
    if key == "value":
        return p.money(d.value, d.currency)
    if key == "stage":
        return p.stage(d.stage)
    if key == "probability":
        return f"{d.probability}%"
    if key == "expected_close_date":
        return p.day(d.expected_close_date) if d.expected_close_date else "not set"
    if key == "customer_id":
        return d.customer_name or "no customer"
    if key == "title":
        return f"“{d.title}”"
    if key == "assigned_to":
        return "updated" if d.assigned_to else "nobody"
    return "updated"


def _updated(out: DealOutput, args: Mapping[str, Any]) -> str:
    d = out.deal
    changed = [("notes updated" if key == "description" else f"{word} is now {_change(d, key)}")
               for key, word in CHANGE_WORDS.items() if key in args and args.get(key) is not None]
    if not any(key in args for key in CHANGE_WORDS):  # called with the deal alone: say so, claim nothing
        return (f"Nothing was changed on the deal “{d.title}”: say what to change (its title, value, "
                f"stage, probability, close date, owner or notes). It stands at {deal_line(d)}.")
    head = f"Updated the deal “{d.title}”"
    body = ": " + ", ".join(changed) + "." if changed else "."
    return f"{head}{body} It stands at {deal_line(d)}."


def _moved(out: DealOutput, args: Mapping[str, Any]) -> str:
    d = out.deal
    if d.stage in ("closed_won", "closed_lost"):
        head = f"Marked “{d.title}” as {p.stage(d.stage)}"
    else:
        head = f"Moved “{d.title}” to {p.stage(d.stage)}"
    return f"{head} (probability {d.probability}%). It is worth {p.money(d.value, d.currency)}."


def _deleted(out: DeleteResult, args: Mapping[str, Any]) -> str:
    return p.destructive(out, args)


def _pipeline(out: PipelineSummary, args: Mapping[str, Any]) -> str:
    cur = out.currency
    if not any(s.count for s in out.stages):
        return "You have no deals yet, open or closed: there is no pipeline to sum up."
    text = (f"Your open pipeline has {p.plural(out.open_count, 'deal')} worth {p.money(out.open_value, cur)} "
            f"(weighted by probability: {p.money(out.weighted_value, cur)}).")
    stages = [f"{p.stage(s.stage)}: {p.plural(s.count, 'deal')}, {p.money(s.value, cur)}" for s in out.stages]
    text += f" By stage:\n{p.bullets(stages)}\n"
    if out.win_rate is None:
        text += "There are no closed deals yet, so there is no win rate."
    else:
        text += (f"Win rate: {p.ratio_percent(out.win_rate)} ({p.count(out.won_count)} won, "
                 f"{p.count(out.lost_count)} lost); won deals are worth {p.money(out.won_value, cur)}.")
    if out.average_open_deal_value is not None:
        text += f" Average open deal: {p.money(out.average_open_deal_value, cur)}."
    if out.average_won_deal_value is not None:
        text += f" Average won deal: {p.money(out.average_won_deal_value, cur)}."
    return text


# --- declarations ------------------------------------------------------------------------------

LIST_SORT_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "sort_by": {
        "value": ("biggest", "largest", "by value", "most valuable", "smallest", "highest value",
                  "lowest value", "top deals", "by size", "by amount"),
        "expected_close_date": ("closing soonest", "closing soon", "close soon", "closes soon",
                                "by close date", "due to close",
                                "next to close", "by expected close", "close soonest",
                                "closes soonest", "close first", "closing first", "close next"),
        "created_at": ("newest", "most recent", "latest", "recently created", "recently added",
                       "oldest"),
        "updated_at": ("recently updated", "last updated", "recently changed", "stale"),
        "title": ("by title", "alphabetical", "alphabetically", "by name"),
        "stage": ("by stage", "grouped by stage"),
    },
    "sort_order": {
        "asc": ("ascending", "smallest", "smallest first", "lowest first", "cheapest",
                "closing soonest", "close soonest", "closes soonest", "close first", "closing soon",
                "close soon", "closes soon", "due to close",
                "closing first", "oldest first", "oldest", "a-z"),
        "desc": ("descending", "biggest", "largest", "biggest first", "largest first",
                 "highest first", "newest first", "most valuable", "top deals"),
    },
}

def _deal_list(text: str, args: Mapping[str, Any]) -> Mapping[str, Any]:
    return {**_closing_deals(text, args), **alphabetical("title")(text, args)}


def _closing_deals(text: str, args: Mapping[str, Any]) -> Mapping[str, Any]:
    """"any deals closing soon?": sorted by when they are expected to close, the deals that can
    still close are the open ones (a won or lost deal has closed)."""
    if args.get("sort_by") == "expected_close_date" and not (args.get("status") or args.get("stage")):
        return {"status": "open"}
    return {}


declare("list_deals", ToolLanguage(
    examples=EXAMPLES["list_deals"],
    read=_deal_list,
    phrase=p.typed(DealList, _deals),
    synonyms={"stage": DEAL_STAGE_SYNONYMS, "status": DEAL_STATUS_SYNONYMS, **LIST_SORT_SYNONYMS},
    references={**CUSTOMER_REFERENCE, **OWNER_REFERENCE},
    field_words={"assigned_to": ("owned by", "handled by", "looked after by", "run by")},
))

NOTE_WORDS = ("note", "notes", "comment")
"""A deal's description is its notes: "notes: weekly deliveries from March"."""

declare("get_deal", ToolLanguage(
    examples=EXAMPLES["get_deal"],
    phrase=p.typed(DealOutput, _deal),
    references=DEAL_REFERENCE,
    questions={"deal_id": "Which deal do you mean?"},
))

declare("create_deal", ToolLanguage(
    examples=EXAMPLES["create_deal"],
    phrase=p.typed(DealOutput, _created),
    synonyms={"stage": DEAL_STAGE_SYNONYMS},
    references={**CUSTOMER_REFERENCE, **OWNER_REFERENCE},
    questions={"title": "What should the deal be called?", "value": "What's the deal's value?"},
    field_words={"description": NOTE_WORDS},
))

declare("update_deal", ToolLanguage(
    examples=EXAMPLES["update_deal"],
    phrase=p.typed(DealOutput, _updated),
    synonyms={"stage": DEAL_STAGE_SYNONYMS},
    references={**DEAL_REFERENCE, **CUSTOMER_REFERENCE, **OWNER_REFERENCE},
    questions={"deal_id": "Which deal should I change?"},
    field_words={"value": ("amount", "worth", "price", "deal size"), "title": ("rename", "deal name"),
                 "probability": ("odds", "likelihood", "chance of closing"),
                 "expected_close_date": ("close date", "closing date"),
                 "description": NOTE_WORDS,
                 "assigned_to": ("deal over to", "it over to", "owner to", "owned by", "reassign to",
                                 "reassign it to")},
))

declare("move_deal_stage", ToolLanguage(
    examples=EXAMPLES["move_deal_stage"],
    phrase=p.typed(DealOutput, _moved),
    synonyms={"stage": DEAL_STAGE_SYNONYMS},
    references=DEAL_REFERENCE,
    questions={"deal_id": "Which deal should I move?",
               "stage": "Which stage should it go to: lead, qualified, proposal, negotiation, won or lost?"},
))

declare("delete_deal", ToolLanguage(
    examples=EXAMPLES["delete_deal"],
    phrase=p.typed(DeleteResult, _deleted),
    references=DEAL_REFERENCE,
    questions={"deal_id": "Which deal should I delete?"},
))

declare("pipeline_summary", ToolLanguage(
    examples=EXAMPLES["pipeline_summary"],
    phrase=p.typed(PipelineSummary, _pipeline),
))
