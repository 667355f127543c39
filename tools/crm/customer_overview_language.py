"""How owners ask about one customer's business with us (`customer_overview`), and how it is said.

Unlike `get_customer` (the contact record) and `top_customers` (a ranking of many), this is one
named customer's spend, orders, deals and status.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tools import phrasing as p
from tools.crm.analytics_language import PERIOD_SYNONYMS
from tools.crm.customers_language import STATUS_NOUN
from tools.crm.schemas_overview import CustomerOverviewOutput, OverviewDeal, OverviewOrder
from tools.language import ToolLanguage, declare, read_examples

EXAMPLES = read_examples(Path(__file__).with_name("customer_overview_examples.txt"))


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
    examples=EXAMPLES["customer_overview"],
    phrase=p.typed(CustomerOverviewOutput, _overview),
    synonyms={"period": PERIOD_SYNONYMS},
    references={"customer_id": "customer"},
    questions={"customer_id": "Which customer would you like the overview for?"},
))
