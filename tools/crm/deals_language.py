"""How owners ask for the deal tools, and how their results are said.

Routing between the close ones: `list_deals` is about several deals (filters by stage, status,
value, customer; "the deals with X"); `get_deal` is one named deal's details; `pipeline_summary`
is the pipeline as a whole (totals per stage, win rate, average deal size). A change of stage
("mark it won", "move to negotiation", "we lost it") is `move_deal_stage`; any other change
(value, probability, close date, title, owner) is `update_deal`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tools import phrasing as p
from tools.crm.schemas import DealList, DealOut, DealOutput, DeleteResult, PipelineSummary
from tools.language import ToolLanguage, declare

DEAL_STAGE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "lead": ("lead", "lead stage", "new deal", "new opportunity", "prospecting", "early stage",
             "back to lead"),
    "qualified": ("qualified", "qualify", "qualification", "qualifying", "vetted"),
    "proposal": ("proposal", "proposals", "proposal sent", "quote", "quoted", "quote sent",
                 "quoting", "sent the proposal"),
    "negotiation": ("negotiation", "negotiations", "negotiating", "negotiate", "in talks",
                    "haggling", "contract review"),
    "closed_won": ("won", "win", "wins", "closed", "closed won", "closed-won", "signed",
                   "signed the contract", "got signed", "booked", "said yes", "landed", "in the bag",
                   "got the po", "po received", "purchase order", "sealed", "done deal"),
    "closed_lost": ("lost", "lose", "losses", "closed lost", "closed-lost", "dead",
                    "fell through", "killed", "went with someone else", "went with a competitor",
                    "said no", "walked away", "passed on it", "no go"),
}
DEAL_STATUS_SYNONYMS: dict[str, tuple[str, ...]] = {
    "open": ("open", "still open", "active deals", "in progress", "ongoing", "live deals",
             "not closed", "undecided", "likely to close", "expected to close", "likely",
             "expected", "forecast to close", "should close"),
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
        "expected_close_date": ("closing soonest", "closing soon", "by close date", "due to close",
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
                "closing soonest", "close soonest", "closes soonest", "close first",
                "closing first", "oldest first", "oldest", "a-z"),
        "desc": ("descending", "biggest", "largest", "biggest first", "largest first",
                 "highest first", "newest first", "most valuable", "top deals"),
    },
}

declare("list_deals", ToolLanguage(
    examples=(
        "what's sitting in the proposal stage?",
        "what's in qualified right now",
        "what are we currently negotiating?",
        "deals at the negotiation stage",
        "which deals are in the lead stage at the moment",
        "which opps are expected to close next month",
        "deals that should close this quarter",
        "what's likely to close this week?",
        "open deals with an expected close date in January",
        "which deals did we lose last quarter",
        "open deals above 15k",
        "list all deals",
        "deals we're negotiating right now",
        "deals we lost",
        "any opps with Harbor Bikes?",
        "show the biggest deals",
        "deals under 2k",
        "how many deals are sitting in proposal",
        "deals between 5k and 25k",
        "what deals have we won so far",
        "Bluebird Bakery deals",
        "list opportunities by value, smallest first",
        "which deals are closing soonest?",
        "qualified opps please",
        "hey could you list every deal we've got going with Oakridge Dental?",
        "dead deals",
        "all signed deals over 50k",
        "find the deals for Tidewater",
        "deals in the lead stage",
        "count my open opps",
        "deals worth at least 100k",
        "show deals for Kofi Mensah",
        "list the delas we're negotiating",
        "total value of open deals over 20k",
        "recently created deals",
        "what deals does Copperleaf have with us",
        "which opportunities are still open",
        "anything over 50k in the pipeline?",
        "pipeline deals above 30k",
        "how many deals have we won",
        "number of closed won deals",
        "which opps close first",
        "deals sorted by close date",
        "what are we doing with Harbor Bikes at the moment, deal-wise",
        "what's in the works with Copperleaf",
        "what projects are we working on with Tidewater",
        "what's in proposal?",
        "anything at the negotiation stage",
        "open deals due to close before the end of the month",
        "any deals closing next week?",
        "opps expected to close in the next 30 days",
    ),
    phrase=p.typed(DealList, _deals),
    synonyms={"stage": DEAL_STAGE_SYNONYMS, "status": DEAL_STATUS_SYNONYMS, **LIST_SORT_SYNONYMS},
    references={**CUSTOMER_REFERENCE, **OWNER_REFERENCE},
))

declare("get_deal", ToolLanguage(
    examples=(
        "show me the Harbor Bikes fleet deal",
        "details of the Oakridge Dental deal",
        "what stage is the Copperleaf deal in?",
        "how much is the Tidewater Cafe opportunity worth?",
        "when is the Bluebird Bakery deal expected to close?",
        "open the deal 'Spring catering'",
        "what's the probability on the Northgate Plumbing deal",
        "who owns the Peak Trail Co deal?",
        "pull up the Lumen Studio retainer deal",
        "deal info for the Marlowe Interiors showroom",
        "get deal 9b3f21",
        "is the Berg Cycles deal still open?",
        "remind me what the Ferris & Sons opportunity is about",
        "the Sunny Side Florists deal — what's the status?",
        "how's the Lambert Joinery kitchen refit deal looking",
        "value and close date of the Bright Path deal",
        "tell me about the Kofi Mensah deal",
        "deal detals for the Clara Jensen order",
        "when is the Harbor Bikes contract supposed to close?",
        "close date on the Oakridge deal?",
        "what's the expected close of the Copperleaf opp",
        "how likely is the Tidewater deal to close",
        "Northgate Plumbing deal - where are we at",
    ),
    phrase=p.typed(DealOutput, _deal),
    references=DEAL_REFERENCE,
    questions={"deal_id": "Which deal do you mean?"},
))

declare("create_deal", ToolLanguage(
    examples=(
        "create a deal for Harbor Bikes worth 12.5k",
        "new opportunity with Bluebird Bakery, $4,800",
        "log a deal: Oakridge Dental website refresh, 9k, proposal stage",
        "add a 20k deal for Tidewater Cafe closing end of June",
        "open an opp for Copperleaf valued at 35,000",
        "hey, Marcus Bell wants 40 bikes for his shop, can you make a deal for 18k?",
        "new deal called Spring catering for Sunny Side Florists",
        "create deal 'Lumen Studio retainer' for 3,200",
        "add an opportunity: Northgate Plumbing fleet vans, 60k, 30% chance",
        "make a new deal for Peak Trail Co in negotiation worth 7.5k",
        "record a new sales opportunity for Ferris & Sons",
        "creat a deal for Marlowe Interiors 15000",
        "deal for Bright Path Tutoring, 2,500 dollars, qualified",
        "new deal with Kofi Mensah worth twenty thousand",
        "start a deal for Berg Cycles, expected to close 2026-09-30, value 11k",
        "add a deal worth 5k",
        "I want to add a deal to the pipeline",
        "new opp: Lambert Joinery kitchen refit 27,500 usd",
        "create a won deal for Oakridge Dental worth 6k",
        "log an $800 deal with Clara Jensen",
        "open a new deal for Lumen Studio - brand shoot - 4.5k - 60% likely",
        "we've got a new opportunity with Harbor Bikes, about 9 grand",
    ),
    phrase=p.typed(DealOutput, _created),
    synonyms={"stage": DEAL_STAGE_SYNONYMS},
    references={**CUSTOMER_REFERENCE, **OWNER_REFERENCE},
    questions={"title": "What should the deal be called?", "value": "What's the deal's value?"},
))

declare("update_deal", ToolLanguage(
    examples=(
        "change the value of the Harbor Bikes deal to 14k",
        "set the probability on the Oakridge Dental deal to 65%",
        "push the close date of the Copperleaf deal to March 15",
        "the Tidewater Cafe deal is now worth $22,000",
        "rename the Bluebird Bakery deal to Wedding cakes 2026",
        "bump the Northgate Plumbing opportunity up to 75k",
        "reassign the Peak Trail Co deal to Jordan",
        "update the description of the Lumen Studio deal: includes two shoot days",
        "lower the Marlowe Interiors deal to 9,500",
        "expected close for the Berg Cycles deal is now the end of next month",
        "change the Ferris & Sons deal's customer to Ferris Logistics",
        "odds on the Sunny Side deal are about 40 percent now",
        "edit the Lambert Joinery deal value 31k",
        "move the close date on the Bright Path deal to 2026-12-01",
        "correct the title of the Kofi Mensah deal to Cocoa supply contract",
        "updte deal amount for Clara Jensen to 950",
        "the Oakridge deal slipped, new close date July 31",
        "set win chance on Tidewater to 80%",
        "change the deal value",
        "knock the Copperleaf deal down to 28k",
        "the Harbor Bikes deal won't close until 2026-11-15",
        "Oakridge deal now closes on June 3rd, please update",
        "push Copperleaf's close date out to next quarter",
        "Tidewater opp is really only worth 6k",
        "the Bluebird deal should say 40% likely",
        "increase the Peak Trail opportunity to 12,000",
        "set a close date of Jan 31 on the Lumen Studio deal",
    ),
    phrase=p.typed(DealOutput, _updated),
    synonyms={"stage": DEAL_STAGE_SYNONYMS},
    references={**DEAL_REFERENCE, **CUSTOMER_REFERENCE, **OWNER_REFERENCE},
    questions={"deal_id": "Which deal should I change?"},
    field_words={"value": ("amount", "worth", "price", "deal size"), "title": ("rename", "deal name"),
                 "probability": ("odds", "likelihood", "chance of closing"),
                 "expected_close_date": ("close date", "closing date")},
))

declare("move_deal_stage", ToolLanguage(
    examples=(
        "move the Harbor Bikes deal to negotiation",
        "mark the Oakridge Dental deal as won",
        "we lost the Copperleaf deal",
        "Tidewater Cafe signed!",
        "push the Bluebird Bakery opp to proposal",
        "the Northgate Plumbing deal fell through",
        "advance Peak Trail Co to qualified",
        "Lumen Studio deal is closed-won",
        "set the Marlowe Interiors deal stage to negotiating",
        "the Berg Cycles deal is dead",
        "we sent the proposal to Ferris & Sons, update the stage",
        "Sunny Side Florists went with someone else, mark it lost",
        "Lambert Joinery deal -> won",
        "move Bright Path back to lead",
        "we're now negotiating with Kofi Mensah on the cocoa deal",
        "close the Clara Jensen deal as won",
        "qualify the Oakridge opportunity",
        "moev the tidewater deal to proposal stage",
        "the copperleaf contract got signed yesterday",
        "change a deal's stage",
        "mark deal as lost",
        "harbor bikes said yes!! mark it won",
        "the Tidewater catering deal is qualified now",
        "Harbor Bikes fleet deal is in negotiation now",
        "Copperleaf opp: now at proposal stage",
        "Oakridge went cold, mark the deal lost",
        "we got the Bluebird Bakery contract!",
        "Peak Trail turned us down",
        "the Lumen Studio deal moved to negotiating",
        "move the Berg Cycles opp",
        "change the stage of the Ferris & Sons deal",
    ),
    phrase=p.typed(DealOutput, _moved),
    synonyms={"stage": DEAL_STAGE_SYNONYMS},
    references=DEAL_REFERENCE,
    questions={"deal_id": "Which deal should I move?",
               "stage": "Which stage should it go to: lead, qualified, proposal, negotiation, won or lost?"},
))

declare("delete_deal", ToolLanguage(
    examples=(
        "delete the Harbor Bikes deal",
        "remove the Oakridge Dental opportunity",
        "please get rid of the duplicate Copperleaf deal",
        "trash the Tidewater Cafe opp",
        "the Bluebird Bakery deal was entered by mistake, delete it",
        "erase deal Spring catering",
        "can you permanently delete the Northgate Plumbing deal?",
        "dlete the peak trail deal",
        "wipe the Lumen Studio retainer from the pipeline",
        "remove the test deal",
        "I need to delete a deal",
        "scrap the Berg Cycles opportunity entirely",
        "purge the Marlowe Interiors deal",
        "delete deal 4d8e77",
        "drop the Ferris & Sons deal from the crm",
        "take the Sunny Side deal out of the pipeline, it's a duplicate",
    ),
    phrase=p.typed(DeleteResult, _deleted),
    references=DEAL_REFERENCE,
    questions={"deal_id": "Which deal should I delete?"},
))

declare("pipeline_summary", ToolLanguage(
    examples=(
        "deals grouped by stage with totals",
        "breakdown of the pipeline by stage",
        "how do our deals split across the stages?",
        "what's our deal conversion rate",
        "what share of our opportunities do we close",
        "lead to won conversion on the pipeline",
        "how many deals and how much value at each stage",
        "pipeline overview",
        "how often do we win deals?",
        "how much is in the pipeline",
        "weighted pipeline",
        "split the pipeline up per stage",
        "whats a typical deal worth on average",
        "how many deals have we won and lost",
        "what's our close rate",
        "summarize my sales funnel",
        "hey, how's the pipeline looking at the moment?",
        "pipline value",
        "total open pipeline",
        "avg won deal value",
        "deal count per stage",
        "forecast from the pipeline",
        "how healthy is the funnel",
        "what % of opps convert",
        "typical size of an open deal",
        "stage by stage summary of the pipeline",
        "how much have we won in total from deals",
        "show the sales funnel",
        "wins vs losses",
        "win rate?",
    ),
    phrase=p.typed(PipelineSummary, _pipeline),
))
