"""Picking one record: among search results ("the Acme deal" when Acme has one open deal and two
closed ones), and from a list the owner was shown ("the second one", "the rental fleet one")."""

from __future__ import annotations

import re
from typing import Any

from agent.offline import fmt
from agent.offline.extract import money_amounts
from agent.offline.lexicon import STOPWORDS, Text, words_of
from agent.offline.plans import Resolve

ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3,
            "fifth": 4, "5th": 4, "sixth": 5, "seventh": 6, "eighth": 7, "ninth": 8, "tenth": 9}
RECORD_FIELDS = ("title", "name", "company", "customer_name", "email", "stage", "status")


def candidates_line(kind: str, record: dict[str, Any]) -> str:
    if kind == "deal":
        who = f", {record['customer_name']}" if record.get("customer_name") else ""
        return (f"{record.get('title')} — {fmt.money(record.get('value'), record.get('currency'))}, "
                f"{fmt.stage(record.get('stage'))}{who}")
    company = f" ({record['company']})" if record.get("company") else ""
    email = f", {record['email']}" if record.get("email") else ""
    return f"{record.get('name')}{company} — {record.get('status')}{email}"


def _text_of(record: dict[str, Any]) -> set[str]:
    return set(words_of(" ".join(str(record.get(f) or "") for f in RECORD_FIELDS).replace("_", " ")))


def _best_by_words(words: set[str], rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    scores = [len(words & _text_of(r)) for r in rows]
    best = max(scores, default=0)
    if best > 0 and scores.count(best) == 1:
        return rows[scores.index(best)]
    return None


def _primary_contact(rows: list[dict[str, Any]], query: str) -> dict[str, Any] | None:
    """Everyone matched through one company ("a deal for Acme"): its active contact, else the first."""
    companies = {str(r.get("company") or "").lower() for r in rows}
    q = query.lower()
    named = any(q in str(r.get("name", "")).lower() for r in rows)
    if len(companies) != 1 or not all(q in c for c in companies) or named:
        return None
    active = [r for r in rows if r.get("status") == "active"]
    return (active or rows)[0]


Record = dict[str, Any]


def choose(plan: Resolve, rows: list[Record], query: str) -> tuple[Record | None, list[Record]]:
    """The one record meant, or None and the candidates to ask about."""
    if len(rows) == 1:
        return rows[0], rows
    key = "title" if plan.kind == "deal" else "name"
    exact = [r for r in rows if str(r.get(key, "")).lower() == plan.query.lower()]
    if len(exact) == 1:
        return exact[0], rows
    pool = rows
    if plan.kind == "deal" and plan.prefer_open:
        open_rows = [r for r in rows if r.get("status") == "open"]
        if len(open_rows) == 1:
            return open_rows[0], rows
        pool = open_rows or rows
    extra_words = set(words_of(plan.query)) - set(words_of(query)) - STOPWORDS
    if extra_words and (best := _best_by_words(extra_words, pool)) is not None:
        return best, rows
    if plan.kind == "customer" and plan.action == "create_deal":
        contact = _primary_contact(rows, query)
        if contact is not None:
            return contact, rows
    return None, pool


def _ordinal(t: Text, count: int) -> int | None:
    for word in t.words:
        if word in ORDINALS and ORDINALS[word] < count:
            return ORDINALS[word]
    if re.search(r"\b(?:last|final) one\b|\bthe last\b", t.norm):
        return count - 1
    m = re.fullmatch(r"(?:#|no\.?\s*|number\s*|option\s*)?(\d{1,2})[.)]?", t.norm.strip(" .!"))
    if m and 1 <= int(m.group(1)) <= count:
        return int(m.group(1)) - 1
    return None


def pick_choice(text: str, choices: tuple[dict[str, Any], ...]) -> dict[str, Any] | None:
    """Which of the listed records the owner means, if the reply says so unambiguously."""
    t = Text(text)
    if len(t.words) <= 6 and (i := _ordinal(t, len(choices))) is not None:
        return choices[i]
    rows = list(choices)
    common = set.intersection(*(_text_of(r) for r in rows)) if rows else set()
    words = set(t.words) - STOPWORDS - common - {"deal", "customer", "contact", "client"}
    if words and (best := _best_by_words(words, rows)) is not None:
        return best
    amounts = money_amounts(text, loose=True)
    if amounts:
        want = amounts[0].value
        close = [r for r in rows if abs(float(r.get("value") or 0) - want) <= 0.05 * want]
        if len(close) == 1:
            return close[0]
    return None
