"""TOTP second factor (RFC 6238, pyotp) with single-use backup codes, and the sign-in challenge.

Enrolment is two steps: `enroll` creates a secret (shown once, with an otpauth:// URL for an
authenticator app, and ten backup codes) and `confirm` switches MFA on once a current code
proves the app has it. Confirming ends the user's other sessions, and API keys created before
it stop working (tools.identity.service.authenticate), so nothing issued before enrolment can
skip the second step.

A code is accepted once: the time step of the last accepted code is kept, and a code from that
step or an earlier one is refused (a replayed code). Backup codes are kept as keyed hashes and
each works once. A sign-in challenge allows MAX_ATTEMPTS codes, then it is spent.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

import pyotp
from cryptography.fernet import Fernet
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from core.errors import Conflict, InvalidToken, MfaCodeInvalid, MfaCodeRejected
from core.ids import utcnow
from core.settings import get_settings
from store.models import ApiKey, MfaBackupCode, MfaChallenge, RefreshToken, User
from tools import audit

ISSUER = "BizPilot"
STEP_SECONDS = 30
DRIFT_STEPS = 1
"""Codes from one step before or after now are accepted (clock drift between phone and server)."""
BACKUP_CODE_COUNT = 10
CHALLENGE_TTL_SECONDS = 300
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Enrollment:
    secret: str
    otpauth_url: str
    backup_codes: list[str]


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"bizpilot/mfa/v1\x00" + key.encode()).digest()))


def _seal(secret: str) -> str:
    return _fernet(get_settings().secret_key).encrypt(secret.encode()).decode()


def _open(token: str) -> str:
    return _fernet(get_settings().secret_key).decrypt(token.encode()).decode()


def _keyed(value: str) -> str:
    key = get_settings().secret_key.encode()
    return hmac.new(key, b"mfa-backup\x00" + value.encode(), hashlib.sha256).hexdigest()


def _normal(code: str) -> str:
    return code.replace(" ", "").replace("-", "").strip().lower()


def _new_backup_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(5)).decode().lower()  # 8 chars, 40 bits
    return f"{raw[:4]}-{raw[4:]}"


def enroll(session: Session, user: User) -> Enrollment:
    if user.mfa_enabled:
        raise Conflict("MFA is already enabled; disable it first to enrol a new device",
                       code="MFA_ALREADY_ENABLED")
    secret = pyotp.random_base32()
    user.mfa_secret_encrypted = _seal(secret)
    user.mfa_last_step = None
    codes = [_new_backup_code() for _ in range(BACKUP_CODE_COUNT)]
    session.execute(delete(MfaBackupCode).where(MfaBackupCode.user_id == user.id))
    now = utcnow()
    session.add_all(MfaBackupCode(user_id=user.id, code_hash=_keyed(_normal(c)), created_at=now)
                    for c in codes)
    url = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return Enrollment(secret, url, codes)


def accept_totp(user: User, code: str, now: float | None = None) -> bool:
    """True (and the step remembered) if `code` is a current code not accepted before."""
    code = _normal(code)
    if not user.mfa_secret_encrypted or not (code.isdigit() and len(code) == 6):
        return False
    totp = pyotp.TOTP(_open(user.mfa_secret_encrypted))
    current = int((time.time() if now is None else now) // STEP_SECONDS)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            if user.mfa_last_step is not None and step <= user.mfa_last_step:
                return False  # replayed
            user.mfa_last_step = step
            return True
    return False


def use_backup_code(session: Session, user: User, code: str) -> bool:
    row = session.scalar(select(MfaBackupCode).where(
        MfaBackupCode.user_id == user.id, MfaBackupCode.code_hash == _keyed(_normal(code)),
        MfaBackupCode.used_at.is_(None)))
    if row is None:
        return False
    row.used_at = utcnow()
    return True


def check_code(session: Session, user: User, code: str, *, backup: bool = True) -> bool:
    return accept_totp(user, code) or (backup and use_backup_code(session, user, code))


def confirm(session: Session, user: User, code: str, keep_family: str | None) -> int:
    """Switch MFA on. Returns how many other sessions were ended."""
    if user.mfa_enabled:
        raise Conflict("MFA is already enabled", code="MFA_ALREADY_ENABLED")
    if not user.mfa_secret_encrypted:
        raise Conflict("Start with POST /api/v1/mfa/enable to get a secret", code="MFA_NOT_ENROLLED")
    if not accept_totp(user, code):
        raise MfaCodeRejected("The code is not valid (wrong, expired or already used)")
    now = utcnow()
    user.mfa_enabled, user.mfa_enabled_at = True, now
    stmt = update(RefreshToken).where(RefreshToken.user_id == user.id,
                                      RefreshToken.revoked_at.is_(None))
    if keep_family:
        stmt = stmt.where(RefreshToken.family_id != keep_family)
    result = session.execute(stmt.values(revoked_at=now))
    return int(getattr(result, "rowcount", 0) or 0)


def disable(session: Session, user: User, code: str) -> None:
    if not user.mfa_enabled:
        raise Conflict("MFA is not enabled", code="MFA_NOT_ENABLED")
    if not check_code(session, user, code):
        raise MfaCodeRejected("The code is not valid (wrong, expired or already used)")
    user.mfa_enabled, user.mfa_enabled_at = False, None
    user.mfa_secret_encrypted, user.mfa_last_step = None, None
    session.execute(delete(MfaBackupCode).where(MfaBackupCode.user_id == user.id))


def backup_codes_left(session: Session, user_id: str) -> int:
    rows = session.scalars(select(MfaBackupCode.id).where(
        MfaBackupCode.user_id == user_id, MfaBackupCode.used_at.is_(None)))
    return len(list(rows))


def predates_enrolment(user: User, key: ApiKey) -> bool:
    """An API key created before MFA was switched on does not authenticate."""
    return bool(user.mfa_enabled and user.mfa_enabled_at and key.created_at < user.mfa_enabled_at)


# --- the sign-in challenge -----------------------------------------------------------------------


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_challenge(session: Session, user: User, tenant_id: str) -> tuple[str, int]:
    raw = "mfa_" + secrets.token_urlsafe(32)
    now = utcnow()
    session.add(MfaChallenge(user_id=user.id, tenant_id=tenant_id, token_hash=_hash(raw),
                             created_at=now, attempts=0,
                             expires_at=now + timedelta(seconds=CHALLENGE_TTL_SECONDS)))
    session.flush()
    return raw, CHALLENGE_TTL_SECONDS


def complete_challenge(session: Session, raw: str, code: str) -> tuple[User, str]:
    """The user and tenant of a challenge answered with a good code; the challenge is spent."""
    row = session.scalar(select(MfaChallenge).where(MfaChallenge.token_hash == _hash(raw)))
    now = utcnow()
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise InvalidToken("The sign-in challenge is invalid or expired; sign in again")
    user = session.get(User, row.user_id)
    if user is None or not user.is_active or not user.mfa_enabled:
        raise InvalidToken("The sign-in challenge is invalid or expired; sign in again")
    row.attempts += 1
    if not check_code(session, user, code):
        audit.record(session, tenant_id=row.tenant_id, user_id=user.id, source="rest",
                     action="login.mfa", outcome="error", error_code=MfaCodeInvalid.code,
                     summary=f"Wrong second-factor code ({row.attempts} of {MAX_ATTEMPTS})")
        if row.attempts >= MAX_ATTEMPTS:
            row.used_at = now
            raise MfaCodeInvalid("Too many wrong codes; sign in again")
        raise MfaCodeInvalid("The code is not valid (wrong, expired or already used)",
                             details={"attemptsLeft": MAX_ATTEMPTS - row.attempts})
    row.used_at = now
    return user, row.tenant_id
