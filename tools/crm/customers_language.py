"""How owners ask for the customer tools, and how their results are said.

Routing between the close ones: `list_customers` is about several customers (counts, filters,
searching for a name or a fragment); `get_customer` is one named customer's record (contact
details, status, tags); `customer_overview` (see customer_overview_language.py) is one named
customer's business with us (spend, orders, deals).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tools import phrasing as p
from tools.crm.schemas import CustomerList, CustomerOut, CustomerOutput, DeleteResult
from tools.language import ToolLanguage, alphabetical, declare, read_examples

EXAMPLES = read_examples(Path(__file__).with_name("customers_examples.txt"))

CUSTOMER_STATUS_SYNONYMS: dict[str, tuple[str, ...]] = {
    "lead": ("lead", "leads", "new lead", "new leads", "potential", "potential customer",
             "potential customers", "enquiry", "inquiry", "cold lead"),
    "prospect": ("prospect", "prospects", "prospective", "prospective customer", "warm lead",
                 "qualified lead"),
    "active": ("active", "paying", "paying customer", "paying customers", "current customers",
               "current clients", "existing customer", "existing customers", "regular customers",
               "reactivate", "reactivated", "already buying", "already a customer",
               "already paying", "buying from us", "buying again", "ordering again", "back buying"),
    "inactive": ("inactive", "dormant", "idle", "lapsed", "not active", "gone quiet", "on hold",
                 "paused", "parked"),
    "churned": ("churned", "churn", "lost customer", "lost customers", "cancelled", "canceled",
                "gone", "former", "ex-customer", "ex-customers", "left us", "stopped buying",
                "have we lost", "we've lost", "lost clients", "clients lost", "customers lost",
                "another supplier", "shut down", "out of business", "went bust", "closed down",
                "done buying", "done buying from us", "done with us", "no longer buying",
                "not buying from us", "quit buying", "won't buy", "never buying", "left for good",
                "gone for good"),
}
CUSTOMER_REFERENCE = {"customer_id": "customer"}

STATUS_NOUNS = {"lead": "leads", "prospect": "prospects", "active": "active customers",
                "inactive": "inactive customers", "churned": "churned customers"}
STATUS_NOUN = {"lead": "lead", "prospect": "prospect", "active": "active customer",
               "inactive": "inactive customer", "churned": "churned customer"}


# --- phrasing ----------------------------------------------------------------------------------


def customer_line(c: CustomerOut) -> str:
    """"Dana Whitfield (Harbor Bikes) — lead, dana@harbor.com, +1 555 0100"."""
    details = [c.status, *(v for v in (c.email, c.phone) if v)]
    return f"{p.who(c.name, c.company)} — {', '.join(details)}"


def customer_detail(c: CustomerOut) -> str:
    text = f"{p.who(c.name, c.company)} is {p.article(c.status)} {STATUS_NOUN.get(c.status, c.status)}."
    contact = [f"email {c.email}" if c.email else "", f"phone {c.phone}" if c.phone else ""]
    if any(contact):
        text += " Contact: " + ", ".join(x for x in contact if x) + "."
    if c.tags:
        text += " Tags: " + ", ".join(c.tags) + "."
    return text + f" Added {p.day(c.created_at)}, last updated {p.day(c.updated_at)}."


def _described(args: Mapping[str, Any], total: int) -> str:
    """"leads at Harbor Bikes matching “kofi”", singular for one."""
    status = str(args.get("status") or "")
    noun = STATUS_NOUNS.get(status, "customers") if total != 1 else STATUS_NOUN.get(status, "customer")
    if args.get("tag"):
        noun += f" tagged {args['tag']}"
    if args.get("company"):
        noun += f" at {args['company']}"
    if args.get("search"):
        noun += f" matching “{args['search']}”"
    after, before = args.get("created_after"), args.get("created_before")
    if after and before:
        noun += f" added on or after {p.day(after)} and before {p.day(before)}"
    elif after:
        noun += f" added since {p.day(after)}"
    elif before:
        noun += f" added before {p.day(before)}"
    return noun


def _order(args: Mapping[str, Any]) -> str:
    """Which end of the list is shown, in words."""
    by, asc = str(args.get("sort_by") or "created_at"), args.get("sort_order") == "asc"
    if by == "name":
        return "first ones alphabetically" if asc else "first ones in reverse alphabetical order"
    if by in ("updated_at", "updatedAt"):
        return "least recently updated" if asc else "most recently updated"
    if by in ("created_at", "createdAt"):
        return "oldest" if asc else "most recent"
    return f"first ones sorted by {by}"


def _customers(out: CustomerList, args: Mapping[str, Any]) -> str:
    total = out.pagination.total
    if total == 0:
        return f"You have no {_described(args, 2)}."
    head = f"You have {p.count(total)} {_described(args, total)}."
    if total == 1 and out.customers:
        return f"{head} {customer_detail(out.customers[0])}"
    if not out.customers:
        return f"{head} There are none on page {args.get('page') or out.pagination.page}."
    lines = [customer_line(c) for c in out.customers]
    intro = "Here they are:" if total <= min(len(lines), p.LIST_LIMIT) else f"The {_order(args)}:"
    return f"{head} {intro}\n{p.bullets(lines[: p.LIST_LIMIT])}"


def _customer(out: CustomerOutput, args: Mapping[str, Any]) -> str:
    return customer_detail(out.customer)


def _created(out: CustomerOutput, args: Mapping[str, Any]) -> str:
    c = out.customer
    text = f"Added {p.who(c.name, c.company)} as {p.article(c.status)} {STATUS_NOUN.get(c.status, c.status)}."
    contact = [v for v in (c.email, c.phone) if v]
    if contact:
        text += " Contact: " + ", ".join(contact) + "."
    if c.tags:
        text += " Tags: " + ", ".join(c.tags) + "."
    return text


FIELD_WORDS = {"name": "name", "email": "email", "phone": "phone", "company": "company",
               "status": "status", "tags": "tags"}


def _updated(out: CustomerOutput, args: Mapping[str, Any]) -> str:
    c = out.customer
    parts = []
    for key, word in FIELD_WORDS.items():
        if key not in args or args.get(key) is None:
            continue
        value = getattr(c, key)
        shown = ", ".join(value) if isinstance(value, list) else (value or "empty")
        parts.append(f"{word} is now {shown}")
    if "tags" not in args and (args.get("add_tags") or args.get("remove_tags")):
        parts.append(f"tags are now {', '.join(c.tags) or 'none'}")
    if args.get("custom_fields") is not None:
        parts.append("custom fields updated")
    if not any(key in args for key in (*FIELD_WORDS, "tags", "add_tags", "remove_tags", "custom_fields")):
        return (f"Nothing was changed on {p.who(c.name, c.company)}: say what to change (name, email, "
                "phone, company, status or tags).")
    if not parts:
        return f"Updated {p.who(c.name, c.company)}; nothing needed changing."
    return f"Updated {p.who(c.name, c.company)}: " + ", ".join(parts) + "."


def _deleted(out: DeleteResult, args: Mapping[str, Any]) -> str:
    """A customer with open deals never gets here: the preview itself is refused, naming them."""
    return p.destructive(out, args)


# --- declarations ------------------------------------------------------------------------------

declare("list_customers", ToolLanguage(
    examples=EXAMPLES["list_customers"],
    read=alphabetical("name", "company", "email"),
    phrase=p.typed(CustomerList, _customers),
    synonyms={
        "status": CUSTOMER_STATUS_SYNONYMS,
        "sort_by": {
            "name": ("by name", "alphabetical", "alphabetically", "a-z", "a to z", "z-a"),
            "created_at": ("newest", "most recent", "recently added", "latest", "oldest",
                           "by date added", "signup date"),
            "updated_at": ("recently updated", "last updated", "recently changed", "last modified"),
            "company": ("by company", "by business", "by organisation"),
            "email": ("by email", "by email address"),
            "status": ("by status", "grouped by status"),
        },
        "sort_order": {
            "asc": ("ascending", "oldest first", "a-z", "a to z", "earliest first", "a first"),
            "desc": ("descending", "newest first", "latest first", "z-a", "most recent first"),
        },
    },
))

declare("get_customer", ToolLanguage(
    examples=EXAMPLES["get_customer"],
    phrase=p.typed(CustomerOutput, _customer),
    references=CUSTOMER_REFERENCE,
    questions={"customer_id": "Which customer should I look up?"},
))

declare("create_customer", ToolLanguage(
    examples=EXAMPLES["create_customer"],
    phrase=p.typed(CustomerOutput, _created),
    synonyms={"status": CUSTOMER_STATUS_SYNONYMS},
    questions={"name": "What's the new customer's name?"},
))

declare("update_customer", ToolLanguage(
    examples=EXAMPLES["update_customer"],
    phrase=p.typed(CustomerOutput, _updated),
    synonyms={"status": CUSTOMER_STATUS_SYNONYMS},
    references=CUSTOMER_REFERENCE,
    questions={"customer_id": "Which customer should I update?", "add_tags": "Which tag should I add?"},
    field_words={"phone": ("phone number", "mobile", "number"), "email": ("email address", "e-mail"),
                 "company": ("employer",), "name": ("rename",)},
))

declare("delete_customer", ToolLanguage(
    examples=EXAMPLES["delete_customer"],
    phrase=p.typed(DeleteResult, _deleted),
    references=CUSTOMER_REFERENCE,
    questions={"customer_id": "Which customer should I delete?"},
))
