"""Example requests for find_records: classifier training data, kept apart from the lookup code."""

from __future__ import annotations

FIND_RECORDS: tuple[str, ...] = (
    "search for Dana Whitfield",
    "search the crm for Harbor Bikes",
    "search everything for Kofi",
    "find anything called Copperleaf",
    "search records for Rosa Delgado",
    "find customer Yuki Moore",
    "look up the Acme deal",
    "what's the id of customer Dana Whitfield?",
    "which customer record matches Tidewater",
    "look up the deal record named Rental fleet",
    "which team member record is Ben",
    "id of the Kofi Mensah customer record",
    "lookup workspace Northwind",
    "the deal record id for Harbor Bikes",
    "which deal id is the Spring catering one",
    "resolve the customer Rosa Delgado to an id",
    "get me the id of the Copperleaf deal",
    "match the name Oakridge to a customer record",
    # written blind from the tool descriptions (stop 11)
    "is there a customer called something like Marguerite?",
    "find the Halvorsen record - not sure if it's a client or a deal",
    "I think her name is Priya something, can you look her up",
    "search for 'Wrenfield' - might be spelled wrong",
    "which Jordan is in the CRM? there might be a couple",
    "Look up anything matching Kestrel",
    "find cust w/ name like 'Mcallister' or 'MacAlister'",
    "there's a deal with 'Harbourside' in the name somewhere, find it",
    "Do we have anyone from Ridgeback in the system? Can't remember if they're a lead or a deal",
    "who's 'Sam O' in our customers? could be Sam O'Neill or Sam Okoro",
    "find records named Lark",
    "I can't remember the exact name - Copper-something Brewing? find it",
)
