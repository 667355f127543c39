"""Answers about customers and deals: counts, lists and single records, from tool JSON only."""

from __future__ import annotations

from typing import Any

from agent.offline import fmt
from agent.offline.phrasing_analytics import added_when

STATUS_NOUNS = {"lead": "leads", "prospect": "prospects", "active": "active customers",
                "inactive": "inactive customers", "churned": "churned customers"}


def customer_line(c: dict[str, Any]) -> str:
    bits = [c.get("name") or "(no name)"]
    if c.get("company"):
        bits[0] += f" ({c['company']})"
    details = [str(c.get("status") or "")]
    if c.get("email"):
        details.append(str(c["email"]))
    if c.get("phone"):
        details.append(str(c["phone"]))
    return f"{bits[0]} — {', '.join(d for d in details if d)}"


def customer_detail(c: dict[str, Any]) -> str:
    lines = [f"{c.get('name')}" + (f" ({c['company']})" if c.get("company") else "")
             + f" is {_article(str(c.get('status')))} {c.get('status')} contact."]
    contact = [f"{key} {c[key]}" for key in ("email", "phone") if c.get(key)]
    if contact:
        lines.append("Contact: " + ", ".join(contact) + ".")
    if c.get("tags"):
        lines.append("Tags: " + ", ".join(map(str, c["tags"])) + ".")
    if c.get("created_at"):
        lines.append(f"Added {fmt.day(c['created_at'])}.")
    return " ".join(lines)


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def customers_desc(args: dict[str, Any], total: int) -> str:
    noun = STATUS_NOUNS.get(str(args.get("status")), "customers")
    if total == 1:
        noun = {"leads": "lead", "prospects": "prospect"}.get(noun, noun.removesuffix("s"))
    desc = noun
    if args.get("company"):
        desc += f" at {args['company']}"
    if args.get("search"):
        desc += f" matching “{args['search']}”"
    return desc


def _added_head(args: dict[str, Any], total: int, label: str) -> str:
    """"You added 10 new customers this month (since Nov 1, 2026)." With a filter, the count of those
    that match it today: "You have 2 leads added in October 2026"."""
    period = added_when(args, label)
    filtered = any(args.get(k) for k in ("status", "company", "search"))
    if not filtered and args.get("created_after"):
        return f"You added {fmt.plural(total, 'new customer')} {period}."
    amount = fmt.count(total) if total else "no"
    return f"You have {amount} {customers_desc(args, total or 2)} added {period}."


def customers_answer(data: dict[str, Any], args: dict[str, Any], focus: str, label: str = "") -> str:
    rows = data.get("customers") or []
    total = int((data.get("pagination") or {}).get("total", len(rows)))
    desc = customers_desc(args, total)
    added = bool(args.get("created_after") or args.get("created_before"))
    if total == 0 and not added:
        return f"You have no {customers_desc(args, 2)}."
    if total == 1 and rows and (args.get("search") or focus != "count") and not added:
        return customer_detail(rows[0])
    head = _added_head(args, total, label) if added else f"You have {fmt.count(total)} {desc}."
    if focus == "count" or not rows:
        return head
    rows = rows[: fmt.LIST_LIMIT]
    shown = "Here they are:" if total <= len(rows) else f"The {fmt.count(len(rows))} most recent:"
    if args.get("sort_by") == "name":
        shown = "Here they are:" if total <= len(rows) else f"The first {fmt.count(len(rows))} by name:"
    return f"{head} {shown}\n{fmt.bullets([customer_line(c) for c in rows])}"


def deal_line(d: dict[str, Any]) -> str:
    bits = [f"{d.get('title')} — {fmt.money(d.get('value'), d.get('currency'))}",
            f"{fmt.stage(d.get('stage'))} ({d.get('probability')}%)"]
    if d.get("customer_name"):
        bits.append(str(d["customer_name"]))
    if d.get("expected_close_date") and d.get("status") == "open":
        bits.append(f"expected to close {fmt.day(d['expected_close_date'])}")
    return ", ".join(bits)


def deals_desc(args: dict[str, Any], total: int) -> str:
    words = []
    if args.get("status"):
        words.append(str(args["status"]))
    noun = "deal" if total == 1 else "deals"
    desc = " ".join([*words, noun])
    if args.get("stage"):
        desc += f" in {fmt.stage(args['stage'])}"
    if args.get("search"):
        desc += f" matching “{args['search']}”"
    if args.get("min_value") is not None and args.get("max_value") is not None:
        desc += f" worth between {fmt.money(args['min_value'])} and {fmt.money(args['max_value'])}"
    elif args.get("min_value") is not None:
        desc += f" worth at least {fmt.money(args['min_value'])}"
    elif args.get("max_value") is not None:
        desc += f" worth at most {fmt.money(args['max_value'])}"
    return desc


def deals_answer(data: dict[str, Any], args: dict[str, Any], focus: str) -> str:
    rows = data.get("deals") or []
    total = int(data.get("total", len(rows)))
    currency = rows[0].get("currency") if rows else "USD"
    if total == 0:
        return f"There are no {deals_desc(args, 2)}."
    worth = fmt.money(data.get("total_value"), currency)
    head = f"You have {fmt.count(total)} {deals_desc(args, total)}, worth {worth} in total."
    if total == 1 and rows:
        return f"{head}\n{fmt.bullets([deal_line(rows[0])])}"
    if focus == "count" or not rows:
        return head
    rows = rows[: fmt.LIST_LIMIT]
    order = {"value": "largest" if args.get("sort_order") != "asc" else "smallest",
             "expected_close_date": "closing soonest"}.get(str(args.get("sort_by")), "most recent")
    shown = "Here they are:" if total <= len(rows) else f"The {fmt.count(len(rows))} {order}:"
    return f"{head} {shown}\n{fmt.bullets([deal_line(d) for d in rows])}"


def deal_detail(d: dict[str, Any]) -> str:
    return fmt.bullets([deal_line(d)])
