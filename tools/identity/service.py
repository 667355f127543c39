"""Register, log in, rotate refresh tokens, log out, and turn a bearer credential into a
Principal. Called by the REST auth routes and by every adapter's authentication."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import (
    Conflict,
    Forbidden,
    InvalidCredentials,
    InvalidToken,
    NotFound,
    RateLimited,
    SessionRevoked,
    TenantNotFound,
    TokenExpired,
)
from core.ids import utcnow
from store.models import Membership, MfaChallenge, Tenant, User
from store.repositories import tenancy
from tools.context import Principal
from tools.identity import mfa, passwords, tokens

CHALLENGES_PER_WINDOW = 10
CHALLENGE_WINDOW_MINUTES = 15


@dataclass(frozen=True)
class MfaPending:
    """The password was right; the sign-in completes with a code against this challenge."""

    challenge: str
    expires_in: int
    user_id: str
    tenant_id: str


@dataclass
class AuthResult:
    user: User
    tenant: Tenant
    role: str
    access_token: str
    refresh_token: str
    expires_in: int


def _issue(session: Session, user: User, tenant: Tenant, role: str,
           family_id: str | None = None) -> AuthResult:
    row, raw = tokens.new_refresh(session, user.id, tenant.id, family_id)
    access, ttl = tokens.issue_access(user.id, tenant.id, row.family_id)
    return AuthResult(user, tenant, role, access, raw, ttl)


def register(
    session: Session,
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    tenant_name: str | None,
) -> AuthResult:
    if tenancy.user_by_email(session, email) is not None:
        raise Conflict(
            "An account with this email already exists",
            details=[{"field": "email", "message": "already registered"}],
            code="RESOURCE_CONFLICT",
        )
    user = User(
        email=email.strip().lower(),
        password_hash=passwords.hash_password(password),
        first_name=first_name,
        last_name=last_name,
    )
    session.add(user)
    session.flush()
    name = tenant_name or f"{(first_name or email.split('@')[0]).strip()}'s workspace"
    tenant = tenancy.create_tenant(session, name, user)
    user.default_tenant_id = tenant.id
    return _issue(session, user, tenant, "admin")


def login(session: Session, *, email: str, password: str) -> AuthResult | MfaPending:
    """Check the password; with MFA on, hand out a challenge instead of tokens."""
    user = tenancy.user_by_email(session, email) if "\x00" not in email else None
    if user is None:
        passwords.burn_time(password)
        raise InvalidCredentials("Invalid email or password")
    if not passwords.verify_password(user.password_hash, password) or not user.is_active:
        raise InvalidCredentials("Invalid email or password")
    membership = _home_membership(session, user)
    if user.mfa_enabled:
        _limit_challenges(session, user)
        challenge, ttl = mfa.new_challenge(session, user, membership.tenant_id)
        return MfaPending(challenge, ttl, user.id, membership.tenant_id)
    user.last_active_at = utcnow()
    return _issue(session, user, membership.tenant, membership.role)


def _limit_challenges(session: Session, user: User) -> None:
    """At most CHALLENGES_PER_WINDOW sign-in challenges per user in the window: with five codes
    each, a stolen password buys at most 50 code guesses per 15 minutes."""
    since = utcnow() - timedelta(minutes=CHALLENGE_WINDOW_MINUTES)
    recent = session.scalar(select(func.count()).select_from(MfaChallenge).where(
        MfaChallenge.user_id == user.id, MfaChallenge.created_at >= since)) or 0
    if recent >= CHALLENGES_PER_WINDOW:
        raise RateLimited("Too many sign-in attempts for this account; try again later",
                          retry_after=CHALLENGE_WINDOW_MINUTES * 60, limit=CHALLENGES_PER_WINDOW)


def complete_mfa(session: Session, *, challenge: str, code: str) -> AuthResult:
    """The second step of a sign-in: a current TOTP code or an unused backup code."""
    user, tenant_id = mfa.complete_challenge(session, challenge, code)
    membership = tenancy.membership(session, user.id, tenant_id)
    if membership is None:
        raise InvalidToken("The sign-in challenge is invalid or expired; sign in again")
    user.last_active_at = utcnow()
    return _issue(session, user, membership.tenant, membership.role)


def _home_membership(session: Session, user: User) -> Membership:
    memberships = tenancy.memberships_of(session, user.id)
    if not memberships:
        raise Forbidden("This account belongs to no workspace")
    for m in memberships:
        if m.tenant_id == user.default_tenant_id:
            return m
    return memberships[0]


def refresh(session: Session, raw: str) -> AuthResult:
    """Rotate: each refresh token works once. Presenting a rotated or revoked one is treated as
    theft, and the whole login family is revoked."""
    row = tokens.find_refresh(session, raw)
    if row is None:
        raise InvalidToken("Refresh token is invalid")
    now = utcnow()
    if row.rotated_at is not None or row.revoked_at is not None:
        tokens.revoke_family(session, row.family_id, now)
        raise SessionRevoked("Refresh token was already used; this session has been revoked")
    if row.expires_at <= now:
        raise TokenExpired("Refresh token has expired")
    row.rotated_at = now
    user = tenancy.get_user(session, row.user_id)
    membership = tenancy.membership(session, row.user_id, row.tenant_id)
    if user is None or not user.is_active or membership is None:
        tokens.revoke_family(session, row.family_id, now)
        raise SessionRevoked("Refresh token is invalid")
    return _issue(session, user, membership.tenant, membership.role, row.family_id)


def logout(session: Session, principal_family: str | None, raw_refresh: str | None,
           user_id: str | None = None) -> None:
    """Revoke the caller's login family, and the refresh token's family if it is the caller's
    own: a stolen refresh token in someone else's logout body must not end their session."""
    if raw_refresh:
        row = tokens.find_refresh(session, raw_refresh)
        if row is not None and (user_id is None or row.user_id == user_id):
            tokens.revoke_family(session, row.family_id)
    if principal_family:
        tokens.revoke_family(session, principal_family)


def set_password(session: Session, email: str, password: str) -> int:
    """An operator's password reset: the new hash, and every open session of the user ends (an
    access token dies with its refresh family). Returns how many sessions were ended."""
    user = tenancy.user_by_email(session, email)
    if user is None:
        raise NotFound("user", email)
    user.password_hash = passwords.hash_password(password)
    return tokens.revoke_all_refresh(session, user.id, utcnow())


MAX_ID_LENGTH = 64
NO_TENANT = "-"  # an id no tenant has: a requested tenant that cannot exist is refused like one that doesn't


def plausible_id(value: str) -> bool:
    """Could this be a row id at all? Over-long values, NUL (PostgreSQL text cannot hold it) and
    unpaired surrogates never reach a query: they would only ever fail there, as a 500."""
    if not 0 < len(value) <= MAX_ID_LENGTH or "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@dataclass(frozen=True)
class Authenticated:
    principal: Principal
    user: User
    family_id: str | None


def authenticate(session: Session, credential: str, tenant_id: str | None = None) -> Authenticated:
    """Resolve a bearer credential (JWT access token or API key) for one of the caller's own
    tenants. A tenant the caller does not belong to is refused exactly like a missing one, and
    only after the credential itself was verified (a bad token is 401 whatever tenant it asks)."""
    if tenant_id is not None and not plausible_id(tenant_id):
        tenant_id = NO_TENANT
    if credential.startswith(tokens.API_KEY_PREFIX):
        key = tokens.find_api_key(session, credential)
        if key is None:
            raise InvalidToken("API key is invalid or revoked")
        if tenant_id and tenant_id != key.tenant_id:
            raise TenantNotFound("Tenant not found")
        owner = tenancy.get_user(session, key.user_id)
        if owner is not None and mfa.predates_enrolment(owner, key):
            raise InvalidToken("API key was created before MFA was enabled; create a new one")
        user_id, tenant_id, family, auth = key.user_id, key.tenant_id, None, "api_key"
        key.last_used_at = utcnow()
    else:
        claims = tokens.decode_access(credential)
        user_id, family, auth = claims.user_id, claims.family_id, "jwt"
        tenant_id = tenant_id or claims.tenant_id
    found = tenancy.user_in_tenant(session, user_id, tenant_id, family)
    if found is None or not found[0].is_active:
        raise InvalidToken("Token is malformed or invalid")
    user, role, family_live = found
    if not family_live:
        raise InvalidToken("Token has been revoked")
    if role is None:
        if not (user.is_superadmin and tenancy.get_tenant(session, tenant_id)):
            raise TenantNotFound("Tenant not found")
        role = "admin"
    principal = Principal(
        user_id=user.id, tenant_id=tenant_id, role=role,  # type: ignore[arg-type]
        email=user.email, auth=auth,  # type: ignore[arg-type]
        is_superadmin=user.is_superadmin, family_id=family,
    )
    return Authenticated(principal, user, family)
