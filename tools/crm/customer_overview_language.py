"""How owners ask about one customer's business with us (`customer_overview`), and how it is said.

Unlike `get_customer` (the contact record) and `top_customers` (a ranking of many), this is one
named customer's spend, orders, deals and status.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tools import phrasing as p
from tools.crm.analytics_language import PERIOD_SYNONYMS
from tools.crm.customers_language import STATUS_NOUN
from tools.crm.schemas_overview import CustomerOverviewOutput, OverviewDeal, OverviewOrder
from tools.language import ToolLanguage, declare


def _order_line(o: OverviewOrder) -> str:
    return f"{p.day(o.ordered_at)} — {p.money(o.total, o.currency)}, {o.status}"


def _deal_line(d: OverviewDeal) -> str:
    line = f"“{d.title}” — {p.money(d.value, d.currency)}, {p.stage(d.stage)}"
    if d.expected_close_date:
        line += f", expected to close {p.day(d.expected_close_date)}"
    return line


def _status(out: CustomerOverviewOutput) -> str:
    c, history = out.customer, out.status_history
    text = (f"{p.who(c.name, c.company)} is {p.article(history.current)} "
            f"{STATUS_NOUN.get(history.current, history.current)}, added {p.day(history.added_at)}")
    if history.since and history.since.date() != history.added_at.date():
        text += f" ({history.current} since {p.day(history.since)})"
    return text + "."


def _spend(out: CustomerOverviewOutput) -> str:
    cur = out.currency
    if out.order_count == 0:
        return "They have no paid orders yet."
    text = (f"All time they have spent {p.money(out.total_spend, cur)} over "
            f"{p.plural(out.order_count, 'paid order')}")
    if out.average_order_value is not None:
        text += f" (average {p.money(out.average_order_value, cur)})"
    text += f"; first order {p.day(out.first_order_date)}, last order {p.day(out.last_order_date)}"
    if out.last_order_amount is not None:
        text += f" for {p.money(out.last_order_amount, cur)}"
    return text + "."


def _overview(out: CustomerOverviewOutput, args: Mapping[str, Any]) -> str:
    cur, period = out.currency, out.period
    parts = [_status(out), _spend(out)]
    parts.append(f"Spend {p.when(period.label, period.start_date, period.end_date)}: "
                 f"{p.money(period.spend, cur)} from {p.plural(period.orders, 'paid order')}.")
    text = " ".join(parts)
    if out.recent_orders:
        text += "\nRecent orders:\n" + p.bullets(_order_line(o) for o in out.recent_orders)
    if out.open_deal_count:
        text += (f"\n{p.plural(out.open_deal_count, 'open deal')} worth "
                 f"{p.money(out.open_deal_value, cur)}:\n"
                 + p.bullets(_deal_line(d) for d in out.open_deals[: p.LIST_LIMIT]))
    else:
        text += "\nNo open deals."
    if out.won_deal_count or out.lost_deal_count:
        text += (f" Closed deals: {p.count(out.won_deal_count)} won worth "
                 f"{p.money(out.won_deal_value, cur)}, {p.count(out.lost_deal_count)} lost.")
    return text


declare("customer_overview", ToolLanguage(
    examples=(
        "how much has Dana Whitfield spent with us?",
        "give me the full picture on Bluebird Bakery",
        "when did Kofi Mensah last order?",
        "customer overview for Rosa Delgado",
        "what's Hugo Lambert's lifetime value",
        "how many orders has Ines Moreau placed",
        "Marcus Bell's spend this year",
        "account summary for Tidewater Cafe",
        "is Tanya Okafor still buying from us?",
        "hey can you tell me everything about Raj Patel - orders, deals, the lot",
        "our history with Beth Collins",
        "what did Kenji Watanabe buy last quarter",
        "total spend of Sara Lindqvist ytd",
        "avg order value for Dev Malhotra",
        "recent orders from Lena Fischer",
        "how's our relationship with Paolo Conti going",
        "360 view of Ruth Adeyemi",
        "Felix Brandt: orders + open deals + spend",
        "how much did Nadia Haddad spend last year",
        "what was the last thing Owen Price ordered and how much was it",
        "first order date for Clara Jensen",
        "how valuable is Harbor Bikes as a customer",
        "wat has jonas berg spent in total",
        "summarise Amara Nwosu's account",
        # spend over a period (past tense: a forecast is `forecast_customer_spend`)
        "Priya Raman: how much has she spent in the last 6 months",
        "how much has Tom Reyes put through with us last month?",
        "how much business did Lena Fischer do with us this quarter",
        "how much has Noor Aziz paid us so far this year",
        "Ellis Grant spend past 30 days",
        "how much has Iris Vane brought in over the past year",
        "total purchases by Theo Marsh last quarter",
        "orders from Kofi Mensah in the last 90 days",
        "has Rosa Delgado bought anything this week?",
        "hw much has hugo lambert spnt wth us",
        "clara jensen spend",
        "spend for Marcus Bell",
        "what's Dana Whitfield been buying lately",
        "what does Beth Collins usually buy from us and how often",
        "what has Raj Patel ordered recently",
        # last order / activity
        "last purchase by Tanya Okafor?",
        "when was the last time Jonas Berg bought something",
        "how long since Ruth Adeyemi ordered",
        "has Paolo Conti ordered recently or gone quiet",
        "is Ines Moreau still ordering?",
        "is Felix Brandt still a customer of ours or has he stopped",
        "are Bluebird Bakery still active with us",
        "does Sara Lindqvist still shop with us",
        # status history
        "when did Owen Price become a customer",
        "when did Nadia Haddad stop buying / churn",
        "how long has Dev Malhotra been with us",
        "status changes for Kenji Watanabe",
        "when did Hugo Lambert go inactive",
        # value / relationship / briefing
        "how much is Harbor Bikes worth to us",
        "is Tidewater Cafe a big customer?",
        "what kind of customer is Lumen Studio - good or small fry?",
        "how's Noor Aziz doing as a client",
        "I've got a call with Ellis Grant in an hour, brief me on their account",
        "prep me for my meeting with Iris Vane: what they buy, what they owe us in deals",
        "rundown on Theo Marsh",
        "everything on Priya Raman's business with us",
        "quick snapshot of Copperleaf as a customer",
        "customer profile with spend for Tom Reyes",
        # deals of one customer, inside the whole picture
        "deals won with Lena Fischer plus her total spend",
        "how many deals have we closed with Marcus Bell",
        "Kofi Mensah: orders, deals and status",
        "Rosa Delgado - spend + open opps",
        "Dana Whitfield purchases this year",
        "Raj Patel: total bought from us, ever",
        "Beth Collins spend ytd",
        "spend: Owen Price, last quarter",
        "customer overview please",
        "give me a customer 360",
        "account overview for a customer",
        "status history of Tanya Okafor",
        "Ines Moreau's history of status changes and orders",
        "sum up where we stand with Felix Brandt",
        "is Paolo Conti still active with us or not buying anymore",
        "average order value of Marcus Bell",
        "what does Tom Reyes typically spend per order",
        "spend from Rosa Delgado in the past few months",
        "show me Harbor Bikes' account",
        "pull up Tom Reyes's account with us",
        ("before my call with Dana Whitfield this afternoon, what's the story with her account - "
         "spend, orders, anything open?"),
        "Victor Sousa spend",
        "Noor Aziz total spend?",
    ),
    phrase=p.typed(CustomerOverviewOutput, _overview),
    synonyms={"period": PERIOD_SYNONYMS},
    references={"customer_id": "customer"},
    questions={"customer_id": "Which customer would you like the overview for?"},
))
