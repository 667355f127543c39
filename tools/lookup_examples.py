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
)
