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
    ),
    phrase=p.typed(CustomerOverviewOutput, _overview),
    synonyms={"period": PERIOD_SYNONYMS},
    references={"customer_id": "customer"},
    questions={"customer_id": "Which customer would you like the overview for?"},
))
