"""Choosing among the records a name matches: the rest of the request can name one."""

from __future__ import annotations

from agent.nlu.references import Candidate, choose

STARK = [
    Candidate("d1", "Stark Supplies - Rental fleet", "Omar Martinez · won", 95.0),
    Candidate("d2", "Stark Supplies - Store fit-out", "Arjun Brown · qualified", 95.0),
    Candidate("d3", "Stark Supplies - Wholesale order", "Sam Allen · lead", 95.0),
]


def test_the_request_names_one_of_the_close_candidates() -> None:
    chosen = choose(STARK, "Stark Supplies", linking=False,
                    request="sent the proposal to Stark Supplies for the store fitout, update the stage")
    assert isinstance(chosen, Candidate) and chosen.id == "d2"


def test_without_a_distinguishing_word_the_owner_is_asked() -> None:
    chosen = choose(STARK, "Stark Supplies", linking=False, request="move Stark Supplies to proposal")
    assert isinstance(chosen, list) and [c.id for c in chosen] == ["d1", "d2", "d3"]
    two = [*STARK, Candidate("d4", "Stark Supplies - Rental fleet", "Ivan King · lead", 95.0)]
    tied = choose(two, "Stark Supplies", linking=False, request="Stark Supplies rental fleet is won")
    assert isinstance(tied, list)


def test_a_customers_company_tells_two_of_the_same_name_apart() -> None:
    """"Lucas Moore at Globex" when two customers are called Lucas Moore; a status the request
    names as the change it asks for ("won") tells no one apart."""
    moores = [Candidate("c1", "Lucas Moore", "Tech Corp · lucas.moore.151@example.com · active", 100.0),
              Candidate("c2", "Lucas Moore", "Globex · lucas.moore.8@example.com · active", 100.0)]
    chosen = choose(moores, "Lucas Moore", linking=False,
                    request="Lucas Moore at Globex, what will he spend?")
    assert isinstance(chosen, Candidate) and chosen.id == "c2"
    assert isinstance(choose(STARK, "Stark Supplies", linking=False, request="Stark Supplies is won"), list)
