"""Requests that add or change customers: "add Jane Smith from Tech Corp as a lead", "change Jane
Smith's status to active", "Jane Smith's new phone number is ...".

A change to an existing customer is a `Resolve` plan: find the customer by name, then update.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from agent.offline.extract import customer_status, email_of, new_contact, phone_of, target_query, title_case
from agent.offline.intents_write import listing
from agent.offline.lexicon import CREATE_VERBS, CUSTOMER_WORDS, DEAL_WORDS, UPDATE_VERBS, Text
from agent.offline.patterns import (
    COMPANY_CHANGE,
    CONTACT_CHANGE,
    PUT_IN,
    RENAME_CUSTOMER,
    STATUS_STATEMENT,
    STATUS_WORDS,
    TARGET_STATUS,
)
from agent.offline.plans import Ask, Calls, Plan, Resolve

UPDATE_PHRASES = ("is now", "now works", "became", "has churned", "churned", "left us", "rename")
YES_NO = re.compile(r"^(?:is|are|was|were|has|have|had|did|does|do)\s+(?!(?:you|we|i)\s+(?:please\s+)?"
                    r"(?:mark|change|set|update|make)\b)")
NEW_CUSTOMER = ("new lead", "new customer", "new client", "new contact", "new prospect")
# "How many did we add?" and "did we add Jane?" ask about what was done; they are not commands.
ASKING_WHAT_WAS_DONE = re.compile(r"\bhow many\b|\b(?:did|have|has|had) (?:we|i|you|they)\b"
                                  r"(?! (?:got )?to\b)")


def _create_status(t: Text) -> str:
    m = re.search(r"\bas\s+(?:an?\s+)?(?:new\s+)?(?P<s>[a-z]+)(?:\s+(?P<n>customer|client))?\b", t.norm)
    if m:
        status = customer_status(m.group("s"))
        if status:
            return status
        if m.group("s") in ("customer", "client", "paying"):
            return "active"
    m = re.search(r"\bstatus\s*(?:of|is|:|=|to)?\s*(?P<s>[a-z]+)", t.norm)
    status = customer_status(m.group("s")) if m else None
    if status:
        return status
    first = re.search(r"\b(?:new|add|create)\s+(?:an?\s+)?"
                      r"(?P<s>lead|prospect|active customer|active client)\b", t.norm)
    return (customer_status(first.group("s")) or "lead") if first else "lead"


def create_customer_rule(t: Text, today: date) -> Plan | None:
    verbs = t.word_set & (CREATE_VERBS - {"make", "open", "start", "new", "log", "record"})
    starts_new = t.starts_with_any(NEW_CUSTOMER) or bool(PUT_IN.match(t.norm))
    if not (verbs or starts_new) or t.has_any(DEAL_WORDS, fuzzy=False) or ASKING_WHAT_WAS_DONE.search(t.norm):
        return None
    about_someone = t.word_set & CUSTOMER_WORDS or re.search(r"\bas an? \w+", t.norm) or email_of(t.raw)
    bare_add = re.match(r"^(?:please\s+)?(?:add|create|register|onboard)\s+[A-Za-z]", t.raw.strip(), re.I)
    if not (about_someone or bare_add):
        return None
    contact = new_contact(t.raw)
    args: dict[str, Any] = {}
    if contact.name:
        args["name"] = contact.name
    if contact.company:
        args["company"] = contact.company
    if email := email_of(t.raw):
        args["email"] = email
    if phone := phone_of(t.raw):
        args["phone"] = phone
    args["status"] = _create_status(t)
    plan = Calls((("create_customer", args),))
    if not contact.name:
        return Ask("What is the new customer's name?", "name", plan)
    return plan


def _customer_changes(t: Text) -> tuple[dict[str, Any], tuple[str, ...]]:
    args: dict[str, Any] = {}
    removals: list[str] = []
    if (email := email_of(t.raw)) and re.search(r"\be-?mail\b", t.norm):
        args["email"] = email
    if (phone := phone_of(t.raw)) and re.search(r"\b(?:phone|number|mobile|cell|tel)\b", t.norm):
        args["phone"] = phone
    company = COMPANY_CHANGE.search(t.raw)
    if company:
        args["company"] = title_case((company.group("c") or company.group("d")).strip(" .!"))
        removals.append(re.escape(company.group(0)))
    rename = RENAME_CUSTOMER.search(t.raw)
    if rename:
        args["name"] = title_case((rename.group("n") or rename.group("m")).strip(" .!\"'"))
        removals.append(r"\bto\s+" + re.escape(rename.group("n") or rename.group("m")) + r".*$")
    status = _target_status(t)
    if status:
        args["status"] = status
    return args, tuple(removals)


def _target_status(t: Text) -> str | None:
    m = TARGET_STATUS.search(t.norm)
    for candidate in [m.group("s")] if m else []:
        if status := customer_status(candidate):
            return status
    if re.search(r"\b(?:has |have |just )?(?:churned|left us|cancell?ed|quit)\b", t.norm):
        return "churned"
    return customer_status(t.norm) if t.word_set & UPDATE_VERBS else None


def update_customer_rule(t: Text, today: date) -> Plan | None:
    if t.has_any(DEAL_WORDS, fuzzy=False) or listing(t):
        return None
    cue = (t.word_set & UPDATE_VERBS or t.has_phrase(UPDATE_PHRASES) or STATUS_STATEMENT.search(t.norm)
           or CONTACT_CHANGE.search(t.norm))
    if not cue:
        return None
    args, removals = _customer_changes(t)
    if not args:
        return None
    query = target_query(t.raw, (*removals, STATUS_WORDS), frozenset({"churned", "left", "became", "quit"}))
    if YES_NO.match(t.norm):  # "has Jane Smith churned?" asks: show her record instead
        return Calls((("list_customers", {"search": query, "limit": 10}),), focus="find") if query else None
    plan = Resolve("customer", query or "", "update_customer", args, label=query or "")
    return plan if query else Ask("Which customer should I update?", "target", plan)
