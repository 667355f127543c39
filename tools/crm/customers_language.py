"""How owners ask for the customer tools, and how their results are said.

Routing between the close ones: `list_customers` is about several customers (counts, filters,
searching for a name or a fragment); `get_customer` is one named customer's record (contact
details, status, tags); `customer_overview` (see customer_overview_language.py) is one named
customer's business with us (spend, orders, deals).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tools import phrasing as p
from tools.crm.schemas import CustomerList, CustomerOut, CustomerOutput, DeleteResult
from tools.language import ToolLanguage, declare

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
                "another supplier", "shut down", "out of business", "went bust", "closed down"),
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
    if not parts:
        return f"Updated {p.who(c.name, c.company)}; nothing needed changing."
    return f"Updated {p.who(c.name, c.company)}: " + ", ".join(parts) + "."


def _deleted(out: DeleteResult, args: Mapping[str, Any]) -> str:
    """A customer with open deals never gets here: the preview itself is refused, naming them."""
    return p.destructive(out, args)


# --- declarations ------------------------------------------------------------------------------

declare("list_customers", ToolLanguage(
    examples=(
        "how many contacts are in our database?",
        "what's the total number of customers we have",
        "how large is our client base",
        "what's the size of our contact list",
        "which customers have churned",
        "anyone churn in the last few weeks?",
        "who churned this month",
        "how many leads did we add in May",
        "count the leads created in August",
        "what about the prospects?",
        "prospects only",
        "how many people have we got in the customer database",
        "count everyone in the crm",
        "customer count pls",
        "how many accounts do we have overall",
        "how many people do we have on file",
        "show me the newest clients",
        "which customers did we add most recently?",
        "latest contacts added to the crm",
        "list the newest leads",
        "which clients have churned lately",
        "did anyone sign up today?",
        "new signups this month",
        "how many new leads came in during March",
        "leads we picked up in september",
        "Copperleaf contacts",
        "people from Tidewater Cafe",
        "Oakridge Dental customers",
        "can you find Marcus Bell among our customers",
        "look up the contact Owen Price",
        "how many custmers do we have",
        "list all my clients",
        "show me every lead",
        "who are our prospects right now?",
        "count of active customers",
        "hey, could you pull up a list of the customers who've churned lately?",
        "customers at Harbor Bikes",
        "anyone from Bluebird Bakery in the crm?",
        "find customers named Kofi",
        "search contacts for tidewater",
        "is there a customer called Elena Petrova?",
        "new customers this month",
        "how many clients did we add last week",
        "leads added since March 1",
        "inactive accounts pls",
        "show customers sorted by name",
        "list clients a-z",
        "which customers were updated most recently",
        "dormant customers at Oakridge Dental",
        "how big is our customer list?",
        "show the oldest customers first",
        "all contacts with a gmail address",
        "custmer list",
        "number of ppl in the crm",
        "do we have any lapsed clients",
        "who signed up as a lead in the last 30 days",
        "look for someone at Copperleaf",
        "list of potential customers at Marlowe Interiors",
        "which clients have gone dormant",
        "customers that went quiet",
        "who's gone inactive?",
        "who do we have on file from Copperleaf",
        "anyone on record at Harbor Bikes?",
        "how many customers have we lost so far",
        "who's listed under Oakridge Dental",
        "who's on our books from Bluebird Bakery",
        "show the most recent contacts",
        "who's on file at Tidewater Cafe",
        "any new sign ups lately?",
    ),
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
            "asc": ("ascending", "oldest first", "a-z", "a to z", "earliest first"),
            "desc": ("descending", "newest first", "latest first", "z-a", "most recent first"),
        },
    },
))

declare("get_customer", ToolLanguage(
    examples=(
        "whats the phone for tom reyes",
        "email address for lena fischer?",
        "what email do we have for Kofi Mensah",
        "give me Rosa Delgado's phone number",
        "show me Dana Whitfield's customer record",
        "open the contact card for Kofi Mensah",
        "what's the email we have on file for Rosa Delgado?",
        "phone number for Hugo Lambert",
        "what status is Ines Moreau in?",
        "pull up the profile of Marcus Bell",
        "look up customer id 7c1e2b90",
        "is Tanya Okafor a lead or an active customer?",
        "when was Raj Patel added to the crm",
        "what tags does Beth Collins have",
        "contact details for Lena Fischer",
        "which company does Paolo Conti work for?",
        "gimme felix brandt's details",
        "customer record: Nadia Haddad",
        "how do I reach Owen Price? email or phone",
        "show the crm entry for Clara Jensen",
        "what's Jonas Berg's custmer status",
        "Amara Nwosu - contact info",
        "can you bring up the record for Victor Sousa please",
        "hey, what's the phone number of the guy at Harbor Bikes, Tom Reyes?",
        "look up Noor Aziz",
        "can you find me the details for Ellis Grant",
        "Ellis Grant's info please",
        "details on Priya Raman",
        "is Victor Sousa a prospect or a lead?",
        "is Noor Aziz active or churned",
        "what status does Ellis Grant have in the crm",
        "Iris Vane's email and phone",
        "who does Theo Marsh work for",
        "what's the mobile number for Marcus Bell",
        "what company is Priya Raman with",
        "which business does Tom Reyes belong to",
    ),
    phrase=p.typed(CustomerOutput, _customer),
    references=CUSTOMER_REFERENCE,
    questions={"customer_id": "Which customer should I look up?"},
))

declare("create_customer", ToolLanguage(
    examples=(
        "add Dana Whitfield as a new lead",
        "new customer: Kofi Mensah, kofi@mensahfarms.com",
        "create a contact for Rosa Delgado at Sunny Side Florists",
        "please add Hugo Lambert from Lambert Joinery, phone 555-0142, as a prospect",
        "put Ines Moreau in the crm",
        "i just met Marcus Bell from Copperleaf at a trade show, can you save him as a lead?",
        "register a new client Tanya Okafor tanya@okafor.design",
        "add an active customer named Raj Patel",
        "new lead - Beth Collins, Bright Path Tutoring",
        "create customer Kenji Watanabe",
        "add Sara Lindqvist (sara@lindqvist.se) as a prospect",
        "onboard Dev Malhotra from Marlowe Interiors as a paying customer",
        "save Lena Fischer as a new prospect, tag her vip",
        "ad new custmer Paolo Conti",
        "log a new lead called Ruth Adeyemi from Northgate Plumbing",
        "can you create a client record for Felix Brandt? he's already paying",
        "new contact Nadia Haddad, +44 7700 900123",
        "add owen price at peak trail co",
        "stick Clara Jensen in as a lead",
        "capture a new prospect: Jonas Berg, Berg Cycles",
        "add customer Amara Nwosu",
        "create a new customer for me",
        "spoke to Iris Vane from Vane Pottery today, could you pop her into the system as a lead",
        "can you get Theo Marsh into the crm? he's interested",
        "add a new client, theo marsh from marsh & co, theo@marsh.co",
        "please enter a new contact for me: Iris Vane",
    ),
    phrase=p.typed(CustomerOutput, _created),
    synonyms={"status": CUSTOMER_STATUS_SYNONYMS},
    questions={"name": "What's the new customer's name?"},
))

declare("update_customer", ToolLanguage(
    examples=(
        "could you mark Hugo Lambert as a lead",
        "Kenji Watanabe should now be a prospect",
        "Tanya Okafor needs to be set to inactive",
        "put Beth Collins down as a prospect instead",
        "switch Owen Price over to prospect status",
        "Raj Patel ought to be listed as churned",
        "flag Sara Lindqvist as an active customer please",
        "mark Lena Fischer as a prospect, not a lead",
        "Clara Jensen is now a prospect",
        "please set Jonas Berg's status to lead",
        "change Dana Whitfield's status to active",
        "Kofi Mensah has churned",
        "update Rosa Delgado's email to rosa@sunnyside.com",
        "mark Hugo Lambert as inactive",
        "set Ines Moreau to prospect",
        "Marcus Bell's new phone is 555-0199",
        "Tanya Okafor moved to Lumen Studio, update her company",
        "rename customer Raj Patel to Rajesh Patel",
        "Beth Collins is a paying customer now",
        "tag Kenji Watanabe as wholesale",
        "Sara Lindqvist cancelled, flag her as churned",
        "fix the email for Dev Malhotra: dev@marlowe.co",
        "lena fischer is dormant now",
        "convert Paolo Conti from lead to active customer",
        "Ruth Adeyemi left us",
        "edit Felix Brandt's phone number to +49 30 123456",
        "make Nadia Haddad a prospect",
        "updte owen price status -> active",
        "change the company on Clara Jensen's record to Ferris & Sons",
        "Jonas Berg came back, reactivate him",
        "add the vip tag to Amara Nwosu",
        "update a customer's details",
        "Victor Sousa closed their account with us",
        "Noor Aziz cancelled her subscription, mark her churned",
    ),
    phrase=p.typed(CustomerOutput, _updated),
    synonyms={"status": CUSTOMER_STATUS_SYNONYMS},
    references=CUSTOMER_REFERENCE,
    questions={"customer_id": "Which customer should I update?"},
    field_words={"phone": ("phone number", "mobile", "number"), "email": ("email address", "e-mail"),
                 "company": ("employer",), "name": ("rename",)},
))

declare("delete_customer", ToolLanguage(
    examples=(
        "delete customer Dana Whitfield",
        "remove Kofi Mensah from the crm",
        "please erase Rosa Delgado's record",
        "get rid of Hugo Lambert, he was a duplicate",
        "wipe Ines Moreau from my contacts",
        "delete the customer Marcus Bell",
        "can you permanently remove Tanya Okafor?",
        "trash the contact for Raj Patel",
        "Beth Collins asked us to delete her data, remove her",
        "dlete custmer Kenji Watanabe",
        "purge Sara Lindqvist",
        "remove the lead Dev Malhotra, it was a test entry",
        "delete Lena Fischer from customers",
        "drop Paolo Conti from our client list",
        "I want to delete a customer",
        "remove the customer record for Harbor Bikes",
        "scrap the Felix Brandt contact",
        "delete the churned customer Iris Vane",
        "remove Theo Marsh, an old inactive lead",
    ),
    phrase=p.typed(DeleteResult, _deleted),
    references=CUSTOMER_REFERENCE,
    questions={"customer_id": "Which customer should I delete?"},
))
