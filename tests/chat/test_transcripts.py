"""agent.transcripts: stateless transcripts find their conversation; ids never cross callers."""

from __future__ import annotations

from helpers import Account

from agent.transcripts import Turn, new_conversation_id, normalize, remember, resolve, transcript_key
from store.db import unit_of_work
from tools.context import Principal


def principal_of(account: Account) -> Principal:
    return Principal(user_id=account.user_id, tenant_id=account.tenant_id, role="admin")


def test_key_ignores_system_messages_and_whitespace(account: Account) -> None:
    p = principal_of(account)
    a = [Turn("system", "Be terse."), Turn("user", "revenue  last month?"), Turn("assistant", "$10\n")]
    b = [Turn("user", " revenue last month? "), Turn("developer", "x"), Turn("assistant", "$10")]
    assert normalize(a) == [Turn("user", "revenue last month?"), Turn("assistant", "$10")]
    assert transcript_key(p, a) == transcript_key(p, b)
    assert transcript_key(p, a) != transcript_key(p, [*a, Turn("user", "and before?")])


def test_key_depends_on_tenant_and_user(account: Account, other_account: Account) -> None:
    turns = [Turn("user", "hi"), Turn("assistant", "hello")]
    assert transcript_key(principal_of(account), turns) != transcript_key(principal_of(other_account), turns)


def test_remembered_transcript_resolves_to_its_conversation(account: Account) -> None:
    p = principal_of(account)
    first = [Turn("user", "revenue last month?")]
    with unit_of_work() as s:
        fresh = resolve(s, p, [])
        assert fresh.is_new and fresh.history is None
        remember(s, p, fresh.conversation_id, [[*first, Turn("assistant", "It was $10.")]])
    with unit_of_work() as s:
        again = resolve(s, p, [*first, Turn("assistant", "It was  $10.")])
    assert again.conversation_id == fresh.conversation_id and not again.is_new
    assert again.history is None


def test_unknown_transcript_starts_a_seeded_conversation(account: Account) -> None:
    prior = [Turn("system", "sys"), Turn("user", "a"), Turn("assistant", "b"), Turn("tool", "{}")]
    with unit_of_work() as s:
        r = resolve(s, principal_of(account), prior)
    assert r.is_new and r.conversation_id.startswith("conv_")
    assert r.history == [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]


def test_explicit_ids_are_owned(account: Account, other_account: Account) -> None:
    mine, theirs = principal_of(account), principal_of(other_account)
    conv = new_conversation_id()
    with unit_of_work() as s:
        claimed = resolve(s, mine, [], conv)
        assert claimed.conversation_id == conv and claimed.is_new
        remember(s, mine, conv, [])
    with unit_of_work() as s:
        assert resolve(s, mine, [], conv) == claimed.__class__(conv, None, False)
        stolen = resolve(s, theirs, [Turn("user", "hi"), Turn("assistant", "yo")], conv)
        # the other tenant gets a fresh conversation, seeded only with its own messages
        assert stolen.conversation_id != conv and stolen.is_new
        assert stolen.history == [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]
        remember(s, theirs, conv, [])  # cannot take the id over
    with unit_of_work() as s:
        assert resolve(s, mine, [], conv).conversation_id == conv
        assert resolve(s, theirs, [], conv).conversation_id != conv


def test_alias_of_another_user_is_invisible(account: Account, other_account: Account) -> None:
    mine, theirs = principal_of(account), principal_of(other_account)
    turns = [Turn("user", "secret plan"), Turn("assistant", "noted")]
    with unit_of_work() as s:
        remember(s, mine, "conv_private_1", [turns])
    with unit_of_work() as s:
        assert resolve(s, mine, turns).conversation_id == "conv_private_1"
        assert resolve(s, theirs, turns).conversation_id != "conv_private_1"


def test_remembering_twice_repoints_the_alias(account: Account) -> None:
    p = principal_of(account)
    turns = [Turn("user", "q"), Turn("assistant", "a")]
    with unit_of_work() as s:
        remember(s, p, "conv_first_1", [turns])
    with unit_of_work() as s:
        remember(s, p, "conv_second_1", [turns])
    with unit_of_work() as s:
        assert resolve(s, p, turns).conversation_id == "conv_second_1"
