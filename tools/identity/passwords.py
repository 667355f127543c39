"""argon2id password hashing (parameters from settings: cheap in tests, strong in production)."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core.settings import get_settings


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    s = get_settings()
    return PasswordHasher(
        time_cost=s.argon2_time_cost,
        memory_cost=s.argon2_memory_cost,
        parallelism=s.argon2_parallelism,
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_DUMMY: list[str] = []


def burn_time(password: str) -> None:
    """Verify against a dummy hash so an unknown email costs as long as a wrong password."""
    if not _DUMMY:
        _DUMMY.append(hash_password("dummy-password-for-timing"))
    verify_password(_DUMMY[0], password)


MAX_LENGTH = 128


def policy_problem(password: str) -> str | None:
    """Why a new password is refused, or None: the one rule registration and `bizpilot
    set-password` share (length between PASSWORD_MIN_LENGTH and 128)."""
    minimum = get_settings().password_min_length
    if not minimum <= len(password) <= MAX_LENGTH:
        return f"the password must be {minimum} to {MAX_LENGTH} characters long"
    return None
